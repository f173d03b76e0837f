import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/common/canonical.js';
import { ecsProblems } from '../support/ecs-schema.js';
import { customerEvents, event, listAll, until, useApp, type TestTenant } from '../support/harness.js';
import { TestReceiver } from '../support/receiver.js';

const SHARED = {
  action: 'document.shared',
  actor: { type: 'user', id: 'u_ann', name: 'Ann' },
  targets: [
    { type: 'document', id: 'd1', name: '<img src=x onerror=alert(1)>' },
    { type: 'user', id: 'u_bob', name: 'Bob' },
  ],
  metadata: { permission: 'edit' },
};

describe('display templates per action', () => {
  const ctx = useApp();

  const put = (t: TestTenant, action: string, body: unknown) => ctx.api.put(`/v1/actions/${action}/display`, { token: t.key, body });

  it('renders display.message on list and get, per locale with fallback, as plain text; the event itself is unchanged', async () => {
    const t = await ctx.tenant('Display templates');
    const other = await ctx.tenant('Display templates other tenant');
    const posted = await ctx.api.post('/v1/events', { token: t.key, body: event(SHARED) });
    expect(posted.status, posted.text).toBe(201);
    const login = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'user.login_failed', targets: undefined }) });
    expect(login.status, login.text).toBe(201);
    const otherPosted = await ctx.api.post('/v1/events', { token: other.key, body: event(SHARED) });
    expect(otherPosted.status).toBe(201);

    // Without templates: the stored event exactly, no display.
    const before = await ctx.api.get(`/v1/events/${posted.body.id}`, { token: t.key });
    expect(before.status).toBe(200);
    expect(before.body.display).toBeUndefined();

    const created = await put(t, 'document.shared', {
      template: '{actor.name} shared {targets[0].name} with {targets[1].name} ({metadata.permission}, {metadata.missing})',
      locales: { de: '{actor.name} hat {targets[0].name} mit {targets[1].name} geteilt', 'pt-BR': '{actor.name} compartilhou {targets[0].name}' },
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ action: 'document.shared', template: expect.stringContaining('{actor.name} shared'), locales: { de: expect.any(String), 'pt-BR': expect.any(String) } });
    const got = await ctx.api.get('/v1/actions/document.shared/display', { token: t.key });
    expect(got.body).toEqual(created.body);

    const one = await ctx.api.get(`/v1/events/${posted.body.id}`, { token: t.key });
    expect(one.body.display).toEqual({ message: 'Ann shared <img src=x onerror=alert(1)> with Bob (edit, —)' });
    // display is added on read: without it the bytes are the stored (sealed) canonical event.
    const { display: _display, ...rest } = JSON.parse(one.text);
    expect(canonicalJson(rest)).toBe(before.text);
    expect(one.text).toBe(canonicalJson(JSON.parse(one.text)));

    expect((await ctx.api.get(`/v1/events/${posted.body.id}`, { token: t.key, query: { locale: 'de-AT' } })).body.display.message).toBe('Ann hat <img src=x onerror=alert(1)> mit Bob geteilt');
    expect((await ctx.api.get(`/v1/events/${posted.body.id}`, { token: t.key, query: { locale: 'pt-br' } })).body.display.message).toBe('Ann compartilhou <img src=x onerror=alert(1)>');
    expect((await ctx.api.get(`/v1/events/${posted.body.id}`, { token: t.key, query: { locale: 'fr' } })).body.display.message).toMatch(/^Ann shared /);
    const badLocale = await ctx.api.get(`/v1/events/${posted.body.id}`, { token: t.key, query: { locale: '<script>' } });
    expect(badLocale.status).toBe(400);

    // Lists: every event of the tenant carries a message; actions without a template are humanised.
    const list = customerEvents(await listAll(ctx.api, t.key, { locale: 'de' }));
    const byAction = new Map(list.map((e) => [e.action, e.display?.message]));
    expect(byAction.get('document.shared')).toBe('Ann hat <img src=x onerror=alert(1)> mit Bob geteilt');
    expect(byAction.get('user.login_failed')).toBe('User login failed');

    // The feed (sealed events) carries it too.
    // (a background seal may hold the tenant's lease for a moment: 409, retried)
    for (const who of [t, other]) await until('sealed', async () => (await ctx.api.post('/v1/integrity/seal', { token: who.key })).status === 200, 60_000);
    const feed = await ctx.api.get('/v1/events/feed', { token: t.key, query: { action: 'document.shared', locale: 'de' } });
    expect(feed.status, feed.text).toBe(200);
    expect(feed.body.data.map((e: any) => e.display?.message)).toEqual(['Ann hat <img src=x onerror=alert(1)> mit Bob geteilt']);

    // The other tenant has no templates: its events are served as stored.
    const theirs = await ctx.api.get(`/v1/events/${otherPosted.body.id}`, { token: other.key });
    expect(theirs.body.display).toBeUndefined();
    expect((await ctx.api.get('/v1/actions/document.shared/display', { token: other.key })).status).toBe(404);
    expect(customerEvents(await listAll(ctx.api, other.key)).every((e) => e.display === undefined)).toBe(true);
    const otherFeed = await ctx.api.get('/v1/events/feed', { token: other.key });
    expect(otherFeed.body.data.length).toBeGreaterThan(0);
    expect(otherFeed.body.data.every((e: any) => e.display === undefined)).toBe(true);

    // The catalog names the template; the change is in the trail.
    const catalog = await ctx.api.get('/v1/actions', { token: t.key });
    const entries = new Map(catalog.body.data.map((e: any) => [e.action, e]));
    expect((entries.get('document.shared') as any).display_template).toBe(created.body.template);
    expect((entries.get('user.login_failed') as any).display_template).toBeNull();
    const trail = await listAll(ctx.api, t.key, { action: 'veritrail.action_display.updated' });
    expect(trail.map((e) => [e.targets[0].id, e.metadata.locales])).toEqual([['document.shared', ['de', 'pt-BR']]]);

    // Exports and page formats: CEF msg and OCSF message carry the message (default locale).
    const expected = 'Ann shared <img src=x onerror=alert(1)> with Bob (edit, —)';
    const ocsfPage = await ctx.api.get('/v1/events', { token: t.key, query: { action: 'document.shared', format: 'ocsf' } });
    expect(ocsfPage.body.data.map((o: any) => o.message)).toEqual([expected]);
    const ocsfFile = await ctx.api.get('/v1/events/export', { token: t.key, query: { action: 'document.shared', format: 'ocsf' } });
    expect(ocsfFile.status, ocsfFile.text).toBe(200);
    expect(ocsfFile.text.split('\n').filter(Boolean).map((l) => JSON.parse(l).message)).toEqual([expected]);
    const cefFile = await ctx.api.get('/v1/events/export', { token: t.key, query: { action: 'user.login_failed', format: 'cef' } });
    expect(cefFile.text).toContain(' msg=User login failed');
    const cefOther = await ctx.api.get('/v1/events/export', { token: other.key, query: { format: 'cef' } });
    expect(cefOther.status).toBe(200);
    expect(cefOther.text).not.toContain('msg=');
    // NDJSON stays the stored events, byte for byte.
    const ndjson = await ctx.api.get('/v1/events/export', { token: t.key, query: { action: 'document.shared', format: 'ndjson' } });
    expect(ndjson.text.trim()).toBe(before.text);

    // Replacing the template takes effect at once on this replica.
    expect((await put(t, 'document.shared', { template: '{actor.id} → {targets[1].id}' })).status).toBe(200);
    expect((await ctx.api.get(`/v1/events/${posted.body.id}`, { token: t.key, query: { locale: 'de' } })).body.display.message).toBe('u_ann → u_bob');
  });

  it('refuses hostile templates with stable codes and changes nothing', async () => {
    const t = await ctx.tenant('Display templates hostile');
    const cases: [unknown, string][] = [
      [{ template: '{tenant_id}' }, 'unknown_path'],
      [{ template: '{actor.name.__proto__.x.y.z.a.b.c}' }, 'unknown_path'],
      [{ template: '{constructor.constructor}' }, 'unknown_path'],
      [{ template: '{actor.{name}}' }, 'nested_brace'],
      [{ template: '{actor.name' }, 'unbalanced_brace'],
      [{ template: '{outcome}'.repeat(33) }, 'too_many_placeholders'],
      [{ template: 'ok', locales: { 'not a tag': 'x' } }, 'invalid_locale'],
      [{ template: 'ok', locales: { de: '{secret}' } }, 'unknown_path'],
      [{ template: 'ok', locales: { de: 'a', DE: 'b' } }, 'duplicate_locale'],
    ];
    for (const [body, code] of cases) {
      const r = await put(t, 'document.shared', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.details.map((d: any) => d.code)).toContain(code);
    }
    // Bounds checked by the body schema: size, missing template, unknown fields, bad action.
    for (const body of [{ template: 'x'.repeat(1001) }, {}, { template: '' }, { template: 'ok', html: true }]) {
      const r = await put(t, 'document.shared', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await put(t, 'veritrail.event.viewed', { template: 'x' })).body.error.code).toBe('invalid_action');
    expect((await put(t, 'Not An Action', { template: 'x' })).status).toBe(400);
    // A read key cannot set templates.
    const readKey = await ctx.api.post('/v1/api-keys', { token: t.key, body: { name: 'reader', scopes: ['events:read'] } });
    expect((await ctx.api.put('/v1/actions/document.shared/display', { token: readKey.body.key, body: { template: 'x' } })).status).toBe(403);
    // An event cannot bring its own display: it is the server's.
    const forged = await ctx.api.post('/v1/events', { token: t.key, body: event({ display: { message: 'Forged' } }) });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details[0]).toMatchObject({ field: 'display', code: 'server_owned_field' });
    // Nothing was stored.
    expect((await ctx.api.get('/v1/actions/document.shared/display', { token: t.key })).status).toBe(404);
  });
});

