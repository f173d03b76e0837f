import { describe, it, expect } from 'vitest';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, configWarnings, isEmbeddedClickhouse, isEmbeddedPostgres, loadConfig } from './config.js';

const TOKEN = 'a'.repeat(24);

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig: defaults', () => {
  it('uses the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(8080);
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.http.trustProxy).toBe(false);
    expect(c.http.publicUrl).toBeUndefined();
    expect(c.webhooks.allowPrivate).toBe(false);
    expect(isAbsolute(c.dataDir)).toBe(true);
    expect(c.dataDir).toBe(resolve('./data'));
    expect(c.clickhouse.database).toBe('veritrail');
    expect(c.clickhouse.user).toBe('default');
    expect(c.clickhouse.url).toBeUndefined();
    expect(c.clickhouse.cluster).toBeUndefined();
    expect(c.clickhouse.asyncInsert).toBe(false);
    expect(c.postgres.url).toBeUndefined();
    expect(c.log.level).toBe('info');
    expect(c.adminToken).toBeUndefined();
    expect(isEmbeddedPostgres(c)).toBe(true);
    expect(isEmbeddedClickhouse(c)).toBe(true);
  });

  it('treats blank variables as unset', () => {
    const c = loadConfig({ PORT: '', HOST: '   ', LOG_LEVEL: '', ADMIN_TOKEN: '' });
    expect(c.http.port).toBe(8080);
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.log.level).toBe('info');
    expect(c.adminToken).toBeUndefined();
  });

  it('reads valid values', () => {
    const c = loadConfig({
      PORT: '3000',
      HOST: '127.0.0.1',
      DATA_DIR: '/tmp/vt-data',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgres://u:p@db:5432/vt',
      CLICKHOUSE_URL: 'https://ch:8443',
      CLICKHOUSE_DATABASE: 'audit_1',
      CLICKHOUSE_CLUSTER: 'c1',
      ADMIN_TOKEN: TOKEN,
      SIGNING_KEYS_FILE: '/etc/vt/keys.json',
      PRIVACY_MASTER_KEY_FILE: '/etc/vt/master.key',
    });
    expect(c.integrity.signingKeysFile).toBe('/etc/vt/keys.json');
    expect(c.http.port).toBe(3000);
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe('/tmp/vt-data');
    expect(c.log.level).toBe('debug');
    expect(c.postgres.url).toBe('postgres://u:p@db:5432/vt');
    expect(c.clickhouse.url).toBe('https://ch:8443');
    expect(c.clickhouse.database).toBe('audit_1');
    expect(c.clickhouse.cluster).toBe('c1');
    expect(c.adminToken).toBe(TOKEN);
    expect(isEmbeddedPostgres(c)).toBe(false);
    expect(isEmbeddedClickhouse(c)).toBe(false);
  });
});

describe('loadConfig: every problem in one ConfigError', () => {
  it('lists each bad variable in one error', () => {
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud', CLICKHOUSE_DATABASE: 'x-y', DATABASE_URL: 'not a url' });
    for (const name of ['PORT', 'LOG_LEVEL', 'CLICKHOUSE_DATABASE', 'DATABASE_URL']) {
      expect(problems.some((p) => p.includes(name)), `a problem names ${name}: ${JSON.stringify(problems)}`).toBe(true);
    }
  });

  it('lists exactly the 4 bad variables when nothing else is wrong', () => {
    // ADMIN_TOKEN and SIGNING_KEYS_FILE are set: DATABASE_URL switches to server mode, which needs them.
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud', CLICKHOUSE_DATABASE: 'x-y', DATABASE_URL: 'not a url', ADMIN_TOKEN: TOKEN, SIGNING_KEYS_FILE: '/k.json', PRIVACY_MASTER_KEY_FILE: '/m.key' });
    expect(problems).toHaveLength(4);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['CLICKHOUSE_DATABASE', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
  });

  it('the ConfigError message lists every problem', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' });
      expect.fail('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain('PORT');
      expect((err as ConfigError).message).toContain('LOG_LEVEL');
    }
  });

  it.each([
    ['DATABASE_URL', 'mysql://u:s3cret@h/db'],
    ['DATABASE_URL', 'postgres://u:s3cret@h:99999999/db'],
    ['DATABASE_URL', 'u:s3cret@h/db'],
    ['DATABASE_URL', 'postgres//u:s3cret@h/db'],
    ['CLICKHOUSE_URL', 'ftp://u:s3cret@h/'],
    ['CLICKHOUSE_URL', 'http://u:s3cret@[bad/'],
  ])('never echoes the value of a bad %s (%s)', (name, value) => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ [name]: value, ADMIN_TOKEN: TOKEN });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error, `${name}=${value} should be refused`).toBeInstanceOf(ConfigError);
    expect(error!.problems.some((p) => p.startsWith(name))).toBe(true);
    for (const p of error!.problems) expect(p).not.toContain('s3cret');
    expect(error!.message).not.toContain('s3cret');
  });
});

