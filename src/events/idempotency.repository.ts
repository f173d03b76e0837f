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
    if (ns === '') {
      // Fresh keys, the common case: a plain INSERT, all or nothing. It skips ON CONFLICT's
      // speculative insertion (about a quarter of the statement's cost in PGlite). Any key already
      // recorded (a retry, a concurrent duplicate on another replica, an expired record) makes it
      // fail on the primary key, and the statement below decides key by key, as always.
      try {
        await this.prisma.$executeRaw`
          INSERT INTO idempotency_keys (tenant_id, organization_id, key, request_hash, state, event_ids, received_at, lease_until, expires_at)
          SELECT ${scope.tenantId}, '', k, h, 'in_flight', i::uuid[], r::timestamptz,
                 now() + make_interval(secs => ${leaseMs / 1000}), now() + make_interval(secs => ${ttlMs / 1000})
          FROM unnest(${keys}::text[], ${hashes}::text[], ${ids}::text[], ${received}::text[]) AS u(k, h, i, r)`;
        return new Set(keys);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      const rows = await this.prisma.$queryRaw<{ key: string }[]>`
        INSERT INTO idempotency_keys (tenant_id, organization_id, key, request_hash, state, event_ids, received_at, lease_until, expires_at)
        SELECT ${scope.tenantId}, '', k, h, 'in_flight', i::uuid[], r::timestamptz,
               now() + make_interval(secs => ${leaseMs / 1000}), now() + make_interval(secs => ${ttlMs / 1000})
        FROM unnest(${keys}::text[], ${hashes}::text[], ${ids}::text[], ${received}::text[]) AS u(k, h, i, r)
        ON CONFLICT (tenant_id, organization_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, state = 'in_flight', event_ids = EXCLUDED.event_ids,
              received_at = EXCLUDED.received_at, lease_until = EXCLUDED.lease_until,
              created_at = now(), expires_at = EXCLUDED.expires_at, legacy = false
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
        INSERT INTO idempotency_keys (tenant_id, organization_id, key, request_hash, state, event_ids, received_at, lease_until, created_at, expires_at)
        SELECT l.tenant_id, ${ns}, l.key, l.request_hash, l.state, l.event_ids, l.received_at, l.lease_until, l.created_at, l.expires_at
        FROM idempotency_keys l JOIN unnest(${keys}::text[], ${hashes}::text[]) AS c(k, h) ON l.key = c.k AND l.request_hash = c.h
        WHERE l.tenant_id = ${scope.tenantId} AND l.organization_id = '' AND l.legacy AND l.expires_at >= now()
        ON CONFLICT (tenant_id, organization_id, key) DO NOTHING
        RETURNING key)
      INSERT INTO idempotency_keys (tenant_id, organization_id, key, request_hash, state, event_ids, received_at, lease_until, expires_at)
      SELECT ${scope.tenantId}, ${ns}, k, h, 'in_flight', i::uuid[], r::timestamptz,
             now() + make_interval(secs => ${leaseMs / 1000}), now() + make_interval(secs => ${ttlMs / 1000})
      FROM unnest(${keys}::text[], ${hashes}::text[], ${ids}::text[], ${received}::text[]) AS u(k, h, i, r)
      WHERE u.k NOT IN (SELECT key FROM carried)
      ON CONFLICT (tenant_id, organization_id, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, state = 'in_flight', event_ids = EXCLUDED.event_ids,
            received_at = EXCLUDED.received_at, lease_until = EXCLUDED.lease_until,
            created_at = now(), expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at < now()
      RETURNING key`;
    return new Set(rows.map((r) => r.key));
  }

  async find(scope: TenantScope, keys: string[]): Promise<IdempotencyRecord[]> {
    if (keys.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Row[]>`
      SELECT key, request_hash, state, event_ids::text[] AS event_ids, received_at, lease_until
      FROM idempotency_keys
      WHERE tenant_id = ${scope.tenantId} AND organization_id = ${namespaceOf(scope)} AND key = ANY(${keys}::text[]) AND expires_at >= now()`;
    return rows.map(toRecord);
  }

  /** Claims an in-flight key whose lease ran out (its request died); undefined if someone else holds it. */
  async takeOver(scope: TenantScope, key: string, leaseMs: number): Promise<IdempotencyRecord | undefined> {
    const rows = await this.prisma.$queryRaw<Row[]>`
      UPDATE idempotency_keys SET lease_until = now() + make_interval(secs => ${leaseMs / 1000})
      WHERE tenant_id = ${scope.tenantId} AND organization_id = ${namespaceOf(scope)} AND key = ${key} AND state = 'in_flight' AND lease_until < now()
      RETURNING key, request_hash, state, event_ids::text[] AS event_ids, received_at, lease_until`;
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /**
   * Marks a request's keys completed in one statement; the request-level key (`requestKey`, when
   * among `keys`) also gets the final ids of the request's events.
   */
  async complete(scope: TenantScope, keys: string[], requestKey?: string, eventIds: string[] = []): Promise<void> {
    if (keys.length === 0) return;
    // '' keeps a key's ids; a request-level key gets the request's final ids.
    const entries = keys.map((key) => ({ key, ids: key === requestKey ? `{${eventIds.join(',')}}` : '' }));
    await this.completions.submit(`${scope.tenantId}\u0000${namespaceOf(scope)}`, scope, entries);
  }

  private readonly completions = new Coalescer<TenantScope, { key: string; ids: string }, void, void>(
    (e) => e.key,
    async (scope, entries) => {
      // `key = ANY(...)` keeps the primary-key index in use; the few request-level keys (one per
      // request) look their ids up in a small array.
      const withIds = entries.filter((e) => e.ids !== '');
      await this.prisma.$executeRaw`
        UPDATE idempotency_keys
        SET state = 'completed',
            event_ids = CASE WHEN key = ANY(${withIds.map((e) => e.key)}::text[])
              THEN (SELECT u.ids::uuid[] FROM unnest(${withIds.map((e) => e.key)}::text[], ${withIds.map((e) => e.ids)}::text[]) AS u(k, ids) WHERE u.k = idempotency_keys.key)
              ELSE event_ids END
        WHERE tenant_id = ${scope.tenantId} AND organization_id = ${namespaceOf(scope)} AND key = ANY(${entries.map((e) => e.key)}::text[])`;
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

  /** Gives back reservations of a request that stored nothing. */
  async release(scope: TenantScope, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.$executeRaw`
      DELETE FROM idempotency_keys
      WHERE tenant_id = ${scope.tenantId} AND organization_id = ${namespaceOf(scope)} AND key = ANY(${keys}::text[]) AND state = 'in_flight'`;
  }

  /** Housekeeping: drops records past their TTL, at most `limit` per call. */
  async deleteExpired(limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM idempotency_keys WHERE ctid IN (
        SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT ${limit})`;
  }
}

