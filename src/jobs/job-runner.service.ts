import { hostname } from 'node:os';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { randomBase62 } from '../common/secrets.js';
import { InjectConfig } from '../config/config.module.js';
import { isEmbeddedPostgres, type AppConfig } from '../config/config.js';
import { MetricsService } from '../observability/metrics.service.js';
import { BACKGROUND_LANE, runInLane } from '../storage/clickhouse/engine-scheduler.js';
import { JobLeasesRepository } from './job-leases.repository.js';

/** What a job run reports: counts for the one log line and the items metric. */
export type JobCounts = Record<string, number>;

export interface JobContext {
  /** Identifies this process in leases. */
  holder: string;
  /**
   * Runs `fn` while holding the lease `key` (other replicas, and other callers in this process,
   * skip it meanwhile). Returns `{ acquired: false }` without running when someone else holds
   * it. `fn` gets the holder name of this acquisition, for work fenced by the lease.
   */
  withLease<T>(key: string, ttlMs: number, fn: (holder: string) => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
}

export interface JobDefinition {
  /** Stable name: metric label, log field, JOBS list entry. */
  kind: string;
  intervalMs: number;
  /** Idempotent and resumable from its own cursor: killing the process at any point loses nothing. */
  run(ctx: JobContext): Promise<JobCounts>;
}

/**
 * The lease-based background runner shared by every job kind. Each process runs every enabled
 * kind on its own timer (never overlapping itself); jobs coordinate across replicas through
 * leases in PostgreSQL. One structured log line and metrics per run.
 */
@Injectable()
export class JobRunner implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  readonly holder = `${hostname()}:${process.pid}:${randomBase62(6)}`;
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<JobCounts | undefined>>();
  private stopped = false;
  private started = false;
  /** Per kind: end of the last run without error (performance.now() ms), for veritrail_job_lag_seconds. */
  private readonly lastOkAt = new Map<string, number>();
  private startedAt = performance.now();
  /** Runs that found nothing to do since the last summary line, per kind (they log no line of their own). */
  private readonly idleRuns = new Map<string, number>();
  private lastIdleSummaryAt = performance.now();

  constructor(
    private readonly leases: JobLeasesRepository,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    metrics.watchJobs(() =>
      [...this.jobs.values()]
        .filter((def) => this.isEnabled(def.kind))
        .map((def) => ({ kind: def.kind, intervalSeconds: def.intervalMs / 1000, lastOkAtMs: this.lastOkAt.get(def.kind) ?? this.startedAt })),
    );
  }

  /** True once shutdown began: long runs (exports) stop at their next checkpoint and hand their work back. */
  get stopping(): boolean {
    return this.stopped;
  }

  register(def: JobDefinition): void {
    if (this.jobs.has(def.kind)) throw new Error(`job kind ${def.kind} registered twice`);
    this.jobs.set(def.kind, def);
    if (this.started) this.schedule(def, def.intervalMs);
  }

  /**
   * Claims `key` for `ttlMs` unless a claim is still live, this process's own included: at most
   * once per `ttlMs` across replicas and restarts (a marker, never released: it just expires).
   */
  claimOnce(key: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.leases.claimMarker(key, holder, ttlMs);
  }

  /**
   * Embedded PostgreSQL belongs to one process (the data directory is locked), so a lease found
   * live at start was held by a process that died: release it now rather than wait up to its
   * TTL (60 s for sealing, 30 min for retention). With a PostgreSQL server other replicas may
   * hold them, so nothing is touched. claimOnce markers stay: they record work already done.
   */
  async onModuleInit(): Promise<void> {
    if (!isEmbeddedPostgres(this.config)) return;
    const released = await this.leases.releaseAllLeases();
    if (released.length > 0) this.logger.log({ count: released.length, keys: released.slice(0, 20) }, 'released leases of a previous process');
  }

  isEnabled(kind: string): boolean {
    const e = this.config.jobs.enabled;
    return e === 'all' || (e !== 'none' && e.includes(kind));
  }

