import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { createKey, customerEvents, event, until, useApp, type TestTenant } from '../support/harness.js';
import { TestReceiver, type Received } from '../support/receiver.js';

type Body = { type: string; data: any };
const bodies = (reqs: Received[]): Body[] => reqs.map((r) => JSON.parse(r.body) as Body);
const eventsIn = (reqs: Received[]) => customerEvents(bodies(reqs).filter((b) => b.type === 'events').flatMap((b) => b.data.events));

/**
 * Self-service streams (issue 22): organization-scoped keys and viewer tokens holding `streams`
 * manage destinations and alert rules confined to their organization, with two organizations
 * side by side: what one may do, and everything it may not do to the other's.
 */
describe('self-service streams for two organizations', () => {
  const ctx = useApp({
    JOBS: 'seal,alerts,webhooks',
    SEAL_INTERVAL: '200ms',
    ALERTS_INTERVAL: '200ms',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_RETRY_SCHEDULE: '100ms,200ms',
    VIEWER_DEMO: 'false',
  });
  const rx = new TestReceiver();
  let t: TestTenant;
  const keys: Record<string, string> = {};
  const hooks: Record<string, string> = {};

  const mint = async (body: Record<string, unknown>) => {
    const r = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body });
    expect(r.status, r.text).toBe(201);
    return r.body.token as string;
  };

  beforeAll(async () => {
    await rx.start();
    t = await ctx.tenant('Streams');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    keys.a = await createKey(ctx.api, t.key, { scopes: ['events:read', 'streams'], organization_id: 'org_a' });
    keys.b = await createKey(ctx.api, t.key, { scopes: ['events:read', 'streams'], organization_id: 'org_b' });
    keys.aRead = await createKey(ctx.api, t.key, { scopes: ['events:read', 'exports'], organization_id: 'org_a' });
    for (const org of ['a', 'b']) {
      const r = await ctx.api.post('/v1/webhooks', { token: keys[org], body: { url: `${rx.url}/${org}`, name: `org ${org} SIEM`, batch: { interval_ms: 50 } } });
      expect(r.status, r.text).toBe(201);
      expect(r.body.organization_id).toBe(`org_${org}`);
      hooks[org] = r.body.id;
    }
  });
  afterAll(() => rx.stop());

  it('a tenant-wide key cannot hold streams; an organization key or token without it gets 403', async () => {
    const wide = await ctx.api.post('/v1/api-keys', { token: t.key, body: { name: 'wide', scopes: ['streams'] } });
    expect(wide.status, wide.text).toBe(400);
    expect(wide.body.error.details[0].code).toBe('scope_not_allowed');
    for (const path of ['/v1/webhooks', `/v1/webhooks/${hooks.a}`, '/v1/alert-rules', '/v1/alerts']) {
      const r = await ctx.api.get(path, { token: keys.aRead });
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe('insufficient_scope');
    }
    const plain = await mint({ organization_id: 'org_a' });
    const r = await ctx.api.get('/v1/webhooks', { token: plain });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('insufficient_scope');
    // Streams deliver the whole organization: never on a token narrowed to an actor or actions.
    const narrowed = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_a', actor_id: 'u_1', scopes: ['events:read', 'streams'] } });
    expect(narrowed.status).toBe(422);
    expect(narrowed.body.error.code).toBe('invalid_scopes');
  });

  it('each organization sees only its own destinations; the other\'s answer 404 to every verb', async () => {
    const listA = await ctx.api.get('/v1/webhooks', { token: keys.a });
    expect(listA.status, listA.text).toBe(200);
    expect(listA.body.data.map((w: any) => w.id)).toEqual([hooks.a]);
    const all = await ctx.api.get('/v1/webhooks', { token: t.key });
    expect(new Set(all.body.data.map((w: any) => w.id))).toEqual(new Set([hooks.a, hooks.b]));
    const b = hooks.b!;
    const attempts = [
      ctx.api.get(`/v1/webhooks/${b}`, { token: keys.a }),
      ctx.api.patch(`/v1/webhooks/${b}`, { token: keys.a, body: { status: 'paused' } }),
      ctx.api.patch(`/v1/webhooks/${b}`, { token: keys.a, body: { url: `${rx.url}/stolen` } }),
      ctx.api.post(`/v1/webhooks/${b}/test`, { token: keys.a }),
      ctx.api.post(`/v1/webhooks/${b}/rotate-secret`, { token: keys.a, body: {} }),
      ctx.api.post(`/v1/webhooks/${b}/replay`, { token: keys.a, body: { from: '2026-01-01T00:00:00Z' } }),
      ctx.api.get(`/v1/webhooks/${b}/deliveries`, { token: keys.a }),
      ctx.api.delete(`/v1/webhooks/${b}`, { token: keys.a }),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(r.status, r.text).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    const still = await ctx.api.get(`/v1/webhooks/${b}`, { token: t.key });
    expect(still.body).toMatchObject({ status: 'active', url: `${rx.url}/b` });
    expect(rx.on('/stolen')).toEqual([]);
  });

  it('cannot name another organization in its filters (create or update)', async () => {
    const create = await ctx.api.post('/v1/webhooks', { token: keys.a, body: { url: `${rx.url}/wide`, filters: { organizations: ['org_a', 'org_b'] } } });
    expect(create.status, create.text).toBe(400);
    expect(create.body.error.code).toBe('webhook_organization_not_allowed');
    const update = await ctx.api.patch(`/v1/webhooks/${hooks.a}`, { token: keys.a, body: { filters: { organizations: ['org_b'] } } });
    expect(update.status).toBe(400);
    expect(update.body.error.code).toBe('webhook_organization_not_allowed');
    const own = await ctx.api.patch(`/v1/webhooks/${hooks.a}`, { token: keys.a, body: { filters: { organizations: ['org_a'] } } });
    expect(own.status, own.text).toBe(200);
  });

  it('test, pause and resume its own destination, see its deliveries; org_b\'s events never reach it', async () => {
    const test = await ctx.api.post(`/v1/webhooks/${hooks.a}/test`, { token: keys.a });
    expect(test.status, test.text).toBe(200);
    expect(test.body.succeeded).toBe(true);
    expect(bodies(rx.on('/a')).some((b) => b.type === 'webhook.test')).toBe(true);
    const paused = await ctx.api.patch(`/v1/webhooks/${hooks.a}`, { token: keys.a, body: { status: 'paused' } });
    expect(paused.body.status).toBe('paused');
    const resumed = await ctx.api.patch(`/v1/webhooks/${hooks.a}`, { token: keys.a, body: { status: 'active' } });
    expect(resumed.body.status).toBe('active');

    const batch = [
      event({ organization_id: 'org_a', action: 'user.login', actor: { type: 'user', id: 'u_a1' } }),
      event({ organization_id: 'org_b', action: 'user.login', actor: { type: 'user', id: 'u_b1' }, context: { ip: '198.51.100.66' } }),
      event({ organization_id: 'org_a', action: 'document.updated', actor: { type: 'user', id: 'u_a2' } }),
    ];
    expect((await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: batch } })).status).toBe(201);
    await until('both destinations caught up', async () => {
      for (const org of ['a', 'b']) {
        const h = (await ctx.api.get(`/v1/webhooks/${hooks[org]}`, { token: keys[org] })).body.health;
        if (!(h.lag_events === 0 && h.consecutive_failures === 0)) return false;
      }
      return eventsIn(rx.on('/a')).length >= 2 && eventsIn(rx.on('/b')).length >= 1;
    });
    expect(eventsIn(rx.on('/a')).map((e) => [e.organization_id, e.actor.id]).sort()).toEqual([
      ['org_a', 'u_a1'],
      ['org_a', 'u_a2'],
    ]);
    expect(eventsIn(rx.on('/b')).map((e) => e.actor.id)).toEqual(['u_b1']);
    const raw = rx.on('/a').map((r) => r.body).join('\n');
    expect(raw).not.toContain('org_b');
    expect(raw).not.toContain('198.51.100.66');
    // Checkpoints are tenant-wide figures: an organization's own destination never gets them.
    expect(bodies(rx.on('/a')).filter((b) => b.type === 'checkpoint.sealed')).toEqual([]);

    // How far behind, in the tenant's events, is not the organization's to know: 0 or 1 only.
    expect((await ctx.api.patch(`/v1/webhooks/${hooks.a}`, { token: keys.a, body: { status: 'paused' } })).status).toBe(200);
    await ctx.app.app.get(PrismaService).webhook.update({ where: { id: hooks.a! }, data: { cursorIdx: -1 } });
    expect((await ctx.api.get(`/v1/webhooks/${hooks.a}`, { token: t.key })).body.health.lag_events).toBeGreaterThan(1);
    expect((await ctx.api.get(`/v1/webhooks/${hooks.a}`, { token: keys.a })).body.health.lag_events).toBe(1);

    const deliveries = await ctx.api.get(`/v1/webhooks/${hooks.a}/deliveries`, { token: keys.a });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data.some((d: any) => d.kind === 'webhook.test' && d.succeeded)).toBe(true);
    expect(deliveries.body.data.every((d: any) => d.webhook_id === hooks.a)).toBe(true);
  });

  it('a viewer token with streams manages only its organization\'s destinations', async () => {
    const token = await mint({ organization_id: 'org_b', user_id: 'it_admin_b', scopes: ['events:read', 'streams'] });
    const list = await ctx.api.get('/v1/webhooks', { token });
    expect(list.status, list.text).toBe(200);
    expect(list.body.data.map((w: any) => w.id)).toEqual([hooks.b]);
    expect((await ctx.api.get(`/v1/webhooks/${hooks.a}`, { token })).status).toBe(404);
    expect((await ctx.api.delete(`/v1/webhooks/${hooks.a}`, { token })).status).toBe(404);
    const wide = await ctx.api.post('/v1/webhooks', { token, body: { url: `${rx.url}/b2`, filters: { organizations: ['org_a'] } } });
    expect(wide.body.error.code).toBe('webhook_organization_not_allowed');
    const created = await ctx.api.post('/v1/webhooks', { token, body: { url: `${rx.url}/b2` } });
    expect(created.status, created.text).toBe(201);
    expect(created.body.organization_id).toBe('org_b');
    expect((await ctx.api.delete(`/v1/webhooks/${created.body.id}`, { token })).status).toBe(204);
    // Still no route a viewer token cannot use.
    expect((await ctx.api.get('/v1/api-keys', { token })).status).toBe(403);
    expect((await ctx.api.get('/v1/settings/streams', { token })).status).toBe(403);
  });

  it('alert rules confined to the organization: own events only, own alerts only, the other\'s rules 404', async () => {
    const wide = await ctx.api.post('/v1/alert-rules', { token: keys.a, body: { template: 'brute_force_sign_in', filter: { actions: ['user.login'], outcome: 'failure', organizations: ['org_b'] } } });
    expect(wide.status, wide.text).toBe(400);
    expect(wide.body.error.code).toBe('alert_rule_organization_not_allowed');
    const rule = { template: 'brute_force_sign_in', threshold: { count: 5, window_seconds: 60 } };
    const own = await ctx.api.post('/v1/alert-rules', { token: keys.a, body: rule });
    expect(own.status, own.text).toBe(201);
    expect(own.body.organization_id).toBe('org_a');
    expect(own.body.filter.organizations).toEqual(['org_a']);
    const tenantRule = await ctx.api.post('/v1/alert-rules', { token: t.key, body: { ...rule, name: 'Tenant brute force' } });
    expect(tenantRule.status).toBe(201);
    const ruleB = await ctx.api.post('/v1/alert-rules', { token: keys.b, body: { ...rule, name: 'B brute force' } });
    expect(ruleB.status).toBe(201);

    expect((await ctx.api.get('/v1/alert-rules', { token: keys.a })).body.data.map((r: any) => r.id)).toEqual([own.body.id]);
    for (const r of await Promise.all([
      ctx.api.get(`/v1/alert-rules/${ruleB.body.id}`, { token: keys.a }),
      ctx.api.patch(`/v1/alert-rules/${ruleB.body.id}`, { token: keys.a, body: { enabled: false } }),
      ctx.api.delete(`/v1/alert-rules/${ruleB.body.id}`, { token: keys.a }),
      ctx.api.get(`/v1/alert-rules/${tenantRule.body.id}`, { token: keys.a }),
    ])) expect(r.status, r.text).toBe(404);
    const widen = await ctx.api.patch(`/v1/alert-rules/${own.body.id}`, { token: keys.a, body: { filter: { actions: ['user.login'], organizations: ['org_b'] } } });
    expect(widen.body.error.code).toBe('alert_rule_organization_not_allowed');
    // Even the tenant's key keeps an organization's rule on that organization.
    const pinned = await ctx.api.patch(`/v1/alert-rules/${own.body.id}`, { token: t.key, body: { filter: { actions: ['user.login'], outcome: 'failure' } } });
    expect(pinned.body.filter.organizations).toEqual(['org_a']);

    const t0 = Date.now() - 10 * 60_000;
    const fail = (org: string, ip: string, i: number) => ({
      action: 'user.login',
      occurred_at: new Date(t0 + i * 1000).toISOString(),
      outcome: 'failure',
      organization_id: org,
      actor: { type: 'user', id: `v_${org}_${i}` },
      context: { ip },
    });
    const events = [...Array.from({ length: 6 }, (_, i) => fail('org_a', '198.51.100.10', i)), ...Array.from({ length: 6 }, (_, i) => fail('org_b', '198.51.100.20', i))];
    expect((await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } })).status).toBe(201);
    // The tenant's rule sees both organizations; each organization's rule only its own.
    const all: any[] = (await until('the tenant rule and both organization rules fired', async () => {
      const r = (await ctx.api.get('/v1/alerts', { token: t.key })).body.data as any[];
      return r.length >= 4 ? r : undefined;
    }))!;
    const byRule = (id: string) => all.filter((a) => a.rule_id === id).map((a) => a.group_value).sort();
    expect(byRule(own.body.id)).toEqual(['198.51.100.10']);
    expect(byRule(ruleB.body.id)).toEqual(['198.51.100.20']);
    expect(byRule(tenantRule.body.id)).toEqual(['198.51.100.10', '198.51.100.20']);
    const seenByA = (await ctx.api.get('/v1/alerts', { token: keys.a })).body.data as any[];
    expect(seenByA.map((a) => a.rule_id)).toEqual([own.body.id]);
    const ofB = all.find((a) => a.rule_id === ruleB.body.id)!;
    const ofTenant = all.find((a) => a.rule_id === tenantRule.body.id && a.group_value === '198.51.100.10')!;
    for (const id of [ofB.id, ofTenant.id]) {
      expect((await ctx.api.get(`/v1/alerts/${id}`, { token: keys.a })).status).toBe(404);
      expect((await ctx.api.patch(`/v1/alerts/${id}`, { token: keys.a, body: { status: 'acknowledged' } })).status).toBe(404);
    }
    const ack = await ctx.api.patch(`/v1/alerts/${seenByA[0].id}`, { token: keys.a, body: { status: 'acknowledged' } });
    expect(ack.status, ack.text).toBe(200);
    // From the Streams tab: the user it was minted for closes it, not the tenant's minting key.
    const token = await mint({ organization_id: 'org_a', user_id: 'it_admin_a', scopes: ['events:read', 'streams'] });
    const closed = await ctx.api.patch(`/v1/alerts/${seenByA[0].id}`, { token, body: { status: 'closed', resolution: 'true_positive' } });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.closed_by).toBe('it_admin_a');
  });

  it('the tenant forbids or allows self-service per organization (403 streams_forbidden)', async () => {
    const forbidB = await ctx.api.put('/v1/settings/streams', { token: t.key, body: { default: 'allowed', allowed_organizations: [], forbidden_organizations: ['org_b'] } });
    expect(forbidB.status, forbidB.text).toBe(200);
    const token = await mint({ organization_id: 'org_b', scopes: ['events:read', 'streams'] });
    for (const cred of [keys.b!, token]) {
      const r = await ctx.api.get('/v1/webhooks', { token: cred });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('streams_forbidden');
      expect((await ctx.api.post('/v1/alert-rules', { token: cred, body: { template: 'brute_force_sign_in' } })).body.error.code).toBe('streams_forbidden');
    }
    expect((await ctx.api.get('/v1/webhooks', { token: keys.a })).status).toBe(200);
    // The tenant's own keys are never concerned.
    expect((await ctx.api.get(`/v1/webhooks/${hooks.b}`, { token: t.key })).status).toBe(200);

    await ctx.api.put('/v1/settings/streams', { token: t.key, body: { default: 'forbidden', allowed_organizations: ['org_b'], forbidden_organizations: [] } });
    expect((await ctx.api.get('/v1/webhooks', { token: keys.a })).body.error.code).toBe('streams_forbidden');
    expect((await ctx.api.get('/v1/webhooks', { token: keys.b })).status).toBe(200);
    const got = await ctx.api.get('/v1/settings/streams', { token: t.key });
    expect(got.body).toEqual({ default: 'forbidden', allowed_organizations: ['org_b'], forbidden_organizations: [] });
    const bad = await ctx.api.put('/v1/settings/streams', { token: t.key, body: { default: 'maybe', allowed_organizations: [], forbidden_organizations: [] } });
    expect(bad.status).toBe(400);
    await ctx.api.put('/v1/settings/streams', { token: t.key, body: { default: 'allowed', allowed_organizations: [], forbidden_organizations: [] } });
    expect((await ctx.api.get('/v1/webhooks', { token: keys.a })).status).toBe(200);
  });
});
