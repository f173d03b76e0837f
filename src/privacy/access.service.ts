import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors.js';
import { AuditTrailService, keyActor, type RequestMeta } from '../events/audit-trail.service.js';
import { EventsRepository } from '../events/events.repository.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { MASKED } from './field-crypto.js';
import { noticeView } from './notices.service.js';
import { PersonalDataService } from './personal-data.service.js';
import { PrivacyRepository } from './privacy.repository.js';
import { erasureView } from './erasure.service.js';
import { ScrubPolicyService } from './scrub-policy.service.js';

export const ACCESS_FORMAT = 'veritrail-subject-access-v1';
const PAGE = 1_000;
const MASK = JSON.parse(MASKED) as string;

/**
 * Right of access and portability (GDPR Art. 15, 20): every retained event where the subject
 * is the actor or a target, decrypted, as one machine-readable JSON document streamed in
 * constant memory, with the notices about the subject, its erasures and the recipients its data
 * was sent to. Personal data of anyone else in those events reads [masked].
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly personal: PersonalDataService,
    private readonly events: EventsRepository,
    private readonly repo: PrivacyRepository,
    private readonly policies: ScrubPolicyService,
    private readonly webhooks: WebhooksService,
    private readonly trail: AuditTrailService,
  ) {}

  /** Checks the subject exists in this tenant (else 404) and returns the document as text chunks. */
  async export(principal: ApiKeyPrincipal, subject: string, meta: RequestMeta): Promise<AsyncGenerator<string>> {
    const scope = TenantScope.of(principal).tenantWide();
    const keyId = await this.personal.currentKeyId(scope, subject);
    const footprint = await this.events.subjectFootprint(scope, subject);
    if (keyId === undefined && footprint.events === 0) throw new NotFoundError('subject');
    const disclosure = await this.events.subjectDisclosure(scope, subject);
    const recipients = await this.webhooks.recipients(scope, disclosure.pairs, disclosure.firstLeaf);
    const notices = await this.repo.listNotices(scope, { subjectId: subject }, 10_000);
    const erasures = await this.repo.erasures(scope, this.personal.subjectHash(scope, subject));
    const subjectTypes = (await this.policies.classification(scope)).subjectTargetTypes;
    await this.trail.record(
      scope,
      { action: 'veritrail.privacy.subject_accessed', actor: keyActor(principal), targets: [{ type: 'data_subject', id: subject }], metadata: { events: footprint.events } },
      meta,
    );
    const onlyKeys = new Set(keyId ? [keyId] : []);
    const personal = this.personal;
    const events = this.events;
    return (async function* () {
      yield `{"format":${JSON.stringify(ACCESS_FORMAT)},"subject":${JSON.stringify(subject)},"tenant":${JSON.stringify(scope.tenantId)},"generated_at":${JSON.stringify(new Date().toISOString())},"events":[`;
      let after: readonly [number, string] | undefined;
      let first = true;
      for (;;) {
        const rows = await events.subjectEvents(scope, subject, PAGE, after);
        if (rows.length === 0) break;
        const { texts } = await personal.reveal(
          scope,
          rows.map((r) => r.payload),
          { restricted: true, onlyKeys },
        );
        let chunk = '';
        for (const t of texts) {
          chunk += `${first ? '' : ','}${JSON.stringify(maskOthers(JSON.parse(t) as AccessEvent, subject, subjectTypes))}`;
          first = false;
        }
        yield chunk;
        const last = rows[rows.length - 1]!;
        after = [last.occurredAtMs, last.id];
        if (rows.length < PAGE) break;
      }
      yield `],"notices":${JSON.stringify(notices.map(noticeView))},"erasures":${JSON.stringify(erasures.map(erasureView))},"recipients":${JSON.stringify(recipients)}}\n`;
    })();
  }
}

interface AccessEvent {
  actor: { id: string; name?: unknown; email?: unknown };
  targets?: { type: string; id: string; name?: unknown }[];
  [k: string]: unknown;
}

/** Names and e-mail addresses of other people in the event read [masked] (also where they were not classified). */
function maskOthers(e: AccessEvent, subject: string, subjectTypes: ReadonlySet<string>): AccessEvent {
  if (e.actor.id !== subject) {
    if (e.actor.name !== undefined) e.actor.name = MASK;
    if (e.actor.email !== undefined) e.actor.email = MASK;
  }
  for (const t of e.targets ?? []) if (t.id !== subject && subjectTypes.has(t.type) && t.name !== undefined) t.name = MASK;
  return e;
}