describe('loadConfig: server mode and ADMIN_TOKEN', () => {
  it.each([[{ DATABASE_URL: 'postgres://u:p@h/db' }], [{ DATABASE_URL: 'postgresql://u:p@h/db' }], [{ CLICKHOUSE_URL: 'http://ch:8123' }]])(
    'requires ADMIN_TOKEN in server mode: %j',
    (env) => {
      const problems = problemsOf(env);
      expect(problems.some((p) => p.includes('ADMIN_TOKEN'))).toBe(true);
      expect(problems.some((p) => p.includes('SIGNING_KEYS_FILE'))).toBe(true);
      expect(() => loadConfig({ ...env, ADMIN_TOKEN: TOKEN, SIGNING_KEYS_FILE: '/k.json' })).toThrow(/PRIVACY_MASTER_KEY/);
      expect(() => loadConfig({ ...env, ADMIN_TOKEN: TOKEN, SIGNING_KEYS_FILE: '/k.json', PRIVACY_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') })).not.toThrow();
    },
  );

  it('refuses an ADMIN_TOKEN shorter than 24 characters (also in embedded mode)', () => {
    expect(problemsOf({ ADMIN_TOKEN: 'a'.repeat(23) }).some((p) => p.includes('ADMIN_TOKEN'))).toBe(true);
    expect(problemsOf({ ADMIN_TOKEN: 'short', DATABASE_URL: 'postgres://h/db' }).some((p) => p.includes('ADMIN_TOKEN'))).toBe(true);
    expect(loadConfig({ ADMIN_TOKEN: TOKEN }).adminToken).toBe(TOKEN);
  });

  it('a short ADMIN_TOKEN problem does not echo the token', () => {
    for (const p of problemsOf({ ADMIN_TOKEN: 'tok3n-value' })) expect(p).not.toContain('tok3n-value');
  });
});

describe('loadConfig: booleans and integers', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['no', false],
    ['TRUE', true],
    ['No', false],
    [' yes ', true],
  ])('CLICKHOUSE_ASYNC_INSERT=%j → %s', (raw, expected) => {
    expect(loadConfig({ CLICKHOUSE_ASYNC_INSERT: raw }).clickhouse.asyncInsert).toBe(expected);
  });

  it.each([['maybe'], ['2'], ['on'], ['y']])('CLICKHOUSE_ASYNC_INSERT=%j is a problem', (raw) => {
    expect(problemsOf({ CLICKHOUSE_ASYNC_INSERT: raw }).some((p) => p.startsWith('CLICKHOUSE_ASYNC_INSERT'))).toBe(true);
  });

  it.each([
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', '1e3'],
    ['PORT', '80.5'],
    ['PORT', '0x50'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', '201'],
    ['INGEST_MAX_CONCURRENT_FLUSHES', '0'],
    ['INGEST_MAX_CONCURRENT_FLUSHES', '65'],
    ['INGEST_FLUSH_INTERVAL_MS', '1001'],
    ['HTTP_BODY_LIMIT_BYTES', '1023'],
    ['IDEMPOTENCY_TTL_HOURS', '0'],
    ['DEFAULT_RETENTION_DAYS', '36501'],
    ['CLICKHOUSE_REQUEST_TIMEOUT_MS', '999'],
  ])('%s=%j is a problem', (name, raw) => {
    expect(problemsOf({ [name]: raw }).some((p) => p.startsWith(name))).toBe(true);
  });

  it('accepts integers at the bounds', () => {
    expect(loadConfig({ PORT: '0' }).http.port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).http.port).toBe(65535);
    expect(loadConfig({ PORT: ' 8081 ' }).http.port).toBe(8081);
    expect(loadConfig({ IDEMPOTENCY_TTL_HOURS: '2' }).idempotency.ttlMs).toBe(2 * 3_600_000);
  });

  it('refuses INGEST_MAX_QUEUED_EVENTS below INGEST_MAX_BATCH_EVENTS', () => {
    expect(problemsOf({ INGEST_MAX_BATCH_EVENTS: '100', INGEST_MAX_QUEUED_EVENTS: '99' }).some((p) => p.startsWith('INGEST_MAX_QUEUED_EVENTS'))).toBe(true);
  });
});

