import type { AccountPatch, BillingAccount } from './billing.repository.js';
import { isLiveSubscription, isNewerSubscriptionEvent, SUBSCRIPTION_EVENT_RANK } from './plans.js';

/**
 * How each Stripe event type changes a billing account — pure functions of (account, event), so
 * ordering rules are unit-tested without Stripe (stripe-events.spec.ts). Stripe does not deliver
 * events in order and may deliver one several times: duplicates are stopped by event id before
 * these run; ordering is handled here (a subscription event older than the one applied is stale).
 */

export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.payment_failed',
  'invoice.paid',
  'invoice.payment_succeeded',
]);

export interface StripeEventLike {
  id: string;
  type: string;
  /** Event creation, epoch milliseconds. */
  createdMs: number;
  object: Record<string, unknown>;
}

export interface PriceMaps {
  prices: Record<string, string>;
  meteredPrices: Record<string, string>;
}

export type Change = { patch: AccountPatch; outcome: 'applied' | 'stale' } | { patch: AccountPatch; outcome: 'ignored' };

export interface Rules {
  prices: PriceMaps;
  /** Plan ids that exist. */
  plans: ReadonlySet<string>;
  gracePeriodMs: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 255 ? v : undefined);
const idOf = (v: unknown): string | undefined => str(v) ?? (v && typeof v === 'object' ? str((v as { id?: unknown }).id) : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const seconds = (v: unknown): Date | null => (typeof v === 'number' && Number.isFinite(v) ? new Date(v * 1000) : null);

/** The Stripe customer an event is about (the account it applies to). */
export function customerOf(e: StripeEventLike): string | undefined {
  return idOf(e.object.customer);
}

/** Plan of a subscription: from its prices (configured per plan), else from the metadata we set at checkout. */
export function planOfSubscription(sub: Record<string, unknown>, r: Rules): string | undefined {
  const byPrice = new Map<string, string>();
  for (const [plan, price] of Object.entries(r.prices.prices)) byPrice.set(price, plan);
  for (const [plan, price] of Object.entries(r.prices.meteredPrices)) if (!byPrice.has(price)) byPrice.set(price, plan);
  const items = obj(sub.items).data;
  if (Array.isArray(items)) {
    for (const item of items) {
      const plan = byPrice.get(idOf(obj(item).price) ?? '');
      if (plan && r.plans.has(plan)) return plan;
    }
  }
  const meta = str(obj(sub.metadata).plan);
  return meta && r.plans.has(meta) ? meta : undefined;
}

/** Current period of a subscription (on its items since API 2025-03-31, on the subscription before). */
function periodOf(sub: Record<string, unknown>): { start: Date | null; end: Date | null } {
  const items = obj(sub.items).data;
  const first = Array.isArray(items) && items.length > 0 ? obj(items[0]) : {};
  return {
    start: seconds(first.current_period_start) ?? seconds(sub.current_period_start),
    end: seconds(first.current_period_end) ?? seconds(sub.current_period_end),
  };
}

/** Subscription of an invoice (under parent.subscription_details in current API versions). */
function subscriptionOfInvoice(inv: Record<string, unknown>): string | undefined {
  return idOf(inv.subscription) ?? idOf(obj(obj(inv.parent).subscription_details).subscription);
}

export function changeFor(a: BillingAccount, e: StripeEventLike, r: Rules): Change {
  switch (e.type) {
    case 'checkout.session.completed':
      return checkoutCompleted(a, e, r);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return subscriptionChanged(a, e, r);
    case 'invoice.payment_failed':
      return paymentFailed(a, e, r);
    case 'invoice.paid':
    case 'invoice.payment_succeeded':
      return paymentSucceeded(a, e);
    default:
      return { patch: {}, outcome: 'ignored' };
  }
}

function subscriptionPatch(a: BillingAccount, e: StripeEventLike, sub: { id: string; status: string; planId: string | undefined; start: Date | null; end: Date | null }): Change {
  const rank = SUBSCRIPTION_EVENT_RANK[e.type] ?? 0;
  if (!isNewerSubscriptionEvent({ createdMs: e.createdMs, rank }, { at: a.subscriptionEventAt, rank: a.subscriptionEventRank })) {
    return { patch: {}, outcome: 'stale' };
  }
  const patch: AccountPatch = {
    subscriptionId: sub.id,
    subscriptionStatus: sub.status,
    subscriptionPlanId: sub.planId ?? (sub.id === a.subscriptionId ? a.subscriptionPlanId : null),
    subscriptionEventAt: new Date(e.createdMs),
    subscriptionEventRank: rank,
  };
  if (sub.start) patch.currentPeriodStart = sub.start;
  if (sub.end) patch.currentPeriodEnd = sub.end;
  // Paid again (or ended): a grace period started by an earlier failure is over.
  const paidAgain = (sub.status === 'active' || sub.status === 'trialing') && (!a.paymentFailedAt || e.createdMs >= a.paymentFailedAt.getTime());
  if (a.graceUntil && (paidAgain || !isLiveSubscription(sub.status))) {
    patch.graceUntil = null;
    patch.paymentFailedAt = null;
  }
  return { patch, outcome: 'applied' };
}

function checkoutCompleted(a: BillingAccount, e: StripeEventLike, r: Rules): Change {
  const s = e.object;
  const subscriptionId = idOf(s.subscription);
  const paid = s.payment_status === 'paid' || s.payment_status === 'no_payment_required';
  if (s.mode !== 'subscription' || !subscriptionId || !paid) return { patch: {}, outcome: 'ignored' };
  // The tenant named at checkout must be the account the customer belongs to.
  const tenant = str(s.client_reference_id) ?? str(obj(s.metadata).tenant_id);
  if (tenant !== undefined && tenant !== a.tenantId) return { patch: {}, outcome: 'ignored' };
  const plan = str(obj(s.metadata).plan);
  return subscriptionPatch(a, e, { id: subscriptionId, status: 'active', planId: plan && r.plans.has(plan) ? plan : undefined, start: null, end: null });
}

function subscriptionChanged(a: BillingAccount, e: StripeEventLike, r: Rules): Change {
  const sub = e.object;
  const id = idOf(sub.id);
  const status = str(sub.status);
  if (!id || !status) return { patch: {}, outcome: 'ignored' };
  const period = periodOf(sub);
  return subscriptionPatch(a, e, {
    id,
    status: e.type === 'customer.subscription.deleted' ? 'canceled' : status,
    planId: planOfSubscription(sub, r),
    start: period.start,
    end: period.end,
  });
}

function paymentFailed(a: BillingAccount, e: StripeEventLike, r: Rules): Change {
  const sub = subscriptionOfInvoice(e.object);
  if (!a.subscriptionId || !isLiveSubscription(a.subscriptionStatus) || (sub && sub !== a.subscriptionId)) return { patch: {}, outcome: 'ignored' };
  // A success newer than this failure was already applied (delivered out of order): nothing to do.
  if (a.paymentSucceededAt && a.paymentSucceededAt.getTime() >= e.createdMs) return { patch: {}, outcome: 'stale' };
  // Stripe retries the charge and reports each failure; the grace period runs from the first one.
  if (a.graceUntil) return { patch: {}, outcome: 'ignored' };
  return { patch: { paymentFailedAt: new Date(e.createdMs), graceUntil: new Date(e.createdMs + r.gracePeriodMs) }, outcome: 'applied' };
}

function paymentSucceeded(a: BillingAccount, e: StripeEventLike): Change {
  if (a.paymentSucceededAt && a.paymentSucceededAt.getTime() >= e.createdMs) return { patch: {}, outcome: 'stale' };
  const patch: AccountPatch = { paymentSucceededAt: new Date(e.createdMs) };
  if (a.paymentFailedAt && a.paymentFailedAt.getTime() <= e.createdMs) {
    patch.paymentFailedAt = null;
    patch.graceUntil = null;
  }
  return { patch, outcome: 'applied' };
}
