import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  BadRequestError,
  ConflictError,
  PayloadTooLargeError,
  UnprocessableError,
  ValidationError,
  type ErrorDetail,
} from '../common/errors.js';
import { uuidv7 } from '../common/ids.js';
import { formatPath } from '../common/json-body.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { MetricsService } from '../observability/metrics.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { assembleCanonical, canonicalMembers } from '../common/canonical.js';
import { PersonalDataService } from '../privacy/personal-data.service.js';
import { ScrubPolicyService } from '../privacy/scrub-policy.service.js';
import { QuotaService } from '../billing/quota.service.js';
import { scrubEvent } from '../privacy/scrubber.js';
import { checkEvent, type ValidEvent } from './event-rules.js';
import { LIMITS, type EventInput } from './event.schema.js';
import { ActionSchemasService } from './action-schemas.service.js';
import { EventWriter } from './event-writer.js';
import { EventsRepository } from './events.repository.js';
import { IdempotencyRepository, type IdempotencyRecord, type Reservation } from './idempotency.repository.js';
import { buildStoredEvent, type StoredEvent } from './stored-event.js';

export interface IngestResult {
  ids: string[];
  receivedAt: Date[];
  /** True when the whole request was answered from an earlier identical request. */
  replayed: boolean;
  stored: number;
  deduplicated: number;
}

type Mode = 'new' | 'recover' | 'done';
interface Item {
  event: ValidEvent;
  id: string;
  receivedAtMs: number;
  mode: Mode;
}

const IDEMPOTENCY_HEADER = /^[\x21-\x7E]{1,255}$/;

