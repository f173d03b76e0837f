// Above ~400 lines on purpose: the one place where every environment variable is read,
// validated and documented (AppConfig); loadConfig collects all problems into one error, which
// needs the readers and the shape together.
import { dirname, join, resolve } from 'node:path';
import proxyAddr from '@fastify/proxy-addr';
import { validKeyName } from '../common/note-key-name.js';
import type { AccessUsers } from '../storage/clickhouse/access.js';
import type { QueryLimits } from '../storage/clickhouse/query-guard.js';
import type { RateLimits } from '../tenancy/rate-limits.js';

/**
 * The whole runtime configuration, validated once at start into real numbers and booleans.
 * Every bad variable is reported in one error (see {@link ConfigError}).
 */
export interface AppConfig {
  http: {
    port: number;
    host: string;
    /** Largest accepted request body (the batch endpoint's 5 MB limit plus framing). */
    bodyLimitBytes: number;
    /** Which peers may speak for the client in X-Forwarded-For/-Proto/-Host (see {@link TrustProxy}). */
    trustProxy: TrustProxy;
    /**
     * Origin (and optional path prefix) of every absolute link the server generates, e.g.
     * `https://audit.example.com`, without a trailing slash. Unset: taken from each request.
     */
    publicUrl: string | undefined;
  };
  /** Embedded stores live under here: `<dataDir>/postgres`, `<dataDir>/clickhouse`. */
  dataDir: string;
  /** Operator token for /admin/v1. Always set after {@link resolveAdminToken} ran. */
  adminToken: string | undefined;
  postgres: {
    /** Unset: embedded PGlite under `<dataDir>/postgres`. */
    url: string | undefined;
    poolSize: number;
  };
  clickhouse: {
    /** Unset: embedded chDB under `<dataDir>/clickhouse`. */
    url: string | undefined;
    user: string;
    password: string;
    database: string;
    /** Server mode only: run DDL ON CLUSTER and use Replicated/Distributed tables. */
    cluster: string | undefined;
    requestTimeoutMs: number;
    /** Server mode only: let the server buffer inserts (always with wait_for_async_insert=1). */
    asyncInsert: boolean;
    /** Circuit breaker: consecutive unavailable failures that open it, and how long it stays open. */
    breaker: { threshold: number; cooldownMs: number };
    /**
     * Server mode, optional (TN-05): reads as this read-only user under the tenant row policy,
     * inserts as this insert-only user; `user`/`password` above then only run migrations and DDL.
     */
    access: AccessUsers | undefined;
  };
  /** ClickHouse durability, replication and scheduling (docs/operations.md). */
  storage: StorageConfig;
  /** `pretty`: readable lines (pino-pretty); `json`: one JSON object per line. */
  log: { level: LogLevel; format: 'json' | 'pretty' };
  ingest: {
    /** How long the group-commit writer waits for more rows after the first one arrives. */
    flushIntervalMs: number;
    maxBatchEvents: number;
    /** Rows waiting for a flush beyond this are refused with 503 + Retry-After. */
    maxQueuedEvents: number;
    maxConcurrentFlushes: number;
  };
  /** Per-tenant rate limits before plan and tenant overrides (src/tenancy/rate-limits.ts); 0 = none. */
  rateLimits: RateLimits & {
    /** `memory`: counted per process; `postgres`: one count shared by every replica (rate_limit_counters). */
    store: 'memory' | 'postgres';
  };
  auth: {
    /** How long a verified API key is trusted without asking PostgreSQL again (other replicas see revocations after at most this). */
    cacheTtlMs: number;
    /** Failed API-key authentications per client IP and minute before that IP gets 429 (0 = off). */
    failuresPerMinute: number;
  };
  idempotency: {
    ttlMs: number;
    /** A request holding a key longer than this is presumed dead and its key may be taken over. */
    leaseMs: number;
  };
  tenants: { defaultRetentionDays: number };
  integrity: {
    /** How often each tenant's head is signed into a checkpoint (proofs and evidence are against checkpoints). */
    sealIntervalMs: number;
    /** How often newly received events are appended to the tenants' Merkle logs (what feed, webhooks and alerts follow). */
    appendIntervalMs: number;
    /** Ed25519 signing keys (JSON key file). Unset in embedded mode: DATA_DIR/signing-keys.json, generated. */
    signingKeysFile: string;
    /**
     * Ed25519 keys that sign the C2SP checkpoint notes (same file format as the signing keys,
     * separate keys). Unset: note-keys.json beside the signing keys file, generated when missing.
     */
    noteKeysFile: string;
    /**
     * Key name of the note keys, and the prefix of every tenant log's origin line
     * (`<name>/<tenant id>`). Unset: PUBLIC_URL without its scheme, else `veritrail.invalid/<id>`
     * from the oldest note key.
     */
    noteName: string | undefined;
    /** Root checkpoints (of the deployment-wide root log) are signed at most this often. */
    rootCheckpointIntervalMs: number;
    /** Witnesses (c2sp.org/tlog-witness) the root checkpoints are sent to: cosigner verifier key and submission URL. */
    witnesses: { vkey: string; url: string }[];
    /** Cosignatures a root checkpoint needs before it is announced as final (0: final when signed). */
    witnessThreshold: number;
    /** RFC 3161 time-stamping authority that timestamps each root checkpoint (unset: none). */
    tsaUrl: string | undefined;
  };
  exports: {
    /** Finished export files are deleted this long after they were produced. */
    retentionMs: number;
    /** GET /v1/events/export refuses ranges holding more events than this (use POST /v1/exports). */
    directMaxEvents: number;
    /** Unset: files live under `<dataDir>/exports`. Set: an S3-compatible bucket. */
    s3: S3Config | undefined;
    /** Exports this process produces at the same time (all tenants together). */
    workers: number;
    /** Exports of one tenant produced at the same time, across every replica. */
    tenantConcurrency: number;
    /** Unfinished (queued or running) exports one tenant may have; past it POST /v1/exports answers 429. */
    tenantQueueMax: number;
  };
  webhooks: {
    /** Let destinations reach private/loopback addresses (WEBHOOKS_ALLOW_PRIVATE, an explicit opt-in warned about at start). Off by default in every mode. */
    allowPrivate: boolean;
    connectTimeoutMs: number;
    /** Whole request: connect, send, response headers and the first KB of the body. */
    timeoutMs: number;
    /** Deliveries in flight per process, all destinations together (one per destination at a time). */
    concurrency: number;
    /** A destination failing without a single success for this long is disabled. */
    disableAfterMs: number;
    /** Delays after the 1st, 2nd, … consecutive failure (the last repeats), before ±20 % jitter. */
    retryScheduleMs: number[];
  };
  alerts: {
    /** How often the evaluator looks for newly sealed events to run the alert rules on. */
    intervalMs: number;
    /** Log positions evaluated per step (one commit of alerts and cursors each). */
    batchEvents: number;
    /** Processing time one rule may take on one step; a rule over it is disabled as poisoned. */
    ruleBudgetMs: number;
  };
  privacy: {
    /** Base64 AES-256 master key (PRIVACY_MASTER_KEY); wins over the file. */
    masterKey: string | undefined;
    /** File holding the base64 master key. Embedded mode: DATA_DIR/privacy-master.key, generated. */
    masterKeyFile: string;
    /** Generate the key file when it is missing (embedded mode only: replicas must share one key). */
    generateMasterKey: boolean;
    /**
     * Directory of the key-encryption keys (one small file each, wrapped by the master key) that
     * wrap the subject keys; erasure deletes files here. Every replica must see the same directory.
     */
    kekDir: string;
    /** How often new events are scanned for data-subject notices. */
    noticeIntervalMs: number;
  };
  retention: {
    /** How often expired events are physically deleted (the read path hides them at once). */
    jobIntervalMs: number;
    /** Upper bound for any retention a tenant sets. */
    maxDays: number;
  };
  viewer: {
    /** Serve /demo (creates one demo tenant on first visit). Off unless VIEWER_DEMO=true. */
    demo: boolean;
  };
  /** Background job kinds this process runs: every kind, none, or a list (e.g. API-only replicas). */
  jobs: { enabled: 'all' | 'none' | string[] };
  billing: {
    /** Unset (no STRIPE_SECRET_KEY): billing is off and every tenant is on the self-hosted unlimited plan. */
    stripe: StripeConfig | undefined;
    /** How long a subscription whose payment failed keeps its plan before the tenant drops to the free plan. */
    gracePeriodMs: number;
    /** How often the billing job meters usage, reports it to Stripe and ends expired grace periods. */
    jobIntervalMs: number;
  };
  /** Clock-skew reporting against PostgreSQL's clock (src/observability/clock-skew.ts); interval 0 = off. */
  clock: { checkIntervalMs: number; warnMs: number };
}

