import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { Api, createKey, createTestEnv, startApp, until, type RunningApp, type TestEnv } from '../support/harness.js';
import { OpensslTsa } from '../support/openssl-tsa.js';
import { OpenApiContract } from '../support/openapi-contract.js';
import { TestReceiver } from '../support/receiver.js';
import { startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';

/**
 * STD-OPENAPI: the OpenAPI document describes what the app really answers. One app; one
 * realistic request per operation (request bodies are the document's own examples where it has
 * them) plus error cases; every answer's status must be declared for its operation and its body
 * must validate (Ajv 2020 + ajv-formats) against the declared schema. The last test fails
 * listing every operation that was not exercised.
 */
describe('STD-OPENAPI: every operation answers as openapi/openapi.json says', () => {
  let env: TestEnv;
  let app: RunningApp;
  let stripe: StripeStandIn;
  let receiver: TestReceiver;
  let c: OpenApiContract;
  let tsa: OpensslTsa;
  let admin: string;
  // Filled in as the scenario goes.
  let tenantId = '';
  let key = '';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    env = await createTestEnv();
    stripe = await startStripeStandIn();
    receiver = await new TestReceiver().start();
    tsa = await new OpensslTsa().start();
    app = await startApp(env, { ...stripe.env(), JOBS: 'none', WEBHOOKS_ALLOW_PRIVATE: 'true', TSA_URL: tsa.url });
    c = new OpenApiContract(new Api(app.url));
    admin = env.adminToken;
  });

  afterAll(async () => {
    await app?.close();
    await tsa?.stop();
    await receiver?.stop();
    await stripe?.close();
    await env?.drop();
  });

  const run = (kind: string) => app.app.get(JobRunner).runNow(kind);

  it('STD-OPENAPI: the checker refuses answers the document does not allow', () => {
    const answer = (status: number, body: unknown, type = 'application/json') => ({
      status,
      headers: new Headers({ 'content-type': type }),
      body,
      text: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const event = { id: '0193a0c4-7a1e-7c3d-9f4e-2b6a8d0c1e5f', received_at: '2026-11-22T10:00:01.000Z', action: 'user.login', occurred_at: '2026-11-22T10:00:00.000Z', outcome: 'success', actor: { type: 'user', id: 'u_1' } };
    expect(() => c.checkResponse('getEvent', answer(200, event))).not.toThrow();
    expect(() => c.checkResponse('getEvent', answer(418, event))).toThrow(/status not declared/);
    expect(() => c.checkResponse('getEvent', answer(200, JSON.stringify(event), 'text/html'))).toThrow(/content type text\/html not declared/);
    expect(() => c.checkResponse('getEvent', answer(200, { ...event, id: undefined }))).toThrow(/must have required property 'id'/);
    expect(() => c.checkResponse('getEvent', answer(200, { ...event, occurred_at: '22/11/2026 10:00' }))).toThrow(/must match format "date-time"/);
    expect(() => c.checkResponse('getEvent', answer(404, { error: { code: 'not_found', message: 'The event was not found.' } }))).toThrow(/request_id/);
    expect(() => c.checkResponse('deleteWebhook', answer(204, { ok: true }))).toThrow(/no content declared/);
    // Pages in a standard format: each shape is declared, and a page that is none of them is refused.
    expect(() => c.checkResponse('listEvents', answer(200, { data: [event], next_cursor: null }))).not.toThrow();
    expect(() => c.checkResponse('getEventFeed', answer(200, { data: ['CEF:0|Veritrail|Veritrail|1|a.b|a.b|2|act=a.b'], next_cursor: 'c' }))).not.toThrow();
    expect(() => c.checkResponse('getEventFeed', answer(200, { data: ['LEEF:2.0|Veritrail|Veritrail|1|a.b|x09|cat=a.b'], next_cursor: 'c' }))).toThrow();
    expect(() => c.checkResponse('listEvents', answer(200, { data: [{ class_uid: 6003, metadata: { uid: 'x' } }], next_cursor: null }))).toThrow();
    expect(() => c.checkResponse('listEvents', answer(200, { data: [{ '@timestamp': 'yesterday', ecs: { version: '8.17.0' } }], next_cursor: null }))).toThrow();
  });

  it('STD-OPENAPI: public probes and documents', async () => {
    const home = await c.call('home', {}, 200);
    expect(home.body.name).toBe('Veritrail');
    const html = await c.call('home', { headers: { accept: 'text/html' } }, 200);
    expect(html.text).toContain('<!doctype html>');
    await c.call('healthz', {}, 200);
    await c.call('readyz', {}, 200);
    expect((await c.call('metricsText', {}, 200)).text).toContain('# HELP');
    expect((await c.call('getJwks', {}, 200)).body.keys.length).toBeGreaterThan(0);
    expect((await c.call('getNoteKeys', {}, 200)).text).toMatch(/^\S+\+[0-9a-f]{8}\+\S+\n$/);
  });

  it('STD-OPENAPI: operator API and plans', async () => {
    const created = await c.call('createTenant', { token: admin, body: c.example('createTenant') }, 201);
    tenantId = created.body.tenant.id;
    key = created.body.api_key.key;
    await c.call('listTenants', { token: admin, query: { limit: 10 } }, 200);
    await c.call('getTenant', { token: admin, params: { id: tenantId } }, 200);
    await c.call('updateTenant', { token: admin, params: { id: tenantId }, body: c.example('updateTenant') }, 200);
    await c.call('createTenantApiKey', { token: admin, params: { id: tenantId }, body: { name: 'recovery', scopes: ['admin'] } }, 201);
    // A plan without limits, so the rest of the scenario is not refused by the free plan.
    await c.call('upsertPlan', { token: admin, params: { id: 'contract' }, body: { ...(c.example('upsertPlan') as object), events_per_month: null, webhooks: null, alerts: null, exports_per_day: null } }, 200);
    await c.call('listPlans', { token: admin }, 200);
    await c.call('setTenantPlan', { token: admin, params: { id: tenantId }, body: { plan: 'contract' } }, 200);
    const other = await c.call('createTenant', { token: admin, body: { name: 'To delete' } }, 201);
    await c.call('deleteTenant', { token: admin, params: { id: other.body.tenant.id } }, 204);
  });

  it('STD-OPENAPI: API keys', async () => {
    const k = await c.call('createApiKey', { token: key, body: c.example('createApiKey') }, 201);
    await c.call('listApiKeys', { token: key, query: { include_revoked: true } }, 200);
    await c.call('revokeApiKey', { token: key, params: { id: k.body.id } }, 200);
  });

  it('STD-OPENAPI: ingest, search, feed, direct export', async () => {
    const one = await c.call('createEvent', { token: key, body: c.example('createEvent') }, 201);
    ids.event = one.body.id;
    await c.call('createEventBatch', { token: key, body: c.example('createEventBatch'), headers: { 'idempotency-key': 'contract-batch-1' } }, 201);
    const page = await c.call('listEvents', { token: key, query: { organization_id: 'org_42', action: 'user.*', limit: 10, order: 'asc' } }, 200);
    expect(page.body.data.length).toBeGreaterThan(0);
    await c.call('getEvent', { token: key, params: { id: ids.event }, query: { include: 'client' } }, 200);
    await c.call('listEvents', { token: key, query: { include: 'client', limit: 5 } }, 200);
    await c.call('getEventStats', { token: key, query: { exclude_action: 'veritrail.*' } }, 200);
    const hist = await c.call('getEventHistogram', { token: key, query: { exclude_action: 'veritrail.*', buckets: 24 } }, 200);
    expect(hist.body.buckets.length).toBeGreaterThan(0);
    await c.call('putActionSchema', { token: key, params: { action: 'user.login' }, body: { schema: { type: 'object' }, mode: 'warn' } }, 200);
    await c.call('getActionSchema', { token: key, params: { action: 'user.login' }, query: { version: 1 } }, 200);
    await c.call('getActionSchema', { token: key, params: { action: 'user.login' }, query: { version: 99 } }, 404);
    await c.call('putActionSchema', { token: key, params: { action: 'user.login' }, body: { schema: { $ref: 'https://x.example/s.json' }, mode: 'warn' } }, 400);
    const actions = await c.call('listActions', { token: key, query: { limit: 1 } }, 200);
    await c.call('listActions', { token: key, query: { limit: 1, cursor: actions.body.next_cursor ?? undefined, include_system: true } }, actions.body.next_cursor ? 400 : 200);
    await c.call('getEventFeed', { token: key, query: { limit: 100 } }, 200);
    // format=ocsf|ecs|cef: the page holds that format's objects, as documented (EventPage).
    for (const format of ['ocsf', 'ecs', 'cef']) {
      const formatted = await c.call('listEvents', { token: key, query: { format, limit: 5 } }, 200);
      expect(formatted.body.data.length, format).toBeGreaterThan(0);
      await c.call('getEventFeed', { token: key, query: { format, limit: 5 } }, 200);
    }
    await c.call('streamExport', { token: key, query: { format: 'ndjson', organization_id: 'org_42' } }, 200);
    await c.call('streamExport', { token: key, query: { format: 'csv' } }, 200);
    await c.call('verifyEvents', { token: key, query: { ids: ids.event } }, 200);
    // Display templates last: from here on this tenant's events carry display.
    await c.call('putActionDisplay', { token: key, params: { action: 'user.login' }, body: { template: '{actor.id} signed in', locales: { de: '{actor.id} hat sich angemeldet' } } }, 200);
    await c.call('putActionDisplay', { token: key, params: { action: 'user.login' }, body: { template: '{tenant_id}' } }, 400);
    await c.call('getActionDisplay', { token: key, params: { action: 'user.login' } }, 200);
    await c.call('getActionDisplay', { token: key, params: { action: 'no.template' } }, 404);
    await c.call('getEvent', { token: key, params: { id: ids.event }, query: { locale: 'de' } }, 200);
    await c.call('listEvents', { token: key, query: { locale: 'de', limit: 5 } }, 200);
  });

  it('STD-OPENAPI: integrity', async () => {
    const sealed = await c.call('sealNow', { token: key }, 200);
    expect(sealed.body.sealed).toBeGreaterThan(0);
    await c.call('listCheckpoints', { token: key, query: { limit: 5 } }, 200);
    await c.call('getEventProof', { token: key, params: { id: ids.event } }, 200);
    const size = sealed.body.checkpoints.at(-1).tree_size as number;
    await c.call('getConsistencyProof', { token: key, query: { from: 1, to: size } }, 200);
    expect((await c.call('getNote', { token: key }, 200)).text).toContain(`\n${size}\n`);
    await c.call('getNote', { token: key, query: { size } }, 200);
    await c.call('getNote', { token: key, query: { size: size + 1000 } }, 404);
    await c.call('getNote', { token: key, query: { size: 'x' } }, 400);
    await c.call('verifyTrail', { token: key, body: c.example('verifyTrail') }, 200);
    const evidence = await c.call('getEvidence', { token: key, query: { organization_id: 'org_42', limit: 10 } }, 200);
    expect(evidence.body.events.length).toBeGreaterThan(0);
  });

  it('STD-OPENAPI: exports, downloads by key and by signed link', async () => {
    const requested = await c.call('createExport', { token: key, body: c.example('createExport') }, 202);
    const bundle = await c.call('createExport', { token: key, body: { format: 'bundle' } }, 202);
    await run('export');
    const done = await until('exports succeeded', async () => {
      const r = await c.call('getExport', { token: key, params: { id: requested.body.id } }, 200);
      return r.body.status === 'succeeded' ? r : undefined;
    });
    await c.call('listExports', { token: key, query: { limit: 5 } }, 200);
    const file = await c.call('downloadExport', { token: key, params: { id: requested.body.id } }, 200);
    expect(file.headers.get('content-type')).toBe('application/gzip');
    const link = new URL(done!.body.download_link.url);
    await c.call('downloadExport', { params: { id: requested.body.id }, query: Object.fromEntries(link.searchParams) }, 200);
    await until('bundle succeeded', async () => (await c.call('getExport', { token: key, params: { id: bundle.body.id } }, 200)).body.status === 'succeeded');
    const tar = await c.call('downloadExport', { token: key, params: { id: bundle.body.id } }, 200);
    expect(tar.headers.get('content-type')).toBe('application/x-tar');
    await c.call('cancelExport', { token: key, params: { id: requested.body.id } }, 200);
    // The file is gone: 410, with the error schema.
    await c.call('downloadExport', { token: key, params: { id: requested.body.id } }, 410);
  });

  it('STD-OPENAPI: settings', async () => {
    await c.call('getAuditSettings', { token: key }, 200);
    await c.call('putAuditSettings', { token: key, body: c.example('putAuditSettings') }, 200);
    await c.call('getOcsfSettings', { token: key }, 200);
    await c.call('putOcsfSettings', { token: key, body: c.example('putOcsfSettings') }, 200);
    await c.call('getPrivacySettings', { token: key }, 200);
    await c.call('putPrivacySettings', { token: key, body: c.example('putPrivacySettings') }, 200);
    await c.call('getRetentionSettings', { token: key }, 200);
    await c.call('getViewerSettings', { token: key }, 200);
    await c.call('putViewerSettings', { token: key, body: c.example('putViewerSettings') }, 200);
    await c.call('getStreamsSettings', { token: key }, 200);
    await c.call('putStreamsSettings', { token: key, body: c.example('putStreamsSettings') }, 200);
  });

  it('STD-OPENAPI: viewer tokens read through the viewer_token security scheme', async () => {
    const t = await c.call('createViewerToken', { token: key, body: c.example('createViewerToken') }, 201);
    const viewer = t.body.token as string;
    expect(c.operation('listEvents').op.security).toContainEqual({ viewer_token: [] });
    await c.call('listEvents', { token: viewer, query: { exclude_action: 'veritrail.*' } }, 200);
    await c.call('getEventStats', { token: viewer }, 200);
    // Not a viewer route: 403 from the same guard.
    await c.call('listWebhooks', { token: viewer }, 403);
    // With the streams scope: its organization's own destinations (self-service streams).
    const streams = await c.call('createViewerToken', { token: key, body: { organization_id: 'org_43', scopes: ['events:read', 'streams'] } }, 201);
    const own = await c.call('listWebhooks', { token: streams.body.token as string }, 200);
    expect(own.body.data).toEqual([]);
    await c.call('revokeViewerSessions', { token: key, query: { organization_id: 'org_42' } }, 200);
    await c.call('listEvents', { token: viewer }, 401);
  });

  it('STD-OPENAPI: webhooks and their delivery log', async () => {
    const body = { ...(c.example('createWebhook') as Record<string, unknown>), url: `${receiver.url}/hook` };
    const w = await c.call('createWebhook', { token: key, body }, 201);
    ids.webhook = w.body.id;
    await c.call('listWebhooks', { token: key }, 200);
    await c.call('getWebhook', { token: key, params: { id: ids.webhook } }, 200);
    await c.call('updateWebhook', { token: key, params: { id: ids.webhook }, body: { name: 'Security team (EU)' } }, 200);
    const sent = await c.call('testWebhook', { token: key, params: { id: ids.webhook } }, 200);
    expect(sent.body.succeeded).toBe(true);
    await c.call('listWebhookDeliveries', { token: key, params: { id: ids.webhook }, query: { limit: 10 } }, 200);
    await c.call('retryWebhookDelivery', { token: key, params: { id: ids.webhook, deliveryId: sent.body.id } }, 200);
    await c.call('replayWebhook', { token: key, params: { id: ids.webhook }, body: c.example('replayWebhook') }, 200);
    await c.call('rotateWebhookSecret', { token: key, params: { id: ids.webhook }, body: c.example('rotateWebhookSecret') }, 200);
    await c.call('updateWebhook', { token: key, params: { id: ids.webhook }, body: c.example('updateWebhook') }, 200);
    await c.call('deleteWebhook', { token: key, params: { id: ids.webhook } }, 204);
  });

  it('STD-OPENAPI: alert rules, alerts and triage', async () => {
    await c.call('listAlertRuleTemplates', { token: key }, 200);
    await c.call('createAlertRule', { token: key, body: c.example('createAlertRule') }, 201);
    const rule = await c.call(
      'createAlertRule',
      { token: key, body: { kind: 'threshold', name: 'Any sign-in', tier: 'low', filter: { actions: ['user.login'] }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 } } },
      201,
    );
    await c.call('listAlertRules', { token: key }, 200);
    await c.call('getAlertRule', { token: key, params: { id: rule.body.id } }, 200);
    await c.call('updateAlertRule', { token: key, params: { id: rule.body.id }, body: c.example('updateAlertRule') }, 200);
    expect((await c.call('exportSigmaAlertRule', { token: key, params: { id: rule.body.id } }, 200)).body.sigma).toContain('logsource:');
    const sigma = 'title: Role granted\nlogsource:\n  product: veritrail\n  service: audit\ndetection:\n  selection:\n    action|startswith: member.role.\n  condition: selection\nlevel: low\n';
    const imported = await c.call('importSigmaAlertRule', { token: key, body: { rule: sigma } }, 201);
    await c.call('deleteAlertRule', { token: key, params: { id: imported.body.id } }, 204);
    await c.call('createEvent', { token: key, body: { action: 'user.login', occurred_at: new Date().toISOString(), actor: { type: 'user', id: 'u_7' } } }, 201);
    await c.call('sealNow', { token: key }, 200);
    // The deployment's root log holds the checkpoint just signed; its checkpoint is final at once
    // (no witnesses configured) and timestamped by the test TSA.
    await run('root-checkpoint');
    expect((await c.call('getRootCheckpoint', {}, 200)).text).toMatch(/\/root\n\d+\n/);
    await c.call('getRootTimestamp', {}, 200);
    await run('alerts');
    const alerts = await c.call('listAlerts', { token: key, query: { rule_id: rule.body.id } }, 200);
    expect(alerts.body.data.length).toBeGreaterThan(0);
    const alertId = alerts.body.data[0].id as string;
    await c.call('getAlert', { token: key, params: { id: alertId } }, 200);
    await c.call('updateAlert', { token: key, params: { id: alertId }, body: c.example('updateAlert') }, 200);
    const replayed = await c.call('backtestAlertRule', { token: key, params: { id: rule.body.id }, body: { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() } }, 200);
    expect(replayed.body.total).toBeGreaterThan(0);
    await c.call('backtestDraftAlertRule', { token: key, body: c.example('backtestDraftAlertRule') }, 200);
    await c.call('deleteAlertRule', { token: key, params: { id: rule.body.id } }, 204);
  });

  it('STD-OPENAPI: data-subject access, erasure, notices; erased values still match the event schema', async () => {
    const access = await c.call('accessSubject', { token: key, params: { subject: 'u_1' } }, 200);
    expect(access.body.events.length).toBeGreaterThan(0);
    await c.call('eraseSubject', { token: key, params: { subject: 'u_1' }, body: c.example('eraseSubject') }, 200);
    await c.call('listSubjectErasures', { token: key, params: { subject: 'u_1' } }, 200);
    const erased = await c.call('getEvent', { token: key, params: { id: ids.event } }, 200);
    expect(erased.body.actor.email).toBe('[erased]');
    await run('privacy-notices');
    const notices = await c.call('listPrivacyNotices', { token: key, query: { subject: 'u_1' } }, 200);
    expect(notices.body.data.length).toBeGreaterThan(0);
    await c.call('putRetentionSettings', { token: key, body: c.example('putRetentionSettings') }, 200);
  });

  it('STD-OPENAPI: billing through the Stripe stand-in', async () => {
    await c.call('getBilling', { token: key }, 200);
    await c.call('createCheckout', { token: key, body: c.example('createCheckout') }, 409); // the operator set the plan
    await c.call('setTenantPlan', { token: admin, params: { id: tenantId }, body: { plan: null } }, 200);
    const checkout = await c.call('createCheckout', { token: key, body: c.example('createCheckout') }, 200);
    expect(checkout.body.url).toMatch(/^https?:/);
    await c.call('createPortal', { token: key, body: c.example('createPortal') }, 200);
    const { body, signature } = stripe.signed(stripe.event('invoice.created', { id: 'in_contract', object: 'invoice' }));
    await c.call('receiveStripeWebhook', { raw: body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } }, 200);
    await c.call('receiveStripeWebhook', { raw: body, headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' } }, 400);
    await c.call('setTenantPlan', { token: admin, params: { id: tenantId }, body: { plan: 'contract' } }, 200);
  });

  it('STD-OPENAPI: error answers are declared and carry the error schema', async () => {
    const writer = await createKey(c.api, key, { scopes: ['events:write'] });
    await c.call('listEvents', {}, 401); // no credentials
    await c.call('listEvents', { token: 'vt_notakey' }, 401);
    await c.call('listEvents', { token: writer }, 403); // append-only key
    await c.call('listEvents', { token: key, query: { limit: 0 } }, 400);
    await c.call('listActions', { token: key, query: { action: 'Not An Action' } }, 400);
    await c.call('listActions', { token: writer }, 403);
    await c.call('listEvents', { token: key, query: { from: '2026-11-22T10:00:00' } }, 400);
    await c.call('createEvent', { token: key, body: { action: 'User Login', actor: { type: 'user' } } }, 400);
    await c.call('createEvent', { token: key, raw: '{"action":', headers: { 'content-type': 'application/json' } }, 400);
    await c.call('createEvent', { token: key, raw: 'action=user.login', headers: { 'content-type': 'text/plain' } }, 415);
    await c.call('createEventBatch', { token: key, body: { events: Array.from({ length: 1001 }, () => ({ action: 'a.b', occurred_at: '2026-11-22T10:00:00Z', actor: { type: 'user', id: 'u' } })) } }, 413);
    const once = { action: 'user.login', occurred_at: '2026-11-22T10:00:00Z', actor: { type: 'user', id: 'u_9' }, idempotency_key: 'contract-1' };
    await c.call('createEvent', { token: key, body: once }, 201);
    await c.call('createEvent', { token: key, body: { ...once, outcome: 'failure' } }, 422); // same key, other content
    await c.call('getEvent', { token: key, params: { id: '0193a0c4-7a1e-7c3d-9f4e-2b6a8d0c1e5f' } }, 404);
    // Refused by the router itself, before any route: still the one error shape.
    const long = await c.call('getWebhook', { token: key, params: { id: 'x'.repeat(300) } }, 414);
    expect(long.body.error.code).toBe('uri_too_long');
    expect((await c.call('getWebhook', { token: key, params: { id: '%E0%A4%A' }, rawParams: true }, 400)).text).toContain('invalid_url');
    await c.call('getWebhook', { token: key, params: { id: 'wh\u0000' } }, 400);
    await c.call('getTenant', { token: 'not-the-operator', params: { id: tenantId } }, 401);
    await c.call('sealNow', { token: key, raw: '', headers: { 'content-type': 'application/json' } }, 400);
    await c.call('putViewerSettings', { token: key, body: { allowed_origins: ['ftp://files.example.com'] } }, 400);
    await c.call('verifyTrail', { token: key, body: { from_index: 5, to_index: 1 } }, 422);
  });

  it('STD-OPENAPI: every operation of the document was exercised, each with a success', () => {
    const { notCalled, noSuccess } = c.missing();
    expect(notCalled, 'operations never called').toEqual([]);
    expect(noSuccess, 'operations never answered 2xx').toEqual([]);
    expect(c.operations.size).toBeGreaterThanOrEqual(75);
  });
});
