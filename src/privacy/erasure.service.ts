import { CompactSign } from 'jose';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { canonicalJson } from '../common/canonical.js';
import { AppError, NotFoundError } from '../common/errors.js';
import { groupBy } from '../common/group-by.js';
import { prefixedId } from '../common/ids.js';
import { AuditTrailService, keyActor, type RequestMeta } from '../events/audit-trail.service.js';
import type { EventInput } from '../events/event.schema.js';
import { EventLog } from '../events/event-log.service.js';
import { LegalHoldLifts } from '../retention/legal-hold-lifts.js';
import { ExportInvalidationService } from '../exports/export-invalidation.service.js';
import { MerkleLog } from '../integrity/merkle-log.service.js';
import { KeyRingService } from '../integrity/key-ring.service.js';
import { JobRunner, type JobCounts } from '../jobs/job-runner.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { ErasureLedger, type ErasureRecord } from '../personal-data/erasure-ledger.service.js';
import { PersonalDataService } from '../personal-data/personal-data.service.js';
import { NoticesRepository } from './notices.repository.js';
import { noticeEntry } from './notices.service.js';
import { CheckedClock } from '../common/checked-clock.js';

export const ERASURE_RECEIPT_TYP = 'veritrail-erasure-receipt+jws';
const RECONCILE_INTERVAL_MS = 3_600_000;
const HOLD_BASIS = 'GDPR Art. 17(3)(e): the data is needed for the establishment, exercise or defence of legal claims (legal hold)';

export interface ErasureOutcome {
  erasure: ReturnType<typeof erasureView>;
  receipt: string;
  recipients: { id: string; name: string; kind: string; host: string; status: string }[];
}

/**
 * Erasure by crypto-shredding (GDPR Art. 17): the subject's data key is destroyed, so every
 * value encrypted with it reads [erased] in every API, export, feed and webhook from then on;
 * the subject's blind-index tokens are removed so searching by their name or e-mail finds
 * nothing; the events and their hashes stay, so verification still passes. A legal hold on an
 * organization the subject appears in defers the erasure (409 legal_hold) until the hold is
 * lifted, when it runs by itself. Each erasure returns a receipt signed with the checkpoint key
 * and notifies the recipients the subject's data was sent to.
 */
@Injectable()
export class ErasureService implements OnModuleInit {
  private readonly logger = new Logger('Erasure');

  constructor(
    private readonly personal: PersonalDataService,
    private readonly ledger: ErasureLedger,
    private readonly notices: NoticesRepository,
    private readonly events: EventLog,
    private readonly integrity: MerkleLog,
    private readonly keys: KeyRingService,
    private readonly webhooks: WebhooksService,
    private readonly trail: AuditTrailService,
    private readonly jobs: JobRunner,
    private readonly tenants: TenantDirectory,
    private readonly exports: ExportInvalidationService,
    private readonly holdLifts: LegalHoldLifts,
    private readonly stamps: CheckedClock,
  ) {}

  onModuleInit(): void {
    // Erasures that waited for a legal hold run as soon as it is lifted.
    this.holdLifts.onLifted((scope) => this.resumePending(scope));
    this.jobs.register({ kind: 'privacy-reconcile', intervalMs: RECONCILE_INTERVAL_MS, run: () => this.reconcile() });
  }

  /**
   * PR-02: the trail (ClickHouse) records the id of every destroyed key. Should PostgreSQL be
   * restored from a backup taken before an erasure, the key would come back with it; this job
   * destroys such keys again (hourly, and on demand).
   */
  async reconcile(): Promise<JobCounts> {
    const entries = await this.events.trailMetadataAllTenants('veritrail.privacy.subject_erased', 1_000_000);
    const keyIds = (e: (typeof entries)[number]) => (Array.isArray(e.metadata.key_ids) ? (e.metadata.key_ids as unknown[]).filter((x): x is string => typeof x === 'string') : []);
    let destroyed = 0;
    for (const [tenantId, list] of groupBy(entries, (e) => e.tenantId)) {
      const ids = list.flatMap(keyIds);
      if (ids.length === 0) continue;
      const scope = await this.tenants.scope(tenantId);
      if (!scope) continue;
      const n = await this.personal.destroyKeyIds(scope, ids);
      if (n > 0) this.logger.warn({ tenant_id: tenantId, keys: n }, 'destroyed subject keys that had been erased before (database restored from an older backup?)');
      destroyed += n;
    }
    const keys = await this.personal.keyHousekeeping();
    return { erasures: entries.length, destroyed, kek_files_shredded: keys.shredded, kek_files_orphaned: keys.orphans };
  }

