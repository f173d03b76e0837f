-- Completing a request's idempotency keys was an UPDATE of every key row (501 for a batch of 500
-- events with keys, the SDK's default); it is now one row per attempt. Each key row names the
-- attempt (one request, or the retry that took the key over) that reserved it, and the key is
-- completed once its attempt is. Rows written before this migration have no attempt and keep
-- their own state.
ALTER TABLE "idempotency_keys" ADD COLUMN "attempt" UUID;

-- CreateTable: completed attempts (src/events, idempotency). Lives as long as the keys it completes.
CREATE TABLE "idempotency_attempts" (
    "tenant_id" TEXT NOT NULL,
    "attempt" UUID NOT NULL,
    "completed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_attempts_pkey" PRIMARY KEY ("tenant_id", "attempt")
);
CREATE INDEX "idempotency_attempts_expires_at_idx" ON "idempotency_attempts"("expires_at");
ALTER TABLE "idempotency_attempts" ADD CONSTRAINT "idempotency_attempts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Key rows are no longer updated on completion, so the free half of each page kept for those
-- updates (migration 20261208100000) only doubled the table: new pages are filled again.
ALTER TABLE "idempotency_keys" SET (fillfactor = 100);
