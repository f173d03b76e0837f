-- Per-destination delivery options that are not secret: the syslog payload format (cef | leef)
-- and the CloudEvents opt-in of https destinations. TLS material of a syslog destination is
-- sealed with its credentials, never here.

-- AlterTable
ALTER TABLE "webhooks" ADD COLUMN "options" JSONB NOT NULL DEFAULT '{}';
