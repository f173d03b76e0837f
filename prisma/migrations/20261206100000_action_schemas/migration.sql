-- Per-action metadata schemas (immutable versions), read on ingest and by GET /v1/actions.

-- CreateTable
CREATE TABLE "action_schemas" (
    "tenant_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "schema" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "action_schemas_pkey" PRIMARY KEY ("tenant_id","action","version"),
    CONSTRAINT "action_schemas_mode_check" CHECK ("mode" IN ('enforce', 'warn')),
    CONSTRAINT "action_schemas_version_check" CHECK ("version" >= 1)
);

-- AddForeignKey
ALTER TABLE "action_schemas" ADD CONSTRAINT "action_schemas_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
