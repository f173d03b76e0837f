import { describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { referenceParse } from '../support/cef-reference.js';
import { Api, createKey, createTenant, createTestEnv, customerEvents, event, listAll, startApp, useApp, type TestTenant } from '../support/harness.js';

/**
 * Delegation in the event contract (docs/api.md "Delegation"): an agent acting for a user
 * (actor.on_behalf_of) and an impersonated session (actor.impersonator) through ingest, the
 * filters (on_behalf_of=, impersonator=, involving=, q), organization-scoped keys, another
 * tenant, and the subject access document.
 */
describe('delegation: actor.on_behalf_of and actor.impersonator', () => {
  const ctx = useApp();

  const bob = { type: 'user', id: 'u_bob', name: 'Bob Stone' };
  const ann = { type: 'user', id: 'u_ann', name: 'Ann Lee' };
  const assistant = { type: 'agent', id: 'assistant', name: 'Assistant' };
  const base = Date.now() - 3_600_000;
  const at = (i: number) => new Date(base + i * 1000).toISOString();

  async function seed(t: TestTenant): Promise<string[]> {
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          // 0: Bob himself.
          event({ action: 'doc.viewed', occurred_at: at(0), organization_id: 'org_1', actor: { ...bob } }),
          // 1: the assistant for Bob.
          event({ action: 'doc.shared', occurred_at: at(1), organization_id: 'org_1', actor: { ...assistant, on_behalf_of: bob } }),
          // 2: Ann (support) impersonating Bob.
          event({ action: 'user.plan.changed', occurred_at: at(2), organization_id: 'org_1', actor: { ...bob, impersonator: ann } }),
          // 3: the assistant for Bob in another organization.
          event({ action: 'doc.shared', occurred_at: at(3), organization_id: 'org_2', actor: { ...assistant, on_behalf_of: bob } }),
          // 4: Ann acting for Carol with Bob at the keyboard (both parties at once).
          event({ action: 'doc.deleted', occurred_at: at(4), organization_id: 'org_2', actor: { ...ann, on_behalf_of: { type: 'user', id: 'u_carol' }, impersonator: bob } }),
          // 5: unrelated.
          event({ action: 'doc.viewed', occurred_at: at(5), organization_id: 'org_1', actor: { type: 'user', id: 'u_dan' } }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    return r.body.ids;
  }

  const seqOf = (ids: string[], events: { id: string }[]) => events.map((e) => ids.indexOf(e.id)).sort();
  const list = async (token: string, query: Record<string, string>) => customerEvents(await listAll(ctx.api, token, query));

  it('stores both parties in the event and filters by them, per organization and per tenant', async () => {
    const t = await ctx.tenant('Delegation');
    const other = await ctx.tenant('Delegation other');
    const ids = await seed(t);
    const otherIds = await seed(other);

    const one = await ctx.api.get(`/v1/events/${ids[1]}`, { token: t.key });
    expect(one.status).toBe(200);
    expect(one.body.actor).toEqual({ type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_bob', name: 'Bob Stone' } });
    const imp = await ctx.api.get(`/v1/events/${ids[2]}`, { token: t.key });
    expect(imp.body.actor).toEqual({ ...bob, impersonator: ann });

    expect(seqOf(ids, await list(t.key, { on_behalf_of: 'u_bob' }))).toEqual([1, 3]);
    expect(seqOf(ids, await list(t.key, { impersonator: 'u_ann' }))).toEqual([2]);
    expect(seqOf(ids, await list(t.key, { impersonator: 'u_bob' }))).toEqual([4]);
    expect(seqOf(ids, await list(t.key, { actor_type: 'agent' }))).toEqual([1, 3]);
    // actor_id stays the actor only; involving adds what was done for or as them.
    expect(seqOf(ids, await list(t.key, { actor_id: 'u_bob' }))).toEqual([0, 2]);
    expect(seqOf(ids, await list(t.key, { involving: 'u_bob' }))).toEqual([0, 1, 2, 3, 4]);
    expect(seqOf(ids, await list(t.key, { involving: 'u_ann' }))).toEqual([2, 4]);
    expect(seqOf(ids, await list(t.key, { involving: 'u_carol' }))).toEqual([4]);
    // q finds party ids in clear and party names through their blind index (names are encrypted).
    expect(seqOf(ids, await list(t.key, { q: 'u_carol' }))).toEqual([4]);
    expect(seqOf(ids, await list(t.key, { q: 'bob stone', organization_id: 'org_1' }))).toEqual([0, 1, 2]);
    expect(seqOf(ids, await list(t.key, { q: 'ann' }))).toEqual([2, 4]);

    // Two organizations: an organization-scoped key sees its organization's delegated events only.
    const org1 = await createKey(ctx.api, t.key, { scopes: ['events:read'], organization_id: 'org_1' });
    expect(seqOf(ids, await list(org1, { on_behalf_of: 'u_bob' }))).toEqual([1]);
    expect(seqOf(ids, await list(org1, { involving: 'u_bob' }))).toEqual([0, 1, 2]);
    const org2 = await createKey(ctx.api, t.key, { scopes: ['events:read'], organization_id: 'org_2' });
    expect(seqOf(ids, await list(org2, { involving: 'u_bob' }))).toEqual([3, 4]);
    // Another tenant with the same ids sees its own events only.
    const theirs = await list(other.key, { involving: 'u_bob' });
    expect(seqOf(otherIds, theirs)).toEqual([0, 1, 2, 3, 4]);
    expect(theirs.some((e) => ids.includes(e.id))).toBe(false);

    // The derived columns hold the parties' ids (the stored names are encrypted).
    const ch = ctx.app.app.get(ClickHouseService);
    const row = async (id: string) =>
      (
        await ch.query<{ on_behalf_of_id: string; impersonator_id: string; actor_type: string; payload: string }>(
          `SELECT on_behalf_of_id, impersonator_id, toString(actor_type) AS actor_type, payload FROM ${ch.tables.events} WHERE tenant_id = {t:String} AND id = {id:UUID}`,
          { t: t.id, id },
        )
      )[0];
    const agentRow = await row(ids[1]!);
    expect(agentRow).toMatchObject({ on_behalf_of_id: 'u_bob', impersonator_id: '', actor_type: 'agent' });
    expect(agentRow!.payload).not.toContain('Bob Stone');
    expect(await row(ids[4]!)).toMatchObject({ on_behalf_of_id: 'u_carol', impersonator_id: 'u_bob', actor_type: 'user' });
  });

  it('bad delegation shapes and filters are refused with stable codes and store nothing', async () => {
    const t = await ctx.tenant('Delegation hostile');
    const bad: [Record<string, unknown>, string, string][] = [
      [{ type: 'agent', id: 'a', on_behalf_of: { type: 'robot', id: 'u' } }, 'events[0].actor.on_behalf_of.type', 'invalid_value'],
      [{ type: 'agent', id: 'a', on_behalf_of: { type: 'user' } }, 'events[0].actor.on_behalf_of.id', 'required'],
      [{ type: 'user', id: 'u', impersonator: { type: 'user', id: 'v', email: 'v@example.com' } }, 'events[0].actor.impersonator.email', 'unknown_field'],
      [{ type: 'user', id: 'u', impersonator: { type: 'user', id: 'u' } }, 'events[0].actor.impersonator.id', 'same_as_actor'],
      [{ type: 'user', id: 'u', impersonator: { type: 'user', id: 'v\u202e' } }, 'events[0].actor.impersonator.id', 'suspicious_unicode'],
    ];
    for (const [actor, field, code] of bad) {
      const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: [event({ actor }), event()] } });
      expect(r.status, JSON.stringify(actor)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.details).toContainEqual(expect.objectContaining({ field, code }));
    }
    for (const query of [{ on_behalf_of: '' }, { impersonator: 'x'.repeat(257) }, { involving: '' }]) {
      const r = await ctx.api.get('/v1/events', { token: t.key, query });
      expect(r.status, JSON.stringify(query)).toBe(400);
    }
    expect(customerEvents(await listAll(ctx.api, t.key))).toEqual([]);
  });

  it('a viewer token narrowed to an actor ("my activity") shows what they did and what was done on their behalf, per organization', async () => {
    const t = await ctx.tenant('Delegation my activity');
    const ids = await seed(t);
    const token = async (organization_id: string, actor_id: string) => {
      const r = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id, actor_id } });
      expect(r.status, r.text).toBe(201);
      return r.body.token as string;
    };
    const bob1 = await token('org_1', 'u_bob');
    // Bob's own event, the assistant's for him, and the session Ann impersonated as him; not Dan's.
    expect(seqOf(ids, await list(bob1, {}))).toEqual([0, 1, 2]);
    expect((await ctx.api.get(`/v1/events/${ids[1]}`, { token: bob1 })).status).toBe(200);
    expect((await ctx.api.get(`/v1/events/${ids[5]}`, { token: bob1 })).status).toBe(404);
    // The organization still bounds it: what was done for Bob in org_2 is not in org_1's view.
    expect((await ctx.api.get(`/v1/events/${ids[3]}`, { token: bob1 })).status).toBe(404);
    // The caller's filters narrow it further, never widen it.
    expect(seqOf(ids, await list(bob1, { actor_id: 'assistant' }))).toEqual([1]);
    expect(seqOf(ids, await list(bob1, { actor_id: 'u_dan' }))).toEqual([]);
    // In org_2: the assistant's event for Bob; not the one where Bob was at the keyboard as Ann
    // for Carol (that is Ann's session, done for Carol).
    expect(seqOf(ids, await list(await token('org_2', 'u_bob'), {}))).toEqual([3]);
    // Ann's activity: her impersonation of Bob is Bob's event, not hers.
    expect(seqOf(ids, await list(await token('org_1', 'u_ann'), {}))).toEqual([]);
  });

  it('the access document of a party holds what was done for or as them, other people masked', async () => {
    const t = await ctx.tenant('Delegation access');
    const ids = await seed(t);
    const access = async (s: string) => {
      const r = await ctx.api.post(`/v1/privacy/subjects/${s}/access`, { token: t.key });
      expect(r.status, r.text).toBe(200);
      return { text: r.text, doc: JSON.parse(r.text) };
    };
    const b = await access('u_bob');
    expect(b.doc.events.map((e: { id: string }) => ids.indexOf(e.id)).sort()).toEqual([0, 1, 2, 3, 4]);
    const forBob = b.doc.events.find((e: { id: string }) => e.id === ids[1]);
    expect(forBob.actor.on_behalf_of).toEqual(bob);
    const asBob = b.doc.events.find((e: { id: string }) => e.id === ids[2]);
    expect(asBob.actor.impersonator).toEqual({ type: 'user', id: '[masked]', name: '[masked]' });
    const carol = b.doc.events.find((e: { id: string }) => e.id === ids[4]);
    expect(carol.actor.on_behalf_of).toEqual({ type: 'user', id: '[masked]' });
    expect(carol.actor.impersonator).toEqual(bob);
    expect(b.text).not.toContain('Ann Lee');
    expect(b.text).not.toContain('u_carol');
    const a = await access('u_ann');
    expect(a.doc.events.map((e: { id: string }) => ids.indexOf(e.id)).sort()).toEqual([2, 4]);
    expect(a.text).not.toContain('Bob Stone');
  });

  it('delegated events reach the feed and every export format, names decrypted, per organization', async () => {
    const t = await ctx.tenant('Delegation exports');
    const ids = await seed(t);
    expect((await ctx.api.post('/v1/integrity/seal', { token: t.key })).status).toBe(200);
    const feed = await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 1000 } });
    expect(feed.status).toBe(200);
    const fed = customerEvents(feed.body.data).find((e: { id: string }) => e.id === ids[4]);
    expect(fed.actor).toEqual({ ...ann, on_behalf_of: { type: 'user', id: 'u_carol' }, impersonator: bob });

    const org1 = await createKey(ctx.api, t.key, { scopes: ['events:read', 'exports'], organization_id: 'org_1' });
    const exported = async (format: string, token = t.key, query: Record<string, string> = {}) => {
      // Read as bytes: the NDJSON content type is not one JSON document.
      const url = new URL('/v1/events/export', ctx.app.url);
      for (const [k, v] of Object.entries({ format, exclude_action: 'veritrail.*', ...query })) url.searchParams.set(k, v);
      const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const text = await r.text();
      expect(r.status, text).toBe(200);
      return text;
    };
    const csv = parseCsv(await exported('csv', t.key, { involving: 'u_bob' }), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => ids.indexOf(r.id!)).sort()).toEqual([0, 1, 2, 3, 4]);
    const agentRow = csv.find((r) => r.id === ids[1])!;
    expect(agentRow).toMatchObject({ actor_type: 'agent', actor_id: 'assistant', on_behalf_of_type: 'user', on_behalf_of_id: 'u_bob', on_behalf_of_name: 'Bob Stone', impersonator_id: '' });
    expect(csv.find((r) => r.id === ids[2])).toMatchObject({ actor_id: 'u_bob', impersonator_id: 'u_ann', impersonator_name: 'Ann Lee', on_behalf_of_id: '' });

    const ocsf = (await exported('ocsf', t.key, { on_behalf_of: 'u_bob' })).trim().split('\n').map((l) => JSON.parse(l));
    expect(ocsf.map((o) => o.metadata.uid).sort()).toEqual([ids[1], ids[3]].sort());
    expect(ocsf[0].actor).toMatchObject({ user: { uid: 'u_bob', name: 'Bob Stone' }, invoked_by: 'Assistant' });

    const cef = (await exported('cef', t.key, { impersonator: 'u_ann' })).trim().split('\n');
    expect(cef).toHaveLength(1);
    const [parsed] = referenceParse(cef);
    expect(parsed!.Extensions).toMatchObject({ suid: 'u_bob', VeritrailVeritrailImpersonatorId: 'u_ann', VeritrailVeritrailImpersonatorName: 'Ann Lee' });

    // An organization-scoped key exports its organization's delegated events only.
    const mine = parseCsv(await exported('csv', org1, { involving: 'u_bob' }), { columns: true }) as Record<string, string>[];
    expect(mine.map((r) => ids.indexOf(r.id!)).sort()).toEqual([0, 1, 2]);
  });
});

