import { Injectable } from '@nestjs/common';
import { uuidv7 } from '../common/ids.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { QuotaService } from '../billing/quota.service.js';
import type { ValidEvent } from '../events/event-rules.js';
import { EventValidator } from '../events/event-validation.js';
import { EventWriter } from '../events/event-writer.js';
import { IdempotencyService, type IdempotencyPlan, type IngestItem } from '../events/idempotency.service.js';
import { buildStoredEvent, type StoredEvent } from '../events/stored-event.js';
import { MetricsService } from '../observability/metrics.service.js';
import { EventScrubber } from '../personal-data/event-scrubber.service.js';
import { PersonalDataService } from '../personal-data/personal-data.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface IngestResult {
  ids: string[];
  receivedAt: Date[];
  /** True when the whole request was answered from an earlier identical request. */
  replayed: boolean;
  stored: number;
  deduplicated: number;
}

/**
 * Ingest, top-down: one pipeline of stages, each owned by the module that owns its rule or its
 * table; this folder sits above them all and is the only place that knows their order, so the
 * events store depends on none of them (docs/architecture.md, "Data flow").
 *
 *   1. validate   events   EventValidator: contract, organization scope, Idempotency-Key, action schemas
 *   2. scrub      privacy  EventScrubber: secrets and card numbers out before anything is hashed
 *   3. reserve    events   IdempotencyService.reserve: keys and ids reserved before the write
 *   4. protect    privacy  PersonalDataService.protect: personal data encrypted per subject
 *   5. admit      billing  QuotaService.admit: the monthly quota, around the write
 *   6. write      events   IdempotencyService.unwritten + EventWriter.write (group commit)
 *   7. complete   events   IdempotencyService.complete: keys marked completed with the final ids
 *
 * Validation is all or nothing; the idempotency hash is taken on the scrubbed plaintext (so a
 * retry matches) before personal data is encrypted. A 201 means the events are committed.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly validator: EventValidator,
    private readonly scrubber: EventScrubber,
    private readonly idempotency: IdempotencyService,
    private readonly personal: PersonalDataService,
    private readonly quota: QuotaService,
    private readonly writer: EventWriter,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Validates one event body (POST /v1/events). */
  validateOne(scope: TenantScope, raw: unknown, now: number): ValidEvent {
    return this.validator.one(scope, raw, now);
  }

  /** Validates a batch body (POST /v1/events/batch): every bad item is listed by index. */
  validateBatch(scope: TenantScope, body: unknown, now: number): ValidEvent[] {
    return this.validator.batch(scope, body, now);
  }

  /** `now`: the receipt time (CheckedClock: ids, received_at). `batch`: error details name each event's index (POST /v1/events/batch). */
  async ingest(scope: TenantScope, events: ValidEvent[], requestKey: string | undefined, now: number, batch = false): Promise<IngestResult> {
    this.validator.requestKey(requestKey);
    events = await this.validator.schemasOf(scope, events, batch, now);
    events = await this.scrubber.scrub(scope, events);
    const items: IngestItem[] = events.map((event) => ({ event, id: uuidv7(now).id, receivedAtMs: now, mode: 'new' }));
    const plan = await this.idempotency.reserve(scope, items, requestKey, now);
    if (plan.replay) {
      this.metrics.ingestedEvents.inc({ result: 'deduplicated' }, items.length);
      const { eventIds, receivedAt } = plan.replay;
      return { ids: eventIds, receivedAt: eventIds.map(() => receivedAt), replayed: true, stored: 0, deduplicated: items.length };
    }
    const toWrite = items.filter((i) => i.mode !== 'done');
    let stored: StoredEvent[];
    try {
      stored = await this.protect(scope, toWrite);
    } catch (err) {
      await this.idempotency.abandon(scope, plan);
      throw err;
    }
    try {
      stored = await this.idempotency.unwritten(scope, toWrite, stored);
      await this.quota.admit(scope, stored.length, now, () => this.writer.write(stored));
    } catch (err) {
      this.metrics.ingestedEvents.inc({ result: 'failed' }, items.length);
      await this.idempotency.abandon(scope, plan);
      throw err;
    }
    return this.complete(scope, plan, requestKey, items, stored.length);
  }

  /**
   * Personal data is encrypted per data subject after the idempotency hash (computed on the
   * plaintext, so a retry matches) and before hashing and storage.
   */
  private async protect(scope: TenantScope, items: IngestItem[]): Promise<StoredEvent[]> {
    const protectedEvents = await this.personal.protect(
      scope,
      items.map((i) => i.event),
    );
    return items.map((i, n) =>
      buildStoredEvent(protectedEvents[n]!.event, {
        tenantId: scope.tenantId,
        id: i.id,
        receivedAtMs: i.receivedAtMs,
        index: protectedEvents[n]!.index,
      }),
    );
  }

  private async complete(scope: TenantScope, plan: IdempotencyPlan, requestKey: string | undefined, items: IngestItem[], stored: number): Promise<IngestResult> {
    const ids = items.map((i) => i.id);
    await this.idempotency.complete(scope, plan, requestKey, ids);
    const deduplicated = items.length - stored;
    if (stored > 0) this.metrics.ingestedEvents.inc({ result: 'stored' }, stored);
    if (deduplicated > 0) this.metrics.ingestedEvents.inc({ result: 'deduplicated' }, deduplicated);
    return { ids, receivedAt: items.map((i) => new Date(i.receivedAtMs)), replayed: false, stored, deduplicated };
  }
}
