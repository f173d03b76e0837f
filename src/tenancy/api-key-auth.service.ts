import { Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, UnauthorizedError } from '../common/errors.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { MetricsService } from '../observability/metrics.service.js';
import { hashApiKey, isWellFormedApiKey } from './api-key-format.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import type { ApiKeyPrincipal } from './principal.js';
import { Clock } from '../common/clock.js';

interface CacheEntry {
  principal: ApiKeyPrincipal;
  /** When PostgreSQL last confirmed the key. */
  verifiedAt: number;
  keyExpiresAt: number | undefined;
}

/** A cached key older than TTL × this is never used without a synchronous re-check. */
const STALE_FACTOR = 12;

const MAX_CACHE_ENTRIES = 10_000;
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves a presented API key to a principal. A verified key is trusted for AUTH_CACHE_TTL_MS;
 * after that the cached answer is still used while PostgreSQL re-verifies the key in the
 * background (stale-while-revalidate), so a key revoked on another replica stops working at
 * the first request after that re-check, without putting a database round trip on the request
 * path. An entry older than 12 × TTL is re-checked synchronously (fail closed when PostgreSQL
 * is down). A revocation or tenant change made through this process evicts at once.
 * last_used_at is written at most once a minute per key, off the request path.
 */
@Injectable()
export class ApiKeyAuthService {
  private readonly logger = new Logger('ApiKeyAuth');
  private readonly cache = new Map<string, CacheEntry>();
  private readonly touched = new Map<string, number>();
  private readonly refreshing = new Set<string>();
  /** Whether a key (by id) is usable, for credentials derived from it (viewer tokens). */
  private readonly active = new Map<string, { ok: boolean; at: number; keyExpiresAt: number | undefined }>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** True when this key was verified by this process within AUTH_CACHE_TTL_MS (and is not known revoked or expired). */
  isRecentlyVerified(presented: string, now = this.clock.now()): boolean {
    if (!isWellFormedApiKey(presented)) return false;
    const cached = this.cache.get(hashApiKey(presented));
    return cached !== undefined && now - cached.verifiedAt < this.config.auth.cacheTtlMs && (cached.keyExpiresAt === undefined || cached.keyExpiresAt > now);
  }

  async authenticate(presented: string): Promise<ApiKeyPrincipal> {
    // The same failure, whatever the reason: malformed, unknown, revoked or expired.
    if (!isWellFormedApiKey(presented)) throw this.fail('malformed');
    const hash = hashApiKey(presented);
    const now = this.clock.now();
    const ttl = this.config.auth.cacheTtlMs;
    const cached = this.cache.get(hash);
    let principal: ApiKeyPrincipal;
    if (cached && now - cached.verifiedAt < ttl * STALE_FACTOR) {
      if (cached.keyExpiresAt !== undefined && cached.keyExpiresAt <= now) throw this.fail('expired');
      // Past the TTL: still answer from the cache, and re-verify in the background so a key
      // revoked elsewhere stops working at the next request after the refresh.
      if (now - cached.verifiedAt >= ttl) this.refresh(hash);
      principal = cached.principal;
    } else {
      principal = await this.lookup(hash, now);
    }
    if (principal.tenant.status !== 'active') {
      throw new ForbiddenError('tenant_suspended', 'This tenant is suspended.');
    }
    this.touch(principal.keyId, now);
    return principal;
  }

  private async lookup(hash: string, now: number): Promise<ApiKeyPrincipal> {
    const found = await this.keys.findByHash(hash);
    if (!found || found.key.revokedAt || (found.key.expiresAt && found.key.expiresAt.getTime() <= now)) {
      this.cache.delete(hash);
      throw this.fail(!found ? 'unknown' : found.key.revokedAt ? 'revoked' : 'expired');
    }
    const principal: ApiKeyPrincipal = {
      kind: 'api_key',
      tenant: {
        id: found.tenant.id,
        name: found.tenant.name,
        status: found.tenant.status,
        retentionDays: found.tenant.retentionDays,
        readAuditing: found.tenant.readAuditing,
        retention: found.tenant.retention,
        rateLimits: found.tenant.rateLimits,
      },
      keyId: found.key.id,
      keyName: found.key.name,
      scopes: new Set(found.key.scopes),
      organizationId: found.key.organizationId,
    };
    if (this.config.auth.cacheTtlMs > 0) {
      if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.clear();
      this.cache.set(hash, { principal, verifiedAt: now, keyExpiresAt: found.key.expiresAt?.getTime() });
    }
    return principal;
  }

  private refresh(hash: string): void {
    if (this.refreshing.has(hash)) return;
    this.refreshing.add(hash);
    this.lookup(hash, this.clock.now())
      .catch((err: unknown) => {
        // Revoked/unknown: already evicted by lookup. Store unreachable: keep serving until the
        // entry is too old, then fail closed on the synchronous path.
        if (!(err instanceof UnauthorizedError)) this.logger.warn({ err: (err as Error).message }, 'background key re-verification failed');
      })
      .finally(() => this.refreshing.delete(hash));
  }

  /**
   * Whether the key `keyId` of the tenant exists and is neither revoked nor expired: credentials
   * minted by a key (viewer tokens) stop working with it. Answers are cached for
   * AUTH_CACHE_TTL_MS like presented keys, so a revocation made on another replica is honoured
   * within that bound; on this replica at once (evict). Fails closed when PostgreSQL is down.
   */
  async keyActive(tenantId: string, keyId: string, now = this.clock.now()): Promise<boolean> {
    const cacheKey = `${tenantId}\u0000${keyId}`;
    const hit = this.active.get(cacheKey);
    if (hit && now - hit.at < this.config.auth.cacheTtlMs) return hit.ok && (hit.keyExpiresAt === undefined || hit.keyExpiresAt > now);
    const key = await this.keys.get(tenantId, keyId);
    const ok = key !== undefined && !key.revokedAt;
    if (this.config.auth.cacheTtlMs > 0) {
      if (this.active.size >= MAX_CACHE_ENTRIES) this.active.clear();
      this.active.set(cacheKey, { ok, at: now, keyExpiresAt: key?.expiresAt?.getTime() });
    }
    return ok && (key!.expiresAt === undefined || key!.expiresAt.getTime() > now);
  }

  /** Forget cached principals of one key (revocation) or of a whole tenant (tenant change). */
  evict(match: { keyId?: string; tenantId?: string }): void {
    for (const [hash, entry] of this.cache) {
      if (entry.principal.keyId === match.keyId || entry.principal.tenant.id === match.tenantId) this.cache.delete(hash);
    }
    for (const k of this.active.keys()) {
      const [tenantId, keyId] = k.split('\u0000');
      if (keyId === match.keyId || tenantId === match.tenantId) this.active.delete(k);
    }
  }

  private touch(keyId: string, now: number): void {
    const last = this.touched.get(keyId) ?? 0;
    if (now - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(keyId, now);
    if (this.touched.size > MAX_CACHE_ENTRIES) this.touched.clear();
    this.keys.touch(keyId, new Date(now)).catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'last_used_at update failed'));
  }

  private fail(reason: string): UnauthorizedError {
    this.metrics.authFailures.inc({ reason });
    return new UnauthorizedError('invalid_credentials', `api key ${reason}`);
  }
}
