// Above ~400 lines on purpose: the one querier for ClickHouse (embedded or server): query,
// insert, migrations, durability, error mapping and the circuit breaker all wrap the same
// client, so only this file knows which engine answers.
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient, ClickHouseError, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { Logger } from '@nestjs/common';
import { AppError, StorageUnavailableError } from '../../common/errors.js';
import { toClickhouseDateTime64 } from '../../common/time.js';
import type { AppConfig, StorageConfig } from '../../config/config.js';
import {
  createDatabase,
  createMigrationsTable,
  dataTables,
  durabilityStatement,
  hasDurability,
  insertSettings,
  sealerReadSettings,
  tableNames,
  type DdlTarget,
  type TableNames,
} from './ddl.js';
import { TENANT_SETTING } from './access.js';
import { currentLane, EngineScheduler, isTenantLane } from './engine-scheduler.js';
import { CLICKHOUSE_MIGRATIONS, migrationChecksum } from './migrations.js';
import { limitError, TooManyConcurrentQueriesError, withLimits, type QueryLimits } from './query-guard.js';

export { QueryTimeoutError, QueryTooExpensiveError } from './query-guard.js';

export type QueryParams = Record<string, unknown>;

/** ClickHouse error codes that mean "try again later", not "your query is wrong". */
const TRANSIENT_CODES = new Set([
  '3', // UNEXPECTED_END_OF_FILE
  '60', // UNKNOWN_TABLE (after migrations: the table was dropped or detached under us)
  '81', // UNKNOWN_DATABASE (likewise)
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '209', // SOCKET_TIMEOUT
  '210', // NETWORK_ERROR
  '241', // MEMORY_LIMIT_EXCEEDED (the server's; a query's own limit is query_too_expensive)
  '242', // TABLE_IS_READ_ONLY
  '243', // NOT_ENOUGH_SPACE
  '252', // TOO_MANY_PARTS
  '319', // UNKNOWN_STATUS_OF_INSERT
  '394', // QUERY_WAS_CANCELLED
  '425', // SYSTEM_ERROR
  '999', // KEEPER_EXCEPTION
]);

/**
 * The server (or chDB) answered with an error. Checked by shape as well as class: chDB builds its
 * errors with the CommonJS copy of the client library, which is a different class object than
 * the ESM copy imported here.
 */
function isClickHouseError(err: unknown): err is ClickHouseError {
  if (err instanceof ClickHouseError) return true;
  const e = err as { constructor?: { name?: string }; code?: unknown; type?: unknown };
  return e?.constructor?.name === 'ClickHouseError' && typeof e.code === 'string';
}

/**
 * The one querier for ClickHouse. Every statement goes through here with bound parameters
 * (`{name:Type}`); identifiers come only from {@link TableNames}. This class and ddl.ts are
 * the only code that knows whether chDB runs in-process or a server answers over HTTP.
 *
 * Every statement is scheduled fairly across lanes (a tenant's requests, the ingest writer,
 * background jobs: see engine-scheduler.ts); the lane comes from the async context the statement
 * is issued in, so callers need not pass it.
 */
type ChdbSessionClass = new (path: string, opts: { connectionArgs: string[] }) => { close(): void };

const MB = 1024 * 1024;

/**
 * Server configuration for the embedded engine: its caches are sized for a server with the
 * machine to itself (mark and index caches of 5 GB each, text-index caches of 1–2 GB); in the
 * API's process they are capped by EMBEDDED_CLICKHOUSE_MARK_CACHE_MB and _INDEX_CACHE_MB.
 */
export function embeddedEngineArgs(m: StorageConfig['embeddedMemory']): string[] {
  const mark = m.clickhouseMarkCacheMb * MB;
  const index = m.clickhouseIndexCacheMb * MB;
  return [
    `--mark_cache_size=${mark}`,
    `--index_mark_cache_size=${mark}`,
    `--primary_index_cache_size=${index}`,
    `--vector_similarity_index_cache_size=${index}`,
    `--text_index_tokens_cache_size=${index}`,
    `--text_index_header_cache_size=${index}`,
    `--text_index_postings_cache_size=${index}`,
    `--query_condition_cache_size=${index}`,
    '--uncompressed_cache_size=0',
    '--index_uncompressed_cache_size=0',
  ];
}

