import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { ContextErasureBounds } from './derived-columns.js';
import { EventsRepository, type EventFilters, type EventPageRow, type PageRequest } from './events.repository.js';

export type { EventFilters, EventPageRow, PageRequest };

/**
 * The reads of stored events other modules build on, without the request-side work of
 * EventQueryService (no read auditing, no revealing, no display): the stored, sealed form of
 * events for proofs and evidence, and the snapshot an export streams. The events module owns
 * the table; its repository stays private to it.
 */
@Injectable()
export class EventReads {
  constructor(private readonly repo: EventsRepository) {}

  /** A page of the scope's stored events matching the filters (retention applies). */
  list(scope: TenantScope, filters: EventFilters, page: PageRequest): Promise<EventPageRow[]> {
    return this.repo.list(scope, filters, page);
  }

  /** One stored payload by id, or undefined; `receivedAroundMs` (the id's UUIDv7 time) bounds the scan. */
  get(scope: TenantScope, id: string, receivedAroundMs: number | undefined): Promise<string | undefined> {
    return this.repo.get(scope, id, receivedAroundMs);
  }

  /** Stored payloads in their sealed form, each with the derived columns that no longer match it (see EventsRepository.sealedPayloads). */
  sealedPayloads(
    scope: TenantScope,
    ids: readonly string[],
    opts: { receivedBetween?: readonly [number, number]; contextErasures?: ContextErasureBounds } = {},
  ): Promise<Map<string, { payload: string; mismatch: string[] }>> {
    return this.repo.sealedPayloads(scope, ids, opts);
  }

  /** Events of an export snapshot (received up to `snapshotMs`, retention as of then). */
  exportCount(scope: TenantScope, filters: EventFilters, snapshotMs: number): Promise<number> {
    return this.repo.exportCount(scope, filters, snapshotMs);
  }

  /** Events of an export snapshot per bucket of occurred_at (`within` narrows to [from, to)). */
  exportHistogram(scope: TenantScope, filters: EventFilters, snapshotMs: number, widthMs: number, within?: readonly [number, number]): Promise<{ startMs: number; n: number }[]> {
    return this.repo.exportHistogram(scope, filters, snapshotMs, widthMs, within);
  }

  /** The stored payloads of an export snapshot with occurred_at in [from, to), one per line, in (occurred_at, id) order. */
  exportChunk(scope: TenantScope, filters: EventFilters, snapshotMs: number, range: readonly [number, number]): Promise<string> {
    return this.repo.exportChunk(scope, filters, snapshotMs, range);
  }
}
