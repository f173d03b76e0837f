import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as cli } from '../../src/cli/veritrail.js';
import { DownloadLinks } from '../../src/exports/download-links.js';
import { ExportsRepository } from '../../src/exports/exports.repository.js';
import { readTar } from '../../src/integrity/evidence.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { Api, createKey, createTenant, createTestEnv, customerEvents, event, listAll, startApp, useApp, type AppContext, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';
import { cefCarried, LOGNORMALIZER, referenceParse } from '../support/cef-reference.js';
import { loadOcsfSchema } from '../support/ocsf-schema.js';
import { ecsProblems } from '../support/ecs-schema.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Polls an export until it reaches a terminal status. */
async function settle(api: Api, token: string, id: string, timeoutMs = 30_000): Promise<any> {
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.get(`/v1/exports/${id}`, { token });
    expect(r.status).toBe(200);
    if (TERMINAL.has(r.body.status)) return r.body;
    if (Date.now() > stopAt) throw new Error(`export ${id} still ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function requestExport(api: Api, token: string, body: Record<string, unknown>): Promise<any> {
  const r = await api.post('/v1/exports', { token, body });
  expect(r.status, r.text).toBe(202);
  expect(r.body.status).toBe('queued');
  return r.body;
}

/** Downloads raw bytes (the harness client decodes text). */
async function fetchBytes(url: string, token?: string): Promise<{ status: number; bytes: Buffer; headers: Headers; json?: any }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: res.status, bytes, headers: res.headers, json };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The hostile strings of TEST-CATALOG EX-01 (spreadsheet formulas) and EX-02 (CEF specials), plus controls. */
const HOSTILE = [
  '=HYPERLINK("http://x")',
  '+cmd',
  '-1+1',
  '@SUM(A1)',
  '\tTAB first',
  '\rCR first',
  'pipe | back\\slash = equals',
  'line one\nline two\r\nthree',
  "'quoted",
  'bidi \u202e gnp.exe and zero\u200bwidth and \u2028 separator',
  'comma, "quote"',
];

/** Our text escaping for CSV values, undone: `\\` and `\uXXXX` (written down from docs/api.md). */
function unescapeText(s: string): string {
  return s.replace(/\\(\\|u[0-9a-fA-F]{4})/g, (_m, e: string) => (e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16))));
}

function get(o: any, path: string): unknown {
  return path.split('.').reduce((x, k) => (x == null ? undefined : x[k]), o);
}

describe('exports', () => {
  const ctx = useApp({ JOBS: 'export' });
  let t: TestTenant;
  let sources: any[];

  beforeAll(async () => {
    t = await ctx.tenant('Exports');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const events = HOSTILE.map((s, i) =>
      event({
        action: ['user.login', 'user.password.changed', 'document.updated', 'document.read'][i % 4],
        outcome: i % 3 === 0 ? 'failure' : 'success',
        organization_id: i % 2 === 0 ? 'org_a' : 'org_b',
        actor: { type: 'user', id: `u_${i}`, name: s, email: `u${i}@example.com` },
        targets: [{ type: 'document', id: `doc|${i}=x`, name: s }],
        context: { ip: i % 2 ? '203.0.113.9' : '2001:db8::1', user_agent: s, request_id: `req ${i}` },
        metadata: { note: s, n: i },
        changes: [{ field: 'title', before: s, after: `${s}!` }],
      }),
    );
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } });
    expect(r.status).toBe(201);
    sources = customerEvents(await listAll(ctx.api, t.key, { order: 'asc' }));
    expect(sources).toHaveLength(HOSTILE.length);
  });

  async function exportFile(body: Record<string, unknown>, token = t.key): Promise<{ job: any; bytes: Buffer }> {
    const requested = await requestExport(ctx.api, token, body);
    const job = await settle(ctx.api, token, requested.id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const d = await fetchBytes(`${ctx.app.url}/v1/exports/${job.id}/download`, token);
    expect(d.status).toBe(200);
    expect(d.bytes.length).toBe(job.bytes);
    expect(sha256(d.bytes)).toBe(job.sha256);
    expect(d.headers.get('digest')).toBe(`sha-256=${Buffer.from(job.sha256, 'hex').toString('base64')}`);
    return { job, bytes: d.bytes };
  }

  /** Export output restricted to the customer events (the trail also holds veritrail.* events). */
  const byId = () => new Map(sources.map((e) => [e.id, e]));

  it('ndjson: every event exactly as stored, oldest first', async () => {
    const { job, bytes } = await exportFile({ format: 'ndjson', action: 'user.*' });
    const lines = bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const expected = sources.filter((e) => e.action.startsWith('user.'));
    expect(lines).toEqual(expected);
    expect(job.row_count).toBe(expected.length);
    expect(job.filters).toEqual({ action: 'user.*' });
  });

  it('EX-01 csv: csv-parse reads back every field; formula triggers are prefixed with a quote', async () => {
    const { bytes } = await exportFile({ format: 'csv', gzip: true });
    const text = gunzipSync(bytes).toString('utf8');
    const rows: string[][] = parseCsv(text, { relax_column_count: false });
    const [header, ...records] = rows;
    expect(header).toContain('actor_name');
    const col = (name: string) => header!.indexOf(name);
    const sourcesById = byId();
    const mine = records.filter((r) => sourcesById.has(r[col('id')]!));
    expect(mine).toHaveLength(sources.length);
    for (const r of mine) {
      const src = sourcesById.get(r[col('id')]!)!;
      const cell = (name: string) => r[col(name)]!;
      // A cell that would start with = + - @ ' (or a control, written as \uXXXX) never starts a formula.
      for (const c of r) expect(c).not.toMatch(/^[=+\-@\t\r]/);
      const decode = (c: string) => unescapeText(/^'[=+\-@']/.test(c) ? c.slice(1) : c);
      expect(decode(cell('actor_name'))).toBe(src.actor.name);
      expect(decode(cell('user_agent'))).toBe(src.context.user_agent);
      expect(decode(cell('action'))).toBe(src.action);
      expect(decode(cell('occurred_at'))).toBe(src.occurred_at);
      expect(decode(cell('ip'))).toBe(src.context.ip);
      expect(JSON.parse(decode(cell('target_ids')))).toEqual(src.targets.map((x: any) => x.id));
      expect(JSON.parse(decode(cell('target_names')))).toEqual(src.targets.map((x: any) => x.name));
      expect(JSON.parse(decode(cell('metadata')))).toEqual(src.metadata);
      expect(JSON.parse(decode(cell('changes')))).toEqual(src.changes);
      if (/^[=+\-@']/.test(src.actor.name)) expect(cell('actor_name').startsWith("'")).toBe(true);
    }
    // No raw line break inside a record: one physical line per record (plus the header).
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(records.length + 1);
  });

  it.skipIf(!LOGNORMALIZER)('EX-02 / STD-CEF cef: a maintained CEF parser (liblognorm) reads the originals back byte for byte', async () => {
    const { bytes } = await exportFile({ format: 'cef' });
    const lines = bytes.toString('utf8').split('\n').filter(Boolean);
    const parsed = referenceParse(lines);
    const sourcesById = byId();
    const v = (s: string) => cefCarried(s, 'value');
    let seen = 0;
    parsed.forEach((p, i) => {
      expect(lines[i]).not.toMatch(/[\r\u2028\u2029\u202e\u200b\t]/);
      expect(p, lines[i]).toBeDefined();
      expect([p!.DeviceVendor, p!.DeviceProduct]).toEqual(['Veritrail', 'Veritrail']);
      const ext = p!.Extensions;
      const src = sourcesById.get(ext.externalId!);
      if (!src) return;
      seen++;
      expect(p!.SignatureID).toBe(src.action);
      expect(p!.Severity).toBe(src.outcome === 'failure' ? '6' : '2');
      expect(ext.act).toBe(src.action);
      expect(ext.suid).toBe(src.actor.id);
      expect(ext.suser).toBe(v(src.actor.name));
      expect(ext.cs6).toBe(src.actor.email);
      expect(ext.flexString1).toBe('user');
      expect(ext.requestClientApplication).toBe(v(src.context.user_agent));
      if (src.context.ip.includes(':')) expect([ext.src, ext.c6a1]).toEqual([undefined, src.context.ip]);
      else expect([ext.src, ext.c6a1]).toEqual([src.context.ip, undefined]);
      expect(ext.cs3).toBe(src.targets[0].id);
      expect(ext.outcome).toBe(src.outcome);
      expect(ext.cs1).toBe(src.organization_id);
      expect(ext.cs4).toBe(src.context.request_id);
      expect(Number(ext.start)).toBe(Date.parse(src.occurred_at));
    });
    expect(seen).toBe(sources.length);
  });

  it('STD-OCSF ocsf: valid OCSF 1.1.0 against the schema definitions, Splunk keys filled, tenant mapping applied', async () => {
    const ocsf = loadOcsfSchema(fileURLToPath(new URL('../fixtures/ocsf-1.1.0', import.meta.url)));
    const put = await ctx.api.put('/v1/settings/ocsf', { token: t.key, body: { mapping: { 'document.*': 3001 } } });
    expect(put.status, put.text).toBe(200);
    expect((await ctx.api.get('/v1/settings/ocsf', { token: t.key })).body).toEqual({ mapping: { 'document.*': 3001 } });
    const { bytes } = await exportFile({ format: 'ocsf' });
    const objects = bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const sourcesById = byId();
    let seen = 0;
    for (const o of objects) {
      const validate = ocsf.validator(o.class_uid);
      expect(validate(o), JSON.stringify(validate.errors)).toBe(true);
      const src = sourcesById.get(get(o, 'metadata.uid') as string);
      if (!src) continue;
      seen++;
      expect(o.time).toBe(Date.parse(src.occurred_at));
      expect(get(o, 'actor.user.uid')).toBe(src.actor.id);
      expect(get(o, 'src_endpoint.ip')).toBe(src.context.ip);
      expect(get(o, 'http_request.user_agent')).toBe(src.context.user_agent);
      expect(o.status_id).toBe(src.outcome === 'success' ? 1 : 2);
      if (src.action.startsWith('document.')) expect(o.class_uid).toBe(3001);
      if (src.action === 'user.login') expect(o.class_uid).toBe(3002);
    }
    expect(seen).toBe(sources.length);
    const bad = await ctx.api.put('/v1/settings/ocsf', { token: t.key, body: { mapping: { 'user.login': 4001 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('STD-ECS ecs: every document valid against the ECS 8.17 field definitions, one per event, and direct export the same', async () => {
    const { job, bytes } = await exportFile({ format: 'ecs' });
    const docs = bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(docs).toHaveLength(job.row_count);
    const sourcesById = byId();
    let seen = 0;
    for (const d of docs) {
      expect(ecsProblems(d), JSON.stringify(d)).toEqual([]);
      const src = sourcesById.get(d.event.id);
      if (!src) continue;
      seen++;
      expect(d['@timestamp']).toBe(src.occurred_at);
      expect(d.user.id).toBe(src.actor.id);
      expect(d.event.outcome).toBe(src.outcome);
    }
    expect(seen).toBe(sources.length);
    const direct = await fetchBytes(`${ctx.app.url}/v1/events/export?format=ecs`, t.key);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('content-type')).toContain('application/x-ndjson');
    // The trail grew meanwhile (the export itself is recorded): compare the customer events.
    const customer = (ids: string[]) => ids.filter((id) => sourcesById.has(id));
    expect(customer(direct.bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).event.id))).toEqual(customer(docs.map((d) => d.event.id)));
  });

  it('bundle: the offline verifier accepts it, and rejects it once an event is edited', async () => {
    const { job, bytes } = await exportFile({ format: 'bundle', gzip: true });
    const dir = await mkdtemp(join(tmpdir(), 'vt-bundle-'));
    try {
      const files = readTar(gunzipSync(bytes));
      const events = files.get('events.ndjson')!.toString('utf8').split('\n').filter(Boolean);
      expect(events).toHaveLength(job.row_count);
      expect(customerEvents(events.map((l) => JSON.parse(l)))).toHaveLength(sources.length);
      const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
      expect(manifest.export.id).toBe(job.id);
      const jwks = await ctx.api.get('/.well-known/jwks.json');
      await writeFile(join(dir, 'pinned.json'), JSON.stringify(jwks.body));
      await writeFile(join(dir, 'bundle.tar.gz'), bytes);
      let out = '';
      expect(await cli(['verify', join(dir, 'bundle.tar.gz'), '--jwks', join(dir, 'pinned.json')], (s) => (out += s))).toBe(0);
      expect(out).toContain('OK');
      // Tamper: rewrite one event in an extracted copy.
      for (const [name, body] of files) await writeFile(join(dir, name), body);
      const edited = events.map((l, i) => (i === 0 ? l.replace(/"action":"[^"]+"/, '"action":"user.logout"') : l)).join('\n');
      await writeFile(join(dir, 'events.ndjson'), `${edited}\n`);
      await rm(join(dir, 'bundle.tar.gz'));
      await rm(join(dir, 'pinned.json'));
      await writeFile(join(tmpdir(), `pinned-${job.id}.json`), JSON.stringify(jwks.body));
      out = '';
      expect(await cli(['verify', dir, '--jwks', join(tmpdir(), `pinned-${job.id}.json`)], (s) => (out += s))).toBe(1);
      expect(out).toContain('TAMPERED');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exports 0 events as an empty file (csv: the header only)', async () => {
    const nd = await exportFile({ format: 'ndjson', action: 'nothing.matches' });
    expect(nd.job.row_count).toBe(0);
    expect(nd.bytes.length).toBe(0);
    const csv = await exportFile({ format: 'csv', action: 'nothing.matches' });
    expect(csv.bytes.toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(1);
  });

  it('signed links: work without the key; edited, foreign-tenant and expired links are refused', async () => {
    const { job, bytes } = await exportFile({ format: 'ndjson' });
    const link = job.download_link.url as string;
    expect(new Date(job.download_link.expires_at).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const ok = await fetchBytes(link);
    expect(ok.status).toBe(200);
    expect(ok.bytes.equals(bytes)).toBe(true);

    const u = new URL(link);
    const edited = new URL(u);
    const sig = u.searchParams.get('signature')!;
    edited.searchParams.set('signature', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    const extended = new URL(u);
    extended.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600));
    for (const bad of [edited, extended]) {
      const r = await fetchBytes(bad.toString());
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('invalid_link');
    }

    // Another tenant's valid link, pointed at this tenant's export (or claiming this tenant).
    const other = await ctx.tenant('Other exports');
    const theirs = await requestExport(ctx.api, other.key, { format: 'ndjson' });
    const theirJob = await settle(ctx.api, other.key, theirs.id);
    const theirLink = new URL(theirJob.download_link.url);
    const swapped = new URL(theirLink);
    swapped.pathname = `/v1/exports/${job.id}/download`;
    const claimed = new URL(theirLink);
    claimed.searchParams.set('tenant', t.id);
    for (const bad of [swapped, claimed]) {
      const r = await fetchBytes(bad.toString());
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('invalid_link');
    }
    // Their key cannot see ours either (no existence oracle).
    expect((await ctx.api.get(`/v1/exports/${job.id}`, { token: other.key })).status).toBe(404);
    expect((await fetchBytes(`${ctx.app.url}/v1/exports/${job.id}/download`, other.key)).status).toBe(404);

    // A link signed 16 minutes ago has expired.
    const old = ctx.app.app.get(DownloadLinks).sign(t.id, job.id, Date.now() - 16 * 60_000);
    const expired = await fetchBytes(`${ctx.app.url}${old.path}`);
    expect(expired.status).toBe(403);
    expect(expired.json.error.code).toBe('link_expired');

    // Without key or link.
    const none = await fetchBytes(`${ctx.app.url}/v1/exports/${job.id}/download`);
    expect(none.status).toBe(401);
  });

  it('organization keys export only their organization and see only their exports', async () => {
    const orgKey = await createKey(ctx.api, t.key, { scopes: ['exports'], organization_id: 'org_a' });
    const { job, bytes } = await exportFile({ format: 'ndjson' }, orgKey);
    expect(job.organization_id).toBe('org_a');
    const lines = bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((e) => e.organization_id === 'org_a')).toBe(true);
    expect(customerEvents(lines)).toHaveLength(sources.filter((e) => e.organization_id === 'org_a').length);
    // Asking for another organization yields nothing of it.
    const foreign = await exportFile({ format: 'ndjson', organization_id: 'org_b' }, orgKey);
    expect(foreign.job.row_count).toBe(0);
    // The tenant-wide exports are not visible to the organization key.
    const all = await ctx.api.get('/v1/exports', { token: orgKey, query: { limit: 100 } });
    expect(all.status).toBe(200);
    expect(all.body.data.every((x: any) => x.organization_id === 'org_a')).toBe(true);
    const tenantWide = (await ctx.api.get('/v1/exports', { token: t.key, query: { limit: 100 } })).body.data.find((x: any) => x.organization_id === null);
    expect((await ctx.api.get(`/v1/exports/${tenantWide.id}`, { token: orgKey })).status).toBe(404);
  });

  it('lists exports newest first with a cursor that never repeats or skips', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const r = await ctx.api.get('/v1/exports', { token: t.key, query: { limit: 2, cursor } });
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((x: any) => x.id));
      cursor = r.body.next_cursor ?? undefined;
      if (!cursor) break;
    }
    const all = (await ctx.api.get('/v1/exports', { token: t.key, query: { limit: 100 } })).body.data.map((x: any) => x.id);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort().reverse()).toEqual(seen); // uuidv7: creation order
    const other = await ctx.tenant('Cursor thief');
    const r = await ctx.api.get('/v1/exports', { token: other.key, query: { limit: 2, cursor: (await ctx.api.get('/v1/exports', { token: t.key, query: { limit: 1 } })).body.next_cursor } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_cursor');
  });

  it('refuses bad requests with a stable code and creates nothing', async () => {
    const before = (await ctx.api.get('/v1/exports', { token: t.key, query: { limit: 100 } })).body.data.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ format: 'xml' }, 'validation_failed'],
      [{}, 'validation_failed'],
      [{ format: 'ndjson', ip: 'not-an-ip' }, 'validation_failed'],
      [{ format: 'ndjson', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'validation_failed'],
      [{ format: 'ndjson', surprise: 1 }, 'validation_failed'],
      [{ format: 'ndjson', gzip: 'yes' }, 'validation_failed'],
    ];
    for (const [body, code] of cases) {
      const r = await ctx.api.post('/v1/exports', { token: t.key, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe(code);
    }
    const ingestOnly = await createKey(ctx.api, t.key, { scopes: ['events:write'] });
    const denied = await ctx.api.post('/v1/exports', { token: ingestOnly, body: { format: 'ndjson' } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('insufficient_scope');
    expect((await fetchBytes(`${ctx.app.url}/v1/events/export?format=ndjson`, ingestOnly)).status).toBe(403);
    expect((await ctx.api.get('/v1/exports/not-a-uuid', { token: t.key })).status).toBe(404);
    expect((await ctx.api.get('/v1/exports', { token: t.key, query: { limit: 100 } })).body.data.length).toBe(before);
  });

  it('streams small ranges directly (GET /v1/events/export), gzip included', async () => {
    const r = await fetchBytes(`${ctx.app.url}/v1/events/export?format=ndjson&action=document.*`, t.key);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = r.bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toEqual(sources.filter((e) => e.action.startsWith('document.')));
    expect(Number(r.headers.get('x-event-count'))).toBe(lines.length);
    const gz = await fetchBytes(`${ctx.app.url}/v1/events/export?format=csv&gzip=true&organization_id=org_b`, t.key);
    expect(gz.status).toBe(200);
    const rows: string[][] = parseCsv(gunzipSync(gz.bytes).toString('utf8'));
    expect(rows.length - 1).toBe(sources.filter((e) => e.organization_id === 'org_b').length);
    const bad = await ctx.api.get('/v1/events/export', { token: t.key, query: { format: 'bundle' } });
    expect(bad.status).toBe(400);
  });

  it('records requests, completions and downloads in the trail', async () => {
    let trail: any[] = [];
    for (let i = 0; i < 100; i++) {
      trail = await listAll(ctx.api, t.key, { action: 'veritrail.export.*' });
      if (trail.filter((e) => e.action === 'veritrail.export.completed').length >= 5) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const actions = new Set(trail.map((e) => e.action));
    for (const a of ['veritrail.export.requested', 'veritrail.export.completed', 'veritrail.export.downloaded', 'veritrail.export.streamed']) expect(actions).toContain(a);
    const completed = trail.find((e) => e.action === 'veritrail.export.completed');
    expect(completed.actor.id).toBe('exporter');
    expect(completed.metadata.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('deletes expired files: the download then answers 410 and no link is offered', async () => {
    const { job } = await exportFile({ format: 'ndjson', action: 'user.login' });
    await ctx.app.app.get(PrismaService).export.update({ where: { id: job.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const counts = await ctx.app.app.get(JobRunner).runNow('export-cleanup');
    expect(counts?.files_deleted).toBeGreaterThanOrEqual(1);
    const gone = await fetchBytes(`${ctx.app.url}/v1/exports/${job.id}/download`, t.key);
    expect(gone.status).toBe(410);
    expect(gone.json.error.code).toBe('export_expired');
    expect((await ctx.api.get(`/v1/exports/${job.id}`, { token: t.key })).body.download_link).toBeNull();
    // DELETE on a succeeded export deletes its file at once.
    const fresh = await exportFile({ format: 'ndjson', action: 'user.login' });
    const del = await ctx.api.delete(`/v1/exports/${fresh.job.id}`, { token: t.key });
    expect(del.status).toBe(200);
    expect(del.body.download_link).toBeNull();
    expect((await fetchBytes(`${ctx.app.url}/v1/exports/${fresh.job.id}/download`, t.key)).status).toBe(410);
  });
});

describe('export jobs without a worker running', () => {
  const ctx = useApp({ JOBS: 'none', EXPORT_DIRECT_MAX_EVENTS: '3' });

  it('cancels a queued export at once; a running one is flagged and its worker is told to stop', async () => {
    const t = await ctx.tenant('Cancel');
    const queued = await requestExport(ctx.api, t.key, { format: 'csv' });
    const del = await ctx.api.delete(`/v1/exports/${queued.id}`, { token: t.key });
    expect(del.status).toBe(200);
    expect(del.body.status).toBe('cancelled');
    expect((await ctx.app.app.get(JobRunner).runNow('export'))?.succeeded).toBe(0);
    expect((await ctx.api.get(`/v1/exports/${queued.id}`, { token: t.key })).body.status).toBe('cancelled');
    const d = await ctx.api.get(`/v1/exports/${queued.id}/download`, { token: t.key });
    expect(d.status).toBe(409);
    expect(d.body.error.code).toBe('export_not_ready');

    const running = await requestExport(ctx.api, t.key, { format: 'ndjson' });
    const repo = ctx.app.app.get(ExportsRepository);
    const claimed = await repo.claim('test-worker', 60_000, 1);
    expect(claimed?.id).toBe(running.id);
    const flagged = await ctx.api.delete(`/v1/exports/${running.id}`, { token: t.key });
    expect(flagged.body.status).toBe('running');
    expect(await repo.heartbeat(running.id, 'test-worker', 60_000, { rows: 0, bytes: 0 })).toBe('cancel');
    expect(await repo.heartbeat(running.id, 'someone-else', 60_000, { rows: 0, bytes: 0 })).toBe('lost');
    expect(await repo.finish(running.id, 'test-worker', { status: 'cancelled', rows: 0, bytes: 0 })).toBe(true);
    expect((await ctx.api.get(`/v1/exports/${running.id}`, { token: t.key })).body.status).toBe('cancelled');
    const trail = await listAll(ctx.api, t.key, { action: 'veritrail.export.cancelled' });
    expect(trail).toHaveLength(1);
  });

  it('takes over an export whose worker died (lease ran out), and gives up after 3 runs', async () => {
    const t = await ctx.tenant('Crashed worker');
    await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: [event(), event()] } });
    const repo = ctx.app.app.get(ExportsRepository);
    const jobs = ctx.app.app.get(JobRunner);
    const first = await requestExport(ctx.api, t.key, { format: 'ndjson', action: 'user.login' });
    expect((await repo.claim('dead-worker', 1, 1))?.id).toBe(first.id); // claimed, then the worker "dies"
    await new Promise((r) => setTimeout(r, 20));
    expect((await jobs.runNow('export'))?.succeeded).toBe(1);
    const done = await ctx.api.get(`/v1/exports/${first.id}`, { token: t.key });
    expect(done.body.status).toBe('succeeded');
    expect(done.body.row_count).toBe(2);
    expect(await repo.finish(first.id, 'dead-worker', { status: 'failed', code: 'x', message: 'x', rows: 0, bytes: 0 })).toBe(false); // fenced

    const doomed = await requestExport(ctx.api, t.key, { format: 'ndjson' });
    for (let i = 0; i < 3; i++) {
      expect((await repo.claim(`dead-${i}`, 1, 1))?.id).toBe(doomed.id);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await jobs.runNow('export'))?.failed).toBe(1);
    const failed = await ctx.api.get(`/v1/exports/${doomed.id}`, { token: t.key });
    expect(failed.body.status).toBe('failed');
    expect(failed.body.error.code).toBe('export_abandoned');
  });

  it('refuses a direct export larger than EXPORT_DIRECT_MAX_EVENTS before sending anything', async () => {
    const t = await ctx.tenant('Too large');
    await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: [event(), event(), event(), event()] } });
    const r = await ctx.api.get('/v1/events/export', { token: t.key, query: { format: 'ndjson', action: 'user.login' } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('export_too_large');
  });
});

/**
 * PEN-05: one tenant's long exports must not hold another's short one behind them. Tenants take
 * turns (round-robin by when each was last served), each runs at most EXPORT_TENANT_CONCURRENCY
 * exports, and a tenant past EXPORT_TENANT_QUEUE_MAX unfinished exports is told to come back.
 * Asserted on the order exports are picked and complete, never on durations.
 */
describe('PEN-05: fair export queue', () => {
  const ctx = useApp({ JOBS: 'none', EXPORT_WORKERS: '1', EXPORT_TENANT_QUEUE_MAX: '3' });

  it('PEN-05: tenants take turns: exports complete round-robin across tenants, not in request order', async () => {
    const a = await ctx.tenant('Busy tenant');
    const b = await ctx.tenant('Quiet tenant');
    await ctx.api.post('/v1/events/batch', { token: a.key, body: { events: [event(), event(), event()] } });
    await ctx.api.post('/v1/events', { token: b.key, body: event() });
    // A asks first, three times; B asks afterwards, twice (FIFO would run A, A, A, B, B).
    const asked: { tenant: string; key: string; id: string }[] = [];
    for (const [tenant, key] of [['A', a.key], ['A', a.key], ['A', a.key], ['B', b.key], ['B', b.key]] as const) {
      asked.push({ tenant, key, id: (await requestExport(ctx.api, key, { format: 'ndjson' })).id });
    }
    expect((await ctx.app.app.get(JobRunner).runNow('export'))?.succeeded).toBe(5);
    const done = await Promise.all(asked.map(async (x) => ({ ...x, job: await settle(ctx.api, x.key, x.id) })));
    expect(done.every((d) => d.job.status === 'succeeded')).toBe(true);
    const byCompletion = [...done].sort((x, y) => Date.parse(x.job.finished_at) - Date.parse(y.job.finished_at) || Date.parse(x.job.started_at) - Date.parse(y.job.started_at));
    expect(byCompletion.map((d) => d.tenant)).toEqual(['A', 'B', 'A', 'B', 'A']);
    // Within a tenant, the oldest request first.
    expect(byCompletion.filter((d) => d.tenant === 'A').map((d) => d.id)).toEqual(asked.filter((x) => x.tenant === 'A').map((x) => x.id));
  });

  it('PEN-05: a tenant running as many exports as it may is passed over; an orphaned run is taken over first', async () => {
    const a = await ctx.tenant('Concurrency A');
    const b = await ctx.tenant('Concurrency B');
    const repo = ctx.app.app.get(ExportsRepository);
    const a1 = await requestExport(ctx.api, a.key, { format: 'csv' });
    const a2 = await requestExport(ctx.api, a.key, { format: 'csv' });
    const b1 = await requestExport(ctx.api, b.key, { format: 'csv' });
    expect((await repo.claim('w1', 60_000, 1))?.id).toBe(a1.id);
    expect((await repo.claim('w2', 60_000, 1))?.id).toBe(b1.id); // A is at its concurrency (1): B goes next
    expect(await repo.claim('w3', 60_000, 1)).toBeUndefined(); // A2 waits for A1, whatever the free workers
    expect((await repo.claim('w3', 60_000, 2))?.id).toBe(a2.id); // with 2 per tenant it may start
    // A run whose worker died (lease ran out) comes back before anything queued.
    const b2 = await requestExport(ctx.api, b.key, { format: 'csv' });
    const prisma = ctx.app.app.get(PrismaService);
    await prisma.export.update({ where: { id: b1.id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    expect((await repo.claim('w4', 60_000, 1))?.id).toBe(b1.id);
    expect(await repo.claim('w5', 60_000, 1)).toBeUndefined();
    for (const [id, holder] of [[a1.id, 'w1'], [a2.id, 'w3'], [b1.id, 'w4']]) {
      expect(await repo.finish(id!, holder!, { status: 'cancelled', rows: 0, bytes: 0 })).toBe(true);
    }
    expect((await repo.claim('w6', 60_000, 1))?.id).toBe(b2.id);
    expect(await repo.finish(b2.id, 'w6', { status: 'cancelled', rows: 0, bytes: 0 })).toBe(true);
  });

  it('PEN-05: past its queue cap a tenant gets 429 export_queue_full with Retry-After, nothing recorded; other tenants are unaffected', async () => {
    const a = await ctx.tenant('Queue cap A');
    const b = await ctx.tenant('Queue cap B');
    for (let i = 0; i < 3; i++) await requestExport(ctx.api, a.key, { format: 'csv' });
    const before = (await listAll(ctx.api, a.key, { action: 'veritrail.export.requested' })).length;
    const refused = await ctx.api.post('/v1/exports', { token: a.key, body: { format: 'csv' } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('export_queue_full');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ctx.api.get('/v1/exports', { token: a.key, query: { limit: 100 } })).body.data).toHaveLength(3);
    expect(await listAll(ctx.api, a.key, { action: 'veritrail.export.requested' })).toHaveLength(before);
    // An organization key of the same tenant shares the tenant's queue; another tenant does not.
    const orgKey = await createKey(ctx.api, a.key, { scopes: ['exports', 'events:read'], organization_id: 'org_1' });
    expect((await ctx.api.post('/v1/exports', { token: orgKey, body: { format: 'csv' } })).status).toBe(429);
    await requestExport(ctx.api, b.key, { format: 'csv' });
    // Once the queue drains, the tenant may ask again.
    await ctx.app.app.get(JobRunner).runNow('export');
    await requestExport(ctx.api, a.key, { format: 'csv' });
    await ctx.app.app.get(JobRunner).runNow('export');
  });
});

describe('export file storage in S3', () => {
  let s3: TestS3Server;
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;

  beforeAll(async () => {
    s3 = await startS3Server();
    env = await createTestEnv();
  });
  afterAll(async () => {
    await app?.close();
    await env?.drop();
    await s3?.stop();
  });

  it('publishes to the bucket, serves downloads from it, and fails cleanly when it is unreachable', async () => {
    const vars = { JOBS: 'export', S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_FORCE_PATH_STYLE: 'true' };
    app = await startApp(env, vars);
    api = new Api(app.url);
    const t = await createTenant(api, env, 'S3 exports');
    await api.post('/v1/events/batch', { token: t.key, body: { events: [event(), event({ action: 'user.logout' })] } });
    const job = await settle(api, t.key, (await requestExport(api, t.key, { format: 'ndjson', action: 'user.*' })).id);
    expect(job.status).toBe('succeeded');
    const d = await fetchBytes(job.download_link.url);
    expect(d.status).toBe(200);
    expect(sha256(d.bytes)).toBe(job.sha256);
    expect(d.bytes.toString('utf8').split('\n').filter(Boolean)).toHaveLength(2);
    await app.close();

    // The same data with a bucket nobody answers for: the export fails with a stable code.
    app = await startApp(env, { ...vars, S3_ENDPOINT: 'http://127.0.0.1:9' });
    api = new Api(app.url);
    const failed = await settle(api, t.key, (await requestExport(api, t.key, { format: 'ndjson' })).id, 60_000);
    expect(failed.status).toBe('failed');
    expect(failed.error.code).toBe('export_storage_unavailable');
    expect(failed.download_link).toBeNull();
    expect(JSON.stringify(failed.error)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    // The trail entry is written right after the status changes: wait for it.
    let trail: any[] = [];
    for (let i = 0; i < 100 && trail.length === 0; i++) {
      trail = await listAll(api, t.key, { action: 'veritrail.export.failed' });
      if (trail.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(trail).toHaveLength(1);
    expect(trail[0].metadata.error).toBe('export_storage_unavailable');
  });
});
