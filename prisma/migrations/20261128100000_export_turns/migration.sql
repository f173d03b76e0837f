-- CreateIndex: the export worker serves tenants in turn, least recently served first; this
-- index answers "when did this tenant's newest export start" without reading its history.
CREATE INDEX "exports_tenant_id_started_at_idx" ON "exports"("tenant_id", "started_at");