/**
 * TRUST_PROXY: `false` (no proxy: the socket's peer is the client); `{ hops }` (the nearest
 * `hops` peers are proxies, whoever they are — only safe when nothing else can reach the port);
 * `{ addresses }` (peers in these addresses/CIDRs, or proxy-addr's names `loopback`,
 * `linklocal`, `uniquelocal`, are proxies). The client is the address the last trusted proxy saw.
 */
export type TrustProxy = false | { hops: number } | { addresses: string[] };

export interface StorageConfig {
  /** `fsync`: an acknowledged INSERT is on disk (survives power loss); `none`: in the page cache only. */
  durability: 'fsync' | 'none';
  /** Server mode: ClickHouse statements in flight at once per process (embedded chDB runs one at a time). */
  maxConcurrentStatements: number;
  /** Cluster mode: replicas of a shard that must hold an INSERT before it is acknowledged. */
  insertQuorum: 'auto' | number;
  /** Limits on every ClickHouse read a tenant's request makes (src/storage/clickhouse/query-guard.ts). */
  queryLimits: QueryLimits;
  /** Embedded mode only: how much memory the in-process stores may keep (docs/operations.md, "Memory"). */
  embeddedMemory: EmbeddedMemory;
}

export interface EmbeddedMemory {
  /** PGlite's shared_buffers, in MB (PostgreSQL's own default is 128). */
  postgresSharedBuffersMb: number;
  /** chDB's mark caches (mark_cache_size, index_mark_cache_size), in MB each (the engine's default is 5 GB). */
  clickhouseMarkCacheMb: number;
  /** chDB's index caches (primary, skipping, text and vector indexes, query conditions), in MB each. */
  clickhouseIndexCacheMb: number;
}

