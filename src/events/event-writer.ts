import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { MetricsService } from '../observability/metrics.service.js';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import { INGEST_LANE, runInLane } from '../storage/clickhouse/engine-scheduler.js';
import { GroupCommitWriter } from '../storage/group-commit.js';
import type { StoredEvent } from './stored-event.js';

const BACKGROUND_LINGER_MS = 1000;

/**
 * The one writer of the events table: group commit over ClickHouse INSERTs. `write` resolves
 * only after the INSERT containing the rows returned, which is what lets the API answer 201
 * meaning "committed". Drained on shutdown (before the stores close).
 */
@Injectable()
export class EventWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EventWriter');
  private readonly writer: GroupCommitWriter<string>;
  /**
   * Background entries (read auditing) nobody waits for: batched over a longer window so a busy
   * read path adds one INSERT per second instead of one per read.
   */
  private readonly background: GroupCommitWriter<string>;

  constructor(clickhouse: ClickHouseService, metrics: MetricsService, @InjectConfig() config: AppConfig) {
    const table = clickhouse.tables.events;
    // Flushes carry many tenants' rows and run in the async context of whichever request started
    // the batch: they get the ingest lane of the ClickHouse scheduler instead.
    const insert = (lines: string[]) => runInLane(INGEST_LANE, () => clickhouse.insertRows(table, lines));
    // The batch is taken when the engine grants the INSERT its turn, not when the flush starts:
    // with the embedded engine running one statement at a time (other lanes' statements, the
    // previous INSERT), events that arrive while the flush waits for its turn join it instead of
    // the next INSERT, so single events from many clients share parts. Acknowledgement is
    // unchanged: a caller is answered after the INSERT holding its rows returned.
    const insertWhenReady = (take: () => string[]) => runInLane(INGEST_LANE, () => clickhouse.insertRows(table, take));
    this.writer = new GroupCommitWriter<string>({
      name: 'events',
      flush: insert,
      flushWhenReady: insertWhenReady,
      maxBatchSize: config.ingest.maxBatchEvents,
      lingerMs: config.ingest.flushIntervalMs,
      maxQueueSize: config.ingest.maxQueuedEvents,
      maxConcurrentFlushes: config.ingest.maxConcurrentFlushes,
      observe: ({ items, waitMs, flushMs, ok }) => {
        metrics.groupCommitBatchSize.observe({ writer: 'events' }, items);
        metrics.groupCommitWait.observe({ writer: 'events' }, waitMs / 1000);
        metrics.groupCommitFlush.observe({ writer: 'events', ok: ok ? 'true' : 'false' }, flushMs / 1000);
        metrics.groupCommitQueue.set({ writer: 'events' }, this.writer.depth);
      },
      onError: (err, rows) => this.logger.error({ err: describe(err), rows }, 'event insert failed; nothing in the batch was acknowledged'),
    });
    this.background = new GroupCommitWriter<string>({
      name: 'events-background',
      flush: insert,
      flushWhenReady: insertWhenReady,
      maxBatchSize: config.ingest.maxBatchEvents,
      lingerMs: BACKGROUND_LINGER_MS,
      maxQueueSize: config.ingest.maxQueuedEvents,
      maxConcurrentFlushes: 1,
      onError: (err, rows) => this.logger.error({ err: describe(err), rows }, 'background audit insert failed'),
    });
    metrics.watchIngestQueue(() => this.writer.depth);
  }

  /** For entries no request waits on; resolves when they are committed, like write(). */
  async writeBackground(events: readonly StoredEvent[]): Promise<void> {
    await this.background.write(events.map((e) => e.line));
  }

  /** Resolves once every row is committed to ClickHouse; rejects (503) if any may not be. */
  async write(events: readonly StoredEvent[]): Promise<void> {
    await this.writer.write(events.map((e) => e.line));
  }

  /** Commits what both writers hold now (background entries included) without closing them. */
  async flush(): Promise<void> {
    await Promise.all([this.writer.flush(), this.background.flush()]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.writer.drain(), this.background.drain()]);
  }
}

function describe(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; code?: string; type?: string; cause?: { message?: string; code?: string } };
  return { name: e?.name, code: e?.code, type: e?.type, cause: e?.cause?.code ?? e?.cause?.message };
}