describe('loadConfig: listening, proxies and the public address', () => {
  const server = { DATABASE_URL: 'postgres://x@h/db', CLICKHOUSE_URL: 'http://ch:8123', ADMIN_TOKEN: TOKEN, SIGNING_KEYS_FILE: '/k.json', PRIVACY_MASTER_KEY_FILE: '/m.key' };

  it('PROMISE-11: embedded mode listens on loopback unless HOST says otherwise; server mode on every interface', () => {
    expect(loadConfig({}).http.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
    expect(loadConfig(server).http.host).toBe('0.0.0.0');
    expect(loadConfig({ ...server, HOST: '10.1.2.3' }).http.host).toBe('10.1.2.3');
  });

  it('PROMISE-11: the SSRF guard is on in every mode; private webhook targets are an explicit opt-in, warned about', () => {
    expect(loadConfig({}).webhooks.allowPrivate).toBe(false);
    expect(loadConfig(server).webhooks.allowPrivate).toBe(false);
    expect(configWarnings(loadConfig({}))).toEqual([]);
    const open = loadConfig({ WEBHOOKS_ALLOW_PRIVATE: 'true' });
    expect(open.webhooks.allowPrivate).toBe(true);
    expect(configWarnings(open).join('\n')).toMatch(/WEBHOOKS_ALLOW_PRIVATE/);
  });

  it.each([
    ['false', false],
    ['0', false],
    ['no', false],
    ['true', { hops: 1 }],
    ['TRUE', { hops: 1 }],
    ['yes', { hops: 1 }],
    ['1', { hops: 1 }],
    ['2', { hops: 2 }],
    ['10.0.0.0/8,127.0.0.1', { addresses: ['10.0.0.0/8', '127.0.0.1'] }],
    [' 10.0.0.0/8 , fd00::/8 ', { addresses: ['10.0.0.0/8', 'fd00::/8'] }],
    ['loopback,uniquelocal', { addresses: ['loopback', 'uniquelocal'] }],
    ['192.168.1.0/255.255.255.0', { addresses: ['192.168.1.0/255.255.255.0'] }],
  ])('PEN-10: TRUST_PROXY=%j → %j', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).http.trustProxy).toEqual(expected);
  });

  it.each([['maybe'], ['on'], ['y'], ['11'], ['10.0.0.0/33'], ['10.0.0.300'], ['127.0.0.1,nope'], [',']])('PEN-10: TRUST_PROXY=%j is a problem', (raw) => {
    expect(problemsOf({ TRUST_PROXY: raw }).some((p) => p.startsWith('TRUST_PROXY'))).toBe(true);
  });

  it('PEN-10: a hop count trusts whoever is nearest, and says so at start', () => {
    expect(configWarnings(loadConfig({ TRUST_PROXY: 'true' })).join('\n')).toMatch(/TRUST_PROXY/);
    expect(configWarnings(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }))).toEqual([]);
  });

  it.each([
    ['https://audit.example.com', 'https://audit.example.com'],
    ['https://audit.example.com/', 'https://audit.example.com'],
    ['https://Audit.Example.com:8443/veritrail/', 'https://audit.example.com:8443/veritrail'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('PROMISE-13: PUBLIC_URL=%j → %j', (raw, expected) => {
    expect(loadConfig({ PUBLIC_URL: raw }).http.publicUrl).toBe(expected);
  });

  it.each([['audit.example.com'], ['ftp://audit.example.com'], ['https://u:secret@audit.example.com'], ['https://audit.example.com/?a=1'], ['https://audit.example.com/#x'], ['javascript:alert(1)']])(
    'PROMISE-13: PUBLIC_URL=%j is a problem (never echoed)',
    (raw) => {
      const problems = problemsOf({ PUBLIC_URL: raw });
      expect(problems.some((p) => p.startsWith('PUBLIC_URL'))).toBe(true);
      expect(problems.join('\n')).not.toContain('secret');
    },
  );
});

describe('loadConfig: ClickHouse', () => {
  it('TN-05: reader and writer users only together, only in server mode, distinct, plain names; off by default', () => {
    const server = { CLICKHOUSE_URL: 'http://ch:8123', ADMIN_TOKEN: TOKEN, SIGNING_KEYS_FILE: '/k.json', PRIVACY_MASTER_KEY_FILE: '/m.key' };
    expect(loadConfig(server).clickhouse.access).toBeUndefined();
    expect(loadConfig({ ...server, CLICKHOUSE_READER_USER: 'r', CLICKHOUSE_READER_PASSWORD: 'p', CLICKHOUSE_WRITER_USER: 'w' }).clickhouse.access).toEqual({
      reader: { user: 'r', password: 'p' },
      writer: { user: 'w', password: '' },
    });
    expect(problemsOf({ CLICKHOUSE_READER_USER: 'r', CLICKHOUSE_WRITER_USER: 'w' }).some((p) => p.includes('only valid together with CLICKHOUSE_URL'))).toBe(true);
    expect(problemsOf({ ...server, CLICKHOUSE_READER_USER: 'r' }).some((p) => p.includes('set both or neither'))).toBe(true);
    expect(problemsOf({ ...server, CLICKHOUSE_READER_USER: 'r', CLICKHOUSE_WRITER_USER: 'r' }).some((p) => p.includes('different users'))).toBe(true);
    expect(problemsOf({ ...server, CLICKHOUSE_READER_USER: 'r; DROP', CLICKHOUSE_WRITER_USER: 'w' }).some((p) => p.includes('CLICKHOUSE_READER_USER'))).toBe(true);
  });

  it('rate limits and query limits: defaults, 0 turns one off, bad values refused', () => {
    const c = loadConfig({});
    expect(c.rateLimits).toEqual({ ingestEventsPerSecond: 50_000, ingestRequestsPerSecond: 2_000, readRequestsPerSecond: 1_000, store: 'memory' });
    expect(c.storage.queryLimits).toEqual({ maxExecutionMs: 30_000, maxMemoryBytes: 2 * 1024 ** 3, maxRowsToRead: 1_000_000_000, maxBytesToRead: 200 * 1024 ** 3, tenantConcurrentQueries: 16 });
    expect(loadConfig({ RATE_LIMIT_READ_REQUESTS_PER_SECOND: '0', RATE_LIMIT_STORE: 'postgres', QUERY_MAX_ROWS_TO_READ: '0' })).toMatchObject({ rateLimits: { readRequestsPerSecond: 0, store: 'postgres' }, storage: { queryLimits: { maxRowsToRead: 0 } } });
    for (const [k, v] of [['RATE_LIMIT_STORE', 'redis'], ['RATE_LIMIT_INGEST_EVENTS_PER_SECOND', '-1'], ['QUERY_MAX_EXECUTION_MS', 'soon'], ['TENANT_MAX_CONCURRENT_QUERIES', '5000']] as const) {
      expect(problemsOf({ [k]: v }).some((p) => p.startsWith(k)), k).toBe(true);
    }
  });

  it('refuses CLICKHOUSE_CLUSTER without CLICKHOUSE_URL', () => {
    expect(problemsOf({ CLICKHOUSE_CLUSTER: 'c1' }).some((p) => p.includes('CLICKHOUSE_CLUSTER'))).toBe(true);
    expect(loadConfig({ CLICKHOUSE_CLUSTER: 'c1', CLICKHOUSE_URL: 'http://ch:8123', ADMIN_TOKEN: TOKEN, SIGNING_KEYS_FILE: '/k.json', PRIVACY_MASTER_KEY_FILE: '/m.key' }).clickhouse.cluster).toBe('c1');
  });

  it('refuses a cluster name that is not an identifier', () => {
    expect(problemsOf({ CLICKHOUSE_CLUSTER: 'c1; DROP', CLICKHOUSE_URL: 'http://ch:8123', ADMIN_TOKEN: TOKEN }).some((p) => p.includes('CLICKHOUSE_CLUSTER'))).toBe(
      true,
    );
  });

  it.each([['x-y'], ['1abc'], ['a b'], ['a'.repeat(65)], ['db`']])('refuses CLICKHOUSE_DATABASE=%j', (db) => {
    expect(problemsOf({ CLICKHOUSE_DATABASE: db }).some((p) => p.startsWith('CLICKHOUSE_DATABASE'))).toBe(true);
  });

  it('refuses CLICKHOUSE_URL with a non-http protocol', () => {
    expect(problemsOf({ CLICKHOUSE_URL: 'tcp://ch:9000', ADMIN_TOKEN: TOKEN }).some((p) => p.startsWith('CLICKHOUSE_URL'))).toBe(true);
  });
});

describe('loadConfig: integrity and jobs', () => {
  it('reads SEAL_INTERVAL as a duration', () => {
    expect(loadConfig({}).integrity.sealIntervalMs).toBe(10_000);
    expect(loadConfig({ SEAL_INTERVAL: '500ms' }).integrity.sealIntervalMs).toBe(500);
    expect(loadConfig({ SEAL_INTERVAL: '2m' }).integrity.sealIntervalMs).toBe(120_000);
    expect(loadConfig({ SEAL_INTERVAL: '15' }).integrity.sealIntervalMs).toBe(15_000);
    expect(problemsOf({ SEAL_INTERVAL: 'soon' }).some((p) => p.includes('SEAL_INTERVAL'))).toBe(true);
    expect(problemsOf({ SEAL_INTERVAL: '10ms' }).some((p) => p.includes('SEAL_INTERVAL'))).toBe(true);
  });

  it('keeps signing keys in DATA_DIR by default (embedded mode)', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/vt-x' }).integrity.signingKeysFile).toBe('/tmp/vt-x/signing-keys.json');
  });

  it('SIG-NOTE-07: note keys sit beside the signing keys unless NOTE_KEYS_FILE says otherwise; NOTE_NAME must be a key name', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/vt-x' }).integrity.noteKeysFile).toBe('/tmp/vt-x/note-keys.json');
    expect(loadConfig({ SIGNING_KEYS_FILE: '/etc/vt/keys/signing.json' }).integrity.noteKeysFile).toBe('/etc/vt/keys/note-keys.json');
    expect(loadConfig({ NOTE_KEYS_FILE: '/n/k.json' }).integrity.noteKeysFile).toBe('/n/k.json');
    expect(loadConfig({}).integrity.noteName).toBeUndefined();
    expect(loadConfig({ NOTE_NAME: 'audit.example.com/vt' }).integrity.noteName).toBe('audit.example.com/vt');
    for (const bad of ['two words', 'a+b', 'x'.repeat(201), 'tab\there']) {
      const problems = problemsOf({ NOTE_NAME: bad });
      expect(problems.some((p) => p.startsWith('NOTE_NAME')), bad).toBe(true);
      expect(problems.join('\n')).not.toContain(bad);
    }
  });

  it('PEN-05: serves /demo only when VIEWER_DEMO=true, in embedded mode too', () => {
    expect(loadConfig({}).viewer.demo).toBe(false);
    expect(loadConfig({ VIEWER_DEMO: 'true' }).viewer.demo).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', ADMIN_TOKEN: TOKEN, SIGNING_KEYS_FILE: '/k.json', PRIVACY_MASTER_KEY_FILE: '/m.key' }).viewer.demo).toBe(false);
    expect(loadConfig({ VIEWER_DEMO: 'false' }).viewer.demo).toBe(false);
    expect(problemsOf({ VIEWER_DEMO: 'maybe' })[0]).toMatch(/^VIEWER_DEMO:/);
  });

  it('PEN-05: per-process workers and per-tenant export concurrency and queue caps, with defaults', () => {
    expect(loadConfig({}).exports).toMatchObject({ workers: 2, tenantConcurrency: 1, tenantQueueMax: 10 });
    expect(loadConfig({ EXPORT_WORKERS: '4', EXPORT_TENANT_CONCURRENCY: '2', EXPORT_TENANT_QUEUE_MAX: '50' }).exports).toMatchObject({ workers: 4, tenantConcurrency: 2, tenantQueueMax: 50 });
    for (const name of ['EXPORT_WORKERS', 'EXPORT_TENANT_CONCURRENCY', 'EXPORT_TENANT_QUEUE_MAX']) {
      expect(problemsOf({ [name]: '0' }).some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  it('reads JOBS as all, none or a list of kinds', () => {
    expect(loadConfig({}).jobs.enabled).toBe('all');
    expect(loadConfig({ JOBS: 'none' }).jobs.enabled).toBe('none');
    expect(loadConfig({ JOBS: 'seal, integrity-watch' }).jobs.enabled).toEqual(['seal', 'integrity-watch']);
    expect(problemsOf({ JOBS: 'seal;drop' }).some((p) => p.includes('JOBS'))).toBe(true);
  });
});

describe('loadConfig: exports', () => {
  it('keeps export files 7 days in DATA_DIR by default; durations accept hours and days', () => {
    const c = loadConfig({});
    expect(c.exports).toEqual({ retentionMs: 7 * 86_400_000, directMaxEvents: 100_000, s3: undefined, workers: 2, tenantConcurrency: 1, tenantQueueMax: 10 });
    expect(loadConfig({ EXPORT_RETENTION: '12h' }).exports.retentionMs).toBe(12 * 3_600_000);
    expect(loadConfig({ EXPORT_RETENTION: '30d' }).exports.retentionMs).toBe(30 * 86_400_000);
    expect(problemsOf({ EXPORT_RETENTION: '1w' }).some((p) => p.includes('EXPORT_RETENTION'))).toBe(true);
  });

  it('reads an S3-compatible bucket: path style by default with a custom endpoint, prefix ends in /', () => {
    const c = loadConfig({ S3_BUCKET: 'vt', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret', S3_PREFIX: 'a/b' });
    expect(c.exports.s3).toEqual({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'vt', accessKeyId: 'id', secretAccessKey: 'secret', forcePathStyle: true, prefix: 'a/b/' });
    expect(loadConfig({ S3_BUCKET: 'vt' }).exports.s3).toMatchObject({ endpoint: undefined, forcePathStyle: false, prefix: 'exports/' });
  });

  it('refuses half an S3 configuration, and never echoes the secret', () => {
    expect(problemsOf({ S3_ENDPOINT: 'http://127.0.0.1:9000' }).some((p) => p.startsWith('S3_BUCKET'))).toBe(true);
    const problems = problemsOf({ S3_BUCKET: 'vt', S3_SECRET_ACCESS_KEY: 'hunter2-secret' });
    expect(problems.some((p) => p.includes('S3_ACCESS_KEY_ID'))).toBe(true);
    expect(problems.join('\n')).not.toContain('hunter2-secret');
  });
});

describe('loadConfig: ClickHouse durability, replication and scheduling', () => {
  const cluster = { CLICKHOUSE_CLUSTER: 'c1', CLICKHOUSE_URL: 'http://ch:8123', ADMIN_TOKEN: TOKEN, SIGNING_KEYS_FILE: '/k.json', PRIVACY_MASTER_KEY_FILE: '/m.key' };

  it('PROMISE-08: DURABILITY is fsync by default, none on request, nothing else', () => {
    expect(loadConfig({}).storage.durability).toBe('fsync');
    expect(loadConfig({ DURABILITY: 'none' }).storage.durability).toBe('none');
    expect(problemsOf({ DURABILITY: 'sometimes' })).toEqual(['DURABILITY: fsync or none']);
  });

  it('PEN-06: CLICKHOUSE_MAX_CONCURRENT_STATEMENTS defaults to 8, bounded', () => {
    expect(loadConfig({}).storage.maxConcurrentStatements).toBe(8);
    expect(loadConfig({ CLICKHOUSE_MAX_CONCURRENT_STATEMENTS: '32' }).storage.maxConcurrentStatements).toBe(32);
    expect(problemsOf({ CLICKHOUSE_MAX_CONCURRENT_STATEMENTS: '0' }).some((p) => p.startsWith('CLICKHOUSE_MAX_CONCURRENT_STATEMENTS'))).toBe(true);
  });

  it('PROMISE-09: the insert quorum is auto by default, a replica count on request, and only for a cluster', () => {
    expect(loadConfig(cluster).storage.insertQuorum).toBe('auto');
    expect(loadConfig({ ...cluster, CLICKHOUSE_INSERT_QUORUM: '3' }).storage.insertQuorum).toBe(3);
    for (const bad of ['1', '0', 'all', '2.5', '17']) {
      expect(problemsOf({ ...cluster, CLICKHOUSE_INSERT_QUORUM: bad })).toEqual(['CLICKHOUSE_INSERT_QUORUM: auto or a number of replicas from 2 to 16']);
    }
    expect(problemsOf({ CLICKHOUSE_INSERT_QUORUM: '2' })).toEqual(['CLICKHOUSE_INSERT_QUORUM: only valid together with CLICKHOUSE_CLUSTER']);
  });

  it('PROMISE-09: refuses buffered (async) inserts on a cluster', () => {
    expect(problemsOf({ ...cluster, CLICKHOUSE_ASYNC_INSERT: 'true' })).toEqual([
      'CLICKHOUSE_ASYNC_INSERT: not supported with CLICKHOUSE_CLUSTER (cluster inserts are synchronous and quorum-replicated)',
    ]);
    expect(loadConfig({ ...cluster, CLICKHOUSE_CLUSTER: '', CLICKHOUSE_ASYNC_INSERT: 'true' }).clickhouse.asyncInsert).toBe(true);
  });
});
