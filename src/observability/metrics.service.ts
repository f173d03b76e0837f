import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** State of the ClickHouse circuit breaker (docs/operations.md "When ClickHouse fails"). */
export type CircuitState = 'closed' | 'open' | 'half_open';
const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half_open'];

/** One job kind as the runner reports it for the lag metrics. */
export interface JobProgress {
  kind: string;
  intervalSeconds: number;
  /** performance.now() ms of the end of the last run without error (of the runner's start before the first): a lag is an elapsed time. */
  lastOkAtMs: number;
}

const PREFIX = 'veritrail_';

/**
 * Default collectors of prom-client that are gauges named `…_total`, which Prometheus reserves
 * for counters (`promtool check metrics` refuses them). They are exposed as `…_all` instead:
 * the number of active handles, requests and resources of every type together (the
 * `veritrail_nodejs_active_handles` family without `_total` has them per type).
 */
const RENAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** Prometheus metrics. One registry per application instance (no global state). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'veritrail_http_request_duration_seconds',
    help: 'HTTP request latency by route and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly ingestedEvents = new Counter({
    name: 'veritrail_ingest_events_total',
    help: 'Events received by the ingest API, by result (stored, deduplicated, rejected, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly groupCommitBatchSize = new Histogram({
    name: 'veritrail_group_commit_batch_rows',
    help: 'Rows per group-commit flush (one INSERT)',
    labelNames: ['writer'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000],
    registers: [this.registry],
  });

  readonly groupCommitWait = new Histogram({
    name: 'veritrail_group_commit_wait_seconds',
    help: 'Time the oldest row of a flush waited before the flush started',
    labelNames: ['writer'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly groupCommitFlush = new Histogram({
    name: 'veritrail_group_commit_flush_seconds',
    help: 'Duration of one group-commit flush, by outcome',
    labelNames: ['writer', 'ok'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly groupCommitQueue = new Gauge({
    name: 'veritrail_group_commit_queue_rows',
    help: 'Rows waiting for a flush',
    labelNames: ['writer'] as const,
    registers: [this.registry],
  });

  readonly authFailures = new Counter({
    name: 'veritrail_auth_failures_total',
    help: 'Rejected credentials, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'veritrail_job_runs_total',
    help: 'Background job runs by kind and result (ok, error)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'veritrail_job_duration_seconds',
    help: 'Duration of background job runs',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly authBlocked = new Counter({
    name: 'veritrail_auth_failures_blocked_total',
    help: 'Requests refused with 429 because their address exceeded AUTH_FAILURES_PER_MINUTE failed authentications',
    registers: [this.registry],
  });

  readonly scrubbed = new Counter({
    name: 'veritrail_scrubbed_values_total',
    help: 'Values replaced by the scrubbing layer before storage, by detector kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly schemaMismatches = new Counter({
    name: 'veritrail_schema_mismatches_total',
    help: 'Events whose metadata did not match their action schema: enforce (requests refused) or warn (events stored with the flag schema_mismatch)',
    labelNames: ['mode'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'veritrail_webhook_deliveries_total',
    help: 'Webhook delivery attempts by message kind and result',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly jobItems = new Counter({
    name: 'veritrail_job_items_total',
    help: 'Items processed by background jobs (events sealed, alerts raised …)',
    labelNames: ['kind', 'item'] as const,
    registers: [this.registry],
  });

  readonly integrityStaleTenants = new Gauge({
    name: 'veritrail_integrity_stale_tenants',
    help: 'Tenants with events left unsealed for more than 3 seal intervals',
    registers: [this.registry],
  });

  readonly integrityOldestUnsealed = new Gauge({
    name: 'veritrail_integrity_oldest_unsealed_seconds',
    help: 'Age of the oldest event not yet in a signed checkpoint (0 when all are sealed)',
    registers: [this.registry],
  });

  private circuitSource?: () => CircuitState;
  private jobsSource?: () => JobProgress[];
  private ingestQueueSource: () => number = () => 0;

  readonly clickhouseCircuit = new Gauge({
    name: 'veritrail_clickhouse_circuit_state',
    help: 'ClickHouse circuit breaker: 1 for its current state (closed, open, half_open), 0 for the others',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      const current = this.circuitSource?.();
      if (current === undefined) return;
      for (const state of CIRCUIT_STATES) this.clickhouseCircuit.set({ state }, state === current ? 1 : 0);
    },
  });

  readonly jobLag = new Gauge({
    name: 'veritrail_job_lag_seconds',
    help: 'Seconds since this process last finished a run of the job without error (since start before the first)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
    collect: () => {
      const now = performance.now();
      for (const j of this.jobsSource?.() ?? []) this.jobLag.set({ kind: j.kind }, Math.max(0, (now - j.lastOkAtMs) / 1000));
    },
  });

  readonly jobInterval = new Gauge({
    name: 'veritrail_job_interval_seconds',
    help: 'Configured interval of each background job enabled in this process',
    labelNames: ['kind'] as const,
    registers: [this.registry],
    collect: () => {
      for (const j of this.jobsSource?.() ?? []) this.jobInterval.set({ kind: j.kind }, j.intervalSeconds);
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    for (const name of RENAMED_DEFAULTS) {
      const original = this.registry.getSingleMetric(`${PREFIX}${name}`) as Gauge | undefined;
      if (!original) continue;
      this.registry.removeSingleMetric(`${PREFIX}${name}`);
      const renamed: Gauge = new Gauge({
        name: `${PREFIX}${name.slice(0, -'_total'.length)}_all`,
        help: (original as unknown as { help: string }).help,
        registers: [this.registry],
        collect: async () => {
          const value = (await original.get()).values[0]?.value;
          if (value !== undefined) renamed.set(value);
        },
      });
    }
  }

  /** The breaker state to report (ClickHouseService.breakerState); read at each scrape. */
  watchClickHouseCircuit(read: () => CircuitState): void {
    this.circuitSource = read;
  }

  /** The job runner's progress per enabled job kind; read at each scrape. */
  watchJobs(read: () => JobProgress[]): void {
    this.jobsSource = read;
  }

  /** The ingest writer's queue (rows waiting for their INSERT), read by readiness checks. */
  watchIngestQueue(read: () => number): void {
    this.ingestQueueSource = read;
  }

  /** Rows waiting in the ingest writer right now (0 before the writer exists). */
  ingestQueueDepth(): number {
    return this.ingestQueueSource();
  }
}
