-- Per-action display templates: a plain-text sentence per action (and per locale), rendered
-- into display.message when events are read, and into CEF msg / OCSF message in exports.

-- CreateTable
CREATE TABLE "action_displays" (
    "tenant_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "locales" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "action_displays_pkey" PRIMARY KEY ("tenant_id","action")
);

-- AddForeignKey
ALTER TABLE "action_displays" ADD CONSTRAINT "action_displays_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
