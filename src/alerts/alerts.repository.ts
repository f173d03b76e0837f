// Above ~400 lines on purpose: the one file that writes SQL on alert_rules and alerts; the
// evaluator's commit writes both tables in one lease-fenced transaction and the API reads share
// the row mappers, so a file per table would split that transaction.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { AlertStatus, GroupBy, RuleDisabledReason, RuleKind, TemplateName, Tier } from './alerts.schema.js';
import type { RuleDefinition } from './rule-definition.js';
import { heldLeaseSql } from '../jobs/lease-fence.js';

export interface RuleRecord {
  id: string;
  tenantId: string;
  name: string;
  description: string | undefined;
  template: TemplateName | undefined;
  kind: RuleKind;
  enabled: boolean;
  tier: Tier;
  owner: string | undefined;
  createClosed: boolean;
  suppressionSeconds: number;
  definition: RuleDefinition;
  /** Set for an organization's own rule (self-service streams): it reads only that organization's events, and only it (and the tenant) sees it and its alerts. */
  organizationId: string | undefined;
  cursorIdx: number;
  /** Only events received from then on fire it (creation, or the last time it was enabled). */
  activeSince: Date;
  lastEvaluatedAt: Date | undefined;
  /** Set when the evaluator disabled the rule (status "poisoned"). */
  disabledReason: RuleDisabledReason | undefined;
  disabledMessage: string | undefined;
  /** When it was last disabled (by the evaluator or through the API). */
  disabledAt: Date | undefined;
  createdAt: Date;
  updatedAt: Date;
}

export type NewRule = Omit<RuleRecord, 'tenantId' | 'organizationId' | 'activeSince' | 'lastEvaluatedAt' | 'disabledReason' | 'disabledMessage' | 'disabledAt' | 'createdAt' | 'updatedAt'>;
export type RuleChanges = Partial<Pick<RuleRecord, 'name' | 'enabled' | 'tier' | 'createClosed' | 'suppressionSeconds' | 'definition' | 'cursorIdx' | 'activeSince'>> & {
  description?: string | null;
  owner?: string | null;
  disabledReason?: null;
  disabledMessage?: null;
  disabledAt?: Date | null;
};

/** A rule the evaluator disables in the commit of a step, and why. */
export interface PoisonedRule {
  id: string;
  reason: RuleDisabledReason;
  message: string;
}

export interface AlertNote {
  at: string;
  by: string;
  text: string;
}