export interface S3Config {
  /** Unset: AWS S3 itself. Set (e.g. http://127.0.0.1:9000): any S3-compatible service. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** Path-style URLs (bucket in the path): what most S3-compatible services expect. */
  forcePathStyle: boolean;
  /** Key prefix for export objects. */
  prefix: string;
}

export interface StripeConfig {
  secretKey: string;
  /** Signing secret of the Stripe webhook endpoint (whsec_…). */
  webhookSecret: string;
  /** Unset: api.stripe.com. Set (tests, stripe-mock): another Stripe-compatible endpoint. */
  api: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  /** Plan id → the recurring price a checkout subscribes to (quantity 1). */
  prices: Record<string, string>;
  /** Plan id → the usage-based price attached to the meter (no quantity). */
  meteredPrices: Record<string, string>;
  /** `event_name` of the Stripe meter that usage is reported to. */
  meterEventName: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment. Throws {@link ConfigError} listing every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const r = new EnvReader(env, problems);

  const postgresUrl = r.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const clickhouseUrl = r.url('CLICKHOUSE_URL', ['http:', 'https:']);
  const adminToken = r.string('ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 24) {
    problems.push('ADMIN_TOKEN: must be at least 24 characters');
  }
  if ((postgresUrl || clickhouseUrl) && !adminToken) {
    problems.push('ADMIN_TOKEN: required when DATABASE_URL or CLICKHOUSE_URL is set (server mode)');
  }
  const cluster = r.string('CLICKHOUSE_CLUSTER');
  if (cluster && !clickhouseUrl) problems.push('CLICKHOUSE_CLUSTER: only valid together with CLICKHOUSE_URL');
  if (cluster && !/^[A-Za-z0-9_]+$/.test(cluster)) problems.push('CLICKHOUSE_CLUSTER: letters, digits and _ only');
  const database = r.string('CLICKHOUSE_DATABASE') ?? 'veritrail';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(database)) {
    problems.push('CLICKHOUSE_DATABASE: must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$');
  }
  // Embedded mode is also what people run on a laptop or a single VM: keep it private by default.
  const embedded = !postgresUrl && !clickhouseUrl;
  const level = (r.string('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level)) problems.push(`LOG_LEVEL: one of ${LOG_LEVELS.join(', ')}`);
  // auto: readable lines on a terminal, JSON when stdout is a pipe or a file (log collectors).
  const logFormat = r.string('LOG_FORMAT') ?? 'auto';
  if (!['auto', 'json', 'pretty'].includes(logFormat)) problems.push('LOG_FORMAT: auto, json or pretty');

  const config: AppConfig = {
    http: {
      port: r.int('PORT', 8080, 0, 65535),
      host: r.string('HOST') ?? (embedded ? '127.0.0.1' : '0.0.0.0'),
      bodyLimitBytes: r.int('HTTP_BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024, 64 * 1024 * 1024),
      trustProxy: parseTrustProxy(r.string('TRUST_PROXY'), problems),
      publicUrl: parsePublicUrl(r.string('PUBLIC_URL'), problems),
    },
    dataDir: resolve(r.string('DATA_DIR') ?? './data'),
    adminToken,
    postgres: { url: postgresUrl, poolSize: r.int('DATABASE_POOL_SIZE', 10, 1, 200) },
    clickhouse: {
      url: clickhouseUrl,
      user: r.string('CLICKHOUSE_USER') ?? 'default',
      password: r.string('CLICKHOUSE_PASSWORD') ?? '',
      database,
      cluster,
      requestTimeoutMs: r.int('CLICKHOUSE_REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000),
      asyncInsert: r.bool('CLICKHOUSE_ASYNC_INSERT', false),
      breaker: { threshold: r.int('CLICKHOUSE_BREAKER_THRESHOLD', 5, 1, 1000), cooldownMs: r.int('CLICKHOUSE_BREAKER_COOLDOWN_MS', 2_000, 100, 300_000) },
      access: parseAccessUsers(r, problems, clickhouseUrl),
    },
    storage: parseStorage(r, problems, cluster),
    log: { level, format: logFormat === 'auto' ? (process.stdout.isTTY ? 'pretty' : 'json') : (logFormat as 'json' | 'pretty') },
    ingest: {
      flushIntervalMs: r.int('INGEST_FLUSH_INTERVAL_MS', 4, 0, 1000),
      maxBatchEvents: r.int('INGEST_MAX_BATCH_EVENTS', 20_000, 1, 1_000_000),
      maxQueuedEvents: r.int('INGEST_MAX_QUEUED_EVENTS', 100_000, 1, 10_000_000),
      maxConcurrentFlushes: r.int('INGEST_MAX_CONCURRENT_FLUSHES', 1, 1, 64),
    },
    rateLimits: {
      ingestEventsPerSecond: r.int('RATE_LIMIT_INGEST_EVENTS_PER_SECOND', 50_000, 0, 10_000_000),
      ingestRequestsPerSecond: r.int('RATE_LIMIT_INGEST_REQUESTS_PER_SECOND', 2_000, 0, 1_000_000),
      readRequestsPerSecond: r.int('RATE_LIMIT_READ_REQUESTS_PER_SECOND', 1_000, 0, 1_000_000),
      store: parseRateLimitStore(r.string('RATE_LIMIT_STORE'), problems),
    },
    auth: { cacheTtlMs: r.int('AUTH_CACHE_TTL_MS', 5_000, 0, 300_000), failuresPerMinute: r.int('AUTH_FAILURES_PER_MINUTE', 100, 0, 1_000_000) },
    idempotency: {
      ttlMs: r.int('IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 30) * 3_600_000,
      leaseMs: r.int('IDEMPOTENCY_LEASE_MS', 15_000, 100, 600_000),
    },
    tenants: { defaultRetentionDays: r.int('DEFAULT_RETENTION_DAYS', 365, 1, 36_500) },
    integrity: {
      sealIntervalMs: r.duration('SEAL_INTERVAL', 10_000, 100, 3_600_000),
      appendIntervalMs: r.duration('LOG_APPEND_INTERVAL', 500, 50, 3_600_000),
      signingKeysFile: resolve(r.string('SIGNING_KEYS_FILE') ?? `${r.string('DATA_DIR') ?? './data'}/signing-keys.json`),
      noteKeysFile: resolve(r.string('NOTE_KEYS_FILE') ?? join(dirname(resolve(r.string('SIGNING_KEYS_FILE') ?? `${r.string('DATA_DIR') ?? './data'}/signing-keys.json`)), 'note-keys.json')),
      noteName: parseNoteName(r.string('NOTE_NAME'), problems),
      rootCheckpointIntervalMs: r.duration('ROOT_CHECKPOINT_INTERVAL', 60_000, 1_000, 86_400_000),
      ...parseWitnesses(r.string('WITNESSES'), r.int('WITNESS_THRESHOLD', 0, 0, 32), problems),
      tsaUrl: r.url('TSA_URL', ['http:', 'https:']),
    },
    exports: {
      retentionMs: r.duration('EXPORT_RETENTION', 7 * 86_400_000, 60_000, 365 * 86_400_000),
      directMaxEvents: r.int('EXPORT_DIRECT_MAX_EVENTS', 100_000, 1, 10_000_000),
      s3: parseS3(r, problems),
      workers: r.int('EXPORT_WORKERS', 2, 1, 32),
      tenantConcurrency: r.int('EXPORT_TENANT_CONCURRENCY', 1, 1, 32),
      tenantQueueMax: r.int('EXPORT_TENANT_QUEUE_MAX', 10, 1, 10_000),
    },
    webhooks: {
      allowPrivate: r.bool('WEBHOOKS_ALLOW_PRIVATE', false),
      connectTimeoutMs: r.int('WEBHOOK_CONNECT_TIMEOUT_MS', 5_000, 100, 30_000),
      timeoutMs: r.int('WEBHOOK_TIMEOUT_MS', 15_000, 100, 30_000),
      concurrency: r.int('WEBHOOK_CONCURRENCY', 16, 1, 256),
      disableAfterMs: r.duration('WEBHOOK_DISABLE_AFTER', 3 * 86_400_000, 1_000, 30 * 86_400_000),
      retryScheduleMs: parseSchedule(r.string('WEBHOOK_RETRY_SCHEDULE'), problems),
    },
    alerts: {
      intervalMs: r.duration('ALERTS_INTERVAL', 5_000, 100, 3_600_000),
      batchEvents: r.int('ALERTS_BATCH_EVENTS', 5_000, 10, 100_000),
      ruleBudgetMs: r.duration('ALERTS_RULE_BUDGET', 2_000, 1, 60_000),
    },
    privacy: {
      masterKey: parseMasterKey(r.string('PRIVACY_MASTER_KEY'), problems),
      masterKeyFile: resolve(r.string('PRIVACY_MASTER_KEY_FILE') ?? `${r.string('DATA_DIR') ?? './data'}/privacy-master.key`),
      generateMasterKey: embedded,
      kekDir: resolve(r.string('PRIVACY_KEK_DIR') ?? `${r.string('DATA_DIR') ?? './data'}/privacy-keks`),
      noticeIntervalMs: r.duration('PRIVACY_NOTICE_INTERVAL', 10_000, 100, 3_600_000),
    },
    retention: {
      jobIntervalMs: r.duration('RETENTION_INTERVAL', 3_600_000, 1_000, 86_400_000),
      maxDays: r.int('MAX_RETENTION_DAYS', 3_650, 1, 36_500),
    },
    viewer: { demo: r.bool('VIEWER_DEMO', false) },
    jobs: { enabled: parseJobs(r.string('JOBS'), problems) },
    billing: {
      stripe: parseStripe(r, problems),
      gracePeriodMs: r.duration('BILLING_GRACE_PERIOD', 7 * 86_400_000, 0, 90 * 86_400_000),
      jobIntervalMs: r.duration('BILLING_JOB_INTERVAL', 60_000, 1_000, 3_600_000),
    },
    clock: {
      checkIntervalMs: r.duration('CLOCK_SKEW_CHECK_INTERVAL', 30_000, 0, 3_600_000),
      warnMs: r.int('CLOCK_SKEW_WARN_MS', 2_000, 1, 3_600_000),
    },
  };
  if ((postgresUrl || clickhouseUrl) && !r.string('SIGNING_KEYS_FILE')) {
    problems.push('SIGNING_KEYS_FILE: required in server mode, so every replica signs with the same keys (create one with `veritrail keys generate <file>`)');
  }
  if ((postgresUrl || clickhouseUrl) && !r.string('PRIVACY_MASTER_KEY') && !r.string('PRIVACY_MASTER_KEY_FILE')) {
    problems.push('PRIVACY_MASTER_KEY or PRIVACY_MASTER_KEY_FILE: required in server mode, so every replica unwraps the same data keys (create one with `veritrail keys generate-master <file>`)');
  }
  if (config.tenants.defaultRetentionDays > config.retention.maxDays) {
    problems.push('DEFAULT_RETENTION_DAYS: must not exceed MAX_RETENTION_DAYS');
  }
  // A cluster acknowledges only quorum-replicated, synchronously distributed inserts; buffered
  // (async) inserts would reopen the gap between the acknowledgement and the rows.
  if (config.clickhouse.cluster && config.clickhouse.asyncInsert) {
    problems.push('CLICKHOUSE_ASYNC_INSERT: not supported with CLICKHOUSE_CLUSTER (cluster inserts are synchronous and quorum-replicated)');
  }
  if (config.ingest.maxQueuedEvents < config.ingest.maxBatchEvents) {
    problems.push('INGEST_MAX_QUEUED_EVENTS: must be at least INGEST_MAX_BATCH_EVENTS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

// --- HTTP: proxies and the public address ---

const TRUST_PROXY_HELP =
  'TRUST_PROXY: false, true (one hop), a number of hops (1–10), or a comma-separated list of proxy addresses/CIDRs (e.g. 10.0.0.0/8,127.0.0.1; also loopback, linklocal, uniquelocal)';

function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (['false', '0', 'no'].includes(lower)) return false;
  // `true` used to trust every peer (the left-most X-Forwarded-For, which the client writes);
  // it now means the one proxy in front of us, whose appended entry is the client.
  if (['true', 'yes'].includes(lower)) return { hops: 1 };
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return { hops };
    problems.push(TRUST_PROXY_HELP);
    return false;
  }
  const addresses = raw.split(',').map((a) => a.trim()).filter(Boolean);
  if (addresses.length === 0) {
    problems.push(TRUST_PROXY_HELP);
    return false;
  }
  try {
    // The same parser Fastify applies to the list (proxy-addr), so what passes here works there.
    proxyAddr.compile(addresses);
  } catch {
    problems.push(TRUST_PROXY_HELP);
    return false;
  }
  return { addresses };
}

/** NOTE_NAME: a C2SP key name (non-empty, no spaces, no `+`), e.g. `audit.example.com/veritrail`. */
/**
 * WITNESSES: entries separated by commas or newlines, each `<cosigner verifier key> <URL>`
 * (the key's name is the witness's name). The key's id is checked where it is parsed (integrity).
 */
function parseWitnesses(raw: string | undefined, threshold: number, problems: string[]): { witnesses: { vkey: string; url: string }[]; witnessThreshold: number } {
  const witnesses: { vkey: string; url: string }[] = [];
  for (const entry of (raw ?? '').split(/[,\n]/).map((e) => e.trim()).filter((e) => e !== '')) {
    const m = /^(\S+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2})\s+(https?:\/\/\S+)$/.exec(entry);
    if (!m) {
      problems.push('WITNESSES: each entry is `<name>+<hex key id>+<base64 key> <http(s) URL>`, entries separated by commas');
      continue;
    }
    witnesses.push({ vkey: m[1]!, url: m[2]! });
  }
  const names = witnesses.map((w) => w.vkey.split('+')[0]);
  if (new Set(names).size !== names.length) problems.push('WITNESSES: two entries with one witness name');
  if (threshold > witnesses.length) problems.push(`WITNESS_THRESHOLD: ${threshold} cosignatures required but ${witnesses.length} witness(es) configured`);
  return { witnesses, witnessThreshold: threshold };
}

function parseNoteName(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  if (!validKeyName(raw) || raw.length > 200) {
    problems.push('NOTE_NAME: a key name of at most 200 characters without spaces or "+" (e.g. audit.example.com/veritrail)');
    return undefined;
  }
  return raw;
}

function parsePublicUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    problems.push('PUBLIC_URL: not a valid URL (e.g. https://audit.example.com)');
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push('PUBLIC_URL: must start with https:// or http://');
  else if (u.username || u.password || u.search || u.hash || raw.includes('?') || raw.includes('#')) {
    problems.push('PUBLIC_URL: an origin and optional path only, without credentials, query or fragment');
  } else return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  return undefined;
}

function parseAccessUsers(r: EnvReader, problems: string[], url: string | undefined): AccessUsers | undefined {
  const reader = r.string('CLICKHOUSE_READER_USER');
  const writer = r.string('CLICKHOUSE_WRITER_USER');
  const readerPassword = r.string('CLICKHOUSE_READER_PASSWORD') ?? '';
  const writerPassword = r.string('CLICKHOUSE_WRITER_PASSWORD') ?? '';
  if (reader === undefined && writer === undefined) return undefined;
  const before = problems.length;
  if (!url) problems.push('CLICKHOUSE_READER_USER/CLICKHOUSE_WRITER_USER: only valid together with CLICKHOUSE_URL (chDB has no users)');
  if (reader === undefined || writer === undefined) problems.push('CLICKHOUSE_READER_USER and CLICKHOUSE_WRITER_USER: set both or neither');
  for (const [name, v] of [['CLICKHOUSE_READER_USER', reader], ['CLICKHOUSE_WRITER_USER', writer]] as const) {
    if (v !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v)) problems.push(`${name}: letters, digits and _ only`);
  }
  if (reader !== undefined && reader === writer) problems.push('CLICKHOUSE_READER_USER and CLICKHOUSE_WRITER_USER: must be different users');
  if (problems.length > before || reader === undefined || writer === undefined) return undefined;
  return { reader: { user: reader, password: readerPassword }, writer: { user: writer, password: writerPassword } };
}

function parseRateLimitStore(raw: string | undefined, problems: string[]): 'memory' | 'postgres' {
  if (raw === undefined || raw === 'memory') return 'memory';
  if (raw === 'postgres') return 'postgres';
  problems.push('RATE_LIMIT_STORE: memory or postgres');
  return 'memory';
}

function parseStorage(r: EnvReader, problems: string[], cluster: string | undefined): StorageConfig {
  const durability = r.string('DURABILITY') ?? 'fsync';
  if (durability !== 'fsync' && durability !== 'none') problems.push('DURABILITY: fsync or none');
  const quorumRaw = r.string('CLICKHOUSE_INSERT_QUORUM') ?? 'auto';
  let insertQuorum: StorageConfig['insertQuorum'] = 'auto';
  if (quorumRaw !== 'auto') {
    if (/^\d+$/.test(quorumRaw) && Number(quorumRaw) >= 2 && Number(quorumRaw) <= 16) insertQuorum = Number(quorumRaw);
    else problems.push('CLICKHOUSE_INSERT_QUORUM: auto or a number of replicas from 2 to 16');
  }
  if (r.string('CLICKHOUSE_INSERT_QUORUM') !== undefined && !cluster) problems.push('CLICKHOUSE_INSERT_QUORUM: only valid together with CLICKHOUSE_CLUSTER');
  return {
    durability: durability === 'none' ? 'none' : 'fsync',
    maxConcurrentStatements: r.int('CLICKHOUSE_MAX_CONCURRENT_STATEMENTS', 8, 1, 256),
    insertQuorum,
    queryLimits: {
      maxExecutionMs: r.int('QUERY_MAX_EXECUTION_MS', 30_000, 0, 600_000),
      maxMemoryBytes: r.int('QUERY_MAX_MEMORY_BYTES', 2 * 1024 ** 3, 0, 2 ** 50),
      maxRowsToRead: r.int('QUERY_MAX_ROWS_TO_READ', 1_000_000_000, 0, 2 ** 50),
      maxBytesToRead: r.int('QUERY_MAX_BYTES_TO_READ', 200 * 1024 ** 3, 0, 2 ** 50),
      tenantConcurrentQueries: r.int('TENANT_MAX_CONCURRENT_QUERIES', 16, 0, 1024),
    },
    embeddedMemory: {
      postgresSharedBuffersMb: r.int('EMBEDDED_POSTGRES_SHARED_BUFFERS_MB', 16, 1, 65_536),
      clickhouseMarkCacheMb: r.int('EMBEDDED_CLICKHOUSE_MARK_CACHE_MB', 64, 0, 1_048_576),
      clickhouseIndexCacheMb: r.int('EMBEDDED_CLICKHOUSE_INDEX_CACHE_MB', 64, 0, 1_048_576),
    },
  };
}

function parseS3(r: EnvReader, problems: string[]): S3Config | undefined {
  const bucket = r.string('S3_BUCKET');
  const endpoint = r.url('S3_ENDPOINT', ['http:', 'https:']);
  const accessKeyId = r.string('S3_ACCESS_KEY_ID');
  const secretAccessKey = r.string('S3_SECRET_ACCESS_KEY');
  const region = r.string('S3_REGION') ?? 'us-east-1';
  const forcePathStyle = r.bool('S3_FORCE_PATH_STYLE', endpoint !== undefined);
  let prefix = r.string('S3_PREFIX') ?? 'exports/';
  if (!bucket) {
    if (endpoint || accessKeyId || secretAccessKey) problems.push('S3_BUCKET: required when any other S3_* variable is set');
    return undefined;
  }
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    problems.push('S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither (neither: the default AWS credential chain)');
  }
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  return { endpoint, region, bucket, accessKeyId, secretAccessKey, forcePathStyle, prefix };
}

function parseStripe(r: EnvReader, problems: string[]): StripeConfig | undefined {
  const secretKey = r.string('STRIPE_SECRET_KEY');
  const webhookSecret = r.string('STRIPE_WEBHOOK_SECRET');
  const apiBase = r.url('STRIPE_API_BASE', ['http:', 'https:']);
  const prices = parsePriceMap('STRIPE_PRICES', r.string('STRIPE_PRICES'), problems);
  const meteredPrices = parsePriceMap('STRIPE_METERED_PRICES', r.string('STRIPE_METERED_PRICES'), problems);
  const meterEventName = r.string('STRIPE_METER_EVENT_NAME') ?? 'veritrail_events';
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(meterEventName)) problems.push('STRIPE_METER_EVENT_NAME: 1–100 letters, digits, _ . : -');
  if (!secretKey) {
    if (webhookSecret || apiBase) problems.push('STRIPE_SECRET_KEY: required when STRIPE_WEBHOOK_SECRET or STRIPE_API_BASE is set');
    return undefined;
  }
  // Never echo the values: they are credentials.
  if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/.test(secretKey)) problems.push('STRIPE_SECRET_KEY: expected a Stripe secret or restricted key (sk_… or rk_…)');
  if (!webhookSecret) problems.push('STRIPE_WEBHOOK_SECRET: required when STRIPE_SECRET_KEY is set (the signing secret of the webhook endpoint)');
  else if (!/^whsec_[A-Za-z0-9+/=]{8,}$/.test(webhookSecret)) problems.push('STRIPE_WEBHOOK_SECRET: expected a webhook signing secret (whsec_…)');
  let api: StripeConfig['api'];
  if (apiBase) {
    try {
      const u = new URL(apiBase);
      const protocol = u.protocol === 'http:' ? 'http' : 'https';
      api = { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'http' ? 80 : 443, protocol };
    } catch {
      // reported by r.url
    }
  }
  return { secretKey, webhookSecret: webhookSecret ?? '', api, prices, meteredPrices, meterEventName };
}

