import { VeritrailError } from './errors.js';
import { sleep, type RetryPolicy, type Transport } from './transport.js';
import type { Event, EventFilters, EventList, FeedFilters, FeedPage, VerifyReport, VerifyRequest, ViewerToken, ViewerTokenRequest } from './types.js';

type Query = Record<string, string | number | boolean | undefined>;

/** `audit.events`: search the trail. */
export class EventsApi {
  constructor(
    private readonly transport: Transport,
    private readonly retry: RetryPolicy,
  ) {}

  /**
   * Every event matching the filters, newest first (or `order: 'asc'`), following `next_cursor`
   * page by page. Stop early with `break`.
   */
  async *list(filters: EventFilters = {}, options: { signal?: AbortSignal } = {}): AsyncGenerator<Event, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.page({ ...filters, cursor }, options);
      yield* page.data;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  /** One page of `GET /v1/events`. */
  async page(query: EventFilters & { cursor?: string } = {}, options: { signal?: AbortSignal } = {}): Promise<EventList> {
    const r = await this.transport.requestWithRetry<EventList>('GET', '/v1/events', { query: query as Query, signal: options.signal }, this.retry);
    return r.body;
  }

  /** `GET /v1/events/{id}`; another tenant's id answers `not_found`. */
  async get(id: string, options: { signal?: AbortSignal } = {}): Promise<Event> {
    const r = await this.transport.requestWithRetry<Event>('GET', `/v1/events/${encodeURIComponent(id)}`, { signal: options.signal }, this.retry);
    return r.body;
  }
}

export interface FeedOptions extends FeedFilters {
  /** `next_cursor` you stored; omit to start at the oldest retained event. */
  cursor?: string;
  /** Keep polling when caught up (default true); false ends at the first empty page. */
  follow?: boolean;
  /** Wait between polls once caught up. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Ends the iteration (without an error). */
  signal?: AbortSignal;
}

/**
 * The SIEM feed (`GET /v1/events/feed`): every event of the tenant exactly once, in log order.
 * Yields non-empty pages; store each page's `next_cursor` after processing its events and pass
 * it as `cursor` to resume. Transient failures are retried without limit while following.
 */
export async function* feed(transport: Transport, retry: RetryPolicy, options: FeedOptions = {}): AsyncGenerator<FeedPage, void, undefined> {
  const { cursor: start, follow = true, pollIntervalMs = 1000, signal, ...filters } = options;
  const policy = follow ? { ...retry, maxAttempts: Infinity } : retry;
  let cursor = start;
  for (;;) {
    let page: FeedPage;
    try {
      page = (await transport.requestWithRetry<FeedPage>('GET', '/v1/events/feed', { query: { ...filters, cursor } as Query, signal }, policy)).body;
    } catch (err) {
      if (signal?.aborted && err instanceof VeritrailError && err.code === 'aborted') return;
      throw err;
    }
    cursor = page.next_cursor;
    if (page.data.length > 0) {
      yield page;
      continue;
    }
    if (!follow) return;
    try {
      await sleep(pollIntervalMs, signal);
    } catch {
      return;
    }
  }
}

/** `audit.viewerTokens`: tokens for the embedded `<veritrail-viewer>`. */
export class ViewerTokensApi {
  constructor(private readonly transport: Transport) {}

  /** `POST /v1/viewer-tokens`: a short-lived token scoped to one organization (and optionally one actor and some actions). */
  async create(request: ViewerTokenRequest): Promise<ViewerToken> {
    if (!request || typeof request.organization_id !== 'string' || request.organization_id.length === 0) {
      throw new VeritrailError('validation_failed', 'organization_id is required.', { details: [{ field: 'organization_id', code: 'required', message: 'This field is required.' }] });
    }
    const r = await this.transport.request<ViewerToken>('POST', '/v1/viewer-tokens', { body: request });
    return r.body;
  }
}

/** `audit.integrity`: tamper evidence. */
export class IntegrityApi {
  constructor(
    private readonly transport: Transport,
    private readonly retry: RetryPolicy,
  ) {}

  /**
   * `POST /v1/integrity/verify`: recomputes every event's hash and every checkpoint's root on
   * the server. Pass a checkpoint JWS you kept as `known_checkpoint` to detect rollback and
   * rewritten history. `status` is `ok` or `tampered` (with the findings).
   */
  async verify(request: VerifyRequest = {}, options: { signal?: AbortSignal } = {}): Promise<VerifyReport> {
    const r = await this.transport.requestWithRetry<VerifyReport>('POST', '/v1/integrity/verify', { body: request, signal: options.signal }, this.retry);
    return r.body;
  }
}
