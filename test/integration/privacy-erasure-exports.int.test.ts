import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FILE_STORE, type ExportFileStore } from '../../src/exports/storage/file-store.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { Api, createKey, createTenant, createTestEnv, event, listAll, startApp, type AppContext } from '../support/harness.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

/**
 * PROMISE-03: an erasure reaches the export files produced before it. Exports that could hold the
 * subject's decrypted values lose their file and answer 410 export_invalidated; exports of other
 * organizations, verifiable bundles (sealed values only) and other tenants' exports stay.
 * Run against the local file store and against S3 (s3rver).
 */
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

async function settle(api: Api, token: string, id: string): Promise<any> {
  const stopAt = Date.now() + 30_000;
  for (;;) {
    const r = await api.get(`/v1/exports/${id}`, { token });
    expect(r.status, r.text).toBe(200);
    if (TERMINAL.has(r.body.status)) return r.body;
    if (Date.now() > stopAt) throw new Error(`export ${id} still ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function exportOf(api: Api, token: string, body: Record<string, unknown>): Promise<any> {
  const r = await api.post('/v1/exports', { token, body });
  expect(r.status, r.text).toBe(202);
  const done = await settle(api, token, r.body.id);
  expect(done.status, JSON.stringify(done)).toBe('succeeded');
  return done;
}

async function download(url: string, token?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text() };
}

function suite(label: string, s3: boolean) {
  describe(`PROMISE-03: erasure invalidates earlier exports (${label})`, () => {
    const ctx = {} as AppContext;
    let server: TestS3Server | undefined;
    beforeAll(async () => {
      ctx.env = await createTestEnv();
      const vars: Record<string, string> = { JOBS: 'export' };
      if (s3) {
        server = await startS3Server();
        Object.assign(vars, {
          S3_BUCKET: server.bucket,
          S3_ENDPOINT: server.endpoint,
          S3_ACCESS_KEY_ID: server.accessKeyId,
          S3_SECRET_ACCESS_KEY: server.secretAccessKey,
          S3_PREFIX: 'erasure-test/',
        });
      }
      ctx.app = await startApp(ctx.env, vars);
      ctx.api = new Api(ctx.app.url);
    });
    afterAll(async () => {
      await ctx.app?.close();
      await server?.stop();
      await ctx.env?.drop();
    });

    it(`PROMISE-03: files made before the erasure are deleted and answer 410 export_invalidated; other organizations, bundles and tenants keep theirs (${label})`, async () => {
      const t = await createTenant(ctx.api, ctx.env, 'Erase exports');
      const other = await createTenant(ctx.api, ctx.env, 'Erase exports other');
      const body = {
        events: [
          event({ organization_id: 'org_a', actor: { type: 'user', id: 'u_gone', name: 'Gina Gone', email: 'gina@example.com' } }),
          event({ organization_id: 'org_b', actor: { type: 'user', id: 'u_stay', name: 'Sam Stay', email: 'sam@example.com' } }),
        ],
      };
      for (const k of [t.key, other.key]) expect((await ctx.api.post('/v1/events/batch', { token: k, body })).status).toBe(201);
      const orgB = await createKey(ctx.api, t.key, { scopes: ['exports', 'events:read'], organization_id: 'org_b' });
      const whole = await exportOf(ctx.api, t.key, { format: 'ndjson' });
      const asCsv = await exportOf(ctx.api, t.key, { format: 'csv', gzip: true, organization_id: 'org_a' });
      const filteredB = await exportOf(ctx.api, t.key, { format: 'ndjson', organization_id: 'org_b' });
      const keyB = await exportOf(ctx.api, orgB, { format: 'ndjson' });
      const bundle = await exportOf(ctx.api, t.key, { format: 'bundle' });
      const theirs = await exportOf(ctx.api, other.key, { format: 'ndjson' });
      const before = await download(whole.download_link.url);
      expect(before.status).toBe(200);
      expect(before.text).toContain('gina@example.com');

      const e = await ctx.api.post('/v1/privacy/subjects/u_gone/erasure', { token: t.key });
      expect(e.status, e.text).toBe(200);

      const prisma = ctx.app.app.get(PrismaService);
      const store = ctx.app.app.get<ExportFileStore>(EXPORT_FILE_STORE);
      expect(store.kind).toBe(s3 ? 's3' : 'local');
      for (const gone of [whole, asCsv]) {
        const view = (await ctx.api.get(`/v1/exports/${gone.id}`, { token: t.key })).body;
        expect(view.error).toMatchObject({ code: 'export_invalidated' });
        expect(view.download_link).toBeNull();
        const byKey = await ctx.api.get(`/v1/exports/${gone.id}/download`, { token: t.key });
        expect(byKey.status).toBe(410);
        expect(byKey.body.error.code).toBe('export_invalidated');
        // A signed link handed out before the erasure is dead too.
        const byLink = await download(gone.download_link.url);
        expect(byLink.status).toBe(410);
        expect(JSON.parse(byLink.text).error.code).toBe('export_invalidated');
        const row = await prisma.export.findUniqueOrThrow({ where: { id: gone.id } });
        expect(row.fileDeletedAt).not.toBeNull();
        expect(await store.open(row.fileKey!)).toBeUndefined(); // the file itself is gone from the store
      }
      // Untouched: another organization (filter or organization key), the bundle, another tenant.
      for (const [kept, token] of [
        [filteredB, t.key],
        [keyB, orgB],
        [bundle, t.key],
        [theirs, other.key],
      ] as const) {
        const r = await download(kept.download_link.url);
        expect(r.status, kept.id).toBe(200);
        expect((await ctx.api.get(`/v1/exports/${kept.id}`, { token })).body.error).toBeNull();
      }
      expect((await download(theirs.download_link.url)).text).toContain('gina@example.com'); // the other tenant's u_gone is not this one
      // Recorded, and a new export shows the erased values.
      const trail = (await listAll(ctx.api, t.key, { action: 'veritrail.export.invalidated' })).map((x) => x.targets[0].id).sort();
      expect(trail).toEqual([whole.id, asCsv.id].sort());
      const erasedEntry = (await listAll(ctx.api, t.key, { action: 'veritrail.privacy.subject_erased' }))[0];
      expect(erasedEntry.metadata.exports_invalidated).toBe(2);
      const fresh = await exportOf(ctx.api, t.key, { format: 'ndjson' });
      const text = (await download(fresh.download_link.url)).text;
      expect(text).not.toContain('gina@example.com');
      expect(text).toContain('[erased]');
    });
  });
}

suite('local file store', false);
suite('S3 store', true);
