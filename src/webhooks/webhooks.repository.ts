// Above ~400 lines on purpose: the one file that writes SQL on webhooks and
// webhook_deliveries; the worker's lease-fenced cursor moves and the delivery log share
// row mappers and transactions.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { FilterKind, TrailMessageKind } from './webhooks.schema.js';
import { CheckedClock } from '../common/checked-clock.js';

export type WebhookKind = 'https' | 'splunk_hec' | 'datadog' | 's3' | 'syslog' | 'sentinel';
export type WebhookStatus = 'active' | 'paused' | 'disabled';
export type MessageKind = 'events' | 'checkpoint.sealed' | 'webhook.test' | TrailMessageKind;

export interface WebhookFilters {
  actions: string[];
  organizations: string[];
  kinds: FilterKind[];
}

export interface WebhookMasking {
  drop: string[];
  hash: string[];
}

/** Delivery options that are not secret (the `options` column). */
export interface WebhookOptions {
  /** syslog: the payload of each message (default cef). */
  format?: 'cef' | 'leef';
  /** https: CloudEvents binary-mode headers beside the signature. */
  cloudevents?: boolean;
  /** syslog+tls: which TLS material is sealed in the credentials (the material itself never is here). */
  tls?: { ca: boolean; client_certificate: boolean };
}

export interface WebhookRecord {
  id: string;
  tenantId: string;
  organizationId: string | undefined;
  name: string;
  kind: WebhookKind;
  url: string;
  credentials: string | undefined;
  filters: WebhookFilters;
  masking: WebhookMasking;
  options: WebhookOptions;
  batchMaxEvents: number;
  batchMaxBytes: number;
  batchIntervalMs: number;
  status: WebhookStatus;
  disabledReason: string | undefined;
  secret: string;
  previousSecret: string | undefined;
  previousSecretUntil: Date | undefined;
  cursorIdx: number;
  cursorCheckpoint: number;
  pending:
    | {
        messageId: string;
        kind: MessageKind;
        from: number;
        to: number;
        checkpoint: number | undefined;
        attempts: number;
        since: Date;
        /** The messages recorded to follow it, in order (each starts where the previous one ends). */
        plan: PlannedMessage[];
      }
    | undefined;
  nextAttemptAt: Date;
  consecutiveFailures: number;
  failingSince: Date | undefined;
  lastSuccessAt: Date | undefined;
  lastFailureAt: Date | undefined;
  lastError: string | undefined;
  createdAt: Date;
  updatedAt: Date;
}

/** A message recorded (id and range) before its first attempt, to be sent after the pending one. */
export interface PlannedMessage {
  messageId: string;
  kind: MessageKind;
  to: number;
}

/** The next pending message and the ones planned after it. */
export interface PendingMessage {
  messageId: string;
  kind: MessageKind;
  from: number;
  to: number;
  checkpoint?: number;
  plan?: PlannedMessage[];
}

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  messageId: string;
  kind: MessageKind;
  eventCount: number;
  fromIdx: number | undefined;
  toIdx: number | undefined;
  checkpoint: number | undefined;
  attempt: number;
  succeeded: boolean;
  responseStatus: number | undefined;
  responseBody: string | undefined;
  error: string | undefined;
  latencyMs: number;
  createdAt: Date;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function toRecord(r: Row): WebhookRecord {
  const pendingId = r.pendingMessageId as string | null;
  return {
    id: r.id as string,
    tenantId: r.tenantId as string,
    organizationId: opt(r.organizationId as string | null),
    name: r.name as string,
    kind: r.kind as WebhookKind,
    url: r.url as string,
    credentials: opt(r.credentials as string | null),
    filters: r.filters as WebhookFilters,
    masking: r.masking as WebhookMasking,
    options: (r.options ?? {}) as WebhookOptions,
    batchMaxEvents: Number(r.batchMaxEvents),
    batchMaxBytes: Number(r.batchMaxBytes),
    batchIntervalMs: Number(r.batchIntervalMs),
    status: r.status as WebhookStatus,
    disabledReason: opt(r.disabledReason as string | null),
    secret: r.secret as string,
    previousSecret: opt(r.previousSecret as string | null),
    previousSecretUntil: opt(r.previousSecretUntil as Date | null),
    cursorIdx: Number(r.cursorIdx),
    cursorCheckpoint: Number(r.cursorCheckpoint),
    pending: pendingId
      ? {
          messageId: pendingId,
          kind: r.pendingKind as MessageKind,
          from: Number(r.pendingFrom),
          to: Number(r.pendingTo),
          checkpoint: num(r.pendingCheckpoint),
          attempts: Number(r.pendingAttempts),
          since: r.pendingSince as Date,
          plan: ((r.pendingPlan ?? []) as { id: string; kind: MessageKind; to: number }[]).map((m) => ({ messageId: m.id, kind: m.kind, to: Number(m.to) })),
        }
      : undefined,
    nextAttemptAt: r.nextAttemptAt as Date,
    consecutiveFailures: Number(r.consecutiveFailures),
    failingSince: opt(r.failingSince as Date | null),
    lastSuccessAt: opt(r.lastSuccessAt as Date | null),
    lastFailureAt: opt(r.lastFailureAt as Date | null),
    lastError: opt(r.lastError as string | null),
    createdAt: r.createdAt as Date,
    updatedAt: r.updatedAt as Date,
  };
}

