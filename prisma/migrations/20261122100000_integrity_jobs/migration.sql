-- CreateTable
CREATE TABLE "checkpoints" (
    "tenant_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "root_hash" TEXT NOT NULL,
    "prev_hash" TEXT,
    "frontier" TEXT[],
    "watermark" TIMESTAMPTZ(3) NOT NULL,
    "kid" TEXT NOT NULL,
    "jws" TEXT NOT NULL,
    "sealed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "checkpoints_pkey" PRIMARY KEY ("tenant_id","number")
);

-- CreateTable
CREATE TABLE "job_leases" (
    "key" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_leases_pkey" PRIMARY KEY ("key")
);

-- AddForeignKey
ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: the shortest retention the tenant ever had (expired vs deleted, see src/integrity)
ALTER TABLE "tenants" ADD COLUMN "retention_floor_days" INTEGER NOT NULL DEFAULT 365;
UPDATE "tenants" SET "retention_floor_days" = "retention_days";
