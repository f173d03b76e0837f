import { createHash, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecretValue } from '../../src/personal-data/secret-seal.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { LEGACY_SECRET_KEY, openLegacySecret, sealLegacySecret } from '../../src/webhooks/signing.js';
import { WebhookSecrets } from '../../src/webhooks/webhook-secrets.js';
import { Api, createTenant, createTestEnv, event, startApp, useApp, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';
import { TestReceiver } from '../support/receiver.js';

async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FAST = { JOBS: 'seal,webhooks', SEAL_INTERVAL: '200ms', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_CONNECT_TIMEOUT_MS: '500', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,400ms' };

/** The server's own AWS identity, as an operator's environment or instance role would provide it. */
const SERVER_IDENTITY = { AWS_ACCESS_KEY_ID: 'AKIASERVERIDENTITY01', AWS_SECRET_ACCESS_KEY: 'server-secret-access-key', AWS_SESSION_TOKEN: 'server-session-token' };

describe('PEN-04: s3 destinations are signed with their own keys only', () => {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [k, v] of Object.entries(SERVER_IDENTITY)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  const ctx = useApp(FAST);
  const rx = new TestReceiver();
  let t: TestTenant;

  beforeAll(async () => {
    await rx.start();
    t = await ctx.tenant('S3 identity');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
  });
  afterAll(() => rx.stop());

  const own = () => ({ endpoint: rx.url, force_path_style: true, region: 'us-east-1', access_key_id: 'AKIATENANTOWNKEY0001', secret_access_key: 'tenant-secret-access-key' });

  it('PEN-04: an s3 destination without its own key pair is refused at creation and on change', async () => {
    const refused: [Record<string, unknown> | undefined, string[]][] = [
      [undefined, ['credentials.access_key_id', 'credentials.secret_access_key']],
      [{ endpoint: rx.url }, ['credentials.access_key_id', 'credentials.secret_access_key']],
      [{ access_key_id: 'AKIAONLYHALF' }, ['credentials.secret_access_key']],
      [{ secret_access_key: 'only-half' }, ['credentials.access_key_id']],
    ];
    for (const [credentials, fields] of refused) {
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: { kind: 's3', url: 's3://refused-bucket/x/', credentials } });
      expect(r.status, JSON.stringify(credentials)).toBe(400);
      expect(r.body.error.code).toBe('webhook_credentials_required');
      expect(r.body.error.details.map((d: any) => d.field)).toEqual(fields);
    }
    expect((await ctx.api.get('/v1/webhooks', { token: t.key })).body.data).toHaveLength(0);
    const ok = await ctx.api.post('/v1/webhooks', { token: t.key, body: { kind: 's3', url: 's3://own-bucket/x/', credentials: own() } });
    expect(ok.status, ok.text).toBe(201);
    const patched = await ctx.api.patch(`/v1/webhooks/${ok.body.id}`, { token: t.key, body: { credentials: { endpoint: rx.url } } });
    expect(patched.status).toBe(400);
    expect(patched.body.error.code).toBe('webhook_credentials_required');
    await ctx.api.delete(`/v1/webhooks/${ok.body.id}`, { token: t.key });
  });

  it('PEN-04: a stored s3 destination without keys never signs with the server identity; one with keys signs with its own', async () => {
    const signedWith = await ctx.api.post('/v1/webhooks', {
      token: t.key,
      body: { kind: 's3', url: 's3://own-bucket/audit/', credentials: own(), filters: { actions: ['s3own.*'] }, batch: { interval_ms: 50 } },
    });
    expect(signedWith.status, signedWith.text).toBe(201);
    const stored = await ctx.api.post('/v1/webhooks', {
      token: t.key,
      body: { kind: 's3', url: 's3://stored-bucket/audit/', credentials: own(), filters: { actions: ['s3stored.*'] }, batch: { interval_ms: 50 } },
    });
    expect(stored.status, stored.text).toBe(201);
    // As a destination created before keys were required was stored: an endpoint, no keys.
    const sealed = ctx.app.app.get(WebhookSecrets).seal({ tenantId: t.id, id: stored.body.id }, 'credentials', JSON.stringify({ endpoint: rx.url, force_path_style: true }));
    await ctx.app.app.get(PrismaService).webhook.update({ where: { id: stored.body.id }, data: { credentials: sealed } });

    await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: [event({ action: 's3own.put' }), event({ action: 's3stored.put' })] } });
    const put = (await until('the own-key PUT', () => rx.received.find((r) => r.path.startsWith('/own-bucket/audit/'))))!;
    expect(put.headers.authorization).toContain('Credential=AKIATENANTOWNKEY0001/');
    expect(put.headers['x-amz-security-token']).toBeUndefined();

    const attempts = await until('an attempt of the keyless destination', async () => {
      const d = (await ctx.api.get(`/v1/webhooks/${stored.body.id}/deliveries`, { token: t.key })).body.data;
      return d.length > 0 ? d : undefined;
    });
    expect(attempts[0]).toMatchObject({ succeeded: false, error: 's3_credentials_missing', response_status: null });
    // The attempt is over, so any request it made is recorded by now: none, and nothing anywhere carried the server's identity.
    expect(rx.received.filter((r) => r.path.startsWith('/stored-bucket/'))).toHaveLength(0);
    const all = JSON.stringify(rx.received.map((r) => r.headers));
    expect(all).not.toContain(SERVER_IDENTITY.AWS_ACCESS_KEY_ID);
    expect(all).not.toContain(SERVER_IDENTITY.AWS_SESSION_TOKEN);
    expect((await ctx.api.get(`/v1/webhooks/${stored.body.id}`, { token: t.key })).body.health.last_error).toBe('s3_credentials_missing');
  });
});

