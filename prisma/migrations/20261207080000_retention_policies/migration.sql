-- Retention gets its own table, owned by src/retention: the default, the floor (the shortest
-- retention ever in force), per-action overrides, legal holds and the PCI DSS flag move out of
-- the tenants row (retention_days, retention_floor_days, retention_policy jsonb).

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
