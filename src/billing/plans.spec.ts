import { describe, expect, it } from 'vitest';
import { effectivePlan, hasHardQuota, isNewerSubscriptionEvent, meterIdentifier, monthOf, SELF_HOSTED_LIMITS, startOfHour, type AccountState } from './plans.js';

const none: AccountState = { overridePlanId: null, subscriptionStatus: null, subscriptionPlanId: null, graceUntil: null };
const T = Date.UTC(2026, 10, 27, 15, 30);

describe('effectivePlan', () => {
  it('free without a subscription; the subscription\'s plan while it is live', () => {
    expect(effectivePlan(none, T)).toEqual({ planId: 'free', reason: 'no_subscription' });
    for (const status of ['active', 'trialing', 'past_due']) {
      expect(effectivePlan({ ...none, subscriptionStatus: status, subscriptionPlanId: 'pro' }, T)).toEqual({ planId: 'pro', reason: 'subscription' });
    }
    for (const status of ['canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused']) {
      expect(effectivePlan({ ...none, subscriptionStatus: status, subscriptionPlanId: 'pro' }, T).planId).toBe('free');
    }
  });

  it('the plan stays during the grace period and drops to free at its end', () => {
    const a = { ...none, subscriptionStatus: 'past_due', subscriptionPlanId: 'business', graceUntil: new Date(T + 1000) };
    expect(effectivePlan(a, T).planId).toBe('business');
    expect(effectivePlan(a, T + 1000)).toEqual({ planId: 'free', reason: 'payment_failed' });
  });

  it('the operator\'s plan wins over everything', () => {
    expect(effectivePlan({ overridePlanId: 'enterprise', subscriptionStatus: 'canceled', subscriptionPlanId: 'pro', graceUntil: new Date(0) }, T)).toEqual({ planId: 'enterprise', reason: 'operator' });
  });
});

describe('periods and identifiers', () => {
  it('monthly periods are calendar months in UTC, across a year end', () => {
    expect(monthOf(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(monthOf(Date.UTC(2027, 0, 1))).toEqual({ start: new Date('2027-01-01T00:00:00Z'), end: new Date('2027-02-01T00:00:00Z') });
  });

  it('one meter identifier per tenant and hour, at most 100 characters', () => {
    const h = startOfHour(T);
    expect(h).toBe(Date.UTC(2026, 10, 27, 15));
    expect(meterIdentifier('ten_abc', h)).toBe('vt-ten_abc-2026112715');
    expect(meterIdentifier('ten_abc', h + 3_599_999)).toBe('vt-ten_abc-2026112715');
    expect(meterIdentifier('ten_abc', h + 3_600_000)).toBe('vt-ten_abc-2026112716');
    expect(meterIdentifier(`ten_${'x'.repeat(60)}`, h).length).toBeLessThanOrEqual(100);
  });

  it('self-hosted limits are unlimited and never a hard quota', () => {
    expect(hasHardQuota(SELF_HOSTED_LIMITS)).toBe(false);
    expect(hasHardQuota({ ...SELF_HOSTED_LIMITS, eventsPerMonth: 10, overage: true })).toBe(false);
    expect(hasHardQuota({ ...SELF_HOSTED_LIMITS, eventsPerMonth: 10, overage: false })).toBe(true);
  });
});

describe('subscription event ordering', () => {
  it('a later event wins; at the same second the kind decides', () => {
    const at = new Date(T);
    expect(isNewerSubscriptionEvent({ createdMs: T - 1000, rank: 4 }, { at, rank: 1 })).toBe(false);
    expect(isNewerSubscriptionEvent({ createdMs: T + 1000, rank: 1 }, { at, rank: 4 })).toBe(true);
    expect(isNewerSubscriptionEvent({ createdMs: T, rank: 2 }, { at, rank: 3 })).toBe(false);
    expect(isNewerSubscriptionEvent({ createdMs: T, rank: 3 }, { at, rank: 3 })).toBe(true);
    expect(isNewerSubscriptionEvent({ createdMs: 0, rank: 0 }, { at: null, rank: 0 })).toBe(true);
  });
});
