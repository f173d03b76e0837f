-- Retention gets its own table, owned by src/retention: the default, the floor (the shortest
-- retention ever in force), per-action overrides, legal holds and the PCI DSS flag move out of
-- the tenants row (retention_days, retention_floor_days, retention_policy jsonb). The privacy
-- settings document (tenants.privacy_settings) moves to privacy_settings, owned by src/privacy.

-- CreateTable
CREATE TABLE "retention_policies" (
    "tenant_id" TEXT NOT NULL,
    "default_days" INTEGER NOT NULL,
    "floor_days" INTEGER NOT NULL,
    "actions" JSONB NOT NULL DEFAULT '[]',
    "legal_holds" JSONB NOT NULL DEFAULT '[]',
    "pci_dss" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "retention_policies_pkey" PRIMARY KEY ("tenant_id")
);

-- AddForeignKey
ALTER TABLE "retention_policies" ADD CONSTRAINT "retention_policies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move existing data (a policy document that is not an object, or members of the wrong type,
-- read as empty, as the application did).
INSERT INTO "retention_policies" ("tenant_id", "default_days", "floor_days", "actions", "legal_holds", "pci_dss", "updated_at")
SELECT "id", "retention_days", "retention_floor_days",
    CASE WHEN jsonb_typeof("retention_policy"->'actions') = 'array' THEN "retention_policy"->'actions' ELSE '[]'::jsonb END,
    CASE WHEN jsonb_typeof("retention_policy"->'legal_holds') = 'array' THEN "retention_policy"->'legal_holds' ELSE '[]'::jsonb END,
    CASE WHEN jsonb_typeof("retention_policy"->'pci_dss') = 'boolean' THEN ("retention_policy"->>'pci_dss')::boolean ELSE false END,
    "updated_at"
FROM "tenants";

-- DropColumns
ALTER TABLE "tenants" DROP COLUMN "retention_days", DROP COLUMN "retention_floor_days", DROP COLUMN "retention_policy";

-- CreateTable
CREATE TABLE "privacy_settings" (
    "tenant_id" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "privacy_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- AddForeignKey
ALTER TABLE "privacy_settings" ADD CONSTRAINT "privacy_settings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move existing settings (tenants that never set any keep no row: the defaults)
INSERT INTO "privacy_settings" ("tenant_id", "settings", "updated_at")
SELECT "id", "privacy_settings", "updated_at" FROM "tenants" WHERE "privacy_settings" <> '{}'::jsonb;

-- DropColumn
ALTER TABLE "tenants" DROP COLUMN "privacy_settings";
