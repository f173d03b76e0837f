-- Embedded viewer (src/viewer): revocations of viewer sessions, per-tenant CORS allow-list, and
-- the narrowing of exports requested with a viewer token.

-- CreateTable: a revocation refuses the organization's (or one user's) tokens issued at or before revoked_at.
CREATE TABLE "viewer_revocations" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT,
    "revoked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_by" TEXT NOT NULL,

    CONSTRAINT "viewer_revocations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "viewer_revocations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "viewer_revocations_tenant_id_organization_id_revoked_at_idx" ON "viewer_revocations"("tenant_id", "organization_id", "revoked_at");

-- CreateTable: origins allowed to call the API with the tenant's viewer tokens.
CREATE TABLE "viewer_settings" (
    "tenant_id" TEXT NOT NULL,
    "allowed_origins" TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "viewer_settings_pkey" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "viewer_settings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: an export requested with a narrowed viewer token carries that narrowing (canonical JSON).
ALTER TABLE "exports" ADD COLUMN "scope_narrowing" TEXT;