  /**
   * `blankContext` (PROMISE-05): the context of the subject's own events is blanked too — the
   * `ip` column and search text lose it (so `ip=` and `q` no longer find those events) and every
   * read path shows it as [erased]; IP-based alert history of the subject goes with it.
   */
  async erase(principal: ApiKeyPrincipal, subject: string, meta: RequestMeta, options: { blankContext?: boolean } = {}): Promise<ErasureOutcome> {
    const blankContext = options.blankContext === true;
    const scope = TenantScope.of(principal).tenantWide();
    const hash = this.personal.subjectHash(scope, subject);
    const keyId = await this.personal.currentKeyId(scope, subject);
    const footprint = await this.events.subjectFootprint(scope, subject);
    if (keyId === undefined && footprint.events === 0) throw new NotFoundError('subject');
    const held = footprint.organizations.filter((o) => scope.retention.heldOrganizations.includes(o));
    if (held.length > 0) {
      let pending = await this.ledger.pending(scope, hash);
      if (!pending) {
        pending = await this.ledger.create(scope, { id: prefixedId('era'), subjectId: subject, subjectHash: hash, heldBy: held, requestedBy: principal.keyId, blankContext });
      } else await this.ledger.updateHeldBy(scope, pending.id, held, blankContext);
      await this.trail.record(
        scope,
        {
          action: 'veritrail.privacy.erasure_deferred',
          actor: keyActor(principal),
          targets: [{ type: 'data_subject', id: subject }],
          metadata: { erasure_id: pending.id, held_by: held, basis: HOLD_BASIS, blank_context: blankContext || pending.blankContext },
        },
        meta,
      );
      throw new AppError(
        409,
        'legal_hold',
        `A legal hold covers this subject (organization ${held.join(', ')}). The erasure ${pending.id} is recorded and runs automatically when the hold is lifted.`,
        held.map((o) => ({ field: 'subject', code: 'legal_hold', message: `Organization ${o} is under legal hold. Basis: ${HOLD_BASIS}.` })),
      );
    }
    const pending = await this.ledger.pending(scope, hash);
    return this.execute(
      scope,
      { id: pending?.id ?? prefixedId('era'), subject, hash, requestedBy: principal.keyId, requestedAt: pending?.requestedAt ?? this.stamps.date(), blankContext: blankContext || (pending?.blankContext ?? false) },
      keyActor(principal),
      meta,
    );
  }

  /** Runs the erasures whose legal holds are all lifted now (after PUT /v1/settings/retention). */
  async resumePending(scope: TenantScope): Promise<number> {
    const whole = scope.tenantWide();
    let done = 0;
    for (const p of await this.ledger.allPending(whole)) {
      const footprint = await this.events.subjectFootprint(whole, p.subjectId);
      const held = footprint.organizations.filter((o) => whole.retention.heldOrganizations.includes(o));
      if (held.length > 0) {
        await this.ledger.updateHeldBy(whole, p.id, held);
        continue;
      }
      try {
        await this.execute(whole, { id: p.id, subject: p.subjectId, hash: p.subjectHash, requestedBy: p.requestedBy, requestedAt: p.requestedAt, blankContext: p.blankContext }, PRIVACY_ACTOR, {});
        done++;
      } catch (err) {
        this.logger.error({ tenant_id: whole.tenantId, erasure_id: p.id, err: (err as Error).message }, 'a deferred erasure failed; it stays pending');
      }
    }
    return done;
  }

  async history(principal: ApiKeyPrincipal, subject: string): Promise<ErasureRecord[]> {
    const scope = TenantScope.of(principal).tenantWide();
    return this.ledger.history(scope, this.personal.subjectHash(scope, subject));
  }