export interface AlertRecord {
  id: string;
  tenantId: string;
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  tier: Tier;
  owner: string | undefined;
  status: AlertStatus;
  resolution: string | undefined;
  groupBy: GroupBy;
  groupValue: string;
  /** The one organization every event behind the alert belongs to; undefined when several or none (webhooks route on it). */
  organizationId: string | undefined;
  summary: string;
  details: Record<string, unknown>;
  eventIds: string[];
  eventCount: number;
  triggeredAt: Date;
  firstSeenAt: Date;
  lastSeenAt: Date;
  suppressedCount: number;
  lastSuppressedAt: Date | undefined;
  notes: AlertNote[];
  acknowledgedAt: Date | undefined;
  acknowledgedBy: string | undefined;
  closedAt: Date | undefined;
  closedBy: string | undefined;
  trailRecorded: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewAlert = Omit<AlertRecord, 'tenantId' | 'notes' | 'acknowledgedAt' | 'acknowledgedBy' | 'resolution' | 'trailRecorded' | 'createdAt' | 'updatedAt'>;

export interface AlertFilters {
  status?: AlertStatus;
  tier?: Tier;
  ruleId?: string;
  owner?: string;
  groupValue?: string;
  fromMs?: number;
  toMs?: number;
}

export interface AlertChanges {
  status?: AlertStatus;
  resolution?: string;
  owner?: string | null;
  note?: AlertNote;
  /** Who made the change (api key id), for acknowledged_by / closed_by. */
  by: string;
}

/** Notes kept per alert. */
export const MAX_NOTES = 100;

type Row = Record<string, unknown>;
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function toRule(r: Row): RuleRecord {
  return {
    id: r.id as string,
    tenantId: r.tenantId as string,
    name: r.name as string,
    description: opt(r.description as string | null),
    template: opt(r.template as TemplateName | null),
    kind: r.kind as RuleKind,
    enabled: r.enabled as boolean,
    tier: r.tier as Tier,
    owner: opt(r.owner as string | null),
    createClosed: r.createClosed as boolean,
    suppressionSeconds: Number(r.suppressionSeconds),
    definition: r.definition as RuleDefinition,
    organizationId: opt(r.organizationId as string | null),
    cursorIdx: Number(r.cursorIdx),
    activeSince: r.activeSince as Date,
    lastEvaluatedAt: opt(r.lastEvaluatedAt as Date | null),
    disabledReason: opt(r.disabledReason as RuleDisabledReason | null),
    disabledMessage: opt(r.disabledMessage as string | null),
    disabledAt: opt(r.disabledAt as Date | null),
    createdAt: r.createdAt as Date,
    updatedAt: r.updatedAt as Date,
  };
}

function toAlert(r: Row): AlertRecord {
  return {
    id: r.id as string,
    tenantId: r.tenantId as string,
    ruleId: r.ruleId as string,
    ruleName: r.ruleName as string,
    kind: r.kind as RuleKind,
    tier: r.tier as Tier,
    owner: opt(r.owner as string | null),
    status: r.status as AlertStatus,
    resolution: opt(r.resolution as string | null),
    groupBy: r.groupBy as GroupBy,
    groupValue: r.groupValue as string,
    organizationId: opt(r.organizationId as string | null),
    summary: r.summary as string,
    details: r.details as Record<string, unknown>,
    eventIds: (r.eventIds as string[] | null) ?? [],
    eventCount: Number(r.eventCount),
    triggeredAt: r.triggeredAt as Date,
    firstSeenAt: r.firstSeenAt as Date,
    lastSeenAt: r.lastSeenAt as Date,
    suppressedCount: Number(r.suppressedCount),
    lastSuppressedAt: opt(r.lastSuppressedAt as Date | null),
    notes: (r.notes as AlertNote[] | null) ?? [],
    acknowledgedAt: opt(r.acknowledgedAt as Date | null),
    acknowledgedBy: opt(r.acknowledgedBy as string | null),
    closedAt: opt(r.closedAt as Date | null),
    closedBy: opt(r.closedBy as string | null),
    trailRecorded: r.trailRecorded as boolean,
    createdAt: r.createdAt as Date,
    updatedAt: r.updatedAt as Date,
  };
}

/** An organization-scoped caller's rules: those its organization created (a tenant-wide scope: all). */
function orgOf(scope: TenantScope): { organizationId?: string } {
  return scope.organizationId === undefined ? {} : { organizationId: scope.organizationId };
}

/** An organization-scoped caller's alerts: those its own rules raised (not tenant rules' alerts that happen to concern it). */
function alertOrgOf(scope: TenantScope): { ruleOrganizationId?: string } {
  return scope.organizationId === undefined ? {} : { ruleOrganizationId: scope.organizationId };
}

/**
 * Alert rules and alerts in PostgreSQL. API reads and writes are scoped by tenant; the
 * evaluator's commit (alerts + rule cursors) is one transaction fenced by its lease.
 */
@Injectable()
export class AlertsRepository {
  constructor(private readonly prisma: PrismaService) {}

  // ------------------------------------------------------------------ rules

