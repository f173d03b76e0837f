-- Self-service streams (issue 22): which organizations' keys and viewer tokens with the streams
-- scope may manage their own destinations and alert rules, as
-- {default: "allowed" | "forbidden", allowed_organizations: [], forbidden_organizations: []};
-- {} means allowed for every organization.

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN "streams_policy" JSONB NOT NULL DEFAULT '{}';

-- Alert rules an organization creates for itself: they read only its events, and alerts they
-- raise are visible to that organization (and the tenant).
-- AlterTable
ALTER TABLE "alert_rules" ADD COLUMN "organization_id" TEXT;

-- AlterTable
ALTER TABLE "alerts" ADD COLUMN "rule_organization_id" TEXT;

-- CreateIndex
CREATE INDEX "alert_rules_tenant_id_organization_id_idx" ON "alert_rules"("tenant_id", "organization_id");
