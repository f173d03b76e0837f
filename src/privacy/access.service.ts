import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors.js';
import { AuditTrailService, keyActor, type RequestMeta } from '../events/audit-trail.service.js';
import { EventLog } from '../events/event-log.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { changeSubjectOf } from '../personal-data/classification.js';
import { ErasureLedger } from '../personal-data/erasure-ledger.service.js';
import { MASKED } from '../personal-data/field-crypto.js';
import { PersonalDataService } from '../personal-data/personal-data.service.js';
import { ScrubPolicyService } from '../personal-data/scrub-policy.service.js';
import { noticeView } from './notices.service.js';
import { NoticesRepository } from './notices.repository.js';
import { erasureView } from './erasure.service.js';
import { CheckedClock } from '../common/checked-clock.js';

export const ACCESS_FORMAT = 'veritrail-subject-access-v1';
const PAGE = 1_000;
const MASK = JSON.parse(MASKED) as string;

/**
 * Right of access and portability (GDPR Art. 15, 20): every retained event where the subject
 * is the actor or a target, decrypted, as one machine-readable JSON document streamed in
 * constant memory, with the notices about the subject, its erasures and the recipients its data
 * was sent to. Personal data of anyone else in those events reads [masked] ({@link maskOthers}).
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly personal: PersonalDataService,
    private readonly events: EventLog,
    private readonly notices: NoticesRepository,
    private readonly erasures: ErasureLedger,
    private readonly policies: ScrubPolicyService,
    private readonly webhooks: WebhooksService,
    private readonly trail: AuditTrailService,
    private readonly stamps: CheckedClock,
  ) {}

  /** Checks the subject exists in this tenant (else 404) and returns the document as text chunks. */
  async export(principal: ApiKeyPrincipal, subject: string, meta: RequestMeta): Promise<AsyncGenerator<string>> {
    const scope = TenantScope.of(principal).tenantWide();
    const keyId = await this.personal.currentKeyId(scope, subject);
    const footprint = await this.events.subjectFootprint(scope, subject);
    if (keyId === undefined && footprint.events === 0) throw new NotFoundError('subject');
    const disclosure = await this.events.subjectDisclosure(scope, subject);
    const recipients = await this.webhooks.recipients(scope, disclosure.pairs, disclosure.firstLeaf);
    const notices = await this.notices.listNotices(scope, { subjectId: subject }, 10_000);
    const erasures = await this.erasures.history(scope, this.personal.subjectHash(scope, subject));
    const subjectTypes = (await this.policies.classification(scope)).subjectTargetTypes;
    await this.trail.record(
      scope,
      { action: 'veritrail.privacy.subject_accessed', actor: keyActor(principal), targets: [{ type: 'data_subject', id: subject }], metadata: { events: footprint.events } },
      meta,
    );
    const onlyKeys = new Set(keyId ? [keyId] : []);
    const personal = this.personal;
    const events = this.events;
    const generatedAt = this.stamps.date().toISOString();
    return (async function* () {
      yield `{"format":${JSON.stringify(ACCESS_FORMAT)},"subject":${JSON.stringify(subject)},"tenant":${JSON.stringify(scope.tenantId)},"generated_at":${JSON.stringify(generatedAt)},"events":[`;
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

interface AccessParty {
  type: string;
  id: string;
  name?: unknown;
  email?: unknown;
  metadata?: Record<string, unknown>;
}

interface AccessEvent {
  actor: AccessParty & { on_behalf_of?: AccessParty; impersonator?: AccessParty };
  targets?: AccessParty[];
  context?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  changes?: { field: string; before?: unknown; after?: unknown }[];
  [k: string]: unknown;
}

/** Actor types that are people (their id and details are someone else's personal data). */
const PERSON_ACTORS = new Set(['user']);

function maskValues(obj: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (obj === undefined || obj === null || typeof obj !== 'object') return obj;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) Object.defineProperty(out, k, { value: MASK, enumerable: true, writable: true, configurable: true });
  return out;
}

function maskParty(p: AccessParty, person: boolean): void {
  if (!person) return;
  p.id = MASK;
  if (p.name !== undefined) p.name = MASK;
  if (p.email !== undefined) p.email = MASK;
  if (p.metadata !== undefined) p.metadata = maskValues(p.metadata);
}

/**
 * PROMISE-04: only the subject's own data stays readable, following the classification's rule of
 * whose data is whose — `actor.*`, `context.*` and top-level `metadata.*` are the actor's; a
 * data-subject target's name and metadata are its own; `changes` belong to the first data-subject
 * target, else the actor; a delegation party's (actor.on_behalf_of, actor.impersonator) id and
 * name are its own. Everything of another person reads [masked], classified or not: their
 * ids, names, e-mail addresses and metadata, the IP address, user agent, session and request ids
 * of events they performed, and the values of changes to their data (field names stay). Services,
 * API keys, the system and targets that are not people (documents) are not personal data and stay.
 */
export function maskOthers(e: AccessEvent, subject: string, subjectTypes: ReadonlySet<string>): AccessEvent {
  const actorIsSubject = e.actor.id === subject;
  const changeSubject = changeSubjectOf(e, subjectTypes);
  if (!actorIsSubject) {
    maskParty(e.actor, PERSON_ACTORS.has(e.actor.type));
    if (e.context !== undefined) e.context = maskValues(e.context);
    if (e.metadata !== undefined) e.metadata = maskValues(e.metadata);
  }
  // Delegation parties are people of their own: the subject sees its own id and name only.
  for (const party of [e.actor.on_behalf_of, e.actor.impersonator]) if (party !== undefined && party.id !== subject) maskParty(party, PERSON_ACTORS.has(party.type));
  for (const t of e.targets ?? []) if (t.id !== subject) maskParty(t, subjectTypes.has(t.type));
  if (changeSubject !== subject) {
    for (const c of e.changes ?? []) {
      if (Object.hasOwn(c, 'before')) c.before = MASK;
      if (Object.hasOwn(c, 'after')) c.after = MASK;
    }
  }
  return e;
}
