import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { groupBy } from '../common/group-by.js';
import { prefixedId } from '../common/ids.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService, type TrailEntry } from '../events/audit-trail.service.js';
import { EventLog } from '../events/event-log.service.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { changeSubjectOf } from '../personal-data/classification.js';
import { ENCRYPTED_PREFIX } from '../personal-data/field-crypto.js';
import { PRIVACY_NOTICE_FLAG } from '../personal-data/personal-data.service.js';
import { noticeKindFor, ScrubPolicyService } from '../personal-data/scrub-policy.service.js';
import { NoticesRepository, type NewNotice, type NoticeRecord } from './notices.repository.js';
import { CheckedClock } from '../common/checked-clock.js';

/** Flagged events are looked for this far behind the watermark: a write may commit after later ones (group commit, replicas). */
const LOOKBACK_MS = 10 * 60_000;
const PAGE = 2_000;

/** The stored event as far as notices need it (change values may be ciphertext). */
interface NoticeSource {
  id: string;
  action: string;
  occurred_at: string;
  organization_id?: string;
  actor: { type: string; id: string };
  targets?: { type: string; id: string }[];
  changes?: { field: string; before?: unknown; after?: unknown }[];
}

/**
 * Data-subject notices (GDPR Art. 19): an event that changes a subject's classified personal
 * data (a classified field in `changes`), or whose action the tenant listed (`user.deleted`),
 * raises a notice naming the subject, the fields (names, never values), when and by whom.
 * Ingest marks such events with the `privacy_notice` flag; this job turns flagged events into
 * notices (exactly once: one per event, subject and kind) and records each notice in the trail
 * as `veritrail.privacy.notice`, which webhooks deliver as `privacy.notice`. Erasures add their
 * own notices (ErasureService).
 */
@Injectable()
export class NoticeService implements OnModuleInit {
  private readonly logger = new Logger('PrivacyNotices');

  constructor(
    private readonly repo: NoticesRepository,
    private readonly events: EventLog,
    private readonly trail: AuditTrailService,
    private readonly tenants: TenantDirectory,
    private readonly policies: ScrubPolicyService,
    private readonly jobs: JobRunner,
    @InjectConfig() private readonly config: AppConfig,
    private readonly stamps: CheckedClock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ kind: 'privacy-notices', intervalMs: this.config.privacy.noticeIntervalMs, run: (ctx) => this.run(ctx) });
  }

  async run(ctx: JobContext): Promise<JobCounts> {
    const r = await ctx.withLease('privacy-notices', 5 * 60_000, () => this.scan());
    return r.acquired ? r.value : { busy: 1 };
  }

  /** One pass: flagged events after the watermark → notices; then every notice not yet in the trail is announced. */
  async scan(now = this.stamps.now()): Promise<JobCounts> {
    let events = 0;
    let created = 0;
    const stored = await this.repo.watermark();
    let position: readonly [number, string] = stored ? [stored[0] - LOOKBACK_MS, '00000000-0000-0000-0000-000000000000'] : [now - LOOKBACK_MS, '00000000-0000-0000-0000-000000000000'];
    let newest = stored;
    for (;;) {
      const rows = await this.events.flaggedSince(PRIVACY_NOTICE_FLAG, position, now, PAGE);
      if (rows.length === 0) break;
      for (const [tenantId, list] of groupBy(rows, (r) => r.tenantId)) {
        const scope = await this.tenants.scope(tenantId);
        if (!scope) continue;
        const notices = await this.noticesFor(scope, list.map((r) => JSON.parse(r.payload) as NoticeSource));
        created += await this.repo.insertNotices(scope, notices);
      }
      events += rows.length;
      const last = rows[rows.length - 1]!;
      position = [last.receivedAtMs, last.id];
      if (!newest || last.receivedAtMs > newest[0]) newest = position;
      if (rows.length < PAGE) break;
    }
    if (newest && newest !== stored) await this.repo.setWatermark(newest);
    const announced = await this.announce();
    return { events, notices: created, announced };
  }

  /** Records every notice not yet in the trail as veritrail.privacy.notice (delivered to webhooks as privacy.notice). */
  async announce(): Promise<number> {
    let total = 0;
    for (;;) {
      const pending = await this.repo.unannounced(500);
      if (pending.length === 0) return total;
      for (const [tenantId, list] of groupBy(pending, (n) => n.tenantId)) {
        const scope = await this.tenants.scope(tenantId);
        if (scope) await this.trail.record(scope, list.map(noticeEntry));
        await this.repo.markAnnounced(
          list.map((n) => n.id),
          this.stamps.date(),
        );
        total += list.length;
      }
      if (pending.length < 500) return total;
    }
  }

  /** The notices an event raises under the tenant's current rules. */
  private async noticesFor(scope: TenantScope, events: readonly NoticeSource[]): Promise<NewNotice[]> {
    const rules = await this.policies.notices(scope);
    const classification = await this.policies.classification(scope);
    const out: NewNotice[] = [];
    for (const e of events) {
      const subject = changeSubjectOf(e, classification.subjectTargetTypes);
      const base = {
        subjectId: subject,
        eventId: e.id,
        action: e.action,
        actorType: e.actor.type,
        actorId: e.actor.id,
        organizationId: e.organization_id,
        occurredAt: new Date(e.occurred_at),
      };
      // Classified changes were encrypted at ingest: their values carry the ciphertext prefix.
      const classified = (e.changes ?? []).filter((c) => isEncrypted(c.before) || isEncrypted(c.after)).map((c) => c.field);
      const listed = noticeKindFor(rules, e.action);
      if (listed !== undefined) out.push({ id: prefixedId('ntc'), kind: listed, fields: classified.length > 0 ? classified : (e.changes ?? []).map((c) => c.field), ...base });
      if (classified.length > 0 && listed !== 'rectification') out.push({ id: prefixedId('ntc'), kind: 'rectification', fields: classified, ...base });
    }
    return out;
  }
}

function isEncrypted(v: unknown): boolean {
  return typeof v === 'string' && v.startsWith(ENCRYPTED_PREFIX);
}

/** The trail entry of a notice: names and ids only, never the personal data itself. */
export function noticeEntry(n: NoticeRecord): TrailEntry {
  return {
    action: 'veritrail.privacy.notice',
    actor: { type: 'system', id: 'privacy', name: 'Veritrail privacy notices' },
    targets: [{ type: 'data_subject', id: n.subjectId }],
    organizationId: n.organizationId,
    metadata: {
      notice_id: n.id,
      kind: n.kind,
      subject: n.subjectId,
      fields: n.fields,
      event_id: n.eventId ?? null,
      event_action: n.action ?? null,
      occurred_at: n.occurredAt.toISOString(),
      by: n.actorId ? { type: n.actorType ?? null, id: n.actorId } : null,
    },
  };
}

export function noticeView(n: NoticeRecord) {
  return {
    id: n.id,
    kind: n.kind,
    subject: n.subjectId,
    fields: n.fields,
    event_id: n.eventId ?? null,
    action: n.action ?? null,
    organization_id: n.organizationId ?? null,
    occurred_at: n.occurredAt.toISOString(),
    by: n.actorId ? { type: n.actorType ?? null, id: n.actorId } : null,
    created_at: n.createdAt.toISOString(),
    announced_at: n.announcedAt?.toISOString() ?? null,
  };
}