  private async execute(
    scope: TenantScope,
    e: { id: string; subject: string; hash: string; requestedBy: string; requestedAt: Date; blankContext: boolean },
    actor: EventInput['actor'],
    meta: RequestMeta,
  ): Promise<ErasureOutcome> {
    const footprint = await this.events.subjectFootprint(scope, e.subject);
    const disclosure = await this.events.subjectDisclosure(scope, e.subject);
    // Art. 19: one notice per organization the subject appears in (an entry of an organization
    // reaches only destinations allowed it), and the receipt names only the recipients of the
    // subject's data that one of these notices will actually reach (the webhooks module decides).
    const noticeOrgs = noticeOrganizations(footprint.organizations, disclosure.pairs);
    const notified = new Set((await this.webhooks.noticeRecipients(scope, noticeOrgs)).map((r) => r.id));
    const recipients = (await this.webhooks.recipients(scope, disclosure.pairs, disclosure.firstLeaf)).filter((r) => notified.has(r.id));
    const keyId = await this.personal.destroyKey(scope, e.subject);
    await this.events.eraseSubjectTokens(scope, this.personal.subjectTag(scope, e.subject));
    const erasedAt = this.stamps.date();
    if (e.blankContext) await this.events.blankSubjectContext(scope, e.subject, erasedAt.getTime());
    // PROMISE-03: export files made before now hold the subject's values decrypted.
    const exportsInvalidated = await this.exports.invalidateForErasure(
      scope,
      footprint.organizations.length >= 1000 ? 'all' : footprint.organizations,
      erasedAt,
      actor,
      e.id,
    );
    const latest = await this.integrity.latestCheckpoint(scope);
    const claims = {
      typ: 'erasure-receipt',
      tenant: scope.tenantId,
      erasure_id: e.id,
      subject: e.subject,
      subject_hash: e.hash,
      key_ids: keyId ? [keyId] : [],
      events: footprint.events,
      requested_at: e.requestedAt.toISOString(),
      erased_at: erasedAt.toISOString(),
      method: 'crypto-shredding: the AES-256-GCM data key of the subject was destroyed; stored events keep their ciphertext and hashes',
      legal_basis: 'GDPR Art. 17(1)',
      context_blanked: e.blankContext,
      checkpoint: latest ? { number: latest.number, tree_size: latest.treeSize, root: latest.root } : null,
      recipients_notified: recipients.map((r) => r.id),
    };
    const ring = this.keys.ring;
    const receipt = await new CompactSign(Buffer.from(canonicalJson(claims))).setProtectedHeader({ alg: 'EdDSA', kid: ring.kid, typ: ERASURE_RECEIPT_TYP }).sign(ring.key);
    const record = await this.ledger.complete(scope, {
      id: e.id,
      subjectId: e.subject,
      subjectHash: e.hash,
      requestedBy: e.requestedBy,
      keyIds: claims.key_ids,
      eventsAffected: footprint.events,
      receipt,
      completedAt: erasedAt,
      requestedAt: e.requestedAt,
      blankContext: e.blankContext,
    });
    if (e.blankContext) this.personal.forgetContextErasures(scope);
    const notices = noticeOrgs.map((organizationId) => ({
      id: prefixedId('ntc'),
      subjectId: e.subject,
      kind: 'erasure',
      eventId: undefined,
      action: undefined,
      fields: [],
      actorType: actor.type,
      actorId: actor.id,
      organizationId,
      occurredAt: erasedAt,
    }));
    await this.notices.insertNotices(scope, notices);
    // The key ids in the trail let a restored database be brought back in line (ReconcileService).
    await this.trail.record(
      scope,
      [
        {
          action: 'veritrail.privacy.subject_erased',
          actor,
          targets: [{ type: 'data_subject', id: e.subject }],
          metadata: { erasure_id: e.id, blank_context: e.blankContext, exports_invalidated: exportsInvalidated, key_ids: claims.key_ids, events: footprint.events, recipients: recipients.map((r) => r.id) },
        },
        ...notices.map((n) => noticeEntry({ ...n, createdAt: erasedAt, announcedAt: erasedAt })),
      ],
      meta,
    );
    await this.notices.markAnnounced(
      notices.map((n) => n.id),
      erasedAt,
    );
    return { erasure: erasureView(record), receipt, recipients };
  }
}

/** The organizations an erasure notice is written for: each one the subject appears in, and "none" for events without one (or no events at all). */
function noticeOrganizations(organizations: readonly string[], pairs: readonly { organizationId: string }[]): (string | undefined)[] {
  const orgs = new Set<string | undefined>(organizations.filter((o) => o !== ''));
  for (const p of pairs) orgs.add(p.organizationId === '' ? undefined : p.organizationId);
  if (orgs.size === 0) orgs.add(undefined);
  return [...orgs];
}

export const PRIVACY_ACTOR: EventInput['actor'] = { type: 'system', id: 'privacy', name: 'Veritrail privacy' };

export function erasureView(r: ErasureRecord) {
  return {
    id: r.id,
    subject: r.subjectId,
    status: r.status,
    held_by: r.heldBy,
    key_ids: r.keyIds,
    events_affected: r.eventsAffected,
    blank_context: r.blankContext,
    requested_at: r.requestedAt.toISOString(),
    completed_at: r.completedAt?.toISOString() ?? null,
  };
}
