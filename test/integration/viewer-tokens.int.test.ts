import { createPrivateKey, createSecretKey } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { REVOCATION_KEEP_MS, VIEWER_HOUSEKEEPING_JOB } from '../../src/viewer/viewer.service.js';
import { Api, createKey, createTenant, createTestEnv, customerEvents, event, listAll, startApp, until, useApp, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';

/**
 * Viewer tokens as a credential: what they may read (their organization, actor and actions —
 * enforced in the SQL, whatever the request asks), what they may not do, revocation and the
 * per-tenant CORS allow-list. The browser side is in test/e2e/viewer.e2e.test.ts.
 */

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Signs arbitrary tokens with the install's real viewer key (read from PostgreSQL), to forge claims the server must refuse. */
async function forger(app: RunningApp) {
  const row = await app.app.get(PrismaService).systemSetting.findUniqueOrThrow({ where: { key: 'viewer_token_seed' } });
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, Buffer.from(row.value, 'base64')]), format: 'der', type: 'pkcs8' });
  return async (claims: JWTPayload, header: Record<string, unknown> = {}, signingKey: unknown = key): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: 'veritrail', aud: 'veritrail-viewer', iat: now, nbf: now, exp: now + 300, jti: 'vs_forged', scp: ['events:read', 'exports'], key: 'key_x', ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vt-viewer+jwt', ...header } as never)
      .sign(signingKey as never);
  };
}