describe('the delegation migration on events stored before it', () => {
  it('rows stored before migration 5 read "" in the new columns, keep verifying, and agent events follow', async () => {
    const env = await createTestEnv();
    let app = await startApp(env);
    try {
      let api = new Api(app.url);
      const t = await createTenant(api, env, 'Delegation migration');
      await api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
      const old = await api.post('/v1/events/batch', { token: t.key, body: { events: [event({ actor: { type: 'user', id: 'u_old' } }), event({ actor: { type: 'system', id: 'cron' } })] } });
      expect(old.status).toBe(201);
      // Put the table back as it was before migration 5, and forget that it ran.
      const ch = app.app.get(ClickHouseService);
      await ch.command(`ALTER TABLE ${ch.tables.events} DROP INDEX IF EXISTS idx_on_behalf_of_id, DROP INDEX IF EXISTS idx_impersonator_id`);
      await ch.command(`ALTER TABLE ${ch.tables.events} DROP COLUMN on_behalf_of_id, DROP COLUMN impersonator_id`);
      await ch.command(`ALTER TABLE ${ch.tables.events} MODIFY COLUMN actor_type Enum8('user' = 1, 'service' = 2, 'api_key' = 3, 'system' = 4)`);
      await ch.command(`DELETE FROM ${ch.tables.migrations} WHERE version = 5`);
      await app.close();

      app = await startApp(env);
      api = new Api(app.url);
      const ch2 = app.app.get(ClickHouseService);
      const cols = await ch2.query<{ on_behalf_of_id: string; impersonator_id: string; actor_id: string }>(
        `SELECT on_behalf_of_id, impersonator_id, actor_id FROM ${ch2.tables.events} WHERE tenant_id = {t:String} AND NOT startsWith(action, 'veritrail.') ORDER BY actor_id`,
        { t: t.id },
      );
      expect(cols).toEqual([
        { on_behalf_of_id: '', impersonator_id: '', actor_id: 'cron' },
        { on_behalf_of_id: '', impersonator_id: '', actor_id: 'u_old' },
      ]);
      const agent = await api.post('/v1/events', { token: t.key, body: event({ actor: { type: 'agent', id: 'assistant', on_behalf_of: { type: 'user', id: 'u_old' } } }) });
      expect(agent.status, agent.text).toBe(201);
      expect(customerEvents(await listAll(api, t.key, { involving: 'u_old' })).map((e) => e.actor.type).sort()).toEqual(['agent', 'user']);
      expect((await api.post('/v1/integrity/seal', { token: t.key })).status).toBe(200);
      const report = await api.post('/v1/integrity/verify', { token: t.key, body: {} });
      expect(report.body.tampered).toEqual([]);
      expect(report.body.status).toBe('ok');
    } finally {
      await app.close();
      await env.drop();
    }
  });
});
