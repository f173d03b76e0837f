-- CreateTable: alert rules (src/alerts). Each rule is evaluated over its tenant's Merkle log
-- from its own cursor (the last log position it has seen), so evaluation resumes after
-- downtime without skipping or repeating events.
CREATE TABLE "alert_rules" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "template" TEXT,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "tier" TEXT NOT NULL,
    "owner" TEXT,
    "create_closed" BOOLEAN NOT NULL DEFAULT false,
    "suppression_seconds" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "cursor_idx" BIGINT NOT NULL DEFAULT -1,
    "active_since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_evaluated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable: alerts. rule_id is not a foreign key: alerts outlive a deleted rule (they keep
-- a copy of its name, kind and tier).
CREATE TABLE "alerts" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "rule_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "owner" TEXT,
    "status" TEXT NOT NULL,
    "resolution" TEXT,
    "group_by" TEXT NOT NULL,
    "group_value" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "event_ids" TEXT[],
    "event_count" INTEGER NOT NULL,
    "triggered_at" TIMESTAMPTZ(3) NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "suppressed_count" INTEGER NOT NULL DEFAULT 0,
    "last_suppressed_at" TIMESTAMPTZ(3),
    "notes" JSONB NOT NULL DEFAULT '[]',
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "closed_by" TEXT,
    "trail_recorded" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_rules_tenant_id_created_at_id_idx" ON "alert_rules"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "alert_rules_enabled_tenant_id_idx" ON "alert_rules"("enabled", "tenant_id");

-- CreateIndex
CREATE INDEX "alerts_tenant_id_created_at_id_idx" ON "alerts"("tenant_id", "created_at", "id");

-- CreateIndex: suppression looks up a rule's recent alerts for a key.
CREATE INDEX "alerts_tenant_id_rule_id_group_value_triggered_at_idx" ON "alerts"("tenant_id", "rule_id", "group_value", "triggered_at");

-- CreateIndex: alerts whose trail entry is still to be written (after a crash).
CREATE INDEX "alerts_trail_recorded_tenant_id_idx" ON "alerts"("trail_recorded", "tenant_id");

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