export class ClickHouseService {
  private readonly logger = new Logger('ClickHouse');
  readonly tables: TableNames;
  readonly target: DdlTarget;
  private readonly insertSettings: ClickHouseSettings;
  /** Settings for the sealer's reads of candidate events (sequential consistency on a cluster). */
  readonly sealerReadSettings: ClickHouseSettings;
  readonly scheduler: EngineScheduler;
  readonly durability: StorageConfig['durability'];
  /** Embedded mode: data directory of each data table, fsynced after an INSERT into it. */
  private readonly tableDirs = new Map<string, Promise<string | undefined>>();
  private readonly breaker: { threshold: number; cooldownMs: number };
  private failures = 0;
  /** 0 = closed; otherwise open until this performance.now() instant (a cool-down is elapsed time), then half-open. */
  private openUntil = 0;
  private probing = false;
  private readonly limits: QueryLimits;
  /** Reads of each tenant lane queued or running (the per-tenant concurrency cap). */
  private readonly tenantReads = new Map<string, number>();
  /**
   * Embedded mode: chDB applies per-statement settings as `SET` on its one session, so they would
   * stay in force for every later statement (a tenant's read limits on the ingest writer, one
   * query's `aggregate_functions_null_for_empty` on the next). Each statement therefore resets the
   * settings the previous one changed to the engine's defaults (read once at connect).
   */
  private sessionDefaults: Map<string, string> | undefined;
  /** Embedded mode: the chDB session that started the engine with {@link embeddedEngineArgs}. */
  private engineSession: { close(): void } | undefined;
  private sessionChanged = new Set<string>();

  /** Reads (the reader user under the row policy, when configured; else the main client). */
  private readonly readClient: ClickHouseClient;
  /** INSERTs (the insert-only user, when configured; else the main client). */
  private readonly writeClient: ClickHouseClient;
  /** Server mode with a reader user: tenant reads carry {@link TENANT_SETTING}, which its row policy checks. */
  private readonly tenantSetting: boolean;

  private constructor(
    private readonly client: ClickHouseClient,
    readonly mode: 'embedded' | 'server',
    target: DdlTarget,
    config: AppConfig['clickhouse'] & { storage: StorageConfig },
    access?: { reader: ClickHouseClient; writer: ClickHouseClient },
  ) {
    this.readClient = access?.reader ?? client;
    this.writeClient = access?.writer ?? client;
    this.tenantSetting = access !== undefined;
    this.target = target;
    this.tables = tableNames(target);
    this.breaker = config.breaker;
    this.durability = config.storage.durability;
    this.limits = config.storage.queryLimits;
    const cluster = mode === 'server' && target.cluster ? { quorum: config.storage.insertQuorum, quorumTimeoutMs: config.requestTimeoutMs } : undefined;
    this.insertSettings = insertSettings({ server: mode === 'server', asyncInsert: mode === 'server' && config.asyncInsert, cluster }) as ClickHouseSettings;
    this.sealerReadSettings = sealerReadSettings(target) as ClickHouseSettings;
    // chDB runs one statement at a time for the whole process whatever we send it; handing it
    // one at a time lets the scheduler, not arrival order, decide which goes next.
    this.scheduler = new EngineScheduler(mode === 'embedded' ? 1 : config.storage.maxConcurrentStatements);
  }

