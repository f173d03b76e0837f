import { Injectable } from '@nestjs/common';
import { BadRequestError, PayloadTooLargeError, ValidationError, type ErrorDetail } from '../common/errors.js';
import { formatPath } from '../common/json-body.js';
import { MetricsService } from '../observability/metrics.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { ActionSchemasService } from './action-schemas.service.js';
import { checkEvent, type ValidEvent } from './event-rules.js';
import { LIMITS } from './event.schema.js';

const IDEMPOTENCY_HEADER = /^[\x21-\x7E]{1,255}$/;

/**
 * The validate stage of ingest (src/ingest): the event contract, the key's organization scope,
 * the Idempotency-Key header and the tenant's per-action metadata schemas. All or nothing: a
 * refused request reserves and stores nothing.
 */
@Injectable()
export class EventValidator {
  constructor(
    private readonly metrics: MetricsService,
    private readonly schemas: ActionSchemasService,
  ) {}

  /** One event body (POST /v1/events). */
  one(scope: TenantScope, raw: unknown, now: number): ValidEvent {
    const scoped = applyOrganizationScope(scope, raw, []);
    if ('detail' in scoped) throw new ValidationError([scoped.detail], 'The event is invalid.');
    const r = checkEvent(scoped.event, now);
    if (!r.ok) {
      this.metrics.ingestedEvents.inc({ result: 'rejected' });
      throw new ValidationError(r.details, 'The event is invalid.');
    }
    return r.event;
  }

  /** A batch body (POST /v1/events/batch): every bad item is listed by index. */
  batch(scope: TenantScope, body: unknown, now: number): ValidEvent[] {
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

  /** The Idempotency-Key header: 1–255 printable ASCII characters. */
  requestKey(requestKey: string | undefined): void {
    if (requestKey !== undefined && !IDEMPOTENCY_HEADER.test(requestKey)) {
      throw new BadRequestError('invalid_idempotency_key', 'The Idempotency-Key header must be 1–255 printable ASCII characters.');
    }
  }

  /**
   * The tenant's per-action metadata schemas, on what the application sent (before scrubbing):
   * an enforce-mode mismatch refuses the whole request before anything is reserved or stored.
   */
  async schemasOf(scope: TenantScope, events: ValidEvent[], batch: boolean, now: number): Promise<ValidEvent[]> {
    try {
      return (await this.schemas.check(scope, events, batch, now)).events;
    } catch (err) {
      this.metrics.ingestedEvents.inc({ result: 'rejected' }, events.length);
      throw err;
    }
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