  async createRule(scope: TenantScope, r: NewRule): Promise<RuleRecord> {
    const row = await this.prisma.alertRule.create({
      data: {
        id: r.id,
        tenantId: scope.tenantId,
        name: r.name,
        description: r.description ?? null,
        template: r.template ?? null,
        kind: r.kind,
        enabled: r.enabled,
        tier: r.tier,
        owner: r.owner ?? null,
        createClosed: r.createClosed,
        suppressionSeconds: r.suppressionSeconds,
        definition: r.definition as object,
        organizationId: scope.organizationId ?? null,
        cursorIdx: BigInt(r.cursorIdx),
      },
    });
    return toRule(row as unknown as Row);
  }

  async getRule(scope: TenantScope, id: string): Promise<RuleRecord | undefined> {
    const row = await this.prisma.alertRule.findFirst({ where: { id, tenantId: scope.tenantId, ...orgOf(scope) } });
    return row ? toRule(row as unknown as Row) : undefined;
  }

  async listRules(scope: TenantScope, limit: number, after?: { createdAt: Date; id: string }): Promise<RuleRecord[]> {
    const rows = await this.prisma.alertRule.findMany({
      where: { tenantId: scope.tenantId, ...orgOf(scope), ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map((r) => toRule(r as unknown as Row));
  }

  async countRules(scope: TenantScope): Promise<number> {
    return this.prisma.alertRule.count({ where: { tenantId: scope.tenantId } });
  }

  /** Rules an organization created for itself. */
  async countOrganizationRules(scope: TenantScope): Promise<number> {
    return this.prisma.alertRule.count({ where: { tenantId: scope.tenantId, ...orgOf(scope) } });
  }

  async updateRule(scope: TenantScope, id: string, c: RuleChanges): Promise<RuleRecord | undefined> {
    const data: Record<string, unknown> = { ...c, updatedAt: new Date() };
    if (c.definition) data.definition = c.definition as object;
    if (c.cursorIdx !== undefined) data.cursorIdx = BigInt(c.cursorIdx);
    const r = await this.prisma.alertRule.updateMany({ where: { id, tenantId: scope.tenantId, ...orgOf(scope) }, data });
    return r.count === 1 ? this.getRule(scope, id) : undefined;
  }

  async deleteRule(scope: TenantScope, id: string): Promise<boolean> {
    const r = await this.prisma.alertRule.deleteMany({ where: { id, tenantId: scope.tenantId, ...orgOf(scope) } });
    return r.count === 1;
  }

  async enabledRules(scope: TenantScope): Promise<RuleRecord[]> {
    const rows = await this.prisma.alertRule.findMany({ where: { tenantId: scope.tenantId, enabled: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map((r) => toRule(r as unknown as Row));
  }

  // ------------------------------------------------------------------ evaluator

  /** Tenants the evaluator has to look at: enabled rules (with the lowest cursor), or alerts and disabled rules whose trail entry is missing. */
  async tenantsWithWork(): Promise<{ tenantId: string; minCursor: number | undefined; unrecorded: boolean; silence: boolean }[]> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string; min_cursor: bigint | null; unrecorded: boolean; silence: boolean }[]>`
      SELECT tenant_id, min(cursor_idx) AS min_cursor, false AS unrecorded, false AS silence FROM alert_rules WHERE enabled AND kind <> 'silence' GROUP BY tenant_id
      UNION ALL
      SELECT DISTINCT tenant_id, NULL::bigint, false, true FROM alert_rules WHERE enabled AND kind = 'silence'
      UNION ALL
      SELECT DISTINCT tenant_id, NULL::bigint, true, false FROM alerts WHERE NOT trail_recorded
      UNION ALL
      SELECT DISTINCT tenant_id, NULL::bigint, true, false FROM alert_rules WHERE NOT disabled_recorded`;
    const byTenant = new Map<string, { tenantId: string; minCursor: number | undefined; unrecorded: boolean; silence: boolean }>();
    for (const r of rows) {
      const t = byTenant.get(r.tenant_id) ?? { tenantId: r.tenant_id, minCursor: undefined, unrecorded: false, silence: false };
      if (r.min_cursor !== null) t.minCursor = Number(r.min_cursor);
      t.unrecorded ||= r.unrecorded;
      t.silence ||= r.silence;
      byTenant.set(r.tenant_id, t);
    }
    return [...byTenant.values()];
  }

  /** Rules' alerts for some keys triggered within [from, to] (suppression), in one read: rule id → alerts. */
  async recentAlerts(scope: TenantScope, wanted: { ruleId: string; keys: string[]; fromMs: number; toMs: number }[]): Promise<Map<string, { id: string; key: string; atMs: number }[]>> {
    const out = new Map<string, { id: string; key: string; atMs: number }[]>();
    if (wanted.length === 0) return out;
    const rows = await this.prisma.alert.findMany({
      where: {
        tenantId: scope.tenantId,
        OR: wanted.map((w) => ({ ruleId: w.ruleId, groupValue: { in: w.keys }, triggeredAt: { gte: new Date(w.fromMs), lte: new Date(w.toMs) } })),
      },
      select: { id: true, ruleId: true, groupValue: true, triggeredAt: true },
    });
    for (const r of rows) {
      const list = out.get(r.ruleId) ?? [];
      list.push({ id: r.id, key: r.groupValue, atMs: r.triggeredAt.getTime() });
      out.set(r.ruleId, list);
    }
    return out;
  }

  /**
   * Stores what one chunk of the log produced, moves the rules' cursors past it and disables
   * the rules that ran over their budget (their cursors stay), in one
   * statement (atomic) that first locks the evaluator's lease row and checks it is still ours:
   * a worker that lost its lease commits nothing, so a chunk's alerts exist once whoever
   * evaluates it. One statement rather than an interactive transaction: embedded PGlite
   * serves one transaction at a time for every connection.
   */
  async commitChunk(
    scope: TenantScope,
    lease: { key: string; holder: string },
    c: { alerts: NewAlert[]; bumps: Map<string, { count: number; lastMs: number }>; ruleIds: string[]; cursorIdx: number; poisoned?: PoisonedRule[] },
  ): Promise<boolean> {
    const alerts = c.alerts.map((a) => ({
      id: a.id,
      rule_id: a.ruleId,
      rule_name: a.ruleName,
      kind: a.kind,
      tier: a.tier,
      owner: a.owner ?? null,
      status: a.status,
      group_by: a.groupBy,
      group_value: a.groupValue,
      organization_id: a.organizationId ?? null,
      summary: a.summary,
      details: a.details,
      event_ids: a.eventIds,
      event_count: a.eventCount,
      triggered_at: a.triggeredAt.toISOString(),
      first_seen_at: a.firstSeenAt.toISOString(),
      last_seen_at: a.lastSeenAt.toISOString(),
      suppressed_count: a.suppressedCount,
      last_suppressed_at: a.lastSuppressedAt?.toISOString() ?? null,
      closed_at: a.closedAt?.toISOString() ?? null,
      closed_by: a.closedBy ?? null,
    }));
    const bumps = [...c.bumps].map(([id, b]) => ({ id, count: b.count, last: new Date(b.lastMs).toISOString() }));
    const rows = await this.prisma.$queryRawUnsafe<{ held: number }[]>(
      `WITH lease AS (
         ${heldLeaseSql('$1', '$2', { lockRow: true })}
       ), new_alerts AS (
         INSERT INTO alerts (id, tenant_id, rule_id, rule_name, kind, tier, owner, status, group_by, group_value, organization_id, rule_organization_id, summary, details, event_ids,
           event_count, triggered_at, first_seen_at, last_seen_at, suppressed_count, last_suppressed_at, closed_at, closed_by)
         SELECT a.id, $3, a.rule_id, a.rule_name, a.kind, a.tier, a.owner, a.status, a.group_by, a.group_value, a.organization_id,
           (SELECT r.organization_id FROM alert_rules r WHERE r.tenant_id = $3 AND r.id = a.rule_id), a.summary, a.details,
           ARRAY(SELECT jsonb_array_elements_text(a.event_ids)), a.event_count, a.triggered_at, a.first_seen_at, a.last_seen_at,
           a.suppressed_count, a.last_suppressed_at, a.closed_at, a.closed_by
         FROM jsonb_to_recordset($4::jsonb) AS a(id text, rule_id text, rule_name text, kind text, tier text, owner text, status text,
           group_by text, group_value text, organization_id text, summary text, details jsonb, event_ids jsonb, event_count int, triggered_at timestamptz,
           first_seen_at timestamptz, last_seen_at timestamptz, suppressed_count int, last_suppressed_at timestamptz, closed_at timestamptz, closed_by text)
         WHERE EXISTS (SELECT 1 FROM lease)
         RETURNING id
       ), bumped AS (
         UPDATE alerts SET suppressed_count = alerts.suppressed_count + b.count,
           last_suppressed_at = GREATEST(COALESCE(alerts.last_suppressed_at, b.last), b.last), updated_at = now()
         FROM jsonb_to_recordset($5::jsonb) AS b(id text, count int, last timestamptz)
         WHERE alerts.id = b.id AND alerts.tenant_id = $3 AND EXISTS (SELECT 1 FROM lease)
         RETURNING alerts.id
       ), moved AS (
         UPDATE alert_rules SET cursor_idx = GREATEST(cursor_idx, $6::bigint), last_evaluated_at = now()
         WHERE tenant_id = $3 AND id = ANY($7::text[]) AND EXISTS (SELECT 1 FROM lease)
         RETURNING id
       ), poisoned AS (
         UPDATE alert_rules SET enabled = false, disabled_reason = p.reason, disabled_message = p.message, disabled_at = now(),
           disabled_recorded = false, last_evaluated_at = now(), updated_at = now()
         FROM jsonb_to_recordset($8::jsonb) AS p(id text, reason text, message text)
         WHERE alert_rules.id = p.id AND alert_rules.tenant_id = $3 AND alert_rules.enabled AND EXISTS (SELECT 1 FROM lease)
         RETURNING alert_rules.id
       )
       SELECT (SELECT count(*) FROM lease)::int AS held, (SELECT count(*) FROM new_alerts)::int AS inserted,
         (SELECT count(*) FROM bumped)::int AS bumped, (SELECT count(*) FROM moved)::int AS moved, (SELECT count(*) FROM poisoned)::int AS poisoned`,
      lease.key,
      lease.holder,
      scope.tenantId,
      JSON.stringify(alerts),
      JSON.stringify(bumps),
      c.cursorIdx,
      c.ruleIds,
      JSON.stringify(c.poisoned ?? []),
    );
    return rows[0]?.held === 1;
  }

  /** Rules the evaluator disabled whose trail entry was not confirmed, disabled before `before` (a crash in between). */
  async unrecordedDisabledRules(scope: TenantScope, before: Date): Promise<RuleRecord[]> {
    const rows = await this.prisma.alertRule.findMany({ where: { tenantId: scope.tenantId, disabledRecorded: false, disabledReason: { not: null }, disabledAt: { lt: before } }, take: 1000 });
    return rows.map((r) => toRule(r as unknown as Row));
  }

  async markDisabledRecorded(scope: TenantScope, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.alertRule.updateMany({ where: { tenantId: scope.tenantId, id: { in: ids } }, data: { disabledRecorded: true } });
  }

  /** Alerts whose trail entry was not confirmed, created before `before` (a crash between commit and trail write). */
  async unrecordedAlerts(scope: TenantScope, before: Date): Promise<AlertRecord[]> {
    const rows = await this.prisma.alert.findMany({ where: { tenantId: scope.tenantId, trailRecorded: false, createdAt: { lt: before } }, take: 1000 });
    return rows.map((r) => toAlert(r as unknown as Row));
  }

  async markRecorded(scope: TenantScope, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.alert.updateMany({ where: { tenantId: scope.tenantId, id: { in: ids } }, data: { trailRecorded: true } });
  }

  // ------------------------------------------------------------------ alerts API

  async listAlerts(scope: TenantScope, f: AlertFilters, limit: number, before?: { createdAt: Date; id: string }): Promise<AlertRecord[]> {
    const rows = await this.prisma.alert.findMany({
      where: {
        tenantId: scope.tenantId,
        ...alertOrgOf(scope),
        ...(f.status ? { status: f.status } : {}),
        ...(f.tier ? { tier: f.tier } : {}),
        ...(f.ruleId ? { ruleId: f.ruleId } : {}),
        ...(f.owner ? { owner: f.owner } : {}),
        ...(f.groupValue ? { groupValue: f.groupValue } : {}),
        ...(f.fromMs !== undefined || f.toMs !== undefined
          ? { triggeredAt: { ...(f.fromMs !== undefined ? { gte: new Date(f.fromMs) } : {}), ...(f.toMs !== undefined ? { lt: new Date(f.toMs) } : {}) } }
          : {}),
        ...(before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => toAlert(r as unknown as Row));
  }

  async getAlert(scope: TenantScope, id: string): Promise<AlertRecord | undefined> {
    const row = await this.prisma.alert.findFirst({ where: { id, tenantId: scope.tenantId, ...alertOrgOf(scope) } });
    return row ? toAlert(row as unknown as Row) : undefined;
  }

  /**
   * Applies a triage change in one statement (concurrent notes are all kept). Returns
   * undefined when the alert is not this tenant's, 'too_many_notes' when a note would exceed
   * {@link MAX_NOTES}.
   */
  async updateAlert(scope: TenantScope, id: string, c: AlertChanges): Promise<AlertRecord | undefined | 'too_many_notes'> {
    const rows = await this.prisma.$queryRaw<Row[]>`
      UPDATE alerts SET
        status = COALESCE(${c.status ?? null}::text, status),
        resolution = CASE WHEN ${c.status ?? null}::text = 'open' THEN NULL ELSE COALESCE(${c.resolution ?? null}::text, resolution) END,
        owner = CASE WHEN ${c.owner !== undefined} THEN ${c.owner ?? null}::text ELSE owner END,
        acknowledged_at = CASE WHEN ${c.status ?? null}::text = 'acknowledged' AND status <> 'acknowledged' THEN now() ELSE acknowledged_at END,
        acknowledged_by = CASE WHEN ${c.status ?? null}::text = 'acknowledged' AND status <> 'acknowledged' THEN ${c.by} ELSE acknowledged_by END,
        closed_at = CASE WHEN ${c.status ?? null}::text = 'closed' AND status <> 'closed' THEN now() WHEN ${c.status ?? null}::text = 'open' THEN NULL ELSE closed_at END,
        closed_by = CASE WHEN ${c.status ?? null}::text = 'closed' AND status <> 'closed' THEN ${c.by} WHEN ${c.status ?? null}::text = 'open' THEN NULL ELSE closed_by END,
        notes = CASE WHEN ${c.note ? JSON.stringify([c.note]) : null}::jsonb IS NULL THEN notes ELSE notes || ${c.note ? JSON.stringify([c.note]) : null}::jsonb END,
        updated_at = now()
      WHERE id = ${id} AND tenant_id = ${scope.tenantId}
        AND (${scope.organizationId ?? null}::text IS NULL OR rule_organization_id = ${scope.organizationId ?? null}::text)
        AND (${c.note === undefined} OR jsonb_array_length(notes) < ${MAX_NOTES})
      RETURNING id`;
    if (rows.length === 0) {
      const exists = await this.getAlert(scope, id);
      return exists ? 'too_many_notes' : undefined;
    }
    return this.getAlert(scope, id);
  }
}