/**
 * Ingest: validation (every item, all-or-nothing), idempotency, group commit, acknowledgement.
 *
 * Idempotency keys ("r:" for the Idempotency-Key header, "e:" for an event's own key) are
 * reserved in PostgreSQL together with the ids the events will get, BEFORE the write. So:
 * - a retry of a completed request returns the stored ids and writes nothing;
 * - a concurrent duplicate finds the key in flight and gets 409;
 * - a reused key with a different body gets 422;
 * - a retry after a crash (key left in flight, lease expired) takes the key over, asks
 *   ClickHouse which of the reserved ids already exist, and writes only the missing ones with
 *   the original ids and received_at — exactly once, whether the crash came before or after
 *   the INSERT.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger('Ingest');

  constructor(
    private readonly writer: EventWriter,
    private readonly idempotency: IdempotencyRepository,
    private readonly events: EventsRepository,
    private readonly metrics: MetricsService,
    private readonly policies: ScrubPolicyService,
    private readonly personal: PersonalDataService,
    private readonly quota: QuotaService,
    private readonly schemas: ActionSchemasService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Validates one event body (POST /v1/events). */
  validateOne(scope: TenantScope, raw: unknown, now: number): ValidEvent {
    const scoped = applyOrganizationScope(scope, raw, []);
    if ('detail' in scoped) throw new ValidationError([scoped.detail], 'The event is invalid.');
    const r = checkEvent(scoped.event, now);
    if (!r.ok) {
      this.metrics.ingestedEvents.inc({ result: 'rejected' });
      throw new ValidationError(r.details, 'The event is invalid.');
    }
    return r.event;
  }

  /** Validates a batch body (POST /v1/events/batch): every bad item is listed by index. */
  validateBatch(scope: TenantScope, body: unknown, now: number): ValidEvent[] {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationError([{ field: 'events', code: 'required', message: 'The body must be an object with an "events" array.' }]);
    }
    const { events, ...rest } = body as { events?: unknown };
    const extra = Object.keys(rest);
    if (extra.length > 0) {
      throw new ValidationError(extra.map((k) => ({ field: k, code: 'unknown_field', message: 'Only "events" is allowed at the top level.' })));
    }
    if (!Array.isArray(events)) throw new ValidationError([{ field: 'events', code: 'required', message: 'Must be an array of events.' }]);
    if (events.length === 0) throw new ValidationError([{ field: 'events', code: 'too_few_items', message: 'At least one event.' }]);
    if (events.length > LIMITS.batchEvents) {
      throw new PayloadTooLargeError('batch_too_large', `A batch holds at most ${LIMITS.batchEvents} events; this one has ${events.length}.`);
    }
    const valid: ValidEvent[] = [];
    const details: ErrorDetail[] = [];
    for (let i = 0; i < events.length; i++) {
      const scoped = applyOrganizationScope(scope, events[i], ['events', i], i);
      if ('detail' in scoped) {
        details.push(scoped.detail);
        continue;
      }
      const r = checkEvent(scoped.event, now, ['events', i], i);
      if (r.ok) valid.push(r.event);
      else details.push(...r.details);
      if (details.length >= 200) break;
    }
    if (details.length > 0) {
      this.metrics.ingestedEvents.inc({ result: 'rejected' }, events.length);
      throw new ValidationError(details, 'The batch was rejected; nothing was stored. Every invalid event is listed by index.');
    }
    return valid;
  }

  /** `batch`: error details name each event's index (POST /v1/events/batch). */
  async ingest(scope: TenantScope, events: ValidEvent[], requestKey: string | undefined, now = Date.now(), batch = false): Promise<IngestResult> {
    if (requestKey !== undefined && !IDEMPOTENCY_HEADER.test(requestKey)) {
      throw new BadRequestError('invalid_idempotency_key', 'The Idempotency-Key header must be 1–255 printable ASCII characters.');
    }
    // The tenant's per-action metadata schemas, on what the application sent (before scrubbing):
    // an enforce-mode mismatch refuses the whole request before anything is reserved or stored.
    try {
      events = (await this.schemas.check(scope, events, batch, now)).events;
    } catch (err) {
      this.metrics.ingestedEvents.inc({ result: 'rejected' }, events.length);
      throw err;
    }
    events = await this.scrub(scope, events);
    const items: Item[] = events.map((event) => ({ event, id: uuidv7(now).id, receivedAtMs: now, mode: 'new' }));
    const reservations = this.reservationsFor(items, requestKey, now);
    let owned = new Set<string>();
    let recovered = new Map<string, IdempotencyRecord>();
    if (reservations.length > 0) {
      const plan = await this.reserve(scope, reservations);
      if (plan.replay) {
        this.metrics.ingestedEvents.inc({ result: 'deduplicated' }, items.length);
        return {
          ids: plan.replay.eventIds,
          receivedAt: plan.replay.eventIds.map(() => plan.replay!.receivedAt),
          replayed: true,
          stored: 0,
          deduplicated: items.length,
        };
      }
      owned = plan.owned;
      recovered = plan.recovered;
      applyRecords(items, requestKey, plan.recovered, plan.completed);
    }

    const toWrite = items.filter((i) => i.mode !== 'done');
    let stored: StoredEvent[];
    try {
      // Personal data is encrypted per data subject after the idempotency hash (computed on the
      // plaintext, so a retry matches) and before hashing and storage (src/privacy).
      const protectedEvents = await this.personal.protect(
        scope,
        toWrite.map((i) => i.event),
      );
      stored = toWrite.map((i, n) =>
        buildStoredEvent(protectedEvents[n]!.event, {
          tenantId: scope.tenantId,
          id: i.id,
          receivedAtMs: i.receivedAtMs,
          index: protectedEvents[n]!.index,
        }),
      );
    } catch (err) {
      await this.idempotency.expireLeases(scope, [...owned, ...recovered.keys()]).catch(() => undefined);
      throw err;
    }
    try {
      const recovering = toWrite.filter((i) => i.mode === 'recover');
      if (recovering.length > 0) {
        const existing = await this.events.existingIds(
          scope,
          recovering.map((i) => ({ id: i.id, organizationId: i.event.input.organization_id ?? '', occurredAtMs: i.event.occurredAtMs })),
        );
        stored = stored.filter((s) => !existing.has(s.id));
      }
      // The plan's monthly quota (src/billing): 429 quota_exceeded before anything is written.
      await this.quota.admit(scope, stored.length, now, () => this.writer.write(stored));
    } catch (err) {
      this.metrics.ingestedEvents.inc({ result: 'failed' }, items.length);
      // Keep the reservations (the write may have landed); let a retry take them over at once.
      await this.idempotency.expireLeases(scope, [...owned, ...recovered.keys()]).catch(() => undefined);
      throw err;
    }

    const ids = items.map((i) => i.id);
    await this.complete(scope, requestKey, [...owned, ...recovered.keys()], ids);
    const deduplicated = items.length - stored.length;
    if (stored.length > 0) this.metrics.ingestedEvents.inc({ result: 'stored' }, stored.length);
    if (deduplicated > 0) this.metrics.ingestedEvents.inc({ result: 'deduplicated' }, deduplicated);
    return { ids, receivedAt: items.map((i) => new Date(i.receivedAtMs)), replayed: false, stored: stored.length, deduplicated };
  }

  /**
   * The scrubbing layer (src/privacy): secrets and card numbers are replaced before anything is
   * hashed, deduplicated or stored, so a raw secret never reaches ClickHouse, the idempotency
   * store or a Merkle leaf. A scrubbed event carries the flag `scrubbed`; what was found (kinds and
   * paths, never values) is counted in metrics.
   */
  private async scrub(scope: TenantScope, events: ValidEvent[]): Promise<ValidEvent[]> {
    const policy = await this.policies.policy(scope);
    return events.map((e) => {
      const { event, findings } = scrubEvent(e.input as unknown as Record<string, unknown>, policy);
      const changed = findings.length > 0 || policy.truncateIp || (policy.denyFields?.length ?? 0) > 0 || policy.allowMetadataKeys !== undefined;
      if (!changed) return e;
      for (const f of findings) this.metrics.scrubbed.inc({ kind: f.kind });
      const input = event as unknown as EventInput;
      const flags = findings.length > 0 && !e.flags.includes('scrubbed') ? [...e.flags, 'scrubbed'] : e.flags;
      return { ...e, input, flags, members: canonicalMembers(input as unknown as Record<string, unknown>) };
    });
  }

  private reservationsFor(items: Item[], requestKey: string | undefined, now: number): Reservation[] {
    const reservations: Reservation[] = [];
    const receivedAt = new Date(now);
    if (requestKey !== undefined) {
      const hash = sha256(`[${items.map((i) => assembleCanonical(i.event.members)).join(',')}]`);
      reservations.push({ key: `r:${requestKey}`, requestHash: hash, eventIds: items.map((i) => i.id), receivedAt });
    }
    const seen = new Map<string, number>();
    const duplicates: ErrorDetail[] = [];
    items.forEach((item, index) => {
      const key = item.event.input.idempotency_key;
      if (key === undefined) return;
      const first = seen.get(key);
      if (first !== undefined) {
        duplicates.push({
          index,
          field: `events[${index}].idempotency_key`,
          code: 'duplicate_idempotency_key',
          message: `Same idempotency_key as event ${first}.`,
        });
        return;
      }
      seen.set(key, index);
      reservations.push({ key: `e:${key}`, requestHash: sha256(assembleCanonical(item.event.members)), eventIds: [item.id], receivedAt });
    });
    if (duplicates.length > 0) throw new ValidationError(duplicates, 'Two events in the batch share an idempotency_key.');
    return reservations;
  }

  private async reserve(
    scope: TenantScope,
    reservations: Reservation[],
  ): Promise<{ owned: Set<string>; recovered: Map<string, IdempotencyRecord>; completed: Map<string, IdempotencyRecord>; replay?: IdempotencyRecord }> {
    const { leaseMs, ttlMs } = this.config.idempotency;
    const owned = await this.idempotency.reserve(scope, reservations, leaseMs, ttlMs);
    const conflicts = reservations.filter((r) => !owned.has(r.key));
    const recovered = new Map<string, IdempotencyRecord>();
    const completed = new Map<string, IdempotencyRecord>();
    if (conflicts.length === 0) return { owned, recovered, completed };

    const records = new Map((await this.idempotency.find(scope, conflicts.map((c) => c.key))).map((r) => [r.key, r]));
    const mismatched: ErrorDetail[] = [];
    let inUse = false;
    for (const r of conflicts) {
      const rec = records.get(r.key);
      if (!rec) {
        inUse = true; // vanished between the two statements: treat as a race, retry later
        continue;
      }
      if (rec.requestHash !== r.requestHash) {
        mismatched.push({
          field: r.key.startsWith('r:') ? 'Idempotency-Key' : 'idempotency_key',
          code: 'idempotency_key_mismatch',
          message: `The key ${JSON.stringify(r.key.slice(2))} was already used with a different request.`,
        });
        continue;
      }
      if (rec.state === 'completed') {
        completed.set(r.key, rec);
        continue;
      }
      const taken = await this.idempotency.takeOver(scope, r.key, leaseMs);
      if (taken) recovered.set(r.key, taken);
      else inUse = true;
    }
    const requestKey = reservations[0]!.key.startsWith('r:') ? reservations[0]!.key : undefined;
    let error: AppError | undefined;
    if (mismatched.length > 0) {
      error = new UnprocessableError('idempotency_key_mismatch', 'An idempotency key was reused with a different request; nothing was stored.', mismatched);
    } else if (inUse) {
      error = new ConflictError('idempotency_key_in_use', 'A request with the same idempotency key is still in progress; retry shortly.', {
        'retry-after': String(Math.max(1, Math.ceil(leaseMs / 1000))),
      });
    }
    const replay = requestKey ? completed.get(requestKey) : undefined;
    if (error || replay) {
      await this.idempotency.release(scope, [...owned]);
      if (error) throw error;
      return { owned: new Set(), recovered: new Map(), completed, replay };
    }
    return { owned, recovered, completed };
  }

  private async complete(scope: TenantScope, requestKey: string | undefined, keys: string[], ids: string[]): Promise<void> {
    // The events are committed: a failure here only means a retry re-checks ClickHouse.
    try {
      // One statement for the events' keys and the request's (which also gets the final ids).
      await this.idempotency.complete(scope, keys, requestKey !== undefined ? `r:${requestKey}` : undefined, ids);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not mark idempotency keys completed');
    }
  }
}

