import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];

/** An event as the API accepts it (`POST /v1/events`). */
export type EventInput = Schemas['EventInput'];
/** An event as the API returns it: every request field plus `id`, `received_at` and `flags`. */
export type Event = Schemas['Event'];
export type EventList = Schemas['EventList'];
export type VerifyRequest = Schemas['VerifyRequest'];
export type VerifyReport = Schemas['VerifyReport'];

/**
 * What `audit.event()` takes: the API's event, except that `occurred_at` may be a `Date` or
 * left out (then it is the moment `event()` was called) and `idempotency_key` is assigned when
 * missing.
 */
export type AuditEvent = Omit<EventInput, 'occurred_at'> & { occurred_at?: string | Date };

/** Filters of `GET /v1/events` (without the cursor, which the iterator follows). */
export type EventFilters = Omit<NonNullable<operations['listEvents']['parameters']['query']>, 'cursor'>;
export type FeedFilters = Omit<NonNullable<operations['getEventFeed']['parameters']['query']>, 'cursor'>;

/**
 * `POST /v1/viewer-tokens`: a short-lived token for the embedded viewer, scoped to one
 * organization and optionally one actor and some actions (the API's own schemas, so every field
 * the server takes or returns — `user_id`, `scopes`, `session_id`, … — is here).
 */
export type ViewerTokenRequest = Schemas['ViewerTokenCreate'];
export type ViewerToken = Schemas['ViewerToken'];

/** A page of the SIEM feed. `next_cursor` is always set: store it and resume from it. */
export interface FeedPage {
  data: Event[];
  next_cursor: string;
}

/** What `event()` resolves with once the event is queued (or durably buffered). */
export interface Queued {
  idempotency_key: string;
}

export interface ClientStats {
  /** Accepted by event() and not yet acknowledged or failed. */
  pending: number;
  /** In requests that have not been answered yet. */
  in_flight: number;
  delivered: number;
  failed: number;
  /** HTTP requests sent for event delivery, retries included. */
  requests: number;
  retries: number;
  /** Bytes the durable buffer holds on disk (0 without a buffer). */
  buffered_bytes: number;
}
