import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ClickHouseService, type QueryParams } from '../storage/clickhouse/clickhouse.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface CatalogRow {
  action: string;
  events: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

export interface CatalogFilters {
  /** Only this organization's events (an organization-scoped key is always narrowed to its own). */
  organizationId?: string;
  /** Only actions starting with this text (the part before `.*` of a prefix pattern). */
  prefix?: string;
  /** Only this action. */
  exact?: string;
  /** veritrail.* (the trail's own entries) are left out unless asked for. */
  includeSystem: boolean;
}

/**
 * The only reader of action_catalog_v1 (DDL: storage/clickhouse/ddl.ts createActionCatalog;
 * rows are written by its materialized view on the events table, never by the application).
 * Keyset pages in action order.
 */
@Injectable()
export class ActionCatalogRepository {
  private readonly readSettings: Record<string, number>;

  constructor(
    private readonly ch: ClickHouseService,
    @InjectConfig() config: AppConfig,
  ) {
    this.readSettings = { max_execution_time: Math.ceil(config.clickhouse.requestTimeoutMs / 1000) };
  }

  async page(scope: TenantScope, filters: CatalogFilters, after: string | undefined, limit: number): Promise<CatalogRow[]> {
    const clauses = ['tenant_id = {tenant_id:String}'];
    const params: QueryParams = { tenant_id: scope.tenantId, limit };
    if (scope.organizationId !== undefined) {
      clauses.push('organization_id = {scope_organization_id:String}');
      params.scope_organization_id = scope.organizationId;
    }
    if (filters.organizationId !== undefined) {
      clauses.push('organization_id = {organization_id:String}');
      params.organization_id = filters.organizationId;
    }
    if (filters.prefix !== undefined) {
      clauses.push('startsWith(action, {prefix:String})');
      params.prefix = filters.prefix;
    }
    if (filters.exact !== undefined) {
      clauses.push('action = {exact:String}');
      params.exact = filters.exact;
    }
    if (!filters.includeSystem) clauses.push("NOT startsWith(action, 'veritrail.')");
    if (after !== undefined) {
      clauses.push('action > {after:String}');
      params.after = after;
    }
    // Rows of one action are merged in the background; sum/min/max over them is exact at any time.
    const rows = await this.ch.query<{ action: string; events: string | number; first_seen: string | number; last_seen: string | number }>(
      `SELECT action, sum(events) AS events, toUnixTimestamp64Milli(min(first_seen)) AS first_seen, toUnixTimestamp64Milli(max(last_seen)) AS last_seen
FROM ${this.ch.tables.actionCatalog}
WHERE ${clauses.join('\n  AND ')}
GROUP BY action
ORDER BY action
LIMIT {limit:UInt32}`,
      params,
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ action: r.action, events: Number(r.events), firstSeenMs: Number(r.first_seen), lastSeenMs: Number(r.last_seen) }));
  }
}
