-- AlterTable: idempotency keys of an organization-scoped writer belong to its organization, so
-- one organization's key cannot reserve (squat) a key another organization will send. Keys of
-- tenant-wide writers keep the tenant-wide namespace (organization_id '').
ALTER TABLE "idempotency_keys" ADD COLUMN "organization_id" TEXT NOT NULL DEFAULT '';
-- Rows written before this migration cannot tell which writer made them: they stay tenant-wide
-- and are marked, so an organization writer's retry of a request it sent before the upgrade is
-- still recognised (same key and same request hash) until the rows expire.
ALTER TABLE "idempotency_keys" ADD COLUMN "legacy" BOOLEAN NOT NULL DEFAULT false;
UPDATE "idempotency_keys" SET "legacy" = true;
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_pkey";
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("tenant_id", "organization_id", "key");
