import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeteringService } from '../../src/billing/metering.service.js';
import { PlansService } from '../../src/billing/plans.service.js';
import { StripeGateway } from '../../src/billing/stripe.gateway.js';
import { meterIdentifier, startOfHour } from '../../src/billing/plans.js';
import { uuidv7Timestamp } from '../../src/common/ids.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { Api, createTenant, createTestEnv, customerEvents, event, listAll, startApp, until, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';
import { CARD_DECLINED, RATE_LIMITED, SERVER_ERROR, startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';

/**
 * Billing against real stores and the real `stripe` SDK, pointed at a local stand-in of Stripe's
 * API (test/support/stripe-stand-in.ts) that records every request.
 */
describe('billing', () => {
  let env: TestEnv;
  let stripe: StripeStandIn;
  let app: RunningApp;
  let api: Api;
  let admin: string;
  const vars = () => ({ ...stripe.env(), BILLING_GRACE_PERIOD: '1h', AUTH_CACHE_TTL_MS: '200' });

  beforeAll(async () => {
    env = await createTestEnv();
    stripe = await startStripeStandIn();
    app = await startApp(env, vars());
    api = new Api(app.url);
    admin = env.adminToken;
  });

  afterAll(async () => {
    await app?.close();
    await stripe?.close();
    await env?.drop();
  });

  const tenant = (name: string) => createTenant(api, env, name);
  const billing = async (t: TestTenant) => {
    const r = await api.get('/v1/billing', { token: t.key });
    expect(r.status, r.text).toBe(200);
    return r.body;
  };
  const stored = async (t: TestTenant, action: string) => customerEvents(await listAll(api, t.key, { action })).length;
  const trail = async (t: TestTenant, action: string) => listAll(api, t.key, { action });
  const setPlan = (id: string, limits: Record<string, unknown>) =>
    api.put(`/admin/v1/plans/${id}`, {
      token: admin,
      body: { name: id, events_per_month: null, max_retention_days: 365, webhooks: null, exports_per_day: null, alerts: null, overage: false, ...limits },
    });
  const override = (t: TestTenant, plan: string | null) => api.put(`/admin/v1/tenants/${t.id}/plan`, { token: admin, body: { plan } });
  const webhook = (e: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const { body, signature } = stripe.signed(e);
    return api.post('/v1/billing/stripe/webhook', { raw: body, headers: { 'content-type': 'application/json', 'stripe-signature': signature, ...headers } });
  };
  const meter = (now: number, on: RunningApp = app) => on.app.get(MeteringService).run(on.app.get(JobRunner).context, now);
  const customerOf = async (t: TestTenant) => (await billing(t)).stripe_customer_id as string;

  async function subscribe(t: TestTenant, plan: 'pro' | 'business', created = Math.floor(Date.now() / 1000)) {
    expect((await api.post('/v1/billing/checkout', { token: t.key, body: { plan, success_url: 'https://app.example.com/ok', cancel_url: 'https://app.example.com/no' } })).status).toBe(200);
    const customer = await customerOf(t);
    const sub = subscription(`sub_${t.id}`, customer, plan, 'active');
    expect((await webhook(stripe.event('customer.subscription.created', sub, { created }))).status).toBe(200);
    return { customer, sub };
  }

  function subscription(id: string, customer: string, plan: 'pro' | 'business', status: string) {
    const now = Math.floor(Date.now() / 1000);
    const price = plan === 'pro' ? stripe.prices.pro : stripe.prices.business;
    return {
      id,
      object: 'subscription',
      customer,
      status,
      metadata: {},
      items: { object: 'list', data: [{ id: `si_${id}`, price: { id: price }, current_period_start: now - 86_400, current_period_end: now + 29 * 86_400 }] },
    };
  }

  describe('plans and usage', () => {
    it('GET /v1/billing: a new tenant is on the free plan, with its limits and exact usage; admin scope only', async () => {
      const t = await tenant('Fresh');
      const b = await billing(t);
      expect(b.plan).toMatchObject({ id: 'free', overage: false, limits: { events_per_month: 10000, max_retention_days: 30 } });
      expect(b.usage).toEqual({ events: 0, included_events: 10000, overage_events: 0, remaining_events: 10000 });
      expect(b.subscription).toBeNull();
      expect(new Date(b.period.start).getUTCDate()).toBe(1);
      // The free plan's retention maximum applies as soon as the account exists (recorded in the trail).
      expect((await api.get(`/admin/v1/tenants/${t.id}`, { token: admin })).body.retention_days).toBe(30);
      expect((await trail(t, 'veritrail.billing.retention_clamped'))[0].changes).toEqual([{ field: 'retention_days', before: 365, after: 30 }]);

      const writer = await api.post('/v1/api-keys', { token: t.key, body: { name: 'w', scopes: ['events:write'] } });
      expect((await api.get('/v1/billing', { token: writer.body.key })).status).toBe(403);
      expect((await api.get('/v1/billing')).status).toBe(401);
    });

    it('the free plan\'s N+1th event of the month is 429 quota_exceeded with the reset time, and nothing is stored', async () => {
      expect((await setPlan('free', { name: 'Free', events_per_month: 5, max_retention_days: 30, webhooks: 1, exports_per_day: 3, alerts: 3 })).status).toBe(200);
      const t = await tenant('Quota');
      const third = event({ action: 'quota.a', idempotency_key: 'q-3' });
      const first = await api.post('/v1/events/batch', { token: t.key, body: { events: [event({ action: 'quota.a' }), event({ action: 'quota.a' }), third] } });
      expect(first.status).toBe(201);
      // A batch that would cross the limit is refused whole.
      const over = await api.post('/v1/events/batch', { token: t.key, body: { events: [event({ action: 'quota.b' }), event({ action: 'quota.b' }), event({ action: 'quota.b' })] } });
      expect(over.status).toBe(429);
      expect(over.body.error).toMatchObject({ code: 'quota_exceeded', plan: 'free', limit: 5, used: 3 });
      const reset = new Date(over.body.error.reset_at);
      const now = new Date();
      expect(reset.toISOString()).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await stored(t, 'quota.b')).toBe(0);
      // The trail's own entries (key creation here) are not usage.
      expect((await api.post('/v1/api-keys', { token: t.key, body: { name: 'x', scopes: ['events:read'] } })).status).toBe(201);
      for (let i = 0; i < 2; i++) expect((await api.post('/v1/events', { token: t.key, body: event({ action: 'quota.c' }) })).status).toBe(201);
      const sixth = await api.post('/v1/events', { token: t.key, body: event({ action: 'quota.d' }) });
      expect(sixth.status).toBe(429);
      expect(await stored(t, 'quota.d')).toBe(0);
      // An idempotent replay stores nothing, so it is answered even at the limit and counts nothing.
      const replay = await api.post('/v1/events', { token: t.key, body: third });
      expect(replay.status).toBe(201);
      expect(replay.body.id).toBe(first.body.ids[2]);
      expect((await billing(t)).usage).toMatchObject({ events: 5, remaining_events: 0 });
    });

    it('concurrent requests at the limit: exactly the quota is stored, the rest refused', async () => {
      const t = await tenant('Quota race');
      const results = await Promise.all(Array.from({ length: 10 }, () => api.post('/v1/events', { token: t.key, body: event({ action: 'race.one' }) })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(5);
      expect(results.filter((r) => r.status === 429)).toHaveLength(5);
      expect(await stored(t, 'race.one')).toBe(5);
    });

    it('a paid plan records overage instead of refusing', async () => {
      expect((await setPlan('tiny_paid', { events_per_month: 2, overage: true })).status).toBe(200);
      const t = await tenant('Overage');
      expect((await override(t, 'tiny_paid')).status).toBe(200);
      expect((await api.post('/v1/events/batch', { token: t.key, body: { events: [event(), event(), event(), event()] } })).status).toBe(201);
      const b = await billing(t);
      expect(b.plan.id).toBe('tiny_paid');
      expect(b.plan_set_by_operator).toBe(true);
      expect(b.usage).toEqual({ events: 4, included_events: 2, overage_events: 2, remaining_events: null });
      expect((await trail(t, 'veritrail.billing.plan_changed'))[0]).toMatchObject({ actor: { type: 'system', id: 'operator' }, changes: [{ field: 'plan', before: 'free', after: 'tiny_paid' }] });
    });

    it('TN-01: a tenant sees only its own billing and usage', async () => {
      const a = await tenant('Usage A');
      const b = await tenant('Usage B');
      expect((await api.post('/v1/events', { token: a.key, body: event() })).status).toBe(201);
      expect((await billing(a)).usage.events).toBe(1);
      expect((await billing(b)).usage.events).toBe(0);
    });

    it('plan limits: webhooks and alert rules per tenant (422 plan_limit_reached), exports per day (429 export_limit_reached)', async () => {
      expect((await setPlan('limited', { webhooks: 1, exports_per_day: 1, alerts: 1 })).status).toBe(200);
      const t = await tenant('Limited');
      await override(t, 'limited');
      expect((await api.post('/v1/webhooks', { token: t.key, body: { url: 'https://hooks.example.com/a' } })).status).toBe(201);
      const second = await api.post('/v1/webhooks', { token: t.key, body: { url: 'https://hooks.example.com/b' } });
      expect(second.status).toBe(422);
      expect(second.body.error).toMatchObject({ code: 'plan_limit_reached', limit: 'webhooks', max: 1, plan: 'limited' });
      expect((await api.post('/v1/exports', { token: t.key, body: { format: 'ndjson' } })).status).toBe(202);
      const again = await api.post('/v1/exports', { token: t.key, body: { format: 'ndjson' } });
      expect(again.status).toBe(429);
      expect(again.body.error.code).toBe('export_limit_reached');
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await api.get('/v1/exports', { token: t.key })).body.data).toHaveLength(1);
      expect((await api.post('/v1/alert-rules', { token: t.key, body: { template: 'new_api_key' } })).status).toBe(201);
      const rule = await api.post('/v1/alert-rules', { token: t.key, body: { template: 'privilege_change' } });
      expect(rule.status).toBe(422);
      expect(rule.body.error).toMatchObject({ code: 'plan_limit_reached', limit: 'alerts', max: 1 });
    });

    it('usage after a restart is unchanged, and the quota still holds', async () => {
      const t = await tenant('Restart');
      expect((await api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 5 }, () => event({ action: 'restart.x' })) } })).status).toBe(201);
      const before = await billing(t);
      await app.close();
      app = await startApp(env, vars());
      api = new Api(app.url);
      expect(await billing(t)).toEqual(before);
      expect((await api.post('/v1/events', { token: t.key, body: event({ action: 'restart.x' }) })).status).toBe(429);
    });
  });

  describe('rate limits per plan (LD-01)', () => {
    it('a plan\'s rate_limits apply to its tenants; the tenant\'s own override wins; bad values are refused', async () => {
      for (const bad of [{ read_requests_per_second: -5 }, { read_requests_per_second: 'x' }, { writes_per_second: 1 }]) {
        const r = await setPlan('throttled', { rate_limits: bad });
        expect(r.status, JSON.stringify(bad)).toBe(400);
      }
      const set = await setPlan('throttled', { rate_limits: { read_requests_per_second: 2 } });
      expect(set.status, set.text).toBe(200);
      expect(set.body.rate_limits).toEqual({ read_requests_per_second: 2 });
      const listed = await api.get('/admin/v1/plans', { token: admin });
      expect(listed.body.data.find((p: { id: string }) => p.id === 'throttled').rate_limits).toEqual({ read_requests_per_second: 2 });
      const t = await tenant('Throttled plan');
      expect((await override(t, 'throttled')).status).toBe(200);
      const burst = () => Promise.all(Array.from({ length: 10 }, () => api.get('/v1/events', { token: t.key, query: { limit: 1 } })));
      // The plan reaches the limiter within the plan cache's lifetime (AUTH_CACHE_TTL_MS).
      const limited = await until('the plan\'s read limit', async () => {
        const answers = await burst();
        return answers.find((r) => r.status === 429 && r.headers.get('ratelimit-policy') === '"reads";q=2;w=1');
      });
      expect(limited!.body.error.code).toBe('rate_limited');
      // The operator's per-tenant override (0 = no read limit) wins over the plan.
      expect((await api.patch(`/admin/v1/tenants/${t.id}`, { token: admin, body: { rate_limits: { read_requests_per_second: 0 } } })).status).toBe(200);
      const free = await burst();
      expect(free.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(free[0]!.headers.get('ratelimit-policy')).toBeNull();
    });
  });
  describe('Stripe Checkout and Customer Portal', () => {
    it('POST /v1/billing/checkout creates one customer per tenant and a subscription Checkout Session', async () => {
      const t = await tenant('Checkout');
      const r = await api.post('/v1/billing/checkout', { token: t.key, body: { plan: 'pro', success_url: 'https://app.example.com/ok', cancel_url: 'https://app.example.com/no' } });
      expect(r.status, r.text).toBe(200);
      expect(r.body.url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_/);
      const [customer] = stripe.requestsTo('/v1/customers').filter((q) => q.params['metadata[tenant_id]'] === t.id);
      expect(customer).toMatchObject({ idempotencyKey: `vt-customer-${t.id}`, params: { name: 'Checkout' } });
      const session = stripe.requestsTo('/v1/checkout/sessions').at(-1)!;
      expect(session.params).toMatchObject({
        mode: 'subscription',
        customer: (await billing(t)).stripe_customer_id,
        client_reference_id: t.id,
        'line_items[0][price]': stripe.prices.pro,
        'line_items[0][quantity]': '1',
        'line_items[1][price]': stripe.prices.proMetered,
        success_url: 'https://app.example.com/ok',
        cancel_url: 'https://app.example.com/no',
        'metadata[tenant_id]': t.id,
        'metadata[plan]': 'pro',
        'subscription_data[metadata][tenant_id]': t.id,
      });
      expect(session.params['line_items[1][quantity]']).toBeUndefined();
      expect(session.idempotencyKey).toMatch(/^vt-checkout-/);
      expect((await trail(t, 'veritrail.billing.checkout_started'))[0].metadata).toMatchObject({ plan: 'pro', checkout_session_id: r.body.id });
      // A second checkout reuses the customer.
      const customers = stripe.requestsTo('/v1/customers').length;
      expect((await api.post('/v1/billing/checkout', { token: t.key, body: { plan: 'business', success_url: 'https://a.example/ok', cancel_url: 'https://a.example/no' } })).status).toBe(200);
      expect(stripe.requestsTo('/v1/customers')).toHaveLength(customers);
    });

    it('bad checkout input is a 4xx that changes nothing', async () => {
      const t = await tenant('Checkout bad');
      const before = stripe.requests.length;
      for (const [body, status, code] of [
        [{ plan: 'platinum', success_url: 'https://a.example/ok', cancel_url: 'https://a.example/no' }, 422, 'plan_not_available'],
        [{ plan: 'free', success_url: 'https://a.example/ok', cancel_url: 'https://a.example/no' }, 422, 'plan_not_available'],
        [{ plan: 'pro', success_url: 'javascript:alert(1)', cancel_url: 'https://a.example/no' }, 400, 'validation_failed'],
        [{ plan: 'pro', success_url: 'https://a.example/ok', cancel_url: 'https://a.example/no', price: 'price_x' }, 400, 'validation_failed'],
      ] as const) {
        const r = await api.post('/v1/billing/checkout', { token: t.key, body });
        expect(r.status, JSON.stringify(body)).toBe(status);
        expect(r.body.error.code).toBe(code);
      }
      expect(stripe.requests.length).toBe(before);
    });

    it('Stripe errors: 500 then success is retried with the same idempotency key; rate limited → 503; card declined → 402', async () => {
      const t = await tenant('Checkout errors');
      const body = { plan: 'pro', success_url: 'https://a.example/ok', cancel_url: 'https://a.example/no' };
      stripe.failNext('/v1/checkout/sessions', SERVER_ERROR);
      const n = stripe.requestsTo('/v1/checkout/sessions').length;
      const ok = await api.post('/v1/billing/checkout', { token: t.key, body });
      expect(ok.status, ok.text).toBe(200);
      const attempts = stripe.requestsTo('/v1/checkout/sessions').slice(n);
      expect(attempts.map((a) => a.status)).toEqual([500, 200]);
      expect(attempts[0]!.idempotencyKey).toBe(attempts[1]!.idempotencyKey);

      stripe.failNext('/v1/checkout/sessions', RATE_LIMITED);
      const limited = await api.post('/v1/billing/checkout', { token: t.key, body });
      expect(limited.status).toBe(503);
      expect(limited.body.error.code).toBe('billing_provider_unavailable');
      expect(limited.headers.get('retry-after')).toBeTruthy();

      stripe.failNext('/v1/checkout/sessions', CARD_DECLINED);
      const declined = await api.post('/v1/billing/checkout', { token: t.key, body });
      expect(declined.status).toBe(402);
      expect(declined.body.error).toMatchObject({ code: 'payment_failed', decline_code: 'insufficient_funds' });
      expect(JSON.stringify(declined.body)).not.toContain(stripe.secretKey);
      expect((await billing(t)).plan.id).toBe('free');
    });

    it('POST /v1/billing/portal returns a Customer Portal URL for the tenant\'s customer', async () => {
      const t = await tenant('Portal');
      const r = await api.post('/v1/billing/portal', { token: t.key, body: { return_url: 'https://app.example.com/settings' } });
      expect(r.status, r.text).toBe(200);
      expect(r.body.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
      expect(stripe.requestsTo('/v1/billing_portal/sessions').at(-1)!.params).toEqual({ customer: await customerOf(t), return_url: 'https://app.example.com/settings' });
      expect(await trail(t, 'veritrail.billing.portal_opened')).toHaveLength(1);
    });
  });

  describe('Stripe webhooks', () => {
    it('a bad signature, a missing one, another secret\'s and an old event\'s are 400 invalid_signature with no effect', async () => {
      const t = await tenant('Webhook hostile');
      expect((await api.post('/v1/billing/portal', { token: t.key, body: { return_url: 'https://a.example/' } })).status).toBe(200);
      const e = stripe.event('customer.subscription.created', subscription('sub_hostile', await customerOf(t), 'business', 'active'));
      const good = stripe.signed(e);
      const post = (headers: Record<string, string>, raw = good.body) => api.post('/v1/billing/stripe/webhook', { raw, headers: { 'content-type': 'application/json', ...headers } });
      const cases = [
        post({ 'stripe-signature': good.signature.replace(/([0-9a-f])$/, (c) => (c === '0' ? '1' : '0')) }),
        post({}),
        post({ 'stripe-signature': stripe.signed(e, { secret: 'whsec_someoneelsessecret000' }).signature }),
        post({ 'stripe-signature': stripe.signed(e, { timestamp: Math.floor(Date.now() / 1000) - 600 }).signature }),
        post({ 'stripe-signature': good.signature }, good.body.replace('"active"', '"trialing"')),
      ];
      for (const r of await Promise.all(cases)) {
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('invalid_signature');
      }
      expect((await billing(t)).plan.id).toBe('free');
      expect(await app.app.get(PrismaService).stripeEvent.count({ where: { id: e.id as string } })).toBe(0);
    });

    it('an unknown event type is acknowledged and ignored', async () => {
      const r = await webhook(stripe.event('charge.refunded', { id: 'ch_1', object: 'charge' }));
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ received: true, outcome: 'unhandled_type' });
    });

    it('checkout completion and subscription events change the plan once each, in order, and are audited', async () => {
      const t = await tenant('Subscriber');
      expect((await api.post('/v1/billing/checkout', { token: t.key, body: { plan: 'pro', success_url: 'https://a.example/ok', cancel_url: 'https://a.example/no' } })).status).toBe(200);
      const customer = await customerOf(t);
      const now = Math.floor(Date.now() / 1000);
      const completed = stripe.event(
        'checkout.session.completed',
        { id: 'cs_x', object: 'checkout.session', mode: 'subscription', status: 'complete', payment_status: 'paid', customer, subscription: 'sub_s1', client_reference_id: t.id, metadata: { tenant_id: t.id, plan: 'pro' } },
        { created: now - 30 },
      );
      expect((await webhook(completed)).body.outcome).toBe('applied');
      expect((await billing(t)).plan.id).toBe('pro');
      // Stripe redelivers: applied once.
      expect((await webhook(completed)).body.outcome).toBe('duplicate');
      expect(await trail(t, 'veritrail.billing.plan_changed')).toHaveLength(1);

      // Out of order: the update (to business) arrives before the older created event (pro).
      expect((await webhook(stripe.event('customer.subscription.updated', subscription('sub_s1', customer, 'business', 'active'), { created: now - 10 }))).body.outcome).toBe('applied');
      expect((await webhook(stripe.event('customer.subscription.created', subscription('sub_s1', customer, 'pro', 'active'), { created: now - 20 }))).body.outcome).toBe('stale');
      const b = await billing(t);
      expect(b.plan.id).toBe('business');
      expect(b.subscription).toMatchObject({ id: 'sub_s1', status: 'active', plan: 'business' });
      expect((await trail(t, 'veritrail.billing.plan_changed')).map((e) => e.changes[0].after).sort()).toEqual(['business', 'pro']);
      expect((await trail(t, 'veritrail.billing.plan_changed'))[0].actor).toMatchObject({ type: 'system', id: 'stripe' });
      // A subscription already exists: checkout refuses, the portal manages it.
      expect((await api.post('/v1/billing/checkout', { token: t.key, body: { plan: 'pro', success_url: 'https://a.example/ok', cancel_url: 'https://a.example/no' } })).status).toBe(409);

      // The plan bounds the retention settings: business allows 2 555 days, free 30.
      const retention = (body: unknown) => api.put('/v1/settings/retention', { token: t.key, body });
      expect((await api.get('/v1/settings/retention', { token: t.key })).body.max_days).toBe(2555);
      expect((await retention({ default_days: 365, actions: [{ action: 'user.*', days: 400 }, { action: 'doc.viewed', days: 7 }] })).status).toBe(200);

      // Cancellation: back to free; the retention and the override above free's maximum are clamped and recorded.
      expect((await webhook(stripe.event('customer.subscription.deleted', subscription('sub_s1', customer, 'business', 'canceled'), { created: now }))).body.outcome).toBe('applied');
      expect((await billing(t)).plan.id).toBe('free');
      const after = (await api.get('/v1/settings/retention', { token: t.key })).body;
      expect(after).toMatchObject({ default_days: 30, max_days: 30, actions: [{ action: 'user.*', days: 30 }, { action: 'doc.viewed', days: 7 }] });
      const clamped = await trail(t, 'veritrail.billing.retention_clamped');
      expect(clamped[0]).toMatchObject({ changes: [{ field: 'retention_days', before: 365, after: 30 }], metadata: { action_overrides_lowered: 1, max_retention_days: 30 } });
      const above = await retention({ default_days: 31 });
      expect(above.status).toBe(400);
      expect(above.body.error.details[0].code).toBe('above_maximum');
    });

    it('invoice.payment_failed starts a grace period; when it runs out the tenant drops to free; a paid invoice restores the plan', async () => {
      const t = await tenant('Dunning');
      const { customer } = await subscribe(t, 'business');
      const failedAt = Math.floor(Date.now() / 1000);
      const invoice = { id: 'in_1', object: 'invoice', customer, parent: { subscription_details: { subscription: `sub_${t.id}` } } };
      expect((await webhook(stripe.event('invoice.payment_failed', invoice, { created: failedAt }))).body.outcome).toBe('applied');
      let b = await billing(t);
      expect(b.plan.id).toBe('business');
      expect(b.payment.grace_until).toBe(new Date((failedAt + 3600) * 1000).toISOString());
      expect((await trail(t, 'veritrail.billing.payment_failed'))[0]).toMatchObject({ outcome: 'failure' });
      // A second failure (Stripe's retry) does not extend the grace period.
      expect((await webhook(stripe.event('invoice.payment_failed', invoice, { created: failedAt + 60 }))).body.outcome).toBe('ignored');

      // Two hours later (the job runs with that clock): the grace period is over.
      const later = Date.now() + 2 * 3_600_000;
      await meter(later);
      expect((await app.app.get(PlansService).limitsFor(t.id, later)).planId).toBe('free');
      expect((await app.app.get(PrismaService).billingAccount.findUniqueOrThrow({ where: { tenantId: t.id } })).planId).toBe('free');
      expect((await trail(t, 'veritrail.billing.plan_changed')).find((e) => e.metadata.reason === 'payment_failed')).toMatchObject({
        actor: { type: 'system', id: 'billing' },
        changes: [{ field: 'plan', before: 'business', after: 'free' }],
      });

      expect((await webhook(stripe.event('invoice.paid', { ...invoice, id: 'in_2' }, { created: failedAt + 120 }))).body.outcome).toBe('applied');
      b = await billing(t);
      expect(b.plan.id).toBe('business');
      expect(b.payment.grace_until).toBeNull();
      expect(await trail(t, 'veritrail.billing.payment_recovered')).toHaveLength(1);
    });

    it('TN-01: a Stripe event for one tenant\'s customer never changes another tenant', async () => {
      const a = await tenant('Customer A');
      const b = await tenant('Customer B');
      await api.post('/v1/billing/portal', { token: a.key, body: { return_url: 'https://a.example/' } });
      // Another tenant named in the metadata: the customer decides, and it does not match.
      const r = await webhook(
        stripe.event('checkout.session.completed', { id: 'cs_y', object: 'checkout.session', mode: 'subscription', payment_status: 'paid', customer: await customerOf(a), subscription: 'sub_y', client_reference_id: b.id, metadata: { tenant_id: b.id, plan: 'business' } }),
      );
      expect(r.body.outcome).toBe('ignored');
      expect((await billing(a)).plan.id).toBe('free');
      expect((await billing(b)).plan.id).toBe('free');
      expect((await webhook(stripe.event('customer.subscription.created', subscription('sub_z', 'cus_unknown', 'pro', 'active')))).body.outcome).toBe('unknown_customer');
    });
  });

  describe('metering', () => {
    it('reports each tenant-hour once as a meter event, with a deterministic identifier and idempotency key', async () => {
      const t = await tenant('Metered');
      const { customer } = await subscribe(t, 'pro');
      const sent7 = await api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 7 }, () => event({ action: 'metered.x' })) } });
      expect(sent7.status).toBe(201);
      const hour = startOfHour(uuidv7Timestamp(sent7.body.ids[0])!);
      const identifier = meterIdentifier(t.id, hour);
      // 500 then success: the SDK retries with the same key; Stripe applies it once.
      stripe.failNext('/v1/billing/meter_events', SERVER_ERROR);
      const later = hour + 3_600_000 + 11 * 60_000;
      const counts = await meter(later);
      expect(counts).toMatchObject({ hours_reported: 1 });
      const sent = stripe.requestsTo('/v1/billing/meter_events').filter((r) => r.params.identifier === identifier);
      expect(sent.map((r) => r.status)).toEqual([500, 200]);
      expect(new Set(sent.map((r) => r.idempotencyKey))).toEqual(new Set([identifier]));
      expect(sent[1]!.params).toEqual({
        event_name: stripe.meterEventName,
        'payload[stripe_customer_id]': customer,
        'payload[value]': '7',
        identifier,
        timestamp: String(hour / 1000),
      });
      expect(stripe.meterEvents.get(identifier)).toMatchObject({ customer, value: 7 });
      // Nothing new to report on the next run.
      await meter(later);
      expect(stripe.requestsTo('/v1/billing/meter_events').filter((r) => r.params.identifier === identifier)).toHaveLength(2);
      // Even a report sent again (a replica that lost its lease mid-call) is the same request: Stripe replays it.
      await app.app.get(StripeGateway).reportUsage({ customerId: customer, value: 7, identifier, timestampS: hour / 1000 });
      expect(stripe.requestsTo('/v1/billing/meter_events').at(-1)).toMatchObject({ idempotencyKey: identifier, replayed: true });
      expect(stripe.meterEvents.get(identifier)?.value).toBe(7);
    });

    it('rate limited: the hour stays unreported and goes out on the next run', async () => {
      const t = await tenant('Metered 429');
      await subscribe(t, 'pro');
      const one = await api.post('/v1/events', { token: t.key, body: event() });
      expect(one.status).toBe(201);
      const hour = startOfHour(uuidv7Timestamp(one.body.id)!);
      const identifier = meterIdentifier(t.id, hour);
      stripe.failNext('/v1/billing/meter_events', RATE_LIMITED);
      const later = hour + 3_600_000 + 11 * 60_000;
      await meter(later);
      expect(stripe.meterEvents.has(identifier)).toBe(false);
      await meter(later);
      expect(stripe.meterEvents.get(identifier)?.value).toBe(1);
    });

    // Two replicas on the same stores need the PostgreSQL server: embedded PGlite belongs to one
    // process (whose job runner never runs a job twice at once).
    it.skipIf(process.env.VT_TEST_POSTGRES !== 'server')('two replicas metering at once never report an hour twice', async () => {
      const tenants = await Promise.all([tenant('Replica meter 1'), tenant('Replica meter 2'), tenant('Replica meter 3')]);
      const hours: number[] = [];
      for (const t of tenants) {
        await subscribe(t, 'pro');
        const r = await api.post('/v1/events/batch', { token: t.key, body: { events: [event(), event()] } });
        expect(r.status).toBe(201);
        hours.push(startOfHour(uuidv7Timestamp(r.body.ids[0])!));
      }
      const later = Math.max(...hours) + 3_600_000 + 11 * 60_000;
      const second = await startApp(env, vars());
      try {
        await Promise.all([meter(later, app), meter(later, second), meter(later, app), meter(later, second)]);
      } finally {
        await second.close();
      }
      const ids = tenants.map((t, i) => meterIdentifier(t.id, hours[i]!));
      for (const id of ids) {
        const sent = stripe.requestsTo('/v1/billing/meter_events').filter((r) => r.params.identifier === id);
        expect(sent, id).toHaveLength(1);
        expect(stripe.meterEvents.get(id)?.value).toBe(2);
      }
      expect(stripe.requestsTo('/v1/billing/meter_events').every((r) => r.status === 200 || r.injected)).toBe(true);
    });
  });

  describe('billing off (no STRIPE_SECRET_KEY)', () => {
    it('every tenant is unlimited and the billing endpoints answer 404 billing_disabled', async () => {
      // One app at a time on the env: in embedded mode a second app would open the same
      // PostgreSQL files (refused at start) and chDB binds one data directory per process.
      await app.close();
      const off = await startApp(env, {});
      try {
        const offApi = new Api(off.url);
        const t = await createTenant(offApi, env, 'Self-hosted');
        expect((await offApi.get(`/admin/v1/tenants/${t.id}`, { token: admin })).body.retention_days).toBe(365);
        for (const r of [
          await offApi.get('/v1/billing', { token: t.key }),
          await offApi.post('/v1/billing/checkout', { token: t.key, body: { plan: 'pro', success_url: 'https://a.example/', cancel_url: 'https://a.example/' } }),
          await offApi.post('/v1/billing/portal', { token: t.key, body: { return_url: 'https://a.example/' } }),
          await offApi.post('/v1/billing/stripe/webhook', { raw: '{}', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' } }),
          await offApi.get('/admin/v1/plans', { token: admin }),
        ]) {
          expect(r.status).toBe(404);
          expect(r.body.error.code).toBe('billing_disabled');
        }
        // The free plan here allows 5 events a month; with billing off nothing is counted or refused.
        expect((await offApi.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 8 }, () => event({ action: 'selfhosted.x' })) } })).status).toBe(201);
        expect((await off.app.get(PrismaService).billingQuotaUsage.count({ where: { tenantId: t.id } }))).toBe(0);
        expect((await off.app.get(PrismaService).billingAccount.count({ where: { tenantId: t.id } }))).toBe(0);
      } finally {
        await off.close();
        app = await startApp(env, vars());
        api = new Api(app.url);
      }
    });
  });
});