/** Every row of every table of the PostgreSQL database, as JSON text: what a dump or a stolen backup holds. */
async function dumpPostgres(prisma: PrismaService): Promise<string> {
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: string[] = [];
  for (const { name } of tables) {
    const rows = await prisma.$queryRawUnsafe<{ j: string }[]>(`SELECT row_to_json(t)::text AS j FROM "${name.replaceAll('"', '""')}" t`);
    out.push(...rows.map((r) => r.j));
  }
  return out.join('\n');
}

/** 32-byte values anywhere in the text (base64, base64url, hex, PostgreSQL bytea): every key an attacker with the dump could try. */
function candidateKeys(dump: string): Buffer[] {
  const found = new Map<string, Buffer>();
  const add = (b: Buffer) => {
    if (b.length === 32) found.set(b.toString('hex'), b);
  };
  for (const m of dump.matchAll(/[A-Za-z0-9+/_-]{42,44}={0,2}/g)) add(Buffer.from(m[0], m[0].includes('-') || m[0].includes('_') ? 'base64url' : 'base64'));
  for (const m of dump.matchAll(/[0-9a-f]{64}/gi)) add(Buffer.from(m[0], 'hex'));
  return [...found.values()];
}

function masterKeyOf(key: Buffer, id: string) {
  return { id, key };
}

