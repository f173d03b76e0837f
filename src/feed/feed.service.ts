import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { bindingOf } from '../common/cursor.js';
import { ValidationError } from '../common/errors.js';
import type { RequestMeta } from '../events/audit-trail.service.js';
import { EventQueryService, parseFilters, type EventPage } from '../events/query.service.js';
import { LogWalk } from '../events/log-walk.service.js';
import { MerkleLog } from '../integrity/merkle-log.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import type { FeedQuery } from './feed.schema.js';

/** Leaves read per ClickHouse round trip, and at most per request (a selective filter still answers promptly). */
const WINDOW = 5_000;
const MAX_SCANNED_PER_REQUEST = 50_000;

/**
 * The SIEM feed: every event of the tenant exactly once, in the order of the tenant's Merkle
 * log (src/integrity). That order is append-only with one position per event, and an event
 * gets its position only when it is appended to the log (a committed log head) — a late event
 * (old occurred_at, or a slow replica's insert) is appended after everything already delivered
 * instead of landing behind a cursor. So a cursor is just "the last log position seen": it
 * never skips and never repeats, whatever the number of writers and replicas. The price is a
 * lag of up to LOG_APPEND_INTERVAL (500 ms by default) between acknowledgement and delivery;
 * signing checkpoints (SEAL_INTERVAL) is not on this path.
 */
@Injectable()
export class FeedService {
  constructor(
    private readonly walk: LogWalk,
    private readonly merkle: MerkleLog,
    private readonly settings: SystemSettingsService,
    private readonly reads: EventQueryService,
    private readonly clock: Clock,
  ) {}

  async page(principal: ApiKeyPrincipal, query: FeedQuery, meta: RequestMeta = {}): Promise<EventPage> {
    const scope = TenantScope.of(principal);
    const f = parseFilters({ action: query.action, organization_id: query.organization_id });
    const filters = { action: f.action, actionPrefix: f.actionPrefix, organizationId: f.organizationId };
    const limit = query.limit ?? 100;
    const binding = bindingOf({ f: filters, s: scope.organizationId ?? null });
    const now = this.clock.now();
    const latest = await this.merkle.head(scope);
    const committed = latest?.number ?? 0;

    let position: number;
    if (query.cursor) {
      const p = this.settings.cursors.decode(query.cursor, 'feed', scope.tenantId, binding);
      if (p.length !== 1 || typeof p[0] !== 'number' || !Number.isSafeInteger(p[0]) || p[0] < -1) {
        throw new ValidationError([{ field: 'cursor', code: 'invalid_cursor', message: 'Malformed cursor.' }]);
      }
      position = p[0];
    } else {
      // A new feed starts at the oldest event still retained: older leaves only point at expired rows.
      const first = latest ? await this.walk.firstRetainedLeaf(scope, committed, now) : undefined;
      position = first !== undefined ? first - 1 : latest ? latest.treeSize - 1 : -1;
    }

    const payloads: string[] = [];
    const end = latest ? latest.treeSize - 1 : -1;
    // The first window is the page size (an unfiltered feed needs no more); each further one
    // doubles, up to WINDOW, while a selective filter leaves the page short. A sealed event not
    // readable yet (replica lag) holds the feed at the leaf before it.
    const windows = this.walk.windows(scope, { after: position, end, committed, filters, now, firstWindow: limit, maxWindow: WINDOW, maxScanned: MAX_SCANNED_PER_REQUEST, trimToMaxScanned: true });
    scan: for await (const { rows } of windows) {
      for (const leaf of rows) {
        if (leaf.payload !== undefined) {
          if (payloads.length === limit) break scan;
          payloads.push(leaf.payload);
        }
        position = leaf.idx;
      }
      if (payloads.length >= limit) break;
    }
    const revealed = await this.reads.reveal(principal, payloads, meta, 'feed');
    return { payloads: await this.reads.display(principal, revealed, query.locale), next_cursor: this.settings.cursors.encode('feed', scope.tenantId, binding, [position]) };
  }
}
