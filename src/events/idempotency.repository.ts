import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { Coalescer } from './coalescer.js';

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  state: 'in_flight' | 'completed';
  eventIds: string[];
  receivedAt: Date;
  leaseUntil: Date;
}

export interface Reservation {
  key: string;
  requestHash: string;
  eventIds: string[];
  receivedAt: Date;
  /** The request reserving it (a uuid): the key is completed when this attempt is ({@link IdempotencyRepository.complete}). */
  attempt: string;
}

type Row = { key: string; request_hash: string; state: string; event_ids: string[]; received_at: Date; lease_until: Date };

function toRecord(r: Row): IdempotencyRecord {
  return {
    key: r.key,
    requestHash: r.request_hash,
    state: r.state === 'completed' ? 'completed' : 'in_flight',
    eventIds: r.event_ids,
    receivedAt: r.received_at,
    leaseUntil: r.lease_until,
  };
}

/** PostgreSQL's unique_violation (23505), as Prisma reports it for a raw statement. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return e?.code === 'P2002' || e?.meta?.driverAdapterError?.cause?.originalCode === '23505';
}

/**
 * The namespace of a writer's keys: an organization-scoped key's keys belong to its organization
 * (another organization's writer cannot reserve them first and make its real events fail with
 * 422); a tenant-wide key's keys are tenant-wide ('').
 */
function namespaceOf(scope: TenantScope): string {
  return scope.organizationId ?? '';
}

