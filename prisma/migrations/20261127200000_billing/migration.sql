-- CreateTable: plans and their limits (src/billing). NULL means "no limit". Usage beyond
-- events_per_month is refused (429 quota_exceeded) unless overage is true, then it is billed.
CREATE TABLE "billing_plans" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "events_per_month" BIGINT,
    "max_retention_days" INTEGER NOT NULL,
    "webhooks" INTEGER,
    "exports_per_day" INTEGER,
    "alerts" INTEGER,
    "overage" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_plans_pkey" PRIMARY KEY ("id")
);

-- The shipped plans; the operator may change their limits (PUT /admin/v1/plans/{id}).
INSERT INTO "billing_plans" ("id", "name", "events_per_month", "max_retention_days", "webhooks", "exports_per_day", "alerts", "overage") VALUES
    ('free', 'Free', 10000, 30, 1, 3, 3, false),
    ('pro', 'Pro', 1000000, 365, 10, 50, 50, true),
    ('business', 'Business', 10000000, 2555, 50, 500, 500, true),
    ('unlimited', 'Self-hosted', NULL, 36500, NULL, NULL, NULL, false);

-- CreateTable: one billing account per tenant: the Stripe customer and subscription, the plan
-- in force, the payment grace period and how far usage has been metered.
CREATE TABLE "billing_accounts" (
    "tenant_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "override_plan_id" TEXT,
    "stripe_customer_id" TEXT,
    "subscription_id" TEXT,
    "subscription_status" TEXT,
    "subscription_plan_id" TEXT,
    "current_period_start" TIMESTAMPTZ(3),
    "current_period_end" TIMESTAMPTZ(3),
    "subscription_event_at" TIMESTAMPTZ(3),
    "subscription_event_rank" INTEGER NOT NULL DEFAULT 0,
    "payment_failed_at" TIMESTAMPTZ(3),
    "payment_succeeded_at" TIMESTAMPTZ(3),
    "grace_until" TIMESTAMPTZ(3),
    "plan_change_pending" JSONB,
    "metered_through" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_accounts_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable: customer events per tenant and hour, counted in ClickHouse once the hour closed;
-- billable hours are reported to Stripe as one meter event each.
CREATE TABLE "billing_usage_hours" (
    "tenant_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "events" BIGINT NOT NULL,
    "stripe_customer_id" TEXT,
    "meter_identifier" TEXT,
    "reported_at" TIMESTAMPTZ(3),
    "report_attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "billing_usage_hours_pkey" PRIMARY KEY ("tenant_id","hour")
);

-- CreateTable: the monthly event quota of hard-limited plans: events stored (as of the last
-- count) plus events of requests in flight (held).
CREATE TABLE "billing_quota_usage" (
    "tenant_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "used" BIGINT NOT NULL,
    "held" BIGINT NOT NULL DEFAULT 0,
    "version" BIGINT NOT NULL DEFAULT 0,
    "counted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_quota_usage_pkey" PRIMARY KEY ("tenant_id","period_start")
);

-- CreateTable: one row per ingest request in flight on a hard-limited plan; a crashed request's
-- hold expires and its events are found by the next count.
CREATE TABLE "billing_quota_holds" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "n" INTEGER NOT NULL,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "billing_quota_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable: every Stripe event received, so each is applied once.
CREATE TABLE "billing_stripe_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "tenant_id" TEXT,
    "outcome" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_stripe_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "billing_accounts_stripe_customer_id_key" ON "billing_accounts"("stripe_customer_id");

-- CreateIndex
CREATE INDEX "billing_accounts_metered_through_idx" ON "billing_accounts"("metered_through");

-- CreateIndex
CREATE INDEX "billing_usage_hours_reported_at_hour_idx" ON "billing_usage_hours"("reported_at", "hour");

-- CreateIndex
CREATE INDEX "billing_quota_holds_tenant_id_period_start_idx" ON "billing_quota_holds"("tenant_id", "period_start");

-- CreateIndex
CREATE INDEX "billing_stripe_events_received_at_idx" ON "billing_stripe_events"("received_at");

-- AddForeignKey
ALTER TABLE "billing_accounts" ADD CONSTRAINT "billing_accounts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_accounts" ADD CONSTRAINT "billing_accounts_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "billing_plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_usage_hours" ADD CONSTRAINT "billing_usage_hours_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_quota_usage" ADD CONSTRAINT "billing_quota_usage_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_quota_holds" ADD CONSTRAINT "billing_quota_holds_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