  static async connect(config: AppConfig): Promise<ClickHouseService> {
    const target: DdlTarget = { database: config.clickhouse.database, cluster: config.clickhouse.cluster };
    const settings: ClickHouseSettings = { output_format_json_quote_64bit_integers: 0 };
    if (config.clickhouse.url) {
      const url = config.clickhouse.url;
      const connect = (username: string, password: string) =>
        createClient({
          url,
          username,
          password,
          request_timeout: config.clickhouse.requestTimeoutMs,
          clickhouse_settings: settings,
          application: 'veritrail',
          // One socket per statement the scheduler lets through, plus one for /readyz pings.
          max_open_connections: config.storage.maxConcurrentStatements + 1,
        });
      const client = connect(config.clickhouse.user, config.clickhouse.password);
      const a = config.clickhouse.access;
      const access = a ? { reader: connect(a.reader.user, a.reader.password), writer: connect(a.writer.user, a.writer.password) } : undefined;
      return new ClickHouseService(client, 'server', target, { ...config.clickhouse, storage: config.storage }, access);
    }
    const path = join(config.dataDir, 'clickhouse');
    await mkdir(path, { recursive: true, mode: 0o700 });
    // chdb is an optional dependency (server images may omit its 540 MB): load it only here.
    let createChdbConnection: (o: { path: string }) => unknown;
    let Session: ChdbSessionClass;
    try {
      ({ createChdbConnection } = (await import('chdb/connection')) as { createChdbConnection: (o: { path: string }) => unknown });
      ({ Session } = (await import('chdb')) as unknown as { Session: ChdbSessionClass });
    } catch (err) {
      throw new Error('Embedded ClickHouse needs the optional "chdb" package; install it or set CLICKHOUSE_URL.', { cause: err });
    }
    // The engine is one per process and takes its server configuration when it starts: this
    // session starts it with caches sized for an embedded store (the engine's defaults are 5 GB
    // each), and the connection below shares it (same path). Kept open until close().
    const engine = new Session(path, { connectionArgs: embeddedEngineArgs(config.storage.embeddedMemory) });
    const client = createClient({
      connection: createChdbConnection({ path }) as never,
      clickhouse_settings: settings,
    });
    const service = new ClickHouseService(client, 'embedded', target, { ...config.clickhouse, storage: config.storage });
    service.engineSession = engine;
    const rs = await client.query({ query: 'SELECT name, default FROM system.settings', format: 'JSONEachRow' });
    service.sessionDefaults = new Map((await rs.json<{ name: string; default: string }>()).map((r) => [r.name, r.default]));
    return service;
  }

  /**
   * The settings a statement is sent with: in a tenant's lane with the query limits applied, and
   * in embedded mode with every setting the previous statement changed put back to its default.
   */
  private settingsFor(settings: ClickHouseSettings | undefined, guarded: boolean): ClickHouseSettings | undefined {
    const own = guarded ? (withLimits(settings as Record<string, unknown>, this.limits) as ClickHouseSettings) : settings;
    if (!this.sessionDefaults) return own;
    const out: Record<string, unknown> = {};
    for (const key of this.sessionChanged) {
      const d = this.sessionDefaults.get(key);
      if (d !== undefined) out[key] = d;
    }
    Object.assign(out, own);
    this.sessionChanged = new Set(Object.keys(own ?? {}));
    return Object.keys(out).length > 0 ? (out as ClickHouseSettings) : undefined;
  }

  /**
   * Runs a read: in a tenant's lane within the per-tenant cap (429 past it) and with the query
   * limits; elsewhere (jobs, ingest, operator) as given.
   */
  private read<T>(signal: AbortSignal | undefined, settings: ClickHouseSettings | undefined, fn: (s: ClickHouseSettings | undefined) => Promise<T>): Promise<T> {
    const lane = currentLane();
    if (!isTenantLane(lane)) return this.run(signal, () => fn(this.settingsFor(settings, false)));
    const cap = this.limits.tenantConcurrentQueries;
    const n = this.tenantReads.get(lane) ?? 0;
    if (cap > 0 && n >= cap) return Promise.reject(new TooManyConcurrentQueriesError(cap));
    this.tenantReads.set(lane, n + 1);
    const done = () => {
      const left = (this.tenantReads.get(lane) ?? 1) - 1;
      if (left <= 0) this.tenantReads.delete(lane);
      else this.tenantReads.set(lane, left);
    };
    const tenantId = lane.slice('tenant:'.length);
    const scoped = this.tenantSetting ? ({ ...settings, [TENANT_SETTING]: tenantId } as ClickHouseSettings) : settings;
    return this.run(signal, () => fn(this.settingsFor(scoped, true))).finally(done);
  }

  /** Creates the database and applies pending versioned migrations. Idempotent. */
  async migrate(): Promise<string[]> {
    await this.command(createDatabase(this.target));
    await this.command(createMigrationsTable(this.target));
    const applied = await this.adminQuery<{ version: number; checksum: string }>(`SELECT version, checksum FROM ${this.tables.migrations} ORDER BY version`);
    const done: string[] = [];
    for (const m of CLICKHOUSE_MIGRATIONS) {
      const checksum = migrationChecksum(m, this.target.database);
      const previous = applied.find((a) => a.version === m.version);
      if (previous) {
        if (previous.checksum !== checksum) {
          throw new Error(`ClickHouse migration ${m.version} (${m.name}) was modified after it was applied`);
        }
        continue;
      }
      for (const statement of m.statements(this.target)) {
        await this.command(statement);
      }
      await this.insertRows(this.tables.migrations, [
        JSON.stringify({ version: m.version, name: m.name, checksum, applied_at: toClickhouseDateTime64(Date.now()) }),
      ]);
      done.push(`${m.version}_${m.name}`);
    }
    await this.applyDurability();
    return done;
  }