/** `pro=price_123,business=price_456` → { pro: 'price_123', business: 'price_456' }. */
function parsePriceMap(name: string, raw: string | undefined, problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9_-]{1,64})=([A-Za-z0-9_]{1,255})$/.exec(part);
    if (!m) {
      problems.push(`${name}: a comma-separated list of plan=price_id pairs, e.g. pro=price_123,business=price_456`);
      return {};
    }
    if (out[m[1]!] !== undefined) {
      problems.push(`${name}: plan ${m[1]} appears twice`);
      return {};
    }
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** Standard Webhooks' suggested spacing, stretched to a 12 h ceiling: about 3 days of attempts. */
const DEFAULT_RETRY_SCHEDULE = '5s,30s,2m,10m,30m,1h,2h,4h,8h,12h';

function parseSchedule(raw: string | undefined, problems: string[]): number[] {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = (raw ?? DEFAULT_RETRY_SCHEDULE).split(',').map((p) => /^\s*(\d+)(ms|s|m|h)\s*$/.exec(p));
  if (parts.length === 0 || parts.length > 50 || parts.some((m) => !m || Number(m[1]) * unit[m[2]!]! > 86_400_000)) {
    problems.push('WEBHOOK_RETRY_SCHEDULE: a comma-separated list of durations up to 24h, e.g. 5s,30s,2m,10m');
    return parseSchedule(DEFAULT_RETRY_SCHEDULE, []);
  }
  return parts.map((m) => Number(m![1]) * unit[m![2]!]!);
}

