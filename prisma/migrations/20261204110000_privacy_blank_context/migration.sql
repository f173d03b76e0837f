-- Erasure option blank_context (PROMISE-05): the context (IP address, user agent, session and
-- request ids, location) of the subject's own events is blanked too. Kept on the request so a
-- deferred erasure (legal hold) does the same when it runs, and read by every read path.

-- AlterTable
ALTER TABLE "privacy_erasures" ADD COLUMN "blank_context" BOOLEAN NOT NULL DEFAULT false;
