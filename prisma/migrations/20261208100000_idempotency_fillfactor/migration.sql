-- Idempotency keys are written twice: reserved (INSERT) and, once their events are committed,
-- marked completed (UPDATE of state and, for a request's key, its ids). Neither update touches an
-- indexed column, so with room left on the page PostgreSQL keeps the new row version there (a
-- HOT update) and writes no index entries; on full pages every completion also inserted into both
-- indexes. Half of each page stays free for that; pages already full keep their layout until
-- their rows expire (24 h).
ALTER TABLE "idempotency_keys" SET (fillfactor = 50);
