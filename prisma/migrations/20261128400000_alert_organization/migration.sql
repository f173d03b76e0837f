-- AlterTable: the organization an alert is about (every event behind it belongs to it), NULL
-- when they span several organizations or have none. Webhooks deliver an alert only to
-- destinations allowed that organization (NULL: only to destinations without an organization
-- filter or scope).
ALTER TABLE "alerts" ADD COLUMN "organization_id" TEXT;
