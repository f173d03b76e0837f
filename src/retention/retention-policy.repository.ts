import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';

export interface StoredAction {
  action: string;
  days: number;
}
export interface StoredLegalHold {
  organization_id: string;
  reason: string;
  since: string;
}

/** A retention_policies row. */
export interface StoredRetention {
  tenantId: string;
  defaultDays: number;
  floorDays: number;
  actions: StoredAction[];
  legalHolds: StoredLegalHold[];
  pciDss: boolean;
}

type Row = { tenantId: string; defaultDays: number; floorDays: number; actions: unknown; legalHolds: unknown; pciDss: boolean };

function toStored(r: Row): StoredRetention {
  return {
    tenantId: r.tenantId,
    defaultDays: r.defaultDays,
    floorDays: r.floorDays,
    actions: Array.isArray(r.actions) ? (r.actions as StoredAction[]) : [],
    legalHolds: Array.isArray(r.legalHolds) ? (r.legalHolds as StoredLegalHold[]) : [],
    pciDss: r.pciDss,
  };
}

/**
 * The floor rule, coded once: the floor is the shortest retention ever in force and only goes
 * down (the verifier trusts it to tell an expired event from a deleted one). Every statement that
 * changes a retention sets the floor through this fragment.
 */
function lowerFloorTo(days: number): Prisma.Sql {
  // The statements below name the table `r`.
  return Prisma.sql`floor_days = LEAST(r.floor_days, ${days}::int)`;
}

/** The retention_policies table (one row per tenant; the tenant's row cascades it away). */
@Injectable()
export class RetentionPolicyRepository {
  constructor(private readonly prisma: PrismaService) {}

  async many(tenantIds: readonly string[]): Promise<StoredRetention[]> {
    const rows = await this.prisma.retentionPolicy.findMany({ where: { tenantId: { in: [...tenantIds] } } });
    return rows.map(toStored);
  }

  async get(tenantId: string): Promise<StoredRetention | undefined> {
    const r = await this.prisma.retentionPolicy.findUnique({ where: { tenantId } });
    return r ? toStored(r) : undefined;
  }

  /** A new tenant's retention, in the transaction that creates the tenant: the floor starts at the default. */
  async create(tx: Prisma.TransactionClient, tenantId: string, days: number): Promise<void> {
    await tx.retentionPolicy.create({ data: { tenantId, defaultDays: days, floorDays: days } });
  }

  /** Sets the default retention only (operator PATCH retention_days). */
  async setDefault(tx: Prisma.TransactionClient, tenantId: string, days: number): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO retention_policies AS r (tenant_id, default_days, floor_days) VALUES (${tenantId}, ${days}::int, ${days}::int)
      ON CONFLICT (tenant_id) DO UPDATE SET default_days = EXCLUDED.default_days, ${lowerFloorTo(days)}, updated_at = now()`;
  }

  /** Replaces the whole policy (PUT /v1/settings/retention); the floor goes down to the shortest retention in it. */
  async replace(p: Omit<StoredRetention, 'floorDays'>, shortestDays: number): Promise<StoredRetention> {
    // One statement, no interactive transaction.
    const rows = await this.prisma.$queryRaw<Row[]>`
      INSERT INTO retention_policies AS r (tenant_id, default_days, floor_days, actions, legal_holds, pci_dss)
      VALUES (${p.tenantId}, ${p.defaultDays}::int, ${shortestDays}::int, ${JSON.stringify(p.actions)}::jsonb, ${JSON.stringify(p.legalHolds)}::jsonb, ${p.pciDss})
      ON CONFLICT (tenant_id) DO UPDATE SET default_days = EXCLUDED.default_days, actions = EXCLUDED.actions, legal_holds = EXCLUDED.legal_holds,
        pci_dss = EXCLUDED.pci_dss, ${lowerFloorTo(shortestDays)}, updated_at = now()
      RETURNING tenant_id AS "tenantId", default_days AS "defaultDays", floor_days AS "floorDays", actions, legal_holds AS "legalHolds", pci_dss AS "pciDss"`;
    return toStored(rows[0]!);
  }

  /**
   * Lowers the default and every per-action override to `maxDays` where they are above it (and
   * the floor with them). Returns what changed, or undefined when nothing was above the maximum.
   */
  async clampTo(tenantId: string, maxDays: number): Promise<{ before: number; after: number; actionsClamped: number } | undefined> {
    const rows = await this.prisma.$queryRaw<{ before: number; after: number; actions_clamped: number }[]>`
      WITH old AS (
        SELECT tenant_id, default_days, actions FROM retention_policies WHERE tenant_id = ${tenantId} FOR UPDATE
      ), capped AS (
        SELECT old.tenant_id,
          coalesce(jsonb_agg(CASE WHEN (x.a->>'days')::int > ${maxDays}::int THEN jsonb_set(x.a, '{days}', to_jsonb(${maxDays}::int)) ELSE x.a END ORDER BY x.ord), '[]'::jsonb) AS actions,
          count(*) FILTER (WHERE (x.a->>'days')::int > ${maxDays}::int)::int AS n
        FROM old LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(old.actions) = 'array' THEN old.actions ELSE '[]'::jsonb END) WITH ORDINALITY AS x(a, ord) ON true
        GROUP BY old.tenant_id
      )
      UPDATE retention_policies r SET
        default_days = LEAST(r.default_days, ${maxDays}::int),
        ${lowerFloorTo(maxDays)},
        actions = CASE WHEN capped.n > 0 THEN capped.actions ELSE r.actions END,
        updated_at = now()
      FROM old, capped
      WHERE r.tenant_id = old.tenant_id AND capped.tenant_id = old.tenant_id AND (old.default_days > ${maxDays}::int OR capped.n > 0)
      RETURNING old.default_days AS before, r.default_days AS after, capped.n AS actions_clamped`;
    const r = rows[0];
    return r ? { before: Number(r.before), after: Number(r.after), actionsClamped: Number(r.actions_clamped) } : undefined;
  }

  /**
   * Tenants whose retention (default or a per-action override) exceeds their ceiling.
   * `ceilings` is a query of (tenant_id, max_days) rows from the module that sets the ceilings.
   */
  async above(ceilings: Prisma.Sql, limit: number): Promise<{ tenantId: string; maxDays: number }[]> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string; max_days: number }[]>`
      SELECT r.tenant_id, c.max_days
      FROM retention_policies r JOIN (${ceilings}) c ON c.tenant_id = r.tenant_id
      WHERE r.default_days > c.max_days
        OR EXISTS (
          SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.actions) = 'array' THEN r.actions ELSE '[]'::jsonb END) x
          WHERE (x->>'days')::int > c.max_days)
      LIMIT ${limit}`;
    return rows.map((r) => ({ tenantId: r.tenant_id, maxDays: Number(r.max_days) }));
  }
}
