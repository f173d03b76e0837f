-- AlterTable: a rule whose evaluation runs over its budget (ALERTS_RULE_BUDGET) is disabled by
-- the evaluator with a reason (status "poisoned" in the API), in the same statement that commits
-- the step, so after a restart it is not evaluated again until the tenant enables it (from then
-- on). disabled_recorded is the outbox flag of its veritrail.alert_rule.disabled trail entry.
ALTER TABLE "alert_rules" ADD COLUMN "disabled_reason" TEXT,
ADD COLUMN "disabled_message" TEXT,
ADD COLUMN "disabled_at" TIMESTAMPTZ(3),
ADD COLUMN "disabled_recorded" BOOLEAN NOT NULL DEFAULT true;
