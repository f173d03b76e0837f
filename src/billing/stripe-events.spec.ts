import { describe, expect, it } from 'vitest';
import type { BillingAccount } from './billing.repository.js';
import { changeFor, customerOf, planOfSubscription, type Rules, type StripeEventLike } from './stripe-events.js';

const rules: Rules = {
  prices: { prices: { pro: 'price_pro', business: 'price_biz' }, meteredPrices: { pro: 'price_pro_usage' } },
  plans: new Set(['free', 'pro', 'business', 'unlimited']),
  gracePeriodMs: 3_600_000,
};
const T = Date.UTC(2026, 10, 27, 12);

const account = (over: Partial<BillingAccount> = {}): BillingAccount => ({
  tenantId: 'ten_a',
  planId: 'free',
  overridePlanId: null,
  stripeCustomerId: 'cus_a',
  subscriptionId: null,
  subscriptionStatus: null,
  subscriptionPlanId: null,
  currentPeriodStart: null,
  currentPeriodEnd: null,
  subscriptionEventAt: null,
  subscriptionEventRank: 0,
  paymentFailedAt: null,
  paymentSucceededAt: null,
  graceUntil: null,
  planChangePending: null,
  meteredThrough: new Date(T),
  ...over,
});

const ev = (type: string, object: Record<string, unknown>, createdMs = T): StripeEventLike => ({ id: `evt_${type}_${createdMs}`, type, createdMs, object });
const sub = (status: string, price: string, over: Record<string, unknown> = {}) => ({
  id: 'sub_1',
  customer: 'cus_a',
  status,
  items: { data: [{ price: { id: price }, current_period_start: T / 1000 - 86_400, current_period_end: T / 1000 + 86_400 }] },
  ...over,
});

describe('Stripe event rules', () => {
  it('reads the customer whether expanded or not, and the plan from prices, then metadata', () => {
    expect(customerOf(ev('x', { customer: 'cus_1' }))).toBe('cus_1');
    expect(customerOf(ev('x', { customer: { id: 'cus_2', object: 'customer' } }))).toBe('cus_2');
    expect(planOfSubscription(sub('active', 'price_biz'), rules)).toBe('business');
    expect(planOfSubscription(sub('active', 'price_pro_usage'), rules)).toBe('pro');
    expect(planOfSubscription(sub('active', 'price_other', { metadata: { plan: 'pro' } }), rules)).toBe('pro');
    expect(planOfSubscription(sub('active', 'price_other', { metadata: { plan: 'nonexistent' } }), rules)).toBeUndefined();
  });

  it('a subscription event sets status, plan and period; an older one delivered late is stale', () => {
    const c = changeFor(account(), ev('customer.subscription.updated', sub('active', 'price_biz')), rules);
    expect(c.outcome).toBe('applied');
    expect(c.patch).toMatchObject({ subscriptionId: 'sub_1', subscriptionStatus: 'active', subscriptionPlanId: 'business', currentPeriodEnd: new Date(T + 86_400_000) });
    const applied = account({ ...c.patch });
    expect(changeFor(applied, ev('customer.subscription.created', sub('active', 'price_pro'), T - 1000), rules).outcome).toBe('stale');
    // Same second: deleted outranks updated, created does not.
    expect(changeFor(applied, ev('customer.subscription.created', sub('active', 'price_pro')), rules).outcome).toBe('stale');
    expect(changeFor(applied, ev('customer.subscription.deleted', sub('canceled', 'price_biz')), rules).patch).toMatchObject({ subscriptionStatus: 'canceled' });
  });

  it('checkout completion applies the paid plan of its metadata, only for the tenant it names', () => {
    const session = { mode: 'subscription', payment_status: 'paid', subscription: 'sub_9', client_reference_id: 'ten_a', metadata: { tenant_id: 'ten_a', plan: 'pro' } };
    expect(changeFor(account(), ev('checkout.session.completed', session), rules).patch).toMatchObject({ subscriptionId: 'sub_9', subscriptionStatus: 'active', subscriptionPlanId: 'pro' });
    expect(changeFor(account(), ev('checkout.session.completed', { ...session, client_reference_id: 'ten_b' }), rules).outcome).toBe('ignored');
    expect(changeFor(account(), ev('checkout.session.completed', { ...session, payment_status: 'unpaid' }), rules).outcome).toBe('ignored');
    expect(changeFor(account(), ev('checkout.session.completed', { ...session, mode: 'payment' }), rules).outcome).toBe('ignored');
  });

  it('a payment failure starts one grace period; a later success ends it; a failure older than a success is stale', () => {
    const live = account({ subscriptionId: 'sub_1', subscriptionStatus: 'past_due', subscriptionPlanId: 'pro' });
    const inv = { customer: 'cus_a', parent: { subscription_details: { subscription: 'sub_1' } } };
    const failed = changeFor(live, ev('invoice.payment_failed', inv), rules);
    expect(failed).toEqual({ outcome: 'applied', patch: { paymentFailedAt: new Date(T), graceUntil: new Date(T + 3_600_000) } });
    const inGrace = account({ ...live, ...failed.patch });
    expect(changeFor(inGrace, ev('invoice.payment_failed', inv, T + 60_000), rules).outcome).toBe('ignored');
    expect(changeFor(live, ev('invoice.payment_failed', { ...inv, parent: { subscription_details: { subscription: 'sub_other' } } }), rules).outcome).toBe('ignored');
    expect(changeFor(account(), ev('invoice.payment_failed', inv), rules).outcome).toBe('ignored'); // no subscription
    const paid = changeFor(inGrace, ev('invoice.paid', inv, T + 120_000), rules);
    expect(paid.patch).toEqual({ paymentSucceededAt: new Date(T + 120_000), paymentFailedAt: null, graceUntil: null });
    expect(changeFor(account({ ...live, ...paid.patch }), ev('invoice.payment_failed', inv, T + 60_000), rules).outcome).toBe('stale');
  });

  it('a subscription active again after the failure ends the grace period; one updated before it does not', () => {
    const inGrace = account({ subscriptionId: 'sub_1', subscriptionStatus: 'past_due', subscriptionPlanId: 'pro', subscriptionEventAt: new Date(T - 5000), paymentFailedAt: new Date(T), graceUntil: new Date(T + 3_600_000) });
    expect(changeFor(inGrace, ev('customer.subscription.updated', sub('active', 'price_pro'), T + 1000), rules).patch).toMatchObject({ graceUntil: null, paymentFailedAt: null });
    expect(changeFor(inGrace, ev('customer.subscription.updated', sub('active', 'price_pro'), T - 1000), rules).patch.graceUntil).toBeUndefined();
  });

  it('unknown types change nothing', () => {
    expect(changeFor(account(), ev('charge.refunded', {}), rules)).toEqual({ patch: {}, outcome: 'ignored' });
  });
});