function parseMasterKey(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  // Never echo the value: it is the key that protects every subject's data.
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(raw) || Buffer.from(raw, 'base64').length !== 32) {
    problems.push('PRIVACY_MASTER_KEY: must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
    return undefined;
  }
  return raw;
}

function parseJobs(raw: string | undefined, problems: string[]): AppConfig['jobs']['enabled'] {
  if (!raw || raw === 'all') return 'all';
  if (raw === 'none') return 'none';
  const kinds = raw.split(',').map((k) => k.trim()).filter(Boolean);
  if (kinds.some((k) => !/^[a-z][a-z0-9-]*$/.test(k))) {
    problems.push('JOBS: all, none, or a comma-separated list of job kinds (e.g. seal,integrity-watch)');
    return 'all';
  }
  return kinds;
}


/** Settings that are valid but weaken a default protection: logged as warnings at every start. */
export function configWarnings(config: AppConfig): string[] {
  const warnings: string[] = [];
  if (config.webhooks.allowPrivate) {
    warnings.push(
      'WEBHOOKS_ALLOW_PRIVATE=true: webhook destinations may be private, loopback and link-local addresses (this host, your internal network, cloud metadata); every tenant that can create webhooks can make this server send requests there',
    );
  }
  const trust = config.http.trustProxy;
  if (trust && 'hops' in trust) {
    warnings.push(
      `TRUST_PROXY trusts the nearest ${trust.hops === 1 ? 'peer' : `${trust.hops} peers`} as proxies without checking their addresses: make sure only your proxy can reach this port, or list the proxies (e.g. TRUST_PROXY=10.0.0.0/8)`,
    );
  }
  return warnings;
}

