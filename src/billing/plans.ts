/**
 * Billing domain rules without I/O: plans and limits, usage periods, which plan is in force.
 * Kept pure so every rule is unit-tested (plans.spec.ts).
 */

import type { RateLimitOverrides } from '../tenancy/rate-limits.js';

export interface Plan {
  id: string;
  name: string;
  /** Customer events per month included; null = no limit. */
  eventsPerMonth: number | null;
  maxRetentionDays: number;
  webhooks: number | null;
  exportsPerDay: number | null;
  alerts: number | null;
  /** true: events beyond eventsPerMonth are billed (metered); false: refused with 429 quota_exceeded. */
  overage: boolean;
  /** Per-second rate limits of the plan's tenants; absent fields: RATE_LIMIT_* (a tenant's own override wins). */
  rateLimits?: RateLimitOverrides;
}

/**
 * What a plan allows, as other features consume it (`PlansService.limitsFor`). Null means "no
 * limit". `maxRetentionDays` bounds the tenant's retention setting.
 */
export type PlanLimits = Omit<Plan, 'id' | 'name'> & { planId: string };

export type LimitName = 'webhooks' | 'exportsPerDay' | 'alerts';

export const FREE_PLAN = 'free';
export const UNLIMITED_PLAN = 'unlimited';

/** The plan every tenant is on when billing is off (STRIPE_SECRET_KEY unset): no limits at all. */
export const SELF_HOSTED_LIMITS: PlanLimits = Object.freeze({
  planId: UNLIMITED_PLAN,
  eventsPerMonth: null,
  maxRetentionDays: 36_500,
  webhooks: null,
  exportsPerDay: null,
  alerts: null,
  overage: false,
});

export function limitsOf({ id, name: _name, ...limits }: Plan): PlanLimits {
  return { planId: id, ...limits };
}

/** A hard monthly quota applies: usage beyond it is refused rather than billed. */
export function hasHardQuota(l: PlanLimits): l is PlanLimits & { eventsPerMonth: number } {
  return l.eventsPerMonth !== null && !l.overage;
}

/** Subscription statuses under which the subscribed plan is in force (past_due: within the grace period). */
const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due']);

export interface AccountState {
  overridePlanId: string | null;
  subscriptionStatus: string | null;
  subscriptionPlanId: string | null;
  graceUntil: Date | null;
}

export type PlanReason = 'operator' | 'subscription' | 'no_subscription' | 'payment_failed';

/**
 * The plan in force: the operator's override, else a live subscription's plan unless its
 * payment grace period ran out, else the free plan.
 */
export function effectivePlan(a: AccountState, now: number): { planId: string; reason: PlanReason } {
  if (a.overridePlanId) return { planId: a.overridePlanId, reason: 'operator' };
  if (a.subscriptionPlanId && isLiveSubscription(a.subscriptionStatus)) {
    if (a.graceUntil && a.graceUntil.getTime() <= now) return { planId: FREE_PLAN, reason: 'payment_failed' };
    return { planId: a.subscriptionPlanId, reason: 'subscription' };
  }
  return { planId: FREE_PLAN, reason: 'no_subscription' };
}

export function isLiveSubscription(status: string | null | undefined): boolean {
  return status !== null && status !== undefined && LIVE_STATUSES.has(status);
}

/** The calendar month (UTC) holding `now`: the period of monthly quotas. */
export function monthOf(now: number): { start: Date; end: Date } {
  const d = new Date(now);
  return { start: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), end: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)) };
}

export const HOUR_MS = 3_600_000;

export function startOfHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The meter event identifier (and idempotency key) of one tenant's hour: the same on every replica and retry. */
export function meterIdentifier(tenantId: string, hourMs: number): string {
  return `vt-${tenantId}-${new Date(hourMs).toISOString().slice(0, 13).replace(/[-T]/g, '')}`;
}

/**
 * Ordering of Stripe subscription events for out-of-order delivery: a later `created` wins; at
 * the same second the kind decides (the checkout completion, then created, updated, deleted).
 */
export const SUBSCRIPTION_EVENT_RANK: Readonly<Record<string, number>> = {
  'checkout.session.completed': 1,
  'customer.subscription.created': 2,
  'customer.subscription.updated': 3,
  'customer.subscription.deleted': 4,
};

export function isNewerSubscriptionEvent(event: { createdMs: number; rank: number }, applied: { at: Date | null; rank: number }): boolean {
  if (!applied.at) return true;
  const at = applied.at.getTime();
  return event.createdMs > at || (event.createdMs === at && event.rank >= applied.rank);
}
