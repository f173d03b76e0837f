-- Erasure that no later copy of the databases can undo (PEN-03): subject keys are wrapped by a
-- key-encryption key per (tenant, bucket of subjects) that lives OUTSIDE the databases (a file in
-- PRIVACY_KEK_DIR). Erasing a subject re-wraps the rest of its bucket under a new KEK and deletes
-- the old KEK file, so the erased key's bytes left in heap pages, WAL or replicas unwrap with
-- nothing that still exists.

-- CreateTable: which KEK is live for each bucket (no key material).
CREATE TABLE "privacy_keks" (
    "kek_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "generation" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "privacy_keks_pkey" PRIMARY KEY ("kek_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "privacy_keks_tenant_id_bucket_generation_key" ON "privacy_keks"("tenant_id", "bucket", "generation");

-- AddForeignKey
ALTER TABLE "privacy_keks" ADD CONSTRAINT "privacy_keks_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable: retired KEKs whose file may still exist (outbox of the file deletion).
CREATE TABLE "privacy_kek_shred" (
    "kek_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "retired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "privacy_kek_shred_pkey" PRIMARY KEY ("kek_id")
);

-- AlterTable: a subject key names the KEK that wraps it (NULL: wrapped by the master key, as
-- before; such keys are re-wrapped under a KEK at start-up). NO ACTION: a KEK row cannot go while
-- a key still depends on it, which also makes a key created under a KEK being rotated fail and retry.
ALTER TABLE "subject_keys" ADD COLUMN "kek_id" TEXT;

-- CreateIndex
CREATE INDEX "subject_keys_kek_id_idx" ON "subject_keys"("kek_id");

-- AddForeignKey
ALTER TABLE "subject_keys" ADD CONSTRAINT "subject_keys_kek_id_fkey" FOREIGN KEY ("kek_id") REFERENCES "privacy_keks"("kek_id") ON DELETE NO ACTION ON UPDATE CASCADE;