/** Re-uses ids and received_at of earlier attempts: request-level first, then per event. */
function applyRecords(
  items: Item[],
  requestKey: string | undefined,
  recovered: Map<string, IdempotencyRecord>,
  completed: Map<string, IdempotencyRecord>,
): void {
  const request = requestKey !== undefined ? recovered.get(`r:${requestKey}`) : undefined;
  if (request && request.eventIds.length === items.length) {
    items.forEach((item, i) => {
      item.id = request.eventIds[i]!;
      item.receivedAtMs = request.receivedAt.getTime();
      item.mode = 'recover';
    });
  }
  for (const item of items) {
    const key = item.event.input.idempotency_key;
    if (key === undefined) continue;
    const done = completed.get(`e:${key}`);
    const again = recovered.get(`e:${key}`);
    const rec = done ?? again;
    if (!rec || rec.eventIds.length === 0) continue;
    item.id = rec.eventIds[0]!;
    item.receivedAtMs = rec.receivedAt.getTime();
    item.mode = done ? 'done' : 'recover';
  }
}

/** An organization-scoped key writes only its organization's events (filled in when omitted). */
function applyOrganizationScope(scope: TenantScope, raw: unknown, prefix: (string | number)[], index?: number): { event: unknown } | { detail: ErrorDetail } {
  if (scope.organizationId === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { event: raw };
  const event = raw as Record<string, unknown>;
  if (event.organization_id === undefined) return { event: { ...event, organization_id: scope.organizationId } };
  if (event.organization_id !== scope.organizationId) {
    const detail: ErrorDetail = {
      field: formatPath([...prefix, 'organization_id']),
      code: 'organization_scope',
      message: 'This key may only write events of its own organization.',
    };
    if (index !== undefined) detail.index = index;
    return { detail };
  }
  return { event: raw };
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
