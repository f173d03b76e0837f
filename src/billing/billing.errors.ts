import { AppError } from '../common/errors.js';

/** Every billing endpoint when STRIPE_SECRET_KEY is unset (self-hosted: no billing at all). */
export class BillingDisabledError extends AppError {
  constructor() {
    super(404, 'billing_disabled', 'Billing is not enabled on this installation; every tenant has the self-hosted unlimited plan.');
  }
}

/** The monthly event quota of a hard-limited plan is used up: nothing was stored. */
export class QuotaExceededError extends AppError {
  constructor(p: { planId: string; limit: number; used: number; resetAt: Date; now: number }) {
    const retryAfter = Math.max(1, Math.ceil((p.resetAt.getTime() - p.now) / 1000));
    super(
      429,
      'quota_exceeded',
      `The ${p.planId} plan includes ${p.limit} events per month and they are used up; nothing was stored. The quota resets at ${p.resetAt.toISOString()}; upgrade the plan to send more now.`,
      undefined,
      { 'retry-after': String(retryAfter) },
    );
    this.info = { plan: p.planId, limit: p.limit, used: p.used, reset_at: p.resetAt.toISOString() };
  }
}

/** A countable resource (webhooks, alerts) is at the plan's maximum. */
export class PlanLimitError extends AppError {
  constructor(p: { planId: string; limit: string; max: number }) {
    super(422, 'plan_limit_reached', `The ${p.planId} plan allows at most ${p.max} ${p.limit.replaceAll('_', ' ')}; upgrade the plan for more.`);
    this.info = { plan: p.planId, limit: p.limit, max: p.max };
  }
}

/** The plan's daily export allowance is used up until the next UTC day. */
export class ExportLimitError extends AppError {
  constructor(p: { planId: string; max: number; resetAt: Date; now: number }) {
    super(429, 'export_limit_reached', `The ${p.planId} plan allows ${p.max} exports per day; the allowance resets at ${p.resetAt.toISOString()}.`, undefined, {
      'retry-after': String(Math.max(1, Math.ceil((p.resetAt.getTime() - p.now) / 1000))),
    });
    this.info = { plan: p.planId, max: p.max, reset_at: p.resetAt.toISOString() };
  }
}

export class InvalidSignatureError extends AppError {
  constructor() {
    super(400, 'invalid_signature', 'The Stripe-Signature header is missing, does not match the body, or is too old.');
  }
}