export function isEmbeddedPostgres(config: AppConfig): boolean {
  return !config.postgres.url;
}

export function isEmbeddedClickhouse(config: AppConfig): boolean {
  return !config.clickhouse.url;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  string(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw)) {
      this.problems.push(`${name}: expected an integer, got "${raw}"`);
      return fallback;
    }
    const n = Number(raw);
    if (n < min || n > max) {
      this.problems.push(`${name}: must be between ${min} and ${max}, got ${n}`);
      return fallback;
    }
    return n;
  }

  /** `10s`, `500ms`, `2m`, `6h`, `7d`, or a bare number of seconds. */
  duration(name: string, fallbackMs: number, minMs: number, maxMs: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallbackMs;
    const m = /^(\d+)(ms|s|m|h|d)?$/.exec(raw);
    if (!m) {
      this.problems.push(`${name}: expected a duration like 10s, 500ms, 2m, 6h or 7d, got "${raw}"`);
      return fallbackMs;
    }
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
    const ms = Number(m[1]) * unit[m[2] ?? 's']!;
    if (ms < minMs || ms > maxMs) {
      this.problems.push(`${name}: must be between ${minMs} ms and ${maxMs / 1000} s`);
      return fallbackMs;
    }
    return ms;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    this.problems.push(`${name}: expected true or false, got "${raw}"`);
    return fallback;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        this.problems.push(`${name}: protocol must be one of ${protocols.join(' ')}`);
      }
    } catch {
      // Never echo the value: URLs carry passwords.
      this.problems.push(`${name}: not a valid URL`);
    }
    return raw;
  }
}
