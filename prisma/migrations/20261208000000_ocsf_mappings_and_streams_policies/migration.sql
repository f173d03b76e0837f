-- The tenants row is written only by tenancy: the OCSF mapping (tenants.ocsf_mapping) moves to
-- ocsf_mappings, owned by src/exports, and the self-service streams policy
-- (tenants.streams_policy) to streams_policies, owned by src/webhooks. Tenants that never set
-- one keep no row (the defaults, `{}`, as before).

-- CreateTable
CREATE TABLE "ocsf_mappings" (
    "tenant_id" TEXT NOT NULL,
    "mapping" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ocsf_mappings_pkey" PRIMARY KEY ("tenant_id")
);

-- AddForeignKey
ALTER TABLE "ocsf_mappings" ADD CONSTRAINT "ocsf_mappings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move existing mappings
INSERT INTO "ocsf_mappings" ("tenant_id", "mapping", "updated_at")
SELECT "id", "ocsf_mapping", "updated_at" FROM "tenants" WHERE "ocsf_mapping" <> '{}'::jsonb;

-- DropColumn
ALTER TABLE "tenants" DROP COLUMN "ocsf_mapping";

-- CreateTable
CREATE TABLE "streams_policies" (
    "tenant_id" TEXT NOT NULL,
    "policy" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "streams_policies_pkey" PRIMARY KEY ("tenant_id")
);

-- AddForeignKey
ALTER TABLE "streams_policies" ADD CONSTRAINT "streams_policies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move existing policies (the application reads any stored shape; it is copied as it is)
INSERT INTO "streams_policies" ("tenant_id", "policy", "updated_at")
SELECT "id", "streams_policy", "updated_at" FROM "tenants" WHERE "streams_policy" <> '{}'::jsonb;

-- DropColumn
ALTER TABLE "tenants" DROP COLUMN "streams_policy";