function toDelivery(r: Row): DeliveryRecord {
  return {
    id: r.id as string,
    webhookId: r.webhookId as string,
    messageId: r.messageId as string,
    kind: r.kind as MessageKind,
    eventCount: Number(r.eventCount),
    fromIdx: num(r.fromIdx),
    toIdx: num(r.toIdx),
    checkpoint: num(r.checkpoint),
    attempt: Number(r.attempt),
    succeeded: r.succeeded as boolean,
    responseStatus: num(r.responseStatus),
    responseBody: opt(r.responseBody as string | null),
    error: opt(r.error as string | null),
    latencyMs: Number(r.latencyMs),
    createdAt: r.createdAt as Date,
  };
}

function planJson(plan: PlannedMessage[] | undefined): string | null {
  return plan && plan.length > 0 ? JSON.stringify(plan.map((m) => ({ id: m.messageId, kind: m.kind, to: m.to }))) : null;
}

function deliveryRow(d: Omit<DeliveryRecord, 'createdAt'> & { tenantId: string }) {
  return {
    id: d.id,
    webhookId: d.webhookId,
    tenantId: d.tenantId,
    messageId: d.messageId,
    kind: d.kind,
    eventCount: d.eventCount,
    fromIdx: d.fromIdx === undefined ? null : BigInt(d.fromIdx),
    toIdx: d.toIdx === undefined ? null : BigInt(d.toIdx),
    checkpoint: d.checkpoint ?? null,
    attempt: d.attempt,
    succeeded: d.succeeded,
    responseStatus: d.responseStatus ?? null,
    responseBody: d.responseBody ?? null,
    error: d.error ?? null,
    latencyMs: d.latencyMs,
  };
}

