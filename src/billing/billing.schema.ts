import { named$, Type, type Static } from '../common/schema.js';
import { RateLimitOverridesSchema } from '../tenancy/rate-limits.js';

const PLAN_ID = '^[a-z0-9_-]{1,64}$';
const URL_PATTERN = '^https?://[^\\s]+$';
const NullableInt = (max: number, description: string) => Type.Union([Type.Integer({ minimum: 0, maximum: max }), Type.Null()], { description });
const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const PlanLimitsSchema = named$(
  'PlanLimits',
  Type.Object({
    events_per_month: Type.Union([Type.Integer(), Type.Null()], { description: 'Customer events per calendar month (UTC) included; null = no limit.' }),
    max_retention_days: Type.Integer({ description: 'The longest retention a tenant on this plan may have.' }),
    webhooks: Type.Union([Type.Integer(), Type.Null()]),
    exports_per_day: Type.Union([Type.Integer(), Type.Null()]),
    alerts: Type.Union([Type.Integer(), Type.Null()]),
  }),
);

export const PlanSchema = named$(
  'Plan',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    overage: Type.Boolean({ description: 'true: events beyond events_per_month are billed; false: refused with 429 quota_exceeded.' }),
    limits: PlanLimitsSchema,
    rate_limits: { ...RateLimitOverridesSchema, description: 'Per-second rate limits of the plan\'s tenants; an absent field is the server default (RATE_LIMIT_*).' },
  }),
);

export const BillingSchema = named$(
  'Billing',
  Type.Object({
    plan: PlanSchema,
    period: Type.Object({ start: Timestamp, end: Timestamp }, { description: 'The subscription\'s current period, else the calendar month (UTC).' }),
    usage: Type.Object({
      events: Type.Integer({ description: 'Customer events received in the period (the trail\'s own veritrail.* entries are not counted).' }),
      included_events: Type.Union([Type.Integer(), Type.Null()]),
      overage_events: Type.Integer({ description: 'Events beyond the included ones (billed on plans with overage).' }),
      remaining_events: Type.Union([Type.Integer(), Type.Null()], { description: 'Before 429 quota_exceeded, on plans without overage; null otherwise.' }),
    }),
    subscription: Type.Union([
      Type.Object({
        id: Type.String(),
        status: Type.String(),
        plan: Type.Union([Type.String(), Type.Null()]),
        current_period_start: NullableTimestamp,
        current_period_end: NullableTimestamp,
      }),
      Type.Null(),
    ]),
    payment: Type.Object({
      failed_at: NullableTimestamp,
      grace_until: Type.Union([Timestamp, Type.Null()], { description: 'A failed payment keeps the plan until then; afterwards the tenant is on the free plan.' }),
    }),
    plan_set_by_operator: Type.Boolean(),
    stripe_customer_id: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const CheckoutCreateSchema = named$(
  'CheckoutCreate',
  Type.Object(
    {
      plan: Type.String({ pattern: PLAN_ID, description: 'A plan with a Stripe price configured (STRIPE_PRICES), e.g. pro.' }),
      success_url: Type.String({ maxLength: 2048, pattern: URL_PATTERN, description: 'Where Stripe sends the buyer after paying.' }),
      cancel_url: Type.String({ maxLength: 2048, pattern: URL_PATTERN, description: 'Where Stripe sends the buyer on cancel.' }),
    },
    { additionalProperties: false, examples: [{ plan: 'pro', success_url: 'https://app.example.com/settings/billing?done=1', cancel_url: 'https://app.example.com/settings/billing' }] },
  ),
);
export type CheckoutCreate = Static<typeof CheckoutCreateSchema>;

export const CheckoutSchema = named$(
  'Checkout',
  Type.Object({ id: Type.String(), url: Type.String(), expires_at: NullableTimestamp }),
);

export const PortalCreateSchema = named$(
  'PortalCreate',
  Type.Object(
    { return_url: Type.String({ maxLength: 2048, pattern: URL_PATTERN, description: 'Where the portal\'s "return" link leads.' }) },
    { additionalProperties: false, examples: [{ return_url: 'https://app.example.com/settings/billing' }] },
  ),
);
export type PortalCreate = Static<typeof PortalCreateSchema>;

export const PortalSchema = named$('Portal', Type.Object({ url: Type.String() }));

export const StripeWebhookAckSchema = named$('StripeWebhookAck', Type.Object({ received: Type.Literal(true), outcome: Type.String() }));

export const PlanListSchema = named$('PlanList', Type.Object({ data: Type.Array(PlanSchema) }));

export const PlanUpsertSchema = named$(
  'PlanUpsert',
  Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 100 }),
      events_per_month: NullableInt(1e12, 'Included customer events per month; null = no limit.'),
      max_retention_days: Type.Integer({ minimum: 1, maximum: 36_500 }),
      webhooks: NullableInt(50, 'null = no limit (at most 50 per tenant in any case).'),
      exports_per_day: NullableInt(1_000_000, 'null = no limit.'),
      alerts: NullableInt(1_000_000, 'null = no limit.'),
      overage: Type.Boolean({ description: 'true: bill events beyond events_per_month; false: refuse them (429 quota_exceeded).' }),
      rate_limits: Type.Optional({ ...RateLimitOverridesSchema, description: 'Per-second rate limits of the plan\'s tenants (0 = none); absent fields, or all when omitted: the server defaults (RATE_LIMIT_*). A tenant\'s own rate_limits win.' }),
    },
    {
      additionalProperties: false,
      examples: [{ name: 'Team', events_per_month: 5_000_000, max_retention_days: 730, webhooks: 10, exports_per_day: 100, alerts: 50, overage: true }],
    },
  ),
);
export type PlanUpsert = Static<typeof PlanUpsertSchema>;

export const TenantPlanSchema = named$(
  'TenantPlanOverride',
  Type.Object(
    { plan: Type.Union([Type.String({ pattern: PLAN_ID }), Type.Null()], { description: 'A plan id, or null to return to the subscription (or free).' }) },
    { additionalProperties: false, examples: [{ plan: 'business' }, { plan: null }] },
  ),
);
export type TenantPlan = Static<typeof TenantPlanSchema>;

export const TenantPlanSetSchema = named$(
  'TenantPlanSet',
  Type.Object({
    tenant_id: Type.String(),
    plan: Type.String({ description: 'The plan in force now.' }),
    plan_set_by_operator: Type.Boolean({ description: 'true while the operator\'s choice overrides the subscription.' }),
  }),
);

export const PLAN_ID_PATTERN = new RegExp(PLAN_ID);
