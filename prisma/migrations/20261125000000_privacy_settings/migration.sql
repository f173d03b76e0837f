-- AlterTable: the tenant's scrubbing policy (src/privacy): mode, custom patterns, IP truncation, minimisation lists.
ALTER TABLE "tenants" ADD COLUMN "privacy_settings" JSONB NOT NULL DEFAULT '{}';