  /**
   * Puts the fsync table settings of DURABILITY on every data table (or removes them), when they
   * differ from what the tables carry: a metadata change, nothing is rewritten.
   */
  private async applyDurability(): Promise<void> {
    const tables = dataTables(this.target);
    const rows = await this.adminQuery<{ name: string; engine_full: string }>(
      'SELECT name, engine_full FROM system.tables WHERE database = {database:String} AND name IN {names:Array(String)}',
      { database: this.target.database, names: tables.map((t) => t.name) },
    );
    for (const t of tables) {
      const row = rows.find((r) => r.name === t.name);
      if (!row || hasDurability(row.engine_full, this.durability)) continue;
      await this.command(durabilityStatement(this.target, t.table, this.durability));
      this.logger.log({ table: t.name, durability: this.durability }, 'ClickHouse table durability settings applied');
    }
  }

  /** Migrations' own reads: as the main (administrating) user, before a reader may exist. */
  private adminQuery<T>(sql: string, params: QueryParams = {}): Promise<T[]> {
    return this.run(undefined, async () => {
      const rs = await this.client.query({ query: sql, query_params: params, format: 'JSONEachRow', clickhouse_settings: this.settingsFor(undefined, false) });
      return rs.json<T>();
    });
  }

  /** SELECT returning rows as objects (JSONEachRow). */
  async query<T>(sql: string, params: QueryParams = {}, opts: { signal?: AbortSignal; settings?: ClickHouseSettings } = {}): Promise<T[]> {
    return this.read(opts.signal, opts.settings, async (settings) => {
      const rs = await this.readClient.query({
        query: sql,
        query_params: params,
        format: 'JSONEachRow',
        abort_signal: opts.signal,
        clickhouse_settings: settings,
      });
      return rs.json<T>();
    });
  }

  /**
   * SELECT returning the raw text of the result in `format` (e.g. TabSeparatedRaw: one value per
   * line, unescaped), for reads that pass stored text through without parsing each row.
   */
  async queryText(sql: string, params: QueryParams = {}, opts: { format: 'TabSeparatedRaw'; settings?: ClickHouseSettings }): Promise<string> {
    return this.read(undefined, opts.settings, async (settings) => {
      const rs = await this.readClient.query({ query: sql, query_params: params, format: opts.format, clickhouse_settings: settings });
      return rs.text();
    });
  }

