import { Injectable } from '@nestjs/common';
import { toClickhouseDateTime64 } from '../common/time.js';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { UsageHour } from './billing.repository.js';

/**
 * Usage as stored: counts of a tenant's customer events in ClickHouse (the trail's own
 * `veritrail.*` entries are not usage), by received_at — the server's clock, so a client cannot
 * move usage between periods with occurred_at. Counts only, no event is read.
 */
@Injectable()
export class UsageRepository {
  constructor(private readonly ch: ClickHouseService) {}

  async count(scope: TenantScope, fromMs: number, toMs: number): Promise<number> {
    if (toMs <= fromMs) return 0;
    const rows = await this.ch.query<{ n: number }>(
      `SELECT count() AS n FROM ${this.ch.tables.events}
WHERE tenant_id = {tenant_id:String} AND received_at >= {from:DateTime64(3)} AND received_at < {to:DateTime64(3)}
  AND NOT startsWith(action, 'veritrail.')`,
      { tenant_id: scope.tenantId, from: toClickhouseDateTime64(fromMs), to: toClickhouseDateTime64(toMs) },
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Per hour (start, epoch ms) within [from, to); hours without events are absent. */
  async hourly(scope: TenantScope, fromMs: number, toMs: number): Promise<UsageHour[]> {
    if (toMs <= fromMs) return [];
    const rows = await this.ch.query<{ h: number; n: number }>(
      `SELECT toUnixTimestamp(toStartOfHour(received_at)) AS h, count() AS n FROM ${this.ch.tables.events}
WHERE tenant_id = {tenant_id:String} AND received_at >= {from:DateTime64(3)} AND received_at < {to:DateTime64(3)}
  AND NOT startsWith(action, 'veritrail.')
GROUP BY h ORDER BY h`,
      { tenant_id: scope.tenantId, from: toClickhouseDateTime64(fromMs), to: toClickhouseDateTime64(toMs) },
    );
    return rows.map((r) => ({ hourMs: Number(r.h) * 1000, events: Number(r.n) }));
  }
}
