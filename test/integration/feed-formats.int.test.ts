import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceParse, LOGNORMALIZER } from '../support/cef-reference.js';
import { ecsProblems } from '../support/ecs-schema.js';
import { createKey, customerEvents, event, until, useApp, type TestTenant } from '../support/harness.js';
import { loadOcsfSchema } from '../support/ocsf-schema.js';

const ocsf = loadOcsfSchema(fileURLToPath(new URL('../fixtures/ocsf-1.1.0', import.meta.url)));
function ocsfProblems(o: any): string[] {
  const validate = ocsf.validator(o.class_uid, []);
  return validate(o) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** The id of one item of `data` in each format. */
const idOf: Record<string, (d: any) => string> = {
  json: (d) => d.id,
  ecs: (d) => d.event.id,
  ocsf: (d) => d.metadata.uid,
  cef: (d: string) => /(?:^|[\s|])externalId=(\S+)/.exec(d)![1]!,
};
const actionOf: Record<string, (d: any) => string> = {
  json: (d) => d.action,
  ecs: (d) => d.event.action,
  ocsf: (d) => d.message,
  cef: (d: string) => /(?:^|[\s|])act=(\S+)/.exec(d)![1]!,
};

/**
 * FEED-FMT: format=ocsf|ecs|cef on GET /v1/events/feed and GET /v1/events: the same pages and
 * cursors as the default JSON, each item valid in its standard (OCSF 1.1.0 schema, ECS field
 * definitions, liblognorm's CEF parser), organization filters and organization keys honoured.
 */
describe('standard formats on the feed and the event list', () => {
  const ctx = useApp({ JOBS: 'seal', SEAL_INTERVAL: '300ms' });
  let t: TestTenant;
  let ids: string[];

  beforeAll(async () => {
    t = await ctx.tenant('Formats');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const hostile = { type: 'user', id: 'u_evil', name: 'Eve|x=y\\z\r\nCEF:0|forged', email: 'eve@example.com' };
    const events = [
      ...Array.from({ length: 9 }, (_, i) =>
        event({ action: ['user.login', 'user.created', 'invoice.deleted'][i % 3], organization_id: i % 2 === 0 ? 'org_a' : 'org_b', outcome: i === 4 ? 'failure' : 'success' }),
      ),
      event({ action: 'doc.viewed', organization_id: 'org_b', actor: hostile, context: { ip: '2001:db8::7', session_id: 's_1', request_id: 'r_1' } }),
    ];
    ids = (await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } })).body.ids;
    await until('sealed', async () => customerEvents((await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 1000 } })).body.data).length >= 10, 30_000);
  });

  async function drainFeed(token: string, format: string | undefined, query: Record<string, unknown> = {}, limit = 3) {
    const items: any[] = [];
    const cursors: string[] = [];
    const { cursor: start, ...filters } = query;
    let cursor = start as string | undefined;
    for (let i = 0; i < 100; i++) {
      const r = await ctx.api.get('/v1/events/feed', { token, query: { limit, cursor, format, ...filters } });
      expect(r.status, r.text).toBe(200);
      cursors.push(r.body.next_cursor);
      if (r.body.data.length === 0) return { items, cursors };
      items.push(...r.body.data);
      cursor = r.body.next_cursor;
    }
    throw new Error(`feed did not end (${format}): ${items.slice(0, 30).map((d) => actionOf[format ?? 'json']!(d)).join(' ')}`);
  }

  const customer = (format: string, items: any[]) => items.filter((d) => !actionOf[format]!(d).startsWith('veritrail.'));

  it('FEED-FMT-01: the feed in each format has the same events in the same order and pages, interchangeable cursors, each valid in its standard', async () => {
    const json = await drainFeed(t.key, undefined);
    const order = customer('json', json.items).map((d) => d.id);
    expect(new Set(order)).toEqual(new Set(ids));
    for (const format of ['ocsf', 'ecs', 'cef']) {
      const got = await drainFeed(t.key, format);
      // Feed cursors are sealed with a fresh nonce (PEN-L10), so equal positions do not give equal
      // text: the same number of pages here, and the continuation below shows they are interchangeable.
      expect(got.cursors.length, format).toBe(json.cursors.length);
      expect(customer(format, got.items).map(idOf[format]!), format).toEqual(order);
      if (format === 'ecs') for (const d of got.items) expect(ecsProblems(d), JSON.stringify(d)).toEqual([]);
      if (format === 'ocsf') for (const d of got.items) expect(ocsfProblems(d), JSON.stringify(d)).toEqual([]);
      if (format === 'cef' && LOGNORMALIZER) {
        const parsed = referenceParse(got.items);
        parsed.forEach((p, i) => expect(p, got.items[i]).toBeDefined());
        const evil = parsed.find((p) => p?.Extensions.suid === 'u_evil')!;
        expect(evil.Extensions.suser).toBe('Eve|x=y\\z\r\nCEF:0|forged');
        expect(evil.Extensions.c6a1).toBe('2001:db8::7');
      }
    }
    // A cursor of one format continues in another: the cursor does not depend on the format.
    const first = await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 4 } });
    const rest = await drainFeed(t.key, 'ecs', { cursor: first.body.next_cursor }, 1000);
    expect([...first.body.data.map((d: any) => d.id), ...rest.items.map(idOf.ecs!)]).toEqual(json.items.map((d) => d.id));
  });

  it('FEED-FMT-02: organization filters and organization keys apply in every format (two organizations)', async () => {
    const orgB = await createKey(ctx.api, t.key, { organization_id: 'org_b', scopes: ['events:read'] });
    for (const format of ['ocsf', 'ecs', 'cef']) {
      const a = customer(format, (await drainFeed(t.key, format, { organization_id: 'org_a' })).items);
      expect(a.length, format).toBe(5);
      const b = customer(format, (await drainFeed(orgB, format)).items);
      expect(b.length, format).toBe(5);
      const orgOf = (d: any) => (format === 'ecs' ? d.organization.id : format === 'ocsf' ? d.unmapped.organization_id : /cs1=(\S+)/.exec(d)![1]);
      expect(new Set(a.map(orgOf)), format).toEqual(new Set(['org_a']));
      expect(new Set(b.map(orgOf)), format).toEqual(new Set(['org_b']));
      // The org_b key asking for org_a gets nothing, in any format.
      expect((await drainFeed(orgB, format, { organization_id: 'org_a' })).items, format).toEqual([]);
      const list = await ctx.api.get('/v1/events', { token: orgB, query: { format, limit: 1000 } });
      expect(list.status).toBe(200);
      expect(new Set(customer(format, list.body.data).map(orgOf))).toEqual(new Set(['org_b']));
    }
  });

  it('FEED-FMT-03: GET /v1/events pages the same in every format, and the OCSF mapping of the tenant applies', async () => {
    const pages = async (format: string | undefined) => {
      const out: string[] = [];
      const cursors: (string | null)[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 100; i++) {
        const r = await ctx.api.get('/v1/events', { token: t.key, query: { limit: 4, cursor, format, action: 'user.*' } });
        expect(r.status, r.text).toBe(200);
        out.push(...r.body.data.map(idOf[format ?? 'json']!));
        cursors.push(r.body.next_cursor);
        if (!r.body.next_cursor) return { out, cursors };
        cursor = r.body.next_cursor;
      }
      throw new Error('list did not end');
    };
    const json = await pages(undefined);
    expect(json.out).toHaveLength(6);
    for (const format of ['ocsf', 'ecs', 'cef']) expect(await pages(format), format).toEqual(json);

    const put = await ctx.api.put('/v1/settings/ocsf', { token: t.key, body: { mapping: { 'invoice.*': 3001 } } });
    expect(put.status, put.text).toBe(200);
    const inv = await ctx.api.get('/v1/events', { token: t.key, query: { action: 'invoice.deleted', format: 'ocsf' } });
    expect(new Set(inv.body.data.map((d: any) => d.class_uid))).toEqual(new Set([3001]));
    const invEcs = await ctx.api.get('/v1/events', { token: t.key, query: { action: 'invoice.deleted', format: 'ecs' } });
    expect(new Set(invEcs.body.data.map((d: any) => d.event.category[0]))).toEqual(new Set(['iam']));
  });

  it('FEED-FMT-04: an unknown format is refused with a stable code on both endpoints', async () => {
    for (const path of ['/v1/events/feed', '/v1/events']) {
      for (const format of ['xml', 'OCSF', '', 'ndjson']) {
        const r = await ctx.api.get(path, { token: t.key, query: { format } });
        expect(r.status, `${path} ${format}`).toBe(400);
        expect(r.body.error.code).toBe('validation_failed');
      }
    }
  });
});