/**
 * Idempotency keys in PostgreSQL: the source of truth for "was this already stored", shared by
 * every replica, independent of ClickHouse's own (windowed) insert deduplication. Lease times
 * use the database clock so replicas with skewed clocks agree. Every statement is confined to
 * the scope's tenant and key namespace ({@link namespaceOf}).
 *
 * Each key row names its attempt (the request that reserved it, or the retry that took it over);
 * a key is completed when its attempt has a row in `idempotency_attempts` (or, for rows from
 * before attempts existed, when its own state says so). Completing a batch of 500 keyed events
 * is then one row, not 501 updated ones.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts in-flight reservations; returns the keys this call now owns. A key whose record
   * has expired (older than the TTL) is overwritten as if it never existed.
   */
  async reserve(scope: TenantScope, entries: Reservation[], leaseMs: number, ttlMs: number): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    // Concurrent requests of one namespace share a statement (see Coalescer).
    return this.reservations.submit(`${scope.tenantId}\u0000${namespaceOf(scope)}\u0000${leaseMs}\u0000${ttlMs}`, { scope, leaseMs, ttlMs }, entries);
  }

  private readonly reservations = new Coalescer<{ scope: TenantScope; leaseMs: number; ttlMs: number }, Reservation, Set<string>, Set<string>>(
    (e) => e.key,
    async ({ scope, leaseMs, ttlMs }, entries) => this.reserveNow(scope, entries, leaseMs, ttlMs),
    (owned, mine) => new Set(mine.filter((e) => owned.has(e.key)).map((e) => e.key)),
  );

  private async reserveNow(scope: TenantScope, entries: Reservation[], leaseMs: number, ttlMs: number): Promise<Set<string>> {
    const ns = namespaceOf(scope);
    const keys = entries.map((e) => e.key);
    const hashes = entries.map((e) => e.requestHash);
    // One array literal per entry keeps the statement's shape fixed whatever the batch size.
    const ids = entries.map((e) => `{${e.eventIds.join(',')}}`);
    const received = entries.map((e) => e.receivedAt.toISOString());
    const attempts = entries.map((e) => e.attempt);
    if (ns === '') {
      // Fresh keys, the common case: a plain INSERT, all or nothing. It skips ON CONFLICT's
      // speculative insertion (about a quarter of the statement's cost in PGlite). Any key already
      // recorded (a retry, a concurrent duplicate on another replica, an expired record) makes it
      // fail on the primary key, and the statement below decides key by key, as always.
      try {
        await this.prisma.$executeRaw`
          INSERT INTO idempotency_keys (tenant_id, organization_id, key, request_hash, state, event_ids, received_at, lease_until, expires_at, attempt)
          SELECT ${scope.tenantId}, '', k, h, 'in_flight', i::uuid[], r::timestamptz,
                 now() + make_interval(secs => ${leaseMs / 1000}), now() + make_interval(secs => ${ttlMs / 1000}), a::uuid
          FROM unnest(${keys}::text[], ${hashes}::text[], ${ids}::text[], ${received}::text[], ${attempts}::text[]) AS u(k, h, i, r, a)`;
        return new Set(keys);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      const rows = await this.prisma.$queryRaw<{ key: string }[]>`
        INSERT INTO idempotency_keys (tenant_id, organization_id, key, request_hash, state, event_ids, received_at, lease_until, expires_at, attempt)
        SELECT ${scope.tenantId}, '', k, h, 'in_flight', i::uuid[], r::timestamptz,
               now() + make_interval(secs => ${leaseMs / 1000}), now() + make_interval(secs => ${ttlMs / 1000}), a::uuid
        FROM unnest(${keys}::text[], ${hashes}::text[], ${ids}::text[], ${received}::text[], ${attempts}::text[]) AS u(k, h, i, r, a)
        ON CONFLICT (tenant_id, organization_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, state = 'in_flight', event_ids = EXCLUDED.event_ids,
              received_at = EXCLUDED.received_at, lease_until = EXCLUDED.lease_until,
              created_at = now(), expires_at = EXCLUDED.expires_at, legacy = false, attempt = EXCLUDED.attempt
          WHERE idempotency_keys.expires_at < now()
        RETURNING key`;
      return new Set(rows.map((r) => r.key));
    }
    // An organization writer: a record made before keys had organizations (legacy, tenant-wide)
    // with the same key AND the same request is its own earlier attempt — carried over into its
    // namespace, it is then found like any other (replayed or taken over). A legacy record with
    // another request is ignored: it may be another organization's squat.
    const rows = await this.prisma.$queryRaw<{ key: string }[]>`
      WITH carried AS (
        INSERT INTO idempotency_keys (tenant_id, organization_id, key, request_hash, state, event_ids, received_at, lease_until, created_at, expires_at, attempt)
        SELECT l.tenant_id, ${ns}, l.key, l.request_hash, l.state, l.event_ids, l.received_at, l.lease_until, l.created_at, l.expires_at, l.attempt
        FROM idempotency_keys l JOIN unnest(${keys}::text[], ${hashes}::text[]) AS c(k, h) ON l.key = c.k AND l.request_hash = c.h
        WHERE l.tenant_id = ${scope.tenantId} AND l.organization_id = '' AND l.legacy AND l.expires_at >= now()
        ON CONFLICT (tenant_id, organization_id, key) DO NOTHING
        RETURNING key)
      INSERT INTO idempotency_keys (tenant_id, organization_id, key, request_hash, state, event_ids, received_at, lease_until, expires_at, attempt)
      SELECT ${scope.tenantId}, ${ns}, k, h, 'in_flight', i::uuid[], r::timestamptz,
             now() + make_interval(secs => ${leaseMs / 1000}), now() + make_interval(secs => ${ttlMs / 1000}), a::uuid
      FROM unnest(${keys}::text[], ${hashes}::text[], ${ids}::text[], ${received}::text[], ${attempts}::text[]) AS u(k, h, i, r, a)
      WHERE u.k NOT IN (SELECT key FROM carried)
      ON CONFLICT (tenant_id, organization_id, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, state = 'in_flight', event_ids = EXCLUDED.event_ids,
            received_at = EXCLUDED.received_at, lease_until = EXCLUDED.lease_until,
            created_at = now(), expires_at = EXCLUDED.expires_at, attempt = EXCLUDED.attempt
        WHERE idempotency_keys.expires_at < now()
      RETURNING key`;
    return new Set(rows.map((r) => r.key));
  }

  async find(scope: TenantScope, keys: string[]): Promise<IdempotencyRecord[]> {
    if (keys.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Row[]>`
      SELECT k.key, k.request_hash, CASE WHEN a.attempt IS NOT NULL THEN 'completed' ELSE k.state END AS state,
             k.event_ids::text[] AS event_ids, k.received_at, k.lease_until
      FROM idempotency_keys k LEFT JOIN idempotency_attempts a ON a.tenant_id = k.tenant_id AND a.attempt = k.attempt
      WHERE k.tenant_id = ${scope.tenantId} AND k.organization_id = ${namespaceOf(scope)} AND k.key = ANY(${keys}::text[]) AND k.expires_at >= now()`;
    return rows.map(toRecord);
  }

  /**
   * Claims an in-flight key whose lease ran out (its request died) for `attempt`, which completes
   * it from then on; undefined if someone else holds it or its attempt completed meanwhile.
   */
  async takeOver(scope: TenantScope, key: string, leaseMs: number, attempt: string): Promise<IdempotencyRecord | undefined> {
    const rows = await this.prisma.$queryRaw<Row[]>`
      UPDATE idempotency_keys k SET lease_until = now() + make_interval(secs => ${leaseMs / 1000}), attempt = ${attempt}::uuid
      WHERE k.tenant_id = ${scope.tenantId} AND k.organization_id = ${namespaceOf(scope)} AND k.key = ${key} AND k.state = 'in_flight' AND k.lease_until < now()
        AND NOT EXISTS (SELECT 1 FROM idempotency_attempts a WHERE a.tenant_id = k.tenant_id AND a.attempt = k.attempt)
      RETURNING k.key, k.request_hash, k.state, k.event_ids::text[] AS event_ids, k.received_at, k.lease_until`;
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /**
   * Completes every key `attempt` holds, in one row; its request-level key (`requestKey`), if
   * any, also gets the final ids of the request's events.
   */
  async complete(scope: TenantScope, attempt: string, ttlMs: number, requestKey?: string, eventIds: string[] = []): Promise<void> {
    const entry = { attempt, requestKey: requestKey ?? '', ids: requestKey !== undefined ? `{${eventIds.join(',')}}` : '' };
    await this.completions.submit(`${scope.tenantId}\u0000${namespaceOf(scope)}\u0000${ttlMs}`, { scope, ttlMs }, [entry]);
  }

  private readonly completions = new Coalescer<{ scope: TenantScope; ttlMs: number }, { attempt: string; requestKey: string; ids: string }, void, void>(
    (e) => e.attempt,
    async ({ scope, ttlMs }, entries) => {
      // The attempts' rows and the request-level keys' final ids in one statement (a concurrent
      // request of the same namespace may share it). A request key another attempt has taken
      // over meanwhile is left to that attempt. `key = ANY(...)` keeps the primary-key index in
      // use (joined to the unnest alone, the planner scans the tenant's keys).
      const withKey = entries.filter((e) => e.requestKey !== '');
      const requestKeys = withKey.map((e) => e.requestKey);
      await this.prisma.$executeRaw`
        WITH done AS (
          INSERT INTO idempotency_attempts (tenant_id, attempt, expires_at)
          SELECT ${scope.tenantId}, a::uuid, now() + make_interval(secs => ${ttlMs / 1000})
          FROM unnest(${entries.map((e) => e.attempt)}::text[]) AS a
          ON CONFLICT (tenant_id, attempt) DO NOTHING)
        UPDATE idempotency_keys SET event_ids = u.ids::uuid[]
        FROM unnest(${requestKeys}::text[], ${withKey.map((e) => e.ids)}::text[], ${withKey.map((e) => e.attempt)}::text[]) AS u(k, ids, a)
        WHERE tenant_id = ${scope.tenantId} AND organization_id = ${namespaceOf(scope)} AND key = ANY(${requestKeys}::text[])
          AND key = u.k AND attempt = u.a::uuid`;
    },
    () => undefined,
  );

  /**
   * Ends the lease of keys whose write failed: the write may still have landed, so the records
   * stay, but the client's retry may take them over immediately (and re-check ClickHouse).
   */
  async expireLeases(scope: TenantScope, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE idempotency_keys SET lease_until = now() - interval '1 second'
      WHERE tenant_id = ${scope.tenantId} AND organization_id = ${namespaceOf(scope)} AND key = ANY(${keys}::text[]) AND state = 'in_flight'`;
  }

  /** Gives back reservations of an attempt that stored nothing. */
  async release(scope: TenantScope, keys: string[], attempt: string): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.$executeRaw`
      DELETE FROM idempotency_keys
      WHERE tenant_id = ${scope.tenantId} AND organization_id = ${namespaceOf(scope)} AND key = ANY(${keys}::text[]) AND state = 'in_flight' AND attempt = ${attempt}::uuid`;
  }

  /** Housekeeping: drops key records and completed attempts past their TTL, at most `limit` of each per call. */
  async deleteExpired(limit: number): Promise<{ keys: number; attempts: number }> {
    const keys = await this.prisma.$executeRaw`
      DELETE FROM idempotency_keys WHERE ctid IN (
        SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT ${limit})`;
    const attempts = await this.prisma.$executeRaw`
      DELETE FROM idempotency_attempts WHERE ctid IN (
        SELECT ctid FROM idempotency_attempts WHERE expires_at < now() LIMIT ${limit})`;
    return { keys, attempts };
  }
}

