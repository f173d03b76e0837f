-- CreateTable: export jobs (src/exports). The file itself lives in DATA_DIR/exports or S3.
CREATE TABLE "exports" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "organization_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "format" TEXT NOT NULL,
    "gzip" BOOLEAN NOT NULL DEFAULT false,
    "filters" JSONB NOT NULL,
    "requested_by" TEXT NOT NULL,
    "snapshot_at" TIMESTAMPTZ(3) NOT NULL,
    "row_count" BIGINT NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "sha256" TEXT,
    "file_key" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_holder" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "file_deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "exports_tenant_id_created_at_id_idx" ON "exports"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "exports_status_created_at_idx" ON "exports"("status", "created_at");

-- CreateIndex
CREATE INDEX "exports_expires_at_idx" ON "exports"("expires_at");

-- AddForeignKey
ALTER TABLE "exports" ADD CONSTRAINT "exports_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: the tenant's action → OCSF class mapping for exports
ALTER TABLE "tenants" ADD COLUMN "ocsf_mapping" JSONB NOT NULL DEFAULT '{}';
