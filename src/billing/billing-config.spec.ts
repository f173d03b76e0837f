import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const KEY = 'sk_test_0123456789abcdef';
const WHSEC = 'whsec_0123456789abcdefABCDEF';

describe('billing configuration', () => {
  it('is off without STRIPE_SECRET_KEY', () => {
    const c = loadConfig({});
    expect(c.billing.stripe).toBeUndefined();
    expect(c.billing.gracePeriodMs).toBe(7 * 86_400_000);
    expect(c.billing.jobIntervalMs).toBe(60_000);
  });

  it('reads keys, price maps, the meter and a Stripe-compatible endpoint', () => {
    const c = loadConfig({
      STRIPE_SECRET_KEY: KEY,
      STRIPE_WEBHOOK_SECRET: WHSEC,
      STRIPE_PRICES: 'pro=price_1Abc, business=price_2Def',
      STRIPE_METERED_PRICES: 'pro=price_3Ghi',
      STRIPE_METER_EVENT_NAME: 'audit_events',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      BILLING_GRACE_PERIOD: '3d',
    });
    expect(c.billing.stripe).toEqual({
      secretKey: KEY,
      webhookSecret: WHSEC,
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
      prices: { pro: 'price_1Abc', business: 'price_2Def' },
      meteredPrices: { pro: 'price_3Ghi' },
      meterEventName: 'audit_events',
    });
    expect(c.billing.gracePeriodMs).toBe(3 * 86_400_000);
    expect(loadConfig({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: WHSEC }).billing.stripe).toMatchObject({ api: undefined, meterEventName: 'veritrail_events', prices: {} });
  });

  it('lists every bad billing variable without echoing secrets', () => {
    const problems = problemsOf({
      STRIPE_SECRET_KEY: 'pk_live_publishable_not_secret',
      STRIPE_PRICES: 'pro:price_1',
      STRIPE_METERED_PRICES: 'pro=price_1,pro=price_2',
      STRIPE_METER_EVENT_NAME: 'has spaces',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['STRIPE_METERED_PRICES', 'STRIPE_METER_EVENT_NAME', 'STRIPE_PRICES', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
    expect(problems.join('\n')).not.toContain('pk_live_publishable_not_secret');
    expect(problemsOf({ STRIPE_WEBHOOK_SECRET: WHSEC })).toEqual([expect.stringMatching(/^STRIPE_SECRET_KEY: required/)]);
    expect(problemsOf({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: 'secret' })).toEqual([expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: expected/)]);
  });
});