describe('PEN-11: webhook secrets and credentials are sealed under the master key, outside the database', () => {
  let env: TestEnv;
  let app: RunningApp | undefined;
  const rx = new TestReceiver();

  beforeAll(async () => {
    env = await createTestEnv();
    await rx.start();
  });
  afterAll(async () => {
    await app?.close();
    await rx.stop();
    await env?.drop();
  });

  it('PEN-11: rows in the old format are re-wrapped at start; a dump of all of PostgreSQL opens no secret or credential', async () => {
    app = await startApp(env, FAST);
    let api = new Api(app.url);
    const t = await createTenant(api, env, 'Sealed');
    const create = async (body: Record<string, unknown>) => {
      const r = await api.post('/v1/webhooks', { token: t.key, body: { filters: { actions: ['never.sent'] }, ...body } });
      expect(r.status, r.text).toBe(201);
      return r.body as { id: string; secret: string };
    };
    const plain: string[] = [];
    const https = await create({ url: `${rx.url}/https` });
    const rotated = await api.post(`/v1/webhooks/${https.id}/rotate-secret`, { token: t.key, body: { overlap_hours: 1 } });
    plain.push(https.secret, rotated.body.secret);
    const hec = await create({ url: `${rx.url}/hec`, kind: 'splunk_hec', credentials: { token: 'hec-token-pen11' } });
    plain.push(hec.secret, 'hec-token-pen11');
    const s3 = await create({ kind: 's3', url: 's3://bucket-pen11/x/', credentials: { endpoint: rx.url, access_key_id: 'AKIAPEN11', secret_access_key: 's3-secret-pen11' } });
    plain.push(s3.secret, 's3-secret-pen11');
    // Two destinations as an older version left them: sealed under a key kept in system_settings.
    const legacyHttps = await create({ url: `${rx.url}/legacy-https` });
    const legacyDd = await create({ url: `${rx.url}/legacy-dd`, kind: 'datadog', credentials: { api_key: 'dd-key-pen11' } });
    plain.push(legacyHttps.secret, legacyDd.secret, 'dd-key-pen11');
    const prisma = app.app.get(PrismaService);
    const legacyKey = randomBytes(32);
    await prisma.systemSetting.create({ data: { key: LEGACY_SECRET_KEY, value: legacyKey.toString('base64') } });
    await prisma.webhook.update({ where: { id: legacyHttps.id }, data: { secret: sealLegacySecret(legacyKey, legacyHttps.secret) } });
    await prisma.webhook.update({
      where: { id: legacyDd.id },
      data: { secret: sealLegacySecret(legacyKey, legacyDd.secret), credentials: sealLegacySecret(legacyKey, JSON.stringify({ api_key: 'dd-key-pen11' })) },
    });
    await app.close();

    // Start again: the re-wrap runs before the app serves.
    app = await startApp(env, FAST);
    api = new Api(app.url);
    const db = app.app.get(PrismaService);
    const rows = await db.webhook.findMany({ where: { tenantId: t.id }, select: { id: true, secret: true, previousSecret: true, credentials: true } });
    const sealedValues = rows.flatMap((r) => [
      { id: r.id, field: 'signing_secret', value: r.secret },
      ...(r.previousSecret ? [{ id: r.id, field: 'signing_secret', value: r.previousSecret }] : []),
      ...(r.credentials ? [{ id: r.id, field: 'credentials', value: r.credentials }] : []),
    ]);
    expect(sealedValues).toHaveLength(9);
    for (const s of sealedValues) expect(s.value).toMatch(/^mk1\.[0-9a-f]{16}\./);
    expect(await db.systemSetting.findUnique({ where: { key: LEGACY_SECRET_KEY } })).toBeNull();

    // The re-wrapped destinations still sign and authenticate with what their owners hold.
    expect((await api.post(`/v1/webhooks/${legacyHttps.id}/test`, { token: t.key })).body.succeeded).toBe(true);
    const got = rx.on('/legacy-https').at(-1)!;
    expect(() => new Webhook(legacyHttps.secret).verify(got.body, got.headers)).not.toThrow();
    expect((await api.post(`/v1/webhooks/${legacyDd.id}/test`, { token: t.key })).body.succeeded).toBe(true);
    expect(rx.on('/legacy-dd').at(-1)!.headers['dd-api-key']).toBe('dd-key-pen11');

    // The attacker's view: every row of PostgreSQL. No plaintext in it, and no 32-byte value in it
    // opens any sealed value, in the old format or the new.
    const dump = await dumpPostgres(db);
    for (const p of plain) expect(dump).not.toContain(p.replace(/^whsec_/, ''));
    const candidates = candidateKeys(dump);
    expect(candidates.length).toBeGreaterThan(0); // the dump does hold key-sized values (hashes, install secrets)
    const opens = (key: Buffer, s: (typeof sealedValues)[number]) => {
      try {
        openLegacySecret(key, s.value);
        return true;
      } catch {
        // not in the old format, or not this key
      }
      const id = s.value.split('.')[1]!;
      return openSecretValue(masterKeyOf(key, id), 'webhooks', `${t.id}\n${s.id}\n${s.field}`, s.value) !== undefined;
    };
    for (const key of candidates) for (const s of sealedValues) expect(opens(key, s)).toBe(false);
    // The same attack with the master key, which lives outside the database, opens every one of them.
    const master = Buffer.from(env.vars.PRIVACY_MASTER_KEY!, 'base64');
    expect(createHash('sha256').update(master).digest('hex').slice(0, 16)).toBe(sealedValues[0]!.value.split('.')[1]);
    for (const s of sealedValues) expect(opens(master, s)).toBe(true);
  });
});
