import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppError, ConflictError, UnprocessableError, ValidationError, type ErrorDetail } from '../common/errors.js';
import { assembleCanonical } from '../common/canonical.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { ValidEvent } from './event-rules.js';
import { EventsRepository } from './events.repository.js';
import { IdempotencyRepository, type IdempotencyRecord, type Reservation } from './idempotency.repository.js';
import type { StoredEvent } from './stored-event.js';

/** `new`: write it; `recover`: an earlier attempt may have written it; `done`: it was written. */
export type IngestMode = 'new' | 'recover' | 'done';

/** One event on its way through ingest, with the id and received_at it will be stored under. */
export interface IngestItem {
  event: ValidEvent;
  id: string;
  receivedAtMs: number;
  mode: IngestMode;
}

/** What reserving a request's keys decided. */
export interface IdempotencyPlan {
  /** This request's attempt: every key it holds completes with it. */
  attempt: string;
  /** Keys this request reserved fresh. */
  owned: Set<string>;
  /** In-flight keys of a crashed attempt this request took over. */
  recovered: Map<string, IdempotencyRecord>;
  /** Set when the whole request repeats a completed one: answer with its ids, write nothing. */
  replay?: IdempotencyRecord;
  /** The ids the request-level key's record holds (it is rewritten at completion only if they change). */
  requestIds?: string[];
}

/**
 * The reserve and complete stages of ingest (src/ingest). Idempotency keys ("r:" for the
 * Idempotency-Key header, "e:" for an event's own key) are reserved in PostgreSQL together with
 * the ids the events will get, BEFORE the write. So:
 * - a retry of a completed request returns the stored ids and writes nothing;
 * - a concurrent duplicate finds the key in flight and gets 409;
 * - a reused key with a different body gets 422;
 * - a retry after a crash (key left in flight, lease expired) takes the key over, asks
 *   ClickHouse which of the reserved ids already exist, and writes only the missing ones with
 *   the original ids and received_at — exactly once, whether the crash came before or after
 *   the INSERT.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger('Ingest');

  constructor(
    private readonly idempotency: IdempotencyRepository,
    private readonly events: EventsRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Reserves the request's keys (none: nothing to do). Items repeating an earlier attempt get
   * its ids and received_at, request-level first, then per event.
   * @throws 400 duplicate_idempotency_key, 409 idempotency_key_in_use, 422 idempotency_key_mismatch
   */
  async reserve(scope: TenantScope, items: IngestItem[], requestKey: string | undefined, now: number): Promise<IdempotencyPlan> {
    const attempt = randomUUID();
    const reservations = reservationsFor(items, requestKey, now, attempt);
    if (reservations.length === 0) return { attempt, owned: new Set(), recovered: new Map() };
    const plan = await this.reserveKeys(scope, reservations, attempt);
    if (plan.replay) return { attempt, owned: plan.owned, recovered: plan.recovered, replay: plan.replay };
    const requestIds = requestKey !== undefined ? (plan.recovered.get(`r:${requestKey}`)?.eventIds ?? reservations[0]!.eventIds) : undefined;
    applyRecords(items, requestKey, plan.recovered, plan.completed);
    return { attempt, owned: plan.owned, recovered: plan.recovered, requestIds };
  }

  /**
   * Of the events being recovered, those the crashed attempt did not store; the others pass
   * through. Only items in mode `recover` are looked up in ClickHouse.
   */
  async unwritten(scope: TenantScope, items: IngestItem[], stored: StoredEvent[]): Promise<StoredEvent[]> {
    const recovering = items.filter((i) => i.mode === 'recover');
    if (recovering.length === 0) return stored;
    const existing = await this.events.existingIds(
      scope,
      recovering.map((i) => ({ id: i.id, organizationId: i.event.input.organization_id ?? '', occurredAtMs: i.event.occurredAtMs })),
    );
    return stored.filter((s) => !existing.has(s.id));
  }

  /** After a failure: keep the reservations (the write may have landed); let a retry take them over at once. */
  async abandon(scope: TenantScope, plan: IdempotencyPlan): Promise<void> {
    await this.idempotency.expireLeases(scope, heldKeys(plan)).catch(() => undefined);
  }

  /** Marks the keys completed with the final ids. The events are committed: a failure here only means a retry re-checks ClickHouse. */
  async complete(scope: TenantScope, plan: IdempotencyPlan, requestKey: string | undefined, ids: string[]): Promise<void> {
    if (heldKeys(plan).length === 0) return;
    try {
      // One statement: the attempt (so every key it holds) and, when some events took the ids of
      // earlier attempts, the request key's final ids.
      const rewrite = requestKey !== undefined && !sameIds(plan.requestIds, ids);
      await this.idempotency.complete(scope, plan.attempt, this.config.idempotency.ttlMs, rewrite ? `r:${requestKey}` : undefined, ids);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not mark idempotency keys completed');
    }
  }

  private async reserveKeys(
    scope: TenantScope,
    reservations: Reservation[],
    attempt: string,
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
      const taken = await this.idempotency.takeOver(scope, r.key, leaseMs, attempt);
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
      await this.idempotency.release(scope, [...owned], attempt);
      if (error) throw error;
      return { owned: new Set(), recovered: new Map(), completed, replay };
    }
    return { owned, recovered, completed };
  }
}

function sameIds(a: string[] | undefined, b: string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((id, i) => id === b[i]);
}

function heldKeys(plan: IdempotencyPlan): string[] {
  return [...plan.owned, ...plan.recovered.keys()];
}

function reservationsFor(items: IngestItem[], requestKey: string | undefined, now: number, attempt: string): Reservation[] {
  const reservations: Reservation[] = [];
  const receivedAt = new Date(now);
  // Each event's canonical form is assembled once, for both its own key and the request's.
  const canonical = items.map((i) => (requestKey !== undefined || i.event.input.idempotency_key !== undefined ? assembleCanonical(i.event.members) : ''));
  if (requestKey !== undefined) {
    // The SHA-256 of `[c1,c2,…]`, fed piece by piece rather than joined into one string first.
    const request = createHash('sha256').update('[');
    canonical.forEach((c, i) => (i === 0 ? request : request.update(',')).update(c));
    const hash = request.update(']').digest('hex');
    reservations.push({ key: `r:${requestKey}`, requestHash: hash, eventIds: items.map((i) => i.id), receivedAt, attempt });
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
    reservations.push({ key: `e:${key}`, requestHash: sha256(canonical[index]!), eventIds: [item.id], receivedAt, attempt });
  });
  if (duplicates.length > 0) throw new ValidationError(duplicates, 'Two events in the batch share an idempotency_key.');
  return reservations;
}

/** Re-uses ids and received_at of earlier attempts: request-level first, then per event. */
function applyRecords(
  items: IngestItem[],
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

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
