import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { ForbiddenError, UnauthorizedError } from '../common/errors.js';
import { ACTION_PREFIX_PATTERN } from '../events/action-pattern.js';
import { randomBase62 } from '../common/secrets.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { MetricsService } from '../observability/metrics.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { ApiKeyAuthService } from '../tenancy/api-key-auth.service.js';
import type { ApiKeyPrincipal, Scope, TenantSnapshot } from '../tenancy/principal.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { TokenVerifierRegistry, type TokenVerifier } from '../tenancy/auth/token-verifiers.js';
import { ViewerRepository } from './viewer.repository.js';
import { Clock } from '../common/clock.js';

export const VIEWER_TOKEN_ISSUER = 'veritrail';
export const VIEWER_TOKEN_AUDIENCE = 'veritrail-viewer';
export const VIEWER_TOKEN_TYPE = 'vt-viewer+jwt';
/**
 * The scopes a viewer token may carry: it reads its scope's events and exports them, and with
 * `streams` manages its organization's own destinations and alert rules (the Streams tab).
 */
export const VIEWER_SCOPES: readonly Scope[] = ['events:read', 'exports', 'streams'];
/** What a token gets when the minting call names no scopes. */
export const VIEWER_DEFAULT_SCOPES: readonly Scope[] = ['events:read', 'exports'];
export const VIEWER_MAX_TTL_SECONDS = 4 * 3600;
/** Tolerated clock difference between the replica that minted a token and the one checking it. */
const CLOCK_TOLERANCE_S = 2;
const ACTION_PATTERN = new RegExp(ACTION_PREFIX_PATTERN);
const MAX_CACHE = 10_000;