  /** DDL or mutation without a result. */
  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.run(undefined, () => this.client.command({ query: sql, query_params: params, clickhouse_settings: this.settingsFor(undefined, false) }));
  }

  /**
   * Inserts pre-serialised JSONEachRow lines in one INSERT. The caller serialises each row
   * once, on its own request, so a group-commit flush only joins strings. Resolves once the rows
   * are as durable as DURABILITY promises (and, on a cluster, replicated to the insert quorum).
   */
  /**
   * `lines` may be a function: it is called once, when the engine grants the statement its turn,
   * so rows that arrive while the INSERT waits for the engine still go into it (group commit).
   */
  async insertRows(table: string, lines: readonly string[] | (() => readonly string[])): Promise<void> {
    if (typeof lines !== 'function' && lines.length === 0) return;
    const dir = this.mode === 'embedded' && this.durability === 'fsync' ? await this.tableDir(table) : undefined;
    await this.run(undefined, async () => {
      const rows = typeof lines === 'function' ? lines() : lines;
      if (rows.length === 0) return;
      const result = await this.writeClient.exec({
        query: `INSERT INTO ${table} FORMAT JSONEachRow`,
        values: Readable.from([rows.join('\n')]),
        clickhouse_settings: this.settingsFor(this.insertSettings, false),
      });
      result.stream.destroy();
      // ClickHouse fsyncs the part's files and the part directory after renaming it into place;
      // the rename itself is an entry in the table's directory, which it does not fsync.
      if (dir) await fsyncDirectory(dir);
    });
  }

  /** The data directory of one of our data tables (embedded mode), looked up once. */
  private tableDir(table: string): Promise<string | undefined> {
    let dir = this.tableDirs.get(table);
    if (!dir) {
      const known = dataTables(this.target).find((t) => t.table === table);
      dir = known
        ? this.query<{ path: string }>('SELECT data_paths[1] AS path FROM system.tables WHERE database = {database:String} AND name = {name:String}', {
            database: this.target.database,
            name: known.name,
          }).then((r) => r[0]?.path || undefined)
        : Promise.resolve(undefined);
      this.tableDirs.set(table, dir);
      dir.catch(() => this.tableDirs.delete(table));
    }
    return dir;
  }

  async ping(): Promise<boolean> {
    try {
      const r = await this.client.ping();
      return r.success;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
    if (this.readClient !== this.client) await this.readClient.close();
    if (this.writeClient !== this.client) await this.writeClient.close();
    this.engineSession?.close();
    this.engineSession = undefined;
  }

  /** Maps driver errors to the API's error family; details go to the log only. */
  /**
   * Circuit breaker (TEST-CATALOG DU-06): after CLICKHOUSE_BREAKER_THRESHOLD consecutive
   * "unavailable" failures (unreachable, refused, disk full, too many parts…) statements fail
   * fast with 503 for CLICKHOUSE_BREAKER_COOLDOWN_MS instead of piling onto a store that is
   * down; then one probe statement is let through (half-open): success closes the circuit,
   * failure opens it again. Query bugs and slow queries (504) do not count.
   */
  get breakerOpen(): boolean {
    return this.openUntil !== 0;
  }

  /** closed; open (failing fast until the cool-down ends); half_open (the next statement is the probe). */
  get breakerState(): 'closed' | 'open' | 'half_open' {
    if (this.openUntil === 0) return 'closed';
    return performance.now() < this.openUntil || this.probing ? 'open' : 'half_open';
  }

  /** Schedules a statement in the caller's lane; the breaker is consulted when its turn comes. */
  private run<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    return this.scheduler.schedule(currentLane(), () => this.guarded(fn), signal);
  }

  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    const now = performance.now();
    let probe = false;
    if (this.openUntil !== 0) {
      if (now < this.openUntil || this.probing) throw this.openError(now);
      this.probing = probe = true;
    }
    try {
      const result = await this.classify(fn);
      if (this.failures > 0 || this.openUntil !== 0) {
        if (this.openUntil !== 0) this.logger.log('ClickHouse answers again: circuit closed');
        this.failures = 0;
        this.openUntil = 0;
      }
      return result;
    } catch (err) {
      if (err instanceof StorageUnavailableError && !(err instanceof BreakerOpenError)) {
        this.failures++;
        if (probe || this.failures >= this.breaker.threshold) {
          if (this.openUntil === 0) this.logger.warn({ failures: this.failures, cooldown_ms: this.breaker.cooldownMs }, 'ClickHouse keeps failing: circuit open');
          this.openUntil = performance.now() + this.breaker.cooldownMs;
        }
      }
      throw err;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private openError(now: number): BreakerOpenError {
    return new BreakerOpenError(Math.max(1, Math.ceil((this.openUntil - now) / 1000)));
  }

  private async classify<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (isClickHouseError(err)) {
        const limited = limitError(err.code, err.message);
        if (limited) throw limited;
        if (TRANSIENT_CODES.has(err.code)) {
          this.logger.warn({ code: err.code, type: err.type }, 'ClickHouse refused a statement');
          throw new StorageUnavailableError(undefined, err);
        }
        // Our SQL or schema is wrong: a bug, reported as 500 with the detail in the log.
        throw err;
      }
      const name = (err as Error)?.name;
      if (name === 'AbortError') throw err;
      this.logger.warn({ err: { message: (err as Error)?.message, code: (err as { code?: string })?.code } }, 'ClickHouse unreachable');
      throw new StorageUnavailableError(undefined, err);
    }
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Refused without trying: the circuit is open. */
class BreakerOpenError extends StorageUnavailableError {
  constructor(retryAfterSeconds: number) {
    super('Storage is temporarily unavailable; nothing was stored. Retry later.');
    (this as { headers?: Record<string, string> }).headers = { 'retry-after': String(retryAfterSeconds) };
  }
}
