import { Injectable, type OnModuleInit } from '@nestjs/common';
import { UnprocessableError, type ErrorDetail } from '../common/errors.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { AuditTrailService, keyActor } from '../events/audit-trail.service.js';
import { JobRunner, type JobCounts } from '../jobs/job-runner.service.js';
import type { ApiKeyPrincipal, Scope } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { ViewerRepository } from './viewer.repository.js';
import { ViewerSessionsService } from './viewer-sessions.service.js';
import type { ViewerSessionsRevokeQuery, ViewerSettings, ViewerTokenCreate } from './viewer.schema.js';
import { VIEWER_DEFAULT_SCOPES, VIEWER_MAX_TTL_SECONDS, ViewerTokenService } from './viewer-tokens.service.js';
import { Clock } from '../common/clock.js';

export const VIEWER_HOUSEKEEPING_JOB = 'viewer-housekeeping';
/** A revocation is kept this long after it was made: past it, every token it could concern has expired. */
export const REVOCATION_KEEP_MS = VIEWER_MAX_TTL_SECONDS * 1000 + 3_600_000;
/** A used session's row is kept this long past its token's expiry (clock tolerance). */
const SESSION_KEEP_MS = 60_000;

/** Minting and revoking viewer sessions, and the viewer's settings (CORS allow-list). */
@Injectable()
export class ViewerService implements OnModuleInit {
  constructor(
    private readonly tokens: ViewerTokenService,
    private readonly repo: ViewerRepository,
    private readonly trail: AuditTrailService,
    private readonly jobs: JobRunner,
    private readonly sessions: ViewerSessionsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ kind: VIEWER_HOUSEKEEPING_JOB, intervalMs: 3_600_000, run: () => this.prune() });
  }

  /**
   * Deletes revocations older than the longest token lifetime (plus an hour): they can no longer
   * refuse anything; and the record of sessions whose token expired (it can never be used again).
   */
  async prune(now = this.clock.now()): Promise<JobCounts> {
    this.sessions.forgetExpired(now);
    return {
      revocations_deleted: await this.repo.pruneRevocations(new Date(now - REVOCATION_KEEP_MS)),
      sessions_deleted: await this.repo.pruneSessions(new Date(now - SESSION_KEEP_MS)),
    };
  }

  async mint(principal: ApiKeyPrincipal, body: ViewerTokenCreate, meta: RequestMetaValue) {
    const scopes: Scope[] = body.scopes ?? [...VIEWER_DEFAULT_SCOPES];
    if (!scopes.includes('events:read')) {
      throw new UnprocessableError('invalid_scopes', 'A viewer token always reads events.', [{ field: 'scopes', code: 'invalid_value', message: 'Must include events:read.' }]);
    }
    if (scopes.includes('streams') && (body.actor_id !== undefined || body.actions !== undefined)) {
      throw new UnprocessableError('invalid_scopes', 'A token narrowed to an actor or to actions cannot carry streams: the organization\'s destinations deliver all of its events.', [
        { field: 'scopes', code: 'invalid_value', message: 'streams needs a token for the whole organization (no actor_id, no actions).' },
      ]);
    }
    const userId = body.user_id ?? body.actor_id;
    const minted = await this.tokens.mint(
      principal.tenant.id,
      { organizationId: body.organization_id, actorId: body.actor_id, userId, actions: body.actions, scopes, proofs: body.proofs === true, keyId: principal.keyId },
      body.ttl_seconds ?? 900,
    );
    // Nothing is recorded here: the session's reads are recorded once, at its first use, in the
    // tenant's trail (ViewerSessionsService) — a token that is never used read nothing.
    return { token: minted.token, expires_at: minted.expiresAt.toISOString(), session_id: minted.sessionId, organization_id: body.organization_id };
  }

  async revoke(principal: ApiKeyPrincipal, q: ViewerSessionsRevokeQuery, meta: RequestMetaValue) {
    const scope = TenantScope.of(principal);
    const revokedAt = await this.repo.revoke(scope, q.organization_id, q.actor_id, principal.keyId);
    this.tokens.evict(scope.tenantId);
    await this.trail.record(
      scope,
      {
        action: 'veritrail.viewer.sessions_revoked',
        actor: keyActor(principal),
        targets: q.actor_id !== undefined ? [{ type: 'user', id: q.actor_id }] : undefined,
        metadata: { revoked_at: revokedAt.toISOString() },
        organizationId: q.organization_id,
      },
      meta,
    );
    return { organization_id: q.organization_id, actor_id: q.actor_id ?? null, revoked_at: revokedAt.toISOString() };
  }

  async settings(principal: ApiKeyPrincipal): Promise<ViewerSettings> {
    return { allowed_origins: await this.repo.allowedOrigins(TenantScope.of(principal)) };
  }

  async putSettings(principal: ApiKeyPrincipal, body: ViewerSettings, meta: RequestMetaValue): Promise<ViewerSettings> {
    const details: ErrorDetail[] = [];
    const origins = body.allowed_origins.map((o, i) => {
      const normalised = normaliseOrigin(o);
      if (normalised === undefined) details.push({ field: `allowed_origins[${i}]`, code: 'invalid_origin', message: 'An origin is scheme://host[:port], nothing after it.' });
      return normalised ?? '';
    });
    if (details.length > 0) throw new UnprocessableError('invalid_origin', 'An allowed origin is not an origin.', details);
    const scope = TenantScope.of(principal);
    const before = await this.repo.allowedOrigins(scope);
    const after = [...new Set(origins)];
    await this.repo.setAllowedOrigins(scope, after);
    this.tokens.evict(scope.tenantId);
    await this.trail.settingsUpdated(scope, principal, [{ field: 'viewer.allowed_origins', before, after }], meta);
    return { allowed_origins: after };
  }
}

/** `https://App.Example.com:443` → `https://app.example.com`; undefined when it is not a bare origin. */
export function normaliseOrigin(raw: string): string | undefined {
  if (!/^https?:\/\/[^/?#\s@]+$/i.test(raw)) return undefined;
  try {
    const u = new URL(raw);
    return u.origin === 'null' ? undefined : u.origin;
  } catch {
    return undefined;
  }
}
