import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { setBounded } from '../common/bounded-map.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { AuditTrailService, type TrailEntry } from '../events/audit-trail.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { ViewerRepository } from './viewer.repository.js';
import { DEMO_KEY_ID, ViewerTokenService } from './viewer-tokens.service.js';
import { Clock } from '../common/clock.js';

/** A replica writing a session's entry holds it this long; a crashed one's claim then runs out. */
const CLAIM_MS = 30_000;
const MAX_REMEMBERED = 50_000;

/**
 * Read auditing of the embedded viewer: one `veritrail.viewer.session` entry per viewer session
 * (token), written when the token is first used, in the TENANT's trail — never in the
 * organization's, whose users would otherwise find every page load and search of their own
 * viewer among their events. The entry names the organization, the user, the narrowing and the
 * session id; later requests of the session record nothing. PostgreSQL (viewer_sessions) decides
 * which request writes it, so one entry is written however many replicas serve the session; the
 * entry is committed before the first request is answered. A failure to record is logged and
 * does not fail the read (as for other read entries), and the next request tries again.
 * Off when the tenant turned read auditing off.
 */
@Injectable()
export class ViewerSessionsService implements OnModuleInit {
  private readonly logger = new Logger('ViewerSessions');
  /** Sessions known to be recorded → their token's expiry (ms). */
  private readonly recorded = new Map<string, number>();
  /** One recording per session at a time in this process: concurrent first requests share it. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly tokens: ViewerTokenService,
    private readonly repo: ViewerRepository,
    private readonly trail: AuditTrailService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.tokens.useSessionRecorder((principal, meta) => this.record(principal, meta));
  }

  async record(principal: ApiKeyPrincipal, meta: RequestMetaValue, now = this.clock.now()): Promise<void> {
    const v = principal.viewer;
    if (!v || !principal.tenant.readAuditing || principal.organizationId === undefined) return;
    const key = `${principal.tenant.id}\u0000${v.sessionId}`;
    const until = this.recorded.get(key);
    if (until !== undefined && until > now) return;
    let run = this.pending.get(key);
    if (!run) {
      run = this.recordOnce(principal, key, meta).finally(() => this.pending.delete(key));
      this.pending.set(key, run);
    }
    await run;
  }

  private async recordOnce(principal: ApiKeyPrincipal, key: string, meta: RequestMetaValue): Promise<void> {
    const v = principal.viewer!;
    const organizationId = principal.organizationId!;
    // Tenant-wide scope: the entry carries no organization_id, so no organization can read it.
    const scope = TenantScope.forTenant(principal.tenant);
    try {
      const claim = await this.repo.claimSession(scope, { sessionId: v.sessionId, organizationId, expiresAt: new Date(v.expiresAtMs) }, CLAIM_MS);
      if (claim.claimed) {
        try {
          await this.trail.record(scope, sessionEntry(principal, organizationId), meta);
        } catch (err) {
          await this.repo.releaseSession(scope, v.sessionId).catch(() => undefined);
          throw err;
        }
        await this.repo.markSessionRecorded(scope, v.sessionId);
      } else if (!claim.recorded) {
        return; // another request (or replica) is writing it right now
      }
      setBounded(this.recorded, key, v.expiresAtMs, MAX_REMEMBERED);
    } catch (err) {
      this.logger.error({ err: (err as Error).message, tenant_id: scope.tenantId }, 'could not record a viewer session in the audit trail');
    }
  }

  /** Forgets sessions whose token expired (called by the housekeeping job). */
  forgetExpired(now = this.clock.now()): void {
    for (const [k, until] of this.recorded) if (until <= now) this.recorded.delete(k);
  }
}

function sessionEntry(principal: ApiKeyPrincipal, organizationId: string): TrailEntry {
  const v = principal.viewer!;
  // Who looks: the user the token was minted for, else the key that minted it (by id only).
  const actor: TrailEntry['actor'] =
    v.userId !== undefined
      ? { type: 'user', id: v.userId }
      : principal.keyId === DEMO_KEY_ID
        ? { type: 'system', id: 'viewer_demo', name: 'Viewer demo page' }
        : { type: 'api_key', id: principal.keyId };
  return {
    action: 'veritrail.viewer.session',
    actor,
    targets: [
      { type: 'viewer_session', id: v.sessionId },
      { type: 'organization', id: organizationId },
    ],
    metadata: {
      organization_id: organizationId,
      user_id: v.userId ?? null,
      actor_id: v.actorId ?? null,
      actions: v.actions ? [...v.actions] : null,
      scopes: [...principal.scopes].sort(),
      minted_by: principal.keyId,
      issued_at: new Date(v.issuedAtMs).toISOString(),
      expires_at: new Date(v.expiresAtMs).toISOString(),
    },
  };
}
