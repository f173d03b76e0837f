-- The Merkle log is appended every LOG_APPEND_INTERVAL and signed every SEAL_INTERVAL: the
-- committed end of each tenant's log (its head) lives apart from the signed checkpoints, and a
-- checkpoint records which head it signs. Merkle nodes keep their `checkpoint` column, which now
-- holds the head number that committed them; before this migration head numbers and checkpoint
-- numbers were the same thing, so existing checkpoints sign the head of their own number.

-- AlterTable
ALTER TABLE "checkpoints" ADD COLUMN "log_number" INTEGER;
UPDATE "checkpoints" SET "log_number" = "number";
ALTER TABLE "checkpoints" ALTER COLUMN "log_number" SET NOT NULL;

-- CreateTable
CREATE TABLE "log_heads" (
    "tenant_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "root_hash" TEXT NOT NULL,
    "frontier" TEXT[],
    "watermark" TIMESTAMPTZ(3) NOT NULL,
    "appended_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "log_heads_pkey" PRIMARY KEY ("tenant_id")
);

-- AddForeignKey
ALTER TABLE "log_heads" ADD CONSTRAINT "log_heads_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The head of every tenant with a checkpoint is its newest checkpoint.
INSERT INTO "log_heads" ("tenant_id", "number", "tree_size", "root_hash", "frontier", "watermark", "appended_at")
SELECT DISTINCT ON ("tenant_id") "tenant_id", "number", "tree_size", "root_hash", "frontier", "watermark", "sealed_at"
FROM "checkpoints" ORDER BY "tenant_id", "number" DESC;

-- A webhook destination draining a backlog records the next messages of a claim (their ids and
-- ranges) with the pending one, in one write before the first attempt, instead of one write per
-- message before and after each attempt.
-- AlterTable
ALTER TABLE "webhooks" ADD COLUMN "pending_plan" JSONB;
