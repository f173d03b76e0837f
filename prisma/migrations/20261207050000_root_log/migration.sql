-- One deployment-wide root log: each signed tenant checkpoint note is a leaf; its signed
-- checkpoints are what witnesses cosign (and an RFC 3161 TSA may timestamp). Plus an index for checkpoint lookups by tree size.

-- CreateIndex
CREATE INDEX "checkpoints_tenant_id_tree_size_idx" ON "checkpoints"("tenant_id", "tree_size");

-- CreateIndex
CREATE INDEX "checkpoints_sealed_at_idx" ON "checkpoints"("sealed_at");

-- CreateTable
CREATE TABLE "root_log_leaves" (
    "idx" BIGINT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "root_log_leaves_pkey" PRIMARY KEY ("idx")
);

-- CreateIndex
CREATE UNIQUE INDEX "root_log_leaves_tenant_id_tree_size_key" ON "root_log_leaves"("tenant_id", "tree_size");

-- CreateTable
CREATE TABLE "root_log_nodes" (
    "level" INTEGER NOT NULL,
    "idx" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "root_log_nodes_pkey" PRIMARY KEY ("level","idx")
);

-- CreateTable
CREATE TABLE "root_checkpoints" (
    "tree_size" BIGINT NOT NULL,
    "root_hash" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "final" BOOLEAN NOT NULL DEFAULT false,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "timestamp_token" BYTEA,

    CONSTRAINT "root_checkpoints_pkey" PRIMARY KEY ("tree_size")
);

-- CreateTable
CREATE TABLE "root_cosignatures" (
    "tree_size" BIGINT NOT NULL,
    "witness" TEXT NOT NULL,
    "line" TEXT NOT NULL,
    "timestamp" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "root_cosignatures_pkey" PRIMARY KEY ("tree_size","witness")
);

-- CreateIndex
CREATE INDEX "root_cosignatures_witness_tree_size_idx" ON "root_cosignatures"("witness", "tree_size");
