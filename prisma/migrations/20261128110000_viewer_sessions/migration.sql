-- CreateTable: one row per viewer session (token) that was used, so its read is recorded once in
-- the tenant's trail (veritrail.viewer.session) however many requests and replicas serve it.
-- A replica claims the row (claim_until), writes the trail entry, then sets recorded_at; a claim
-- left by a crashed replica runs out and the next request takes it over. Rows are deleted by the
-- viewer-housekeeping job once the token has expired.
CREATE TABLE "viewer_sessions" (
    "tenant_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "claim_until" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3),

    CONSTRAINT "viewer_sessions_pkey" PRIMARY KEY ("tenant_id", "session_id"),
    CONSTRAINT "viewer_sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "viewer_sessions_expires_at_idx" ON "viewer_sessions"("expires_at");
