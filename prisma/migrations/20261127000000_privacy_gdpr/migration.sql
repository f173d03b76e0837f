-- Privacy (src/privacy): per-data-subject keys, erasures, data-subject notices, retention policy.

-- CreateTable: one AES-256 data key per (tenant, data subject), wrapped by the master key.
-- Erasure deletes the row: the key is gone, every value encrypted with it reads [erased].
CREATE TABLE "subject_keys" (
    "tenant_id" TEXT NOT NULL,
    "subject_hash" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "master_key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subject_keys_pkey" PRIMARY KEY ("tenant_id","subject_hash")
);

-- CreateIndex
CREATE UNIQUE INDEX "subject_keys_key_id_key" ON "subject_keys"("key_id");

-- CreateTable: erasure requests (Art. 17), pending while a legal hold covers the subject.
CREATE TABLE "privacy_erasures" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subject_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "held_by" TEXT[],
    "requested_by" TEXT NOT NULL,
    "key_ids" TEXT[],
    "events_affected" INTEGER NOT NULL DEFAULT 0,
    "receipt" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "privacy_erasures_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "privacy_erasures_tenant_id_subject_hash_idx" ON "privacy_erasures"("tenant_id", "subject_hash");

-- CreateIndex
CREATE INDEX "privacy_erasures_status_idx" ON "privacy_erasures"("status");

-- CreateTable: data-subject notices (Art. 19): who, which fields (names only), when, by whom.
CREATE TABLE "privacy_notices" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "event_id" TEXT,
    "action" TEXT,
    "fields" TEXT[],
    "actor_type" TEXT,
    "actor_id" TEXT,
    "organization_id" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "announced_at" TIMESTAMPTZ(3),

    CONSTRAINT "privacy_notices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "privacy_notices_tenant_id_event_id_subject_id_kind_key" ON "privacy_notices"("tenant_id", "event_id", "subject_id", "kind");

-- CreateIndex
CREATE INDEX "privacy_notices_tenant_id_created_at_id_idx" ON "privacy_notices"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "privacy_notices_announced_at_idx" ON "privacy_notices"("announced_at");

-- AddForeignKey
ALTER TABLE "subject_keys" ADD CONSTRAINT "subject_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "privacy_erasures" ADD CONSTRAINT "privacy_erasures_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "privacy_notices" ADD CONSTRAINT "privacy_notices_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: per-action retention and legal holds (the default stays in retention_days).
ALTER TABLE "tenants" ADD COLUMN "retention_policy" JSONB NOT NULL DEFAULT '{}';

-- AlterTable: an export made by a credential with the privacy scope may include restricted values.
ALTER TABLE "exports" ADD COLUMN "include_restricted" BOOLEAN NOT NULL DEFAULT false;