const COLUMNS = `id, tenant_id AS "tenantId", organization_id AS "organizationId", name, kind, url, credentials, filters, masking, options,
  batch_max_events AS "batchMaxEvents", batch_max_bytes AS "batchMaxBytes", batch_interval_ms AS "batchIntervalMs", status,
  disabled_reason AS "disabledReason", secret, previous_secret AS "previousSecret", previous_secret_until AS "previousSecretUntil",
  cursor_idx AS "cursorIdx", cursor_checkpoint AS "cursorCheckpoint", pending_message_id AS "pendingMessageId", pending_kind AS "pendingKind",
  pending_from AS "pendingFrom", pending_to AS "pendingTo", pending_checkpoint AS "pendingCheckpoint", pending_attempts AS "pendingAttempts",
  pending_since AS "pendingSince", pending_plan AS "pendingPlan", next_attempt_at AS "nextAttemptAt", consecutive_failures AS "consecutiveFailures",
  failing_since AS "failingSince", last_success_at AS "lastSuccessAt", last_failure_at AS "lastFailureAt", last_error AS "lastError",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The sealed columns of a destination (signing secret, previous secret, credentials). */
export interface SealedColumns {
  secret: string;
  previousSecret: string | undefined;
  credentials: string | undefined;
}

export interface NewWebhook {
  id: string;
  name: string;
  kind: WebhookKind;
  url: string;
  credentials: string | undefined;
  filters: WebhookFilters;
  masking: WebhookMasking;
  options: WebhookOptions;
  batchMaxEvents: number;
  batchMaxBytes: number;
  batchIntervalMs: number;
  secret: string;
  cursorIdx: number;
  cursorCheckpoint: number;
}

export type WebhookChanges = Partial<
  Pick<NewWebhook, 'name' | 'url' | 'credentials' | 'filters' | 'masking' | 'options' | 'batchMaxEvents' | 'batchMaxBytes' | 'batchIntervalMs'> & { status: 'active' | 'paused' }
>;

/**
 * Webhook destinations and their delivery log. API reads and writes are scoped by tenant (and
 * organization for organization keys); the worker's writes are fenced by its lease.
 */
@Injectable()
export class WebhooksRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly stamps: CheckedClock,
  ) {}

  async create(scope: TenantScope, w: NewWebhook): Promise<WebhookRecord> {
    const row = await this.prisma.webhook.create({
      data: {
        ...w,
        tenantId: scope.tenantId,
        organizationId: scope.organizationId ?? null,
        filters: w.filters as object,
        masking: w.masking as object,
        options: w.options as object,
        credentials: w.credentials ?? null,
        cursorIdx: BigInt(w.cursorIdx),
      },
    });
    return toRecord(row as unknown as Row);
  }

  async get(scope: TenantScope, id: string): Promise<WebhookRecord | undefined> {
    const row = await this.prisma.webhook.findFirst({ where: { id, tenantId: scope.tenantId, ...this.orgWhere(scope) } });
    return row ? toRecord(row as unknown as Row) : undefined;
  }

  async list(scope: TenantScope, limit: number, after?: { createdAt: Date; id: string }): Promise<WebhookRecord[]> {
    const rows = await this.prisma.webhook.findMany({
      where: {
        tenantId: scope.tenantId,
        ...this.orgWhere(scope),
        ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map((r) => toRecord(r as unknown as Row));
  }

  async countForTenant(tenantId: string): Promise<number> {
    return this.prisma.webhook.count({ where: { tenantId } });
  }

  /** Destinations an organization created for itself (self-service streams). */
  async countForOrganization(scope: TenantScope): Promise<number> {
    return this.prisma.webhook.count({ where: { tenantId: scope.tenantId, ...this.orgWhere(scope) } });
  }

  async update(scope: TenantScope, id: string, c: WebhookChanges): Promise<WebhookRecord | undefined> {
    const data: Record<string, unknown> = { ...c, updatedAt: new Date() };
    if (c.filters) data.filters = c.filters as object;
    if (c.masking) data.masking = c.masking as object;
    if (c.options) data.options = c.options as object;
    if (c.status === 'active') {
      // Resuming (also a disabled destination): try at once, failure history cleared.
      Object.assign(data, { disabledReason: null, nextAttemptAt: this.stamps.date(), consecutiveFailures: 0, failingSince: null });
    }
    const r = await this.prisma.webhook.updateMany({ where: { id, tenantId: scope.tenantId, ...this.orgWhere(scope) }, data });
    return r.count === 1 ? this.get(scope, id) : undefined;
  }

  async rotateSecret(scope: TenantScope, id: string, sealedNew: string, previousUntil: Date): Promise<WebhookRecord | undefined> {
    const rows = await this.prisma.$queryRawUnsafe<Row[]>(
      `UPDATE webhooks SET previous_secret = secret, previous_secret_until = $4, secret = $3, updated_at = now()
       WHERE id = $1 AND tenant_id = $2 AND ($5::text IS NULL OR organization_id = $5) RETURNING ${COLUMNS}`,
      id,
      scope.tenantId,
      sealedNew,
      previousUntil,
      scope.organizationId ?? null,
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async remove(scope: TenantScope, id: string): Promise<boolean> {
    const r = await this.prisma.webhook.deleteMany({ where: { id, tenantId: scope.tenantId, ...this.orgWhere(scope) } });
    return r.count === 1;
  }

  /**
   * Moves the cursor (replay); the batch in flight is dropped, and so is the lease: a worker busy
   * with this destination can no longer record its outcome (its statements are fenced by the
   * lease), so it cannot move the cursor past the replay point again.
   */
  async resetCursor(scope: TenantScope, id: string, cursorIdx: number): Promise<WebhookRecord | undefined> {
    const rows = await this.prisma.$queryRawUnsafe<Row[]>(
      `UPDATE webhooks SET cursor_idx = $3, pending_message_id = NULL, pending_kind = NULL, pending_from = NULL, pending_to = NULL,
         pending_checkpoint = NULL, pending_attempts = 0, pending_since = NULL, pending_plan = NULL, next_attempt_at = now(), updated_at = now(),
         lease_holder = NULL, lease_until = NULL
       WHERE id = $1 AND tenant_id = $2 AND ($4::text IS NULL OR organization_id = $4) RETURNING ${COLUMNS}`,
      id,
      scope.tenantId,
      cursorIdx,
      scope.organizationId ?? null,
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  // ------------------------------------------------------------------ sealed values

  /** Destinations (any tenant) holding a value in the old sealed format (v1.), after `afterId`, by id. */
  async legacySealed(afterId: string, limit: number): Promise<(SealedColumns & { id: string; tenantId: string; secret: string })[]> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: string; tenant_id: string; secret: string; previous_secret: string | null; credentials: string | null }[]>(
      `SELECT id, tenant_id, secret, previous_secret, credentials FROM webhooks
       WHERE id > $1 AND (secret LIKE 'v1.%' OR previous_secret LIKE 'v1.%' OR credentials LIKE 'v1.%')
       ORDER BY id LIMIT $2`,
      afterId,
      limit,
    );
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, secret: r.secret, previousSecret: opt(r.previous_secret), credentials: opt(r.credentials) }));
  }

  async anyLegacySealed(): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM webhooks WHERE secret LIKE 'v1.%' OR previous_secret LIKE 'v1.%' OR credentials LIKE 'v1.%' LIMIT 1`,
    );
    return rows.length > 0;
  }

  /** Replaces the sealed values of one destination if they are still `before` (compare-and-set: a rotation meanwhile wins). */
  async replaceSealed(id: string, before: SealedColumns, after: SealedColumns): Promise<boolean> {
    const n = await this.prisma.$executeRawUnsafe(
      `UPDATE webhooks SET secret = $5, previous_secret = $6, credentials = $7
       WHERE id = $1 AND secret = $2 AND previous_secret IS NOT DISTINCT FROM $3 AND credentials IS NOT DISTINCT FROM $4`,
      id,
      before.secret,
      before.previousSecret ?? null,
      before.credentials ?? null,
      after.secret,
      after.previousSecret ?? null,
      after.credentials ?? null,
    );
    return n === 1;
  }

  // ------------------------------------------------------------------ worker

  /** Claims one active destination that is due, for `holder` (SKIP LOCKED: replicas share the work). */
  async claimDue(holder: string, leaseMs: number): Promise<WebhookRecord | undefined> {
    const rows = await this.prisma.$queryRawUnsafe<Row[]>(
      `UPDATE webhooks SET lease_holder = $1, lease_until = now() + make_interval(secs => $2::double precision)
       WHERE id = (
         SELECT id FROM webhooks
         WHERE status = 'active' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      holder,
      leaseMs / 1000,
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /**
   * Records the batch about to be sent, and the ones planned after it (before the first attempt:
   * their webhook-ids and ranges survive a crash; one write for a whole claim's messages).
   */
  async setPending(id: string, holder: string, p: PendingMessage): Promise<boolean> {
    const n = await this.prisma.$executeRawUnsafe(
      `UPDATE webhooks SET pending_message_id = $3, pending_kind = $4, pending_from = $5, pending_to = $6, pending_checkpoint = $7,
         pending_attempts = 0, pending_since = now(), pending_plan = $8::jsonb
       WHERE id = $1 AND lease_holder = $2`,
      id,
      holder,
      p.messageId,
      p.kind,
      p.from,
      p.to,
      p.checkpoint ?? null,
      planJson(p.plan),
    );
    return n === 1;
  }

  /** Advances the cursor without sending (a window where nothing matched the filters). */
  async advance(id: string, holder: string, cursorIdx: number, cursorCheckpoint: number, nextAttemptAt: Date): Promise<boolean> {
    const n = await this.prisma.$executeRawUnsafe(
      `UPDATE webhooks SET cursor_idx = GREATEST(cursor_idx, $3), cursor_checkpoint = GREATEST(cursor_checkpoint, $4), next_attempt_at = $5,
         lease_holder = NULL, lease_until = NULL
       WHERE id = $1 AND lease_holder = $2`,
      id,
      holder,
      cursorIdx,
      cursorCheckpoint,
      nextAttemptAt,
    );
    return n === 1;
  }

  /**
   * The pending batch arrived (and, with `next`, the planned ones before `next`): the cursor moves
   * past it, and `next` (already recorded in the plan) becomes the pending batch. The attempts'
   * delivery-log rows are written in the same transaction.
   */
  async succeeded(
    id: string,
    holder: string,
    cursorIdx: number,
    cursorCheckpoint: number,
    nextAttemptAt: Date,
    keepLease = false,
    next?: PendingMessage,
    deliveries: (Omit<DeliveryRecord, 'createdAt'> & { tenantId: string })[] = [],
  ): Promise<boolean> {
    const update = this.prisma.$executeRawUnsafe(
      `UPDATE webhooks SET cursor_idx = GREATEST(cursor_idx, $3), cursor_checkpoint = GREATEST(cursor_checkpoint, $4), next_attempt_at = $5,
         pending_message_id = $7, pending_kind = $8, pending_from = $9, pending_to = $10, pending_checkpoint = $12,
         pending_attempts = 0, pending_since = CASE WHEN $7::text IS NULL THEN NULL ELSE now() END, pending_plan = $11::jsonb,
         consecutive_failures = 0, failing_since = NULL, last_success_at = now(), last_error = NULL,
         lease_holder = CASE WHEN $6::boolean THEN lease_holder ELSE NULL END, lease_until = CASE WHEN $6::boolean THEN lease_until ELSE NULL END
       WHERE id = $1 AND lease_holder = $2`,
      id,
      holder,
      cursorIdx,
      cursorCheckpoint,
      nextAttemptAt,
      keepLease,
      next?.messageId ?? null,
      next?.kind ?? null,
      next?.from ?? null,
      next?.to ?? null,
      planJson(next?.plan),
      next?.checkpoint ?? null,
    );
    return (await this.withDeliveries(deliveries, update)) === 1;
  }

  /** `statement`, with the delivery-log rows (if any) written in the same transaction. */
  private async withDeliveries<T>(deliveries: (Omit<DeliveryRecord, 'createdAt'> & { tenantId: string })[], statement: Prisma.PrismaPromise<T>): Promise<T> {
    if (deliveries.length === 0) return statement;
    const [, result] = await this.prisma.$transaction([this.prisma.webhookDelivery.createMany({ data: deliveries.map(deliveryRow) }), statement]);
    return result;
  }

  /**
   * A claim's run arrived in full and the next run was read ahead: in one transaction the
   * delivery-log rows are written, the cursor moves past the run, and — if the destination is
   * still active and unchanged since it was claimed (`claimedVersion`, its updated_at) — the next
   * run is recorded as pending (ids and ranges, before its first attempt) and the lease renewed
   * for `leaseMs`, so the same worker sends it without a new claim. Otherwise the lease ends and
   * the destination is due at once (the next claim sees the change). Returns whether the claim
   * goes on, or undefined if this worker no longer holds it.
   */
  async succeededAndContinue(
    id: string,
    holder: string,
    cursorIdx: number,
    cursorCheckpoint: number,
    claimedVersion: Date,
    leaseMs: number,
    next: PendingMessage,
    deliveries: (Omit<DeliveryRecord, 'createdAt'> & { tenantId: string })[],
  ): Promise<boolean | undefined> {
    const go = `(status = 'active' AND updated_at = $5)`;
    const update = this.prisma.$queryRawUnsafe<{ continued: boolean }[]>(
      `UPDATE webhooks SET cursor_idx = GREATEST(cursor_idx, $3), cursor_checkpoint = GREATEST(cursor_checkpoint, $4), next_attempt_at = now(),
         consecutive_failures = 0, failing_since = NULL, last_success_at = now(), last_error = NULL, pending_attempts = 0,
         pending_message_id = CASE WHEN ${go} THEN $7 END, pending_kind = CASE WHEN ${go} THEN $8 END,
         pending_from = CASE WHEN ${go} THEN $9::bigint END, pending_to = CASE WHEN ${go} THEN $10::bigint END,
         pending_checkpoint = CASE WHEN ${go} THEN $12::int END, pending_plan = CASE WHEN ${go} THEN $11::jsonb END,
         pending_since = CASE WHEN ${go} THEN now() END,
         lease_holder = CASE WHEN ${go} THEN lease_holder END,
         lease_until = CASE WHEN ${go} THEN now() + make_interval(secs => $6::double precision) END
       WHERE id = $1 AND lease_holder = $2
       RETURNING lease_holder IS NOT NULL AS continued`,
      id,
      holder,
      cursorIdx,
      cursorCheckpoint,
      claimedVersion,
      leaseMs / 1000,
      next.messageId,
      next.kind,
      next.from,
      next.to,
      planJson(next.plan),
      next.checkpoint ?? null,
    );
    return (await this.withDeliveries(deliveries, update))[0]?.continued;
  }

  /** The attempt failed: retry at `nextAttemptAt`, or disable (`disableReason`). */
  async failed(id: string, holder: string, error: string, nextAttemptAt: Date, disableReason?: string): Promise<boolean> {
    const n = await this.prisma.$executeRawUnsafe(
      `UPDATE webhooks SET pending_attempts = pending_attempts + 1, consecutive_failures = consecutive_failures + 1,
         failing_since = COALESCE(failing_since, now()), last_failure_at = now(), last_error = $3, next_attempt_at = $4,
         status = CASE WHEN $5::text IS NULL THEN status ELSE 'disabled' END, disabled_reason = COALESCE($5, disabled_reason),
         lease_holder = NULL, lease_until = NULL
       WHERE id = $1 AND lease_holder = $2`,
      id,
      holder,
      error,
      nextAttemptAt,
      disableReason ?? null,
    );
    return n === 1;
  }

  /**
   * Ends every destination's lease, whoever holds it: the next claim takes them at once, and a
   * recorded pending batch is resent under its id. Only for a process that alone uses the
   * database (embedded PostgreSQL): there every holder found is a process that died. Returns how
   * many were released.
   */
  async releaseAllLeases(): Promise<number> {
    return this.prisma.$executeRawUnsafe(`UPDATE webhooks SET lease_holder = NULL, lease_until = NULL WHERE lease_holder IS NOT NULL OR lease_until IS NOT NULL`);
  }

  async release(id: string, holder: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(`UPDATE webhooks SET lease_holder = NULL, lease_until = NULL WHERE id = $1 AND lease_holder = $2`, id, holder);
  }

  async recordDelivery(d: Omit<DeliveryRecord, 'createdAt'> & { tenantId: string }): Promise<void> {
    await this.prisma.webhookDelivery.create({ data: deliveryRow(d) });
  }

  /** Several delivery-log rows in one statement. */
  async recordDeliveries(ds: (Omit<DeliveryRecord, 'createdAt'> & { tenantId: string })[]): Promise<void> {
    if (ds.length > 0) await this.prisma.webhookDelivery.createMany({ data: ds.map(deliveryRow) });
  }

  /** Newest first, keyset by (created_at, id); only deliveries of a webhook this scope may see. */
  async deliveries(scope: TenantScope, webhookId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<DeliveryRecord[]> {
    const rows = await this.prisma.webhookDelivery.findMany({
      where: {
        webhookId,
        tenantId: scope.tenantId,
        ...(before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => toDelivery(r as unknown as Row));
  }

  async delivery(scope: TenantScope, webhookId: string, id: string): Promise<DeliveryRecord | undefined> {
    const r = await this.prisma.webhookDelivery.findFirst({ where: { id, webhookId, tenantId: scope.tenantId } });
    return r ? toDelivery(r as unknown as Row) : undefined;
  }

  /** Keeps the delivery log bounded: drops attempts older than `before`. */
  async pruneDeliveries(before: Date): Promise<number> {
    const r = await this.prisma.webhookDelivery.deleteMany({ where: { createdAt: { lt: before } } });
    return r.count;
  }

  private orgWhere(scope: TenantScope): { organizationId?: string } {
    return scope.organizationId === undefined ? {} : { organizationId: scope.organizationId };
  }
}
