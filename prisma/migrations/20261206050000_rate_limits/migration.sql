-- Per-tenant rate limits (LD-01): the operator's per-tenant overrides and each plan's limits, as
-- {ingest_events_per_second, ingest_requests_per_second, read_requests_per_second}; a missing
-- field inherits (tenant → plan → RATE_LIMIT_* of the environment).

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN "rate_limits" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "billing_plans" ADD COLUMN "rate_limits" JSONB NOT NULL DEFAULT '{}';

-- Shared rate-limit windows (RATE_LIMIT_STORE=postgres): one row per tenant, policy and limit.
-- CreateTable
CREATE TABLE "rate_limit_counters" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limit_counters_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "rate_limit_counters_expire_idx" ON "rate_limit_counters"("expire");