/** A compact JWT (three base64url parts); API keys (vt_…) never look like one. */
export function looksLikeViewerToken(token: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

export interface ViewerClaims {
  organizationId: string;
  actorId?: string;
  userId?: string;
  actions?: string[];
  scopes: Scope[];
  /** May fetch inclusion proofs (the `prf` claim). */
  proofs?: boolean;
  /** The API key that minted the token. */
  keyId: string;
}

/** The `key` claim of the /demo page's tokens: no API key minted them (src/viewer/demo.service.ts). */
export const DEMO_KEY_ID = 'demo';

/** Records a viewer session's use in the trail (src/viewer/viewer-sessions.service.ts registers it). */
export type ViewerSessionRecorder = (principal: ApiKeyPrincipal, meta: RequestMetaValue) => Promise<void>;

interface Cached<T> {
  value: T;
  at: number;
}

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Viewer tokens: short-lived EdDSA JWTs that authenticate the embedded viewer (registered with
 * tenancy's TokenVerifierRegistry, which the auth guard asks). The signing key
 * is derived from an install-wide secret in PostgreSQL, so every replica signs and verifies
 * with the same key without configuration; it is separate from the checkpoint keys. Verification
 * is pinned to EdDSA, our issuer, audience, token type and key id. A token is refused once
 * a revocation (DELETE /v1/viewer-sessions) covers it: revocations are read from PostgreSQL and
 * cached for AUTH_CACHE_TTL_MS (capped at 30 s), so every replica honours one within 60 s.
 * A token also stops working once the API key that minted it is revoked or expires (checked
 * through ApiKeyAuthService, within the same AUTH_CACHE_TTL_MS as the key itself); demo tokens
 * work only for the demo tenant and only while VIEWER_DEMO is on.
 */
@Injectable()
export class ViewerTokenService implements OnModuleInit, TokenVerifier {
  private readonly logger = new Logger('ViewerTokens');
  private privateKey: KeyObject | undefined;
  private publicKey: KeyObject | undefined;
  private keyId = '';
  private readonly tenants = new Map<string, Cached<TenantSnapshot | undefined>>();
  private readonly revocations = new Map<string, Cached<{ userId: string | null; revokedAtMs: number }[]>>();
  private readonly origins = new Map<string, Cached<string[]>>();
  private readonly demoTenant = new Map<string, Cached<string | undefined>>();
  private readonly cacheMs: number;
  private readonly demoEnabled: boolean;
  private sessionRecorder: ViewerSessionRecorder | undefined;

  constructor(
    private readonly system: SystemSettingsService,
    private readonly repo: ViewerRepository,
    private readonly directory: TenantDirectory,
    private readonly metrics: MetricsService,
    private readonly keys: ApiKeyAuthService,
    @InjectConfig() config: AppConfig,
    verifiers: TokenVerifierRegistry,
    private readonly clock: Clock,
  ) {
    verifiers.register(this);
    this.cacheMs = Math.min(config.auth.cacheTtlMs, 30_000);
    this.demoEnabled = config.viewer.demo;
  }

  /** Viewer tokens are compact JWTs (the auth guard asks before it authenticates). */
  recognizes(token: string): boolean {
    return looksLikeViewerToken(token);
  }

  /** The viewer module plugs in how a session's first use is recorded (the tokens service sits below the trail). */
  useSessionRecorder(recorder: ViewerSessionRecorder): void {
    this.sessionRecorder = recorder;
  }

  /** Called by the guard for every admitted viewer-token request: records the session once. */
  async noteUse(principal: ApiKeyPrincipal, meta: RequestMetaValue): Promise<void> {
    if (principal.viewer && this.sessionRecorder) await this.sessionRecorder(principal, meta);
  }

  async onModuleInit(): Promise<void> {
    const seed = await this.system.secret('viewer_token_seed', 32);
    this.privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    this.publicKey = createPublicKey(this.privateKey);
    const raw = this.publicKey.export({ format: 'jwk' }).x!;
    this.keyId = `viewer-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
  }

  async mint(tenantId: string, claims: ViewerClaims, ttlSeconds: number, now = this.clock.now()): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const sessionId = `vs_${randomBase62(20)}`;
    const iat = Math.floor(now / 1000);
    const payload: JWTPayload & Record<string, unknown> = { tid: tenantId, org: claims.organizationId, scp: claims.scopes, key: claims.keyId };
    if (claims.actorId !== undefined) payload.act = claims.actorId;
    if (claims.actions?.length) payload.acts = claims.actions;
    if (claims.proofs) payload.prf = true;
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', typ: VIEWER_TOKEN_TYPE, kid: this.keyId })
      .setIssuer(VIEWER_TOKEN_ISSUER)
      .setAudience(VIEWER_TOKEN_AUDIENCE)
      .setJti(sessionId)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + ttlSeconds);
    if (claims.userId !== undefined) jwt.setSubject(claims.userId);
    return { token: await jwt.sign(this.privateKey!), expiresAt: new Date((iat + ttlSeconds) * 1000), sessionId };
  }

  /**
   * The principal of a presented viewer token: 401 `invalid_token` for anything forged, edited,
   * revoked or not meant for us (the reason goes to the log only), 401 `token_expired` once it
   * expired (so the viewer can ask its page for a fresh one), 403 for a suspended tenant.
   */
  async authenticate(token: string, now = this.clock.now()): Promise<ApiKeyPrincipal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header) => {
          if (header.kid !== this.keyId) throw new joseErrors.JWKSNoMatchingKey();
          return this.publicKey!;
        },
        {
          algorithms: ['EdDSA'],
          issuer: VIEWER_TOKEN_ISSUER,
          audience: VIEWER_TOKEN_AUDIENCE,
          typ: VIEWER_TOKEN_TYPE,
          clockTolerance: CLOCK_TOLERANCE_S,
          maxTokenAge: VIEWER_MAX_TTL_SECONDS + CLOCK_TOLERANCE_S,
          requiredClaims: ['exp', 'iat', 'nbf', 'jti'],
          currentDate: new Date(now),
        },
      ));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw this.fail('token_expired', 'expired');
      throw this.fail('invalid_token', err instanceof joseErrors.JOSEError ? err.code : 'malformed');
    }
    const claims = parseClaims(payload);
    if (!claims) throw this.fail('invalid_token', 'claims');
    const tenant = await this.tenant(claims.tenantId, now);
    if (!tenant) throw this.fail('invalid_token', 'unknown tenant');
    if (tenant.status !== 'active') throw new ForbiddenError('tenant_suspended', 'This tenant is suspended.');
    if (await this.isRevoked(tenant, claims.organizationId, claims.userId, claims.iat, now)) throw this.fail('invalid_token', 'revoked');
    if (!(await this.minterActive(tenant.id, claims.keyId, now))) throw this.fail('invalid_token', 'minting key revoked');
    return {
      kind: 'api_key',
      tenant,
      keyId: claims.keyId,
      keyName: `viewer session ${claims.sessionId}`,
      scopes: new Set(claims.scopes),
      organizationId: claims.organizationId,
      viewer: {
        sessionId: claims.sessionId,
        userId: claims.userId,
        actorId: claims.actorId,
        actions: claims.actions,
        proofs: claims.proofs === true ? true : undefined,
        issuedAtMs: claims.iat * 1000,
        expiresAtMs: claims.exp * 1000,
      },
    };
  }

  /** Whether a page at `origin` may use this tenant's viewer tokens (its allow-list). */
  async originAllowed(principal: ApiKeyPrincipal, origin: string, now = this.clock.now()): Promise<boolean> {
    const scope = TenantScope.forTenant(principal.tenant);
    const allowed = await this.cached(this.origins, scope.tenantId, now, () => this.repo.allowedOrigins(scope));
    return allowed.includes(origin.toLowerCase());
  }

  /** Drops what this replica cached for a tenant (after a revocation or a settings change made here). */
  evict(tenantId: string): void {
    this.origins.delete(tenantId);
    for (const k of this.revocations.keys()) if (k.startsWith(`${tenantId}\u0000`)) this.revocations.delete(k);
  }

  private async isRevoked(tenant: TenantSnapshot, organizationId: string, userId: string | undefined, iat: number, now: number): Promise<boolean> {
    const windowMs = (VIEWER_MAX_TTL_SECONDS + 2 * CLOCK_TOLERANCE_S + 60) * 1000;
    const revocations = await this.cached(this.revocations, `${tenant.id}\u0000${organizationId}`, now, () =>
      this.repo.revocations(TenantScope.forTenant(tenant), organizationId, now - windowMs),
    );
    // iat has whole seconds: a token minted within the second of a revocation is refused too.
    return revocations.some((r) => (r.userId === null || r.userId === userId) && iat <= Math.floor(r.revokedAtMs / 1000));
  }

  /** The key that minted the token is still usable (demo tokens: the demo is on and this is its tenant). */
  private async minterActive(tenantId: string, keyId: string, now: number): Promise<boolean> {
    if (keyId === DEMO_KEY_ID) {
      if (!this.demoEnabled) return false;
      return (await this.cached(this.demoTenant, 'demo', now, () => this.repo.demoTenantId())) === tenantId;
    }
    return this.keys.keyActive(tenantId, keyId, now);
  }

  private tenant(id: string, now: number): Promise<TenantSnapshot | undefined> {
    return this.cached(this.tenants, id, now, async () => {
      const t = await this.directory.get(id);
      return t && { id: t.id, name: t.name, status: t.status, retentionDays: t.retentionDays, readAuditing: t.readAuditing, retention: t.retention };
    });
  }

  /** `map`'s value for `key` while younger than the cache period, else a fresh one from `load` (the map is emptied when full). */
  private async cached<T>(map: Map<string, Cached<T>>, key: string, now: number, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && now - hit.at < this.cacheMs) return hit.value;
    const value = await load();
    if (map.size >= MAX_CACHE) map.clear();
    map.set(key, { value, at: now });
    return value;
  }

  private fail(code: 'invalid_token' | 'token_expired', reason: string): UnauthorizedError {
    this.metrics.authFailures.inc({ reason: `viewer_${reason}` });
    return new UnauthorizedError(code, `viewer token ${reason}`);
  }
}

interface ParsedClaims extends ViewerClaims {
  tenantId: string;
  sessionId: string;
  iat: number;
  exp: number;
}

/** Our own claims, checked after the signature: a signed token with a shape we never mint is refused. */
function parseClaims(p: JWTPayload): ParsedClaims | undefined {
  const str = (v: unknown, max = 256): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;
  if (!str(p.tid, 64) || !str(p.org) || !str(p.key, 64) || !str(p.jti, 64)) return undefined;
  if (typeof p.iat !== 'number' || typeof p.exp !== 'number') return undefined;
  if (p.act !== undefined && !str(p.act)) return undefined;
  if (p.sub !== undefined && !str(p.sub)) return undefined;
  if (p.prf !== undefined && p.prf !== true) return undefined;
  if (!Array.isArray(p.scp) || p.scp.length === 0 || !p.scp.every((s) => VIEWER_SCOPES.includes(s as Scope)) || !p.scp.includes('events:read')) return undefined;
  let actions: string[] | undefined;
  if (p.acts !== undefined) {
    if (!Array.isArray(p.acts) || p.acts.length === 0 || p.acts.length > 20 || !p.acts.every((a) => str(a, 128) && ACTION_PATTERN.test(a))) return undefined;
    actions = p.acts as string[];
  }
  // streams is never minted together with a narrowing (an organization's destination would deliver more than the token reads).
  if (p.scp.includes('streams') && (p.act !== undefined || actions !== undefined)) return undefined;
  return {
    tenantId: p.tid,
    organizationId: p.org,
    actorId: p.act as string | undefined,
    userId: p.sub,
    actions,
    proofs: p.prf === true ? true : undefined,
    scopes: p.scp as Scope[],
    keyId: p.key,
    sessionId: p.jti,
    iat: p.iat,
    exp: p.exp,
  };
}