  onApplicationBootstrap(): void {
    this.started = true;
    this.startedAt = performance.now();
    for (const def of this.jobs.values()) this.schedule(def, def.intervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Runs a job now (on demand, tests); joins a run already in progress. */
  async runNow(kind: string): Promise<JobCounts | undefined> {
    const def = this.jobs.get(kind);
    if (!def) throw new Error(`unknown job kind ${kind}`);
    return this.execute(def);
  }

  /**
   * Starts a run of `kind` soon (when enabled in this process) instead of at its next tick, e.g.
   * right after an export is requested. A kick during a run makes another run follow it, so work
   * queued while the current run was finishing is not left for the next interval.
   */
  kick(kind: string): void {
    const def = this.jobs.get(kind);
    if (!def || this.stopped || !this.started || !this.isEnabled(kind)) return;
    const inFlight = this.running.get(kind);
    // Attached after the timer chain's own continuation, so this one (delay 0) wins.
    if (inFlight) void inFlight.finally(() => this.schedule(def, 0));
    else this.schedule(def, 0);
  }

  readonly context: JobContext = {
    holder: this.holder,
    withLease: async <T>(key: string, ttlMs: number, fn: (holder: string) => Promise<T>) => {
      // One holder name per acquisition: a background run and an on-demand request in the same
      // process must exclude each other as two replicas would.
      const holder = `${this.holder}:${randomBase62(6)}`;
      if (!(await this.leases.tryAcquire(key, holder, ttlMs))) return { acquired: false as const };
      try {
        return { acquired: true as const, value: await fn(holder) };
      } finally {
        await this.leases.release(key, holder).catch((err: unknown) => this.logger.warn({ key, err: (err as Error).message }, 'lease release failed'));
      }
    },
  };

  private schedule(def: JobDefinition, delayMs: number): void {
    if (this.stopped || !this.isEnabled(def.kind)) return;
    clearTimeout(this.timers.get(def.kind)); // one pending timer per kind
    const timer = setTimeout(() => {
      void this.execute(def).finally(() => this.schedule(def, def.intervalMs));
    }, delayMs);
    timer.unref();
    this.timers.set(def.kind, timer);
  }

  private execute(def: JobDefinition): Promise<JobCounts | undefined> {
    const inFlight = this.running.get(def.kind);
    if (inFlight) return inFlight;
    const started = performance.now();
    const run = (async () => {
      try {
        // Background work shares one lane of the ClickHouse scheduler, whoever kicked it off.
        const counts = await runInLane(BACKGROUND_LANE, () => def.run(this.context));
        const ms = Math.round(performance.now() - started);
        this.lastOkAt.set(def.kind, performance.now());
        this.metrics.jobRuns.inc({ kind: def.kind, result: 'ok' });
        this.metrics.jobDuration.observe({ kind: def.kind }, ms / 1000);
        for (const [name, n] of Object.entries(counts)) if (n > 0) this.metrics.jobItems.inc({ kind: def.kind, item: name }, n);
        if (Object.values(counts).some((n) => n > 0)) this.logger.log({ job: def.kind, ...counts, ms }, 'job run finished');
        else this.countIdleRun(def.kind);
        return counts;
      } catch (err) {
        this.metrics.jobRuns.inc({ kind: def.kind, result: 'error' });
        this.logger.error({ job: def.kind, err: (err as Error).message, ms: Math.round(performance.now() - started) }, 'job run failed');
        return undefined;
      } finally {
        this.running.delete(def.kind);
      }
    })();
    this.running.set(def.kind, run);
    return run;
  }

  /**
   * A run that did nothing logs no line (an idle seal job alone ran every 250 ms); instead one
   * summary line at most every IDLE_SUMMARY_MS says how many idle runs each kind made.
   */
  private countIdleRun(kind: string): void {
    this.idleRuns.set(kind, (this.idleRuns.get(kind) ?? 0) + 1);
    const now = performance.now();
    if (now - this.lastIdleSummaryAt < IDLE_SUMMARY_MS) return;
    this.logger.log({ idle_runs: Object.fromEntries(this.idleRuns), window_s: Math.round((now - this.lastIdleSummaryAt) / 1000) }, 'jobs idle');
    this.idleRuns.clear();
    this.lastIdleSummaryAt = now;
  }
}

const IDLE_SUMMARY_MS = 10 * 60_000;