function b64url(v: unknown): string {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

describe('viewer tokens', () => {
  const ctx = useApp({ JOBS: 'export', VIEWER_DEMO: 'false' });
  let t: TestTenant;
  let other: TestTenant;
  const ids: Record<string, string> = {};

  async function mint(body: Record<string, unknown>, key = t.key): Promise<string> {
    const r = await ctx.api.post('/v1/viewer-tokens', { token: key, body });
    expect(r.status, r.text).toBe(201);
    return r.body.token as string;
  }

  beforeAll(async () => {
    t = await ctx.tenant('Viewer tenant');
    other = await ctx.tenant('Other tenant');
    // Read auditing would add veritrail.* entries to the organizations' trails between reads.
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const batch = [
      event({ organization_id: 'org_a', action: 'user.login', actor: { type: 'user', id: 'u_1' }, idempotency_key: 'a1' }),
      event({ organization_id: 'org_a', action: 'document.updated', actor: { type: 'user', id: 'u_1' }, changes: [{ field: 'title', before: 'x', after: 'y' }], idempotency_key: 'a2' }),
      event({ organization_id: 'org_a', action: 'user.login', actor: { type: 'user', id: 'u_2' }, idempotency_key: 'a3' }),
      event({ organization_id: 'org_b', action: 'user.login', actor: { type: 'user', id: 'u_9' }, idempotency_key: 'b1' }),
    ];
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: batch } });
    expect(r.status).toBe(201);
    [ids.a1, ids.a2, ids.a3, ids.b1] = r.body.ids;
    const o = await ctx.api.post('/v1/events', { token: other.key, body: event({ organization_id: 'org_a', action: 'user.login', actor: { type: 'user', id: 'u_1' } }) });
    ids.otherTenant = o.body.id;
  });

  it('POST /v1/viewer-tokens: 201 with a JWT for an admin key; 403 without admin; 400 for bad input, changing nothing', async () => {
    const r = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_a', ttl_seconds: 60 } });
    expect(r.status).toBe(201);
    expect(r.body.token.split('.')).toHaveLength(3);
    expect(Date.parse(r.body.expires_at) - Date.now()).toBeGreaterThan(50_000);
    expect(Date.parse(r.body.expires_at) - Date.now()).toBeLessThanOrEqual(61_000);
    const header = JSON.parse(Buffer.from(r.body.token.split('.')[0], 'base64url').toString());
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vt-viewer+jwt' });
    const reader = await createKey(ctx.api, t.key, { scopes: ['events:read', 'exports'] });
    expect((await ctx.api.post('/v1/viewer-tokens', { token: reader, body: { organization_id: 'org_a' } })).body.error.code).toBe('insufficient_scope');
    for (const body of [{}, { organization_id: '' }, { organization_id: 'o', ttl_seconds: 999_999 }, { organization_id: 'o', actions: ["x' OR 1=1"] }, { organization_id: 'o', scopes: ['admin'] }, { organization_id: 'o', tenant_id: 'x' }]) {
      const bad = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }
    expect((await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'o', scopes: ['exports'] } })).status).toBe(422);
  });

  it('reads only its organization, whatever the request asks (forged organization_id, ids of another organization or tenant)', async () => {
    const token = await mint({ organization_id: 'org_a' });
    const list = await ctx.api.get('/v1/events', { token });
    expect(list.status).toBe(200);
    expect(customerEvents(list.body.data).map((e: any) => e.id).sort()).toEqual([ids.a1, ids.a2, ids.a3].sort());
    const forged = await ctx.api.get('/v1/events', { token, query: { organization_id: 'org_b' } });
    expect(forged.status).toBe(200);
    expect(forged.body.data).toEqual([]);
    expect((await ctx.api.get(`/v1/events/${ids.b1}`, { token })).status).toBe(404);
    expect((await ctx.api.get(`/v1/events/${ids.otherTenant}`, { token })).status).toBe(404);
    expect((await ctx.api.get(`/v1/events/${ids.a2}`, { token })).body.changes).toEqual([{ field: 'title', before: 'x', after: 'y' }]);
    const stats = await ctx.api.get('/v1/events/stats', { token, query: { organization_id: 'org_b' } });
    expect(stats.body.total).toBe(0);
    // Another tenant's token for an organization of the same name sees that tenant's events only.
    const foreign = await mint({ organization_id: 'org_a' }, other.key);
    expect(customerEvents((await ctx.api.get('/v1/events', { token: foreign })).body.data).map((e: any) => e.id)).toEqual([ids.otherTenant]);
  });

  it('actor and action narrowing hold on list, get, stats and verification', async () => {
    const mine = await mint({ organization_id: 'org_a', actor_id: 'u_1' });
    expect(customerEvents((await ctx.api.get('/v1/events', { token: mine, query: { actor_id: 'u_2' } })).body.data)).toEqual([]);
    expect(customerEvents((await ctx.api.get('/v1/events', { token: mine })).body.data).map((e: any) => e.id).sort()).toEqual([ids.a1, ids.a2].sort());
    expect((await ctx.api.get(`/v1/events/${ids.a3}`, { token: mine })).status).toBe(404);
    expect((await ctx.api.get('/v1/events/stats', { token: mine })).body.total).toBe(2);
    const logins = await mint({ organization_id: 'org_a', actions: ['user.*'] });
    expect(customerEvents((await ctx.api.get('/v1/events', { token: logins, query: { action: 'document.updated' } })).body.data)).toEqual([]);
    expect(customerEvents((await ctx.api.get('/v1/events', { token: logins })).body.data).map((e: any) => e.id).sort()).toEqual([ids.a1, ids.a3].sort());
    const v = await ctx.api.get('/v1/events/verification', { token: mine, query: { ids: [ids.a1, ids.a3, ids.b1].join(',') } });
    expect(v.status).toBe(200);
    expect(v.body.events.map((e: any) => e.status)).toEqual(['unsealed', 'not_found', 'not_found']);
  });

  it('the verification badge: verified once sealed', async () => {
    expect((await ctx.api.post('/v1/integrity/seal', { token: t.key })).status).toBe(200);
    const token = await mint({ organization_id: 'org_a' });
    const v = await ctx.api.get('/v1/events/verification', { token, query: { ids: `${ids.a1},${ids.a2}` } });
    expect(v.body.checkpoint.number).toBeGreaterThanOrEqual(1);
    expect(v.body.events).toEqual([
      { id: ids.a1, status: 'verified' },
      { id: ids.a2, status: 'verified' },
    ]);
    expect((await ctx.api.get('/v1/events/verification', { token, query: { ids: 'not-a-uuid' } })).status).toBe(400);
  });

  it('AU-04: a valid viewer token is refused 403 insufficient_scope on every write and admin route; nothing changes', async () => {
    const token = await mint({ organization_id: 'org_a' });
    const attempts: [string, string, unknown?][] = [
      ['POST', '/v1/events', event({ organization_id: 'org_a' })],
      ['POST', '/v1/events/batch', { events: [event({ organization_id: 'org_a' })] }],
      ['GET', '/v1/api-keys'],
      ['POST', '/v1/api-keys', { name: 'x', scopes: ['admin'] }],
      ['POST', '/v1/webhooks', { url: 'https://example.com/hook' }],
      ['GET', '/v1/events/feed'],
      ['GET', '/v1/events/export?format=csv'],
      ['POST', '/v1/viewer-tokens', { organization_id: 'org_b' }],
      ['DELETE', '/v1/viewer-sessions?organization_id=org_a'],
      ['PUT', '/v1/settings/viewer', { allowed_origins: ['https://evil.example'] }],
      ['POST', '/v1/integrity/verify', {}],
      ['GET', '/v1/integrity/checkpoints'],
    ];
    for (const [method, path, body] of attempts) {
      const r = await ctx.api.request(method, path, { token, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('insufficient_scope');
    }
    expect((await ctx.api.get('/v1/settings/viewer', { token: t.key })).body.allowed_origins).toEqual([]);
    const readOnly = await mint({ organization_id: 'org_a', scopes: ['events:read'] });
    expect((await ctx.api.post('/v1/exports', { token: readOnly, body: { format: 'ndjson' } })).body.error.code).toBe('insufficient_scope');
  });

  it('AU-01..AU-04: forged, edited, confused and expired tokens answer 401', async () => {
    const sign = await forger(ctx.app);
    const good = await mint({ organization_id: 'org_a' });
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const kid = JSON.parse(Buffer.from(h!, 'base64url').toString()).kid;
    // The real minting key: a token naming a key that does not exist (or was revoked) is refused too (PEN-L4).
    const claims = { tid: t.id, org: 'org_a', key: payload.key as string };
    const cases: Record<string, string> = {
      'AU-01 alg none': `${b64url({ alg: 'none', typ: 'vt-viewer+jwt', kid })}.${p}.`,
      'AU-01 empty signature': `${h}.${p}.`,
      'AU-02 HS256 keyed with the public key': await sign(claims, { alg: 'HS256', kid }, createSecretKey(Buffer.from(JSON.stringify((await ctx.api.get('/.well-known/jwks.json')).body)))),
      'AU-03 edited organization': `${h}.${b64url({ ...payload, org: 'org_b' })}.${s}`,
      'AU-04 edited scopes': `${h}.${b64url({ ...payload, scp: ['events:read', 'events:write', 'admin'] })}.${s}`,
      'proofs granted by editing the payload': `${h}.${b64url({ ...payload, prf: true })}.${s}`,
      'a proofs claim of a shape we never mint': await sign({ ...claims, prf: 'yes' }, { kid }),
      'AU-03 wrong audience': await sign({ ...claims, aud: 'someone-else' }, { kid }),
      'AU-03 wrong issuer': await sign({ ...claims, iss: 'evil' }, { kid }),
      'AU-03 wrong typ': await sign(claims, { kid, typ: 'JWT' }),
      'AU-03 unknown kid': await sign(claims, { kid: 'viewer-0000000000000000' }),
      'AU-03 nbf in the future': await sign({ ...claims, nbf: Math.floor(Date.now() / 1000) + 120 }, { kid }),
      'AU-03 other tenant': await sign({ ...claims, tid: 'ten_doesnotexist' }, { kid }),
      'admin scope in a signed token': await sign({ ...claims, scp: ['events:read', 'admin'] }, { kid }),
      'PEN-L4 a minting key that does not exist': await sign({ ...claims, key: 'key_doesnotexist' }, { kid }),
      'PEN-L4 a demo token while the demo is off': await sign({ ...claims, key: 'demo' }, { kid }),
      'garbage': 'eyJhbGciOiJFZERTQSJ9.eyJ.x',
    };
    for (const [name, token] of Object.entries(cases)) {
      const r = await ctx.api.get('/v1/events', { token });
      expect(r.status, name).toBe(401);
      expect(r.body.error.code, name).toBe('invalid_token');
      expect(r.body.error.message).toBe('The credentials are invalid.');
    }
    const expired = await sign({ ...claims, iat: Math.floor(Date.now() / 1000) - 600, nbf: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 60 }, { kid });
    const r = await ctx.api.get('/v1/events', { token: expired });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('token_expired');
    // The forger itself produces accepted tokens when nothing is wrong (the cases above are not refused for another reason).
    expect((await ctx.api.get('/v1/events', { token: await sign(claims, { kid }) })).status).toBe(200);
  });

  it('revocation: DELETE /v1/viewer-sessions stops the organization\'s (or one user\'s) tokens at once; later tokens work', async () => {
    const ann = await mint({ organization_id: 'org_a', actor_id: 'u_1' });
    const bob = await mint({ organization_id: 'org_a', user_id: 'u_2' });
    const orgB = await mint({ organization_id: 'org_b' });
    const one = await ctx.api.delete('/v1/viewer-sessions', { token: t.key, query: { organization_id: 'org_a', actor_id: 'u_1' } });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ organization_id: 'org_a', actor_id: 'u_1' });
    expect((await ctx.api.get('/v1/events', { token: ann })).body.error.code).toBe('invalid_token');
    expect((await ctx.api.get('/v1/events', { token: bob })).status).toBe(200);
    expect((await ctx.api.delete('/v1/viewer-sessions', { token: t.key, query: { organization_id: 'org_a' } })).status).toBe(200);
    expect((await ctx.api.get('/v1/events', { token: bob })).status).toBe(401);
    expect((await ctx.api.get('/v1/events', { token: orgB })).status).toBe(200);
    // Another tenant revoking "org_b" changes nothing here.
    expect((await ctx.api.delete('/v1/viewer-sessions', { token: other.key, query: { organization_id: 'org_b' } })).status).toBe(200);
    expect((await ctx.api.get('/v1/events', { token: orgB })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // tokens of the revocation's second are refused too
    expect((await ctx.api.get('/v1/events', { token: await mint({ organization_id: 'org_a', actor_id: 'u_1' }) })).status).toBe(200);
    expect((await ctx.api.delete('/v1/viewer-sessions', { token: t.key, query: {} })).status).toBe(400);
    const trail = await ctx.api.get('/v1/events', { token: t.key, query: { action: 'veritrail.viewer.sessions_revoked', organization_id: 'org_a' } });
    expect(trail.body.data).toHaveLength(2);
  });

  it('housekeeping: revocations older than the longest token lifetime are deleted, recent ones kept and still enforced', async () => {
    const prisma = ctx.app.app.get(PrismaService);
    const old = new Date(Date.now() - REVOCATION_KEEP_MS - 60_000);
    await prisma.viewerRevocation.create({ data: { id: 'vrv_old_here', tenantId: t.id, organizationId: 'org_old', userId: null, revokedAt: old, revokedBy: 'key_x' } });
    await prisma.viewerRevocation.create({ data: { id: 'vrv_old_other', tenantId: other.id, organizationId: 'org_old', userId: null, revokedAt: old, revokedBy: 'key_y' } });
    const token = await mint({ organization_id: 'org_c' });
    expect((await ctx.api.delete('/v1/viewer-sessions', { token: t.key, query: { organization_id: 'org_c' } })).status).toBe(200);
    const before = await prisma.viewerRevocation.count();
    const counts = await ctx.app.app.get(JobRunner).runNow(VIEWER_HOUSEKEEPING_JOB);
    expect(counts?.revocations_deleted).toBe(2);
    expect(await prisma.viewerRevocation.count()).toBe(before - 2);
    expect(await prisma.viewerRevocation.findMany({ where: { id: { in: ['vrv_old_here', 'vrv_old_other'] } } })).toEqual([]);
    expect((await ctx.api.get('/v1/events', { token })).status).toBe(401);
  });

  it('exports: a viewer token exports only its narrowing, and sees only exports made with the same narrowing', async () => {
    const mine = await mint({ organization_id: 'org_a', actor_id: 'u_2' });
    const orgWide = await mint({ organization_id: 'org_a' });
    const created = await ctx.api.post('/v1/exports', { token: mine, body: { format: 'ndjson', organization_id: 'org_b' } });
    expect(created.status).toBe(202);
    const created2 = await ctx.api.post('/v1/exports', { token: mine, body: { format: 'ndjson' } });
    let job: any;
    for (let i = 0; i < 300; i++) {
      job = (await ctx.api.get(`/v1/exports/${created2.body.id}`, { token: mine })).body;
      if (job.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status).toBe('succeeded');
    const file = await fetch(job.download_link.url);
    const lines = (await file.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(customerEvents(lines).map((e) => e.id)).toEqual([ids.a3]);
    // The token's own export requests are in it too: the trail records them with the viewer's user as actor.
    expect(lines.filter((e) => e.action === 'veritrail.export.requested').every((e) => e.actor.id === 'u_2' && e.organization_id === 'org_a')).toBe(true);
    const forgedJob = (await ctx.api.get(`/v1/exports/${created.body.id}`, { token: mine })).body;
    expect(forgedJob.organization_id).toBe('org_a');
    const otherActor = await mint({ organization_id: 'org_a', actor_id: 'u_1' });
    expect((await ctx.api.get(`/v1/exports/${created2.body.id}`, { token: otherActor })).status).toBe(404);
    expect((await ctx.api.get('/v1/exports', { token: otherActor })).body.data).toEqual([]);
    expect((await ctx.api.get(`/v1/exports/${created2.body.id}`, { token: orgWide })).status).toBe(200);
    expect((await ctx.api.get(`/v1/exports/${created2.body.id}`, { token: await mint({ organization_id: 'org_b' }) })).status).toBe(404);
    expect((await ctx.api.delete(`/v1/exports/${created2.body.id}`, { token: mine })).status).toBe(403);
  });

  it('CORS: preflights are answered; an origin off the allow-list is refused 403 origin_not_allowed; a listed one is granted', async () => {
    const token = await mint({ organization_id: 'org_a' });
    const pre = await fetch(`${ctx.app.url}/v1/events?limit=5`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');

    const refused = await ctx.api.get('/v1/events', { token, headers: { origin: 'https://app.example.com' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('origin_not_allowed');
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://app.example.com'); // the error is readable, nothing else
    for (const bad of [['https://app.example.com/path'], ['javascript:alert(1)'], ['https://user:pw@app.example.com'], ['null']]) {
      const r = await ctx.api.put('/v1/settings/viewer', { token: t.key, body: { allowed_origins: bad } });
      expect([400, 422], String(bad)).toContain(r.status);
    }
    const put = await ctx.api.put('/v1/settings/viewer', { token: t.key, body: { allowed_origins: ['https://App.Example.com:443', 'http://localhost:3000'] } });
    expect(put.body.allowed_origins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    const ok = await ctx.api.get('/v1/events', { token, headers: { origin: 'https://app.example.com' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('vary')).toContain('Origin');
    // Tenant-wide: another tenant's list does not admit this origin for its own tokens.
    const foreign = await mint({ organization_id: 'org_a' }, other.key);
    expect((await ctx.api.get('/v1/events', { token: foreign, headers: { origin: 'https://app.example.com' } })).status).toBe(403);
    // API keys never get a CORS grant.
    const keyed = await ctx.api.get('/v1/events', { token: t.key, headers: { origin: 'https://app.example.com' } });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('privacy: a viewer token reads personal data decrypted, restricted fields never (no privacy scope); the badge still verifies', async () => {
    const p = await ctx.tenant('Viewer privacy');
    const put = await ctx.api.put('/v1/settings/privacy', { token: p.key, body: { scrubbing: {}, classification: { fields: { 'context.ip': 'restricted' } } } });
    expect(put.status, put.text).toBe(200);
    const r = await ctx.api.post('/v1/events', { token: p.key, body: event({ organization_id: 'org_p', actor: { type: 'user', id: 'u_p', name: 'Pat Doe', email: 'pat@example.com' } }) });
    expect(r.status).toBe(201);
    expect((await ctx.api.post('/v1/integrity/seal', { token: p.key })).status).toBe(200);
    const token = await mint({ organization_id: 'org_p' }, p.key);
    const shown = (await ctx.api.get(`/v1/events/${r.body.id}`, { token })).body;
    expect(shown.actor).toMatchObject({ name: 'Pat Doe', email: 'pat@example.com' });
    expect(shown.context.ip).toBe('[restricted]');
    const listed = customerEvents((await ctx.api.get('/v1/events', { token })).body.data);
    expect(listed[0].context.ip).toBe('[restricted]');
    const v = await ctx.api.get('/v1/events/verification', { token, query: { ids: r.body.id } });
    expect(v.body.events).toEqual([{ id: r.body.id, status: 'verified' }]);
  });

  it('/demo is off unless VIEWER_DEMO=true', async () => {
    const r = await ctx.api.get('/demo');
    expect(r.status).toBe(404);
    const tenants = await ctx.api.get('/admin/v1/tenants', { token: ctx.env.adminToken, query: { limit: 100 } });
    expect(tenants.body.data.some((x: { name: string }) => x.name.startsWith('Demo:'))).toBe(false);
  });

  it('PROMISE-06: a viewer session is recorded once, in the tenant\'s trail; the organization sees no read entries and no key names', async () => {
    const p = await ctx.tenant('Read-audited tenant'); // default settings: read auditing on
    const batch = [event({ organization_id: 'org_x' }), event({ organization_id: 'org_x' }), event({ organization_id: 'org_y' })];
    expect((await ctx.api.post('/v1/events/batch', { token: p.key, body: { events: batch } })).status).toBe(201);
    const minted = (await ctx.api.post('/v1/viewer-tokens', { token: p.key, body: { organization_id: 'org_x', user_id: 'u_view' } })).body;
    const token = minted.token as string;
    // A page load, then searching, opening events, the stats: ten requests of one session.
    const id = customerEvents((await ctx.api.get('/v1/events', { token })).body.data)[0].id;
    for (let i = 0; i < 3; i++) {
      expect((await ctx.api.get('/v1/events', { token, query: { q: 'Ann' } })).status).toBe(200);
      expect((await ctx.api.get(`/v1/events/${id}`, { token })).status).toBe(200);
      expect((await ctx.api.get('/v1/events/stats', { token })).status).toBe(200);
    }
    // A second session whose first requests arrive together is recorded once as well.
    const second = (await ctx.api.post('/v1/viewer-tokens', { token: p.key, body: { organization_id: 'org_x' } })).body;
    const parallel = await Promise.all(Array.from({ length: 5 }, () => ctx.api.get('/v1/events', { token: second.token })));
    expect(parallel.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // An organization key's reads are recorded too — in the tenant's trail, naming the organization.
    const orgKey = await createKey(ctx.api, p.key, { name: 'Acme SIEM', scopes: ['events:read'], organization_id: 'org_x' });
    expect((await ctx.api.get('/v1/events', { token: orgKey, query: { actor_id: 'barrier' } })).status).toBe(200);
    // Read entries are written in the background, in order: once this one is there, every earlier one is.
    await until('the organization key\'s search in the tenant\'s trail', async () =>
      (await listAll(ctx.api, p.key, { action: 'veritrail.events.searched' })).some((e) => e.metadata?.filters?.actor_id === 'barrier'),
    );
    const trail = (await listAll(ctx.api, p.key)).filter((e) => e.action.startsWith('veritrail.'));
    const sessions = trail.filter((e) => e.action === 'veritrail.viewer.session');
    expect(sessions.map((e) => e.targets[0].id).sort()).toEqual([minted.session_id, second.session_id].sort());
    const first = sessions.find((e) => e.targets[0].id === minted.session_id);
    expect(first).toMatchObject({
      actor: { type: 'user', id: 'u_view' },
      targets: [{ type: 'viewer_session', id: minted.session_id }, { type: 'organization', id: 'org_x' }],
      metadata: { organization_id: 'org_x', user_id: 'u_view', scopes: ['events:read', 'exports'], minted_by: expect.stringMatching(/^key_/) },
    });
    expect(sessions.every((e) => e.organization_id === undefined)).toBe(true);
    expect(JSON.stringify(sessions)).not.toContain('eyJ'); // never the token
    // No per-request entries for the viewer: the only read entry of org_x is the organization key's.
    const reads = trail.filter((e) => ['veritrail.events.searched', 'veritrail.event.viewed', 'veritrail.events.stats_viewed'].includes(e.action));
    const orgReads = reads.filter((e) => e.organization_id !== undefined || e.metadata?.organization_id !== undefined || e.actor.type === 'user' || String(e.actor.name).startsWith('viewer'));
    expect(orgReads).toHaveLength(1);
    expect(orgReads[0]).toMatchObject({ actor: { type: 'api_key', name: 'Acme SIEM' }, metadata: { organization_id: 'org_x' } });
    expect(orgReads[0].organization_id).toBeUndefined();
    // A change concerning the organization is in its trail, without the tenant's key names.
    expect((await ctx.api.delete('/v1/viewer-sessions', { token: p.key, query: { organization_id: 'org_x', actor_id: 'u_gone' } })).status).toBe(200);
    // What the organization reads: its events and that change; no read entries, no key names.
    const seen = await listAll(ctx.api, orgKey);
    expect(customerEvents(seen)).toHaveLength(2);
    expect(seen.filter((e) => e.action.startsWith('veritrail.')).map((e) => e.action)).toEqual(['veritrail.viewer.sessions_revoked']);
    expect(seen.find((e) => e.action === 'veritrail.viewer.sessions_revoked').actor).toEqual({ type: 'api_key', id: expect.stringMatching(/^key_/) });
    expect(JSON.stringify(seen)).not.toContain('Initial admin key');
    expect(JSON.stringify(seen)).not.toContain('Acme SIEM');
    // The tenant still sees who did it.
    const revoked = (await listAll(ctx.api, p.key, { action: 'veritrail.viewer.sessions_revoked' }))[0];
    expect(revoked.organization_id).toBe('org_x');
  });

  it('PROMISE-06: exclude_action=veritrail.* (what the viewer sends by default) leaves the trail\'s own entries out; exact exclusions too', async () => {
    const p = await ctx.tenant('Exclusions');
    expect((await ctx.api.post('/v1/events/batch', { token: p.key, body: { events: [event({ action: 'user.login' }), event({ action: 'document.read' })] } })).status).toBe(201);
    await requestSettingsChange(p.key);
    const all = await listAll(ctx.api, p.key);
    expect(all.some((e) => e.action.startsWith('veritrail.'))).toBe(true);
    const shown = await listAll(ctx.api, p.key, { exclude_action: 'veritrail.*' });
    expect(shown.map((e) => e.id)).toEqual(customerEvents(all).map((e) => e.id));
    expect((await listAll(ctx.api, p.key, { exclude_action: 'user.login' })).some((e) => e.action === 'user.login')).toBe(false);
    const stats = await ctx.api.get('/v1/events/stats', { token: p.key, query: { exclude_action: 'veritrail.*' } });
    expect(stats.body.total).toBe(2);
    const bad = await ctx.api.get('/v1/events', { token: p.key, query: { exclude_action: "x' OR 1=1" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  async function requestSettingsChange(key: string): Promise<void> {
    expect((await ctx.api.put('/v1/settings/viewer', { token: key, body: { allowed_origins: ['https://x.example'] } })).status).toBe(200);
  }

  it('PEN-L4: revoking the key that minted a token stops the token at once; an expiring key takes its tokens with it', async () => {
    const minter = await ctx.api.post('/v1/api-keys', { token: t.key, body: { name: 'minting key', scopes: ['admin'] } });
    expect(minter.status).toBe(201);
    const token = await mint({ organization_id: 'org_a' }, minter.body.key);
    const survivor = await mint({ organization_id: 'org_a' });
    expect((await ctx.api.get('/v1/events', { token })).status).toBe(200);
    expect((await ctx.api.delete(`/v1/api-keys/${minter.body.id}`, { token: t.key })).status).toBe(200);
    const refused = await ctx.api.get('/v1/events', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_token');
    expect((await ctx.api.post('/v1/exports', { token, body: { format: 'csv' } })).status).toBe(401);
    expect((await ctx.api.get('/v1/events', { token: survivor })).status).toBe(200);

    const shortLived = await ctx.api.post('/v1/api-keys', { token: t.key, body: { name: 'short', scopes: ['admin'], expires_at: new Date(Date.now() + 1500).toISOString() } });
    const fromShort = await mint({ organization_id: 'org_a', ttl_seconds: 600 }, shortLived.body.key);
    expect((await ctx.api.get('/v1/events', { token: fromShort })).status).toBe(200);
    await until('the token of an expired key to be refused', async () => (await ctx.api.get('/v1/events', { token: fromShort })).status === 401, 15_000);
  });
});

describe('viewer demo (VIEWER_DEMO=true)', () => {
  const ctx = useApp({ JOBS: 'none', VIEWER_DEMO: 'true' });

  it('PEN-05: demo tokens read but cannot export (403 insufficient_scope); the demo tenant keeps the default settings', async () => {
    const page = await ctx.api.get('/demo');
    expect(page.status).toBe(200);
    const token = /token="([^"]+)"/.exec(page.text)![1]!;
    const listed = await ctx.api.get('/v1/events', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.data.length).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const r = await ctx.api.post('/v1/exports', { token, body: { format: 'csv' } });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('insufficient_scope');
    }
    const tenants = (await ctx.api.get('/admin/v1/tenants', { token: ctx.env.adminToken, query: { limit: 100 } })).body.data;
    const demo = tenants.find((x: { name: string }) => x.name.startsWith('Demo:'));
    expect(demo.read_auditing).toBe(true);
    const key = (await ctx.api.post(`/admin/v1/tenants/${demo.id}/api-keys`, { token: ctx.env.adminToken, body: { name: 'inspect', scopes: ['admin', 'events:read', 'exports'] } })).body.key;
    expect((await ctx.api.get('/v1/exports', { token: key })).body.data).toEqual([]);
    // The visit is recorded once in the demo tenant's own trail; the organization's view has no read entries.
    const sessions = await listAll(ctx.api, key, { action: 'veritrail.viewer.session' });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ actor: { type: 'system', id: 'viewer_demo' }, metadata: { scopes: ['events:read'] } });
    expect(sessions[0].organization_id).toBeUndefined();
    const seen = (await ctx.api.get('/v1/events', { token: /token="([^"]+)"/.exec((await ctx.api.get('/demo')).text)![1]!, query: { limit: 1000 } })).body.data;
    expect(seen.filter((e: any) => e.action.startsWith('veritrail.events') || e.action.startsWith('veritrail.viewer'))).toEqual([]);
  });
});

/** Revocation across replicas (two apps on one PostgreSQL server; embedded PGlite belongs to one process). */
describe('viewer revocation across replicas', () => {
  let env: TestEnv;
  let a: RunningApp | undefined;
  let b: RunningApp | undefined;
  const serverOnly = process.env.VT_TEST_POSTGRES !== 'server';

  beforeAll(async () => {
    if (serverOnly) return;
    env = await createTestEnv();
    a = await startApp(env, { AUTH_CACHE_TTL_MS: '300' });
    b = await startApp(env, { AUTH_CACHE_TTL_MS: '300' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await env?.drop();
  });

  it.skipIf(serverOnly)('a session revoked on one replica is refused by the other within its cache time (well under 60 s)', async () => {
    const apiA = new Api(a!.url);
    const apiB = new Api(b!.url);
    const t = await createTenant(apiA, env, 'Replicated viewer');
    const token = (await apiA.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_r' } })).body.token as string;
    expect((await apiB.get('/v1/events', { token })).status).toBe(200); // B has cached "not revoked"
    expect((await apiA.delete('/v1/viewer-sessions', { token: t.key, query: { organization_id: 'org_r' } })).status).toBe(200);
    // B re-checks after its cache time: poll (bounded) rather than sleep past it and hope.
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (Date.now() < deadline && status !== 401) {
      status = (await apiB.get('/v1/events', { token })).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
  });

  it.skipIf(serverOnly)('PEN-L4: a key revoked on one replica stops its viewer tokens on the other within the key cache time', async () => {
    const apiA = new Api(a!.url);
    const apiB = new Api(b!.url);
    const t = await createTenant(apiA, env, 'Replicated minting key');
    const minter = (await apiA.post('/v1/api-keys', { token: t.key, body: { name: 'minter', scopes: ['admin'] } })).body;
    const token = (await apiA.post('/v1/viewer-tokens', { token: minter.key, body: { organization_id: 'org_r' } })).body.token as string;
    expect((await apiB.get('/v1/events', { token })).status).toBe(200); // B has cached "key active"
    expect((await apiA.delete(`/v1/api-keys/${minter.id}`, { token: t.key })).status).toBe(200);
    expect((await apiA.get('/v1/events', { token })).status).toBe(401);
    const started = Date.now();
    await until('replica B to refuse the token', async () => (await apiB.get('/v1/events', { token })).status === 401, 10_000);
    expect(Date.now() - started).toBeLessThan(5_000); // AUTH_CACHE_TTL_MS is 300 ms here
  });
});