describe('display messages and delegation in webhook payloads and ECS', () => {
  const ctx = useApp({ JOBS: 'seal,webhooks', SEAL_INTERVAL: '200ms', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '3000', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,400ms' });
  const rx = new TestReceiver();
  beforeAll(() => rx.start());
  afterAll(() => rx.stop());

  const AGENT = {
    action: 'document.shared',
    actor: { type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_bob', name: 'Bob' } },
    targets: [{ type: 'document', id: 'd1', name: 'Plan' }],
  };
  const delivered = (path: string) => rx.on(path).flatMap((r) => (JSON.parse(r.body) as { data?: { events?: any[] } }).data?.events ?? []);

  it('every event delivered carries display.message rendered from what the destination receives (masking included), and delegation as stored', async () => {
    const t = await ctx.tenant('Display webhooks');
    const other = await ctx.tenant('Display webhooks, no templates');
    for (const who of [t, other]) await ctx.api.put('/v1/settings/auditing', { token: who.key, body: { read_auditing: false } });
    expect((await ctx.api.put('/v1/actions/document.shared/display', { token: t.key, body: { template: '{actor.name} for {actor.on_behalf_of.name} shared {targets[0].name}' } })).status).toBe(200);
    const hook = async (who: TestTenant, path: string, extra: Record<string, unknown> = {}) => {
      const r = await ctx.api.post('/v1/webhooks', { token: who.key, body: { url: `${rx.url}${path}`, filters: { actions: ['document.*'] }, batch: { interval_ms: 50 }, ...extra } });
      expect(r.status, r.text).toBe(201);
    };
    await hook(t, '/plain');
    await hook(t, '/masked', { masking: { drop: ['actor.on_behalf_of.name'] } });
    await hook(other, '/other');
    for (const who of [t, other]) expect((await ctx.api.post('/v1/events', { token: who.key, body: event(AGENT) })).status).toBe(201);

    await until('delivered', () => delivered('/plain').length >= 1 && delivered('/masked').length >= 1 && delivered('/other').length >= 1, 30_000);
    const [plain] = delivered('/plain');
    expect(plain.actor).toEqual(AGENT.actor);
    expect(plain.display).toEqual({ message: 'Assistant for Bob shared Plan' });
    // The masked destination never learns the dropped name, not even inside the sentence.
    const [masked] = delivered('/masked');
    expect(masked.actor.on_behalf_of).toEqual({ type: 'user', id: 'u_bob' });
    expect(masked.display.message).toBe('Assistant for — shared Plan');
    expect(JSON.stringify(rx.on('/masked').map((r) => r.body))).not.toContain('Bob');
    // A tenant without templates: payloads exactly as stored, no display.
    const [theirs] = delivered('/other');
    expect(theirs.display).toBeUndefined();
    expect(theirs.actor).toEqual(AGENT.actor);
  });

  it('ECS pages and exports carry the display message and delegation as user.effective, valid per the ECS definitions', async () => {
    const t = await ctx.tenant('Display ECS');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    expect((await ctx.api.put('/v1/actions/document.shared/display', { token: t.key, body: { template: '{actor.name} for {actor.on_behalf_of.name} shared {targets[0].name}' } })).status).toBe(200);
    expect((await ctx.api.post('/v1/events', { token: t.key, body: event(AGENT) })).status).toBe(201);
    const page = await ctx.api.get('/v1/events', { token: t.key, query: { action: 'document.shared', format: 'ecs' } });
    expect(page.status, page.text).toBe(200);
    const file = await ctx.api.get('/v1/events/export', { token: t.key, query: { action: 'document.shared', format: 'ecs' } });
    expect(file.status, file.text).toBe(200);
    const docs = [...page.body.data, ...file.text.split('\n').filter(Boolean).map((l: string) => JSON.parse(l))];
    expect(docs).toHaveLength(2);
    for (const d of docs) {
      expect(ecsProblems(d)).toEqual([]);
      expect(d.message).toBe('Assistant for Bob shared Plan');
      expect(d.user).toMatchObject({ id: 'assistant', name: 'Assistant', effective: { id: 'u_bob', name: 'Bob' } });
      expect(d.labels.actor_type).toBe('agent');
    }
  });
});

