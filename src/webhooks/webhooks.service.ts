// Above ~400 lines on purpose: the webhook destination API (CRUD, secrets, test, replay,
// delivery log, recipients) shares the URL, credential, option and organization checks; one
// file keeps each endpoint's validation identical.
import { Injectable } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { BadRequestError, NotFoundError, UnprocessableError, ValidationError } from '../common/errors.js';
import { isUuid, uuidv7 } from '../common/ids.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { parseRfc3339 } from '../common/time.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService, keyActor } from '../events/audit-trail.service.js';
import { LogWalk } from '../events/log-walk.service.js';
import { MerkleLog, type LogHeadRecord } from '../integrity/merkle-log.service.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import { PlansService } from '../billing/plans.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { newWebhookSecret } from './signing.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { attemptOutcome, newMessageId, routeEntry } from './webhook-messages.js';
import { parseS3Url } from './s3-destination.js';
import { checkDestinationUrl } from './ssrf.js';
import { checkSyslogTls, checkSyslogUrl, type SyslogTls } from './syslog-destination.js';
import { SENTINEL_REQUIRED } from './sentinel-destination.js';
import { WEBHOOK_JOB, WebhookDeliveryService } from './webhook-delivery.service.js';
import { TRAIL_MESSAGE_KINDS } from './webhooks.schema.js';
import type {
  DeliveryView,
  Replay,
  RotateSecret,
  WebhookCreate,
  WebhookListQuery,
  WebhookUpdate,
  WebhookView,
} from './webhooks.schema.js';
import { WebhooksRepository, type DeliveryRecord, type WebhookChanges, type WebhookFilters, type WebhookOptions, type WebhookRecord } from './webhooks.repository.js';
import { Clock } from '../common/clock.js';

/** Destinations per tenant (plans may lower this later). */
const MAX_WEBHOOKS_PER_TENANT = 50;
/** Destinations one organization may create for itself (self-service streams): one customer cannot use up the tenant's 50. */
export const MAX_WEBHOOKS_PER_ORGANIZATION = 10;


/** Webhook destinations through the API: CRUD, secrets, test, replay, delivery log. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly delivery: WebhookDeliveryService,
    private readonly secrets: WebhookSecrets,
    private readonly walk: LogWalk,
    private readonly merkle: MerkleLog,
    private readonly trail: AuditTrailService,
    private readonly settings: SystemSettingsService,
    private readonly jobs: JobRunner,
    private readonly plans: PlansService,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Destinations that were sent a data subject's events (GDPR Art. 19 "recipients"): those
   * delivering events whose filters (and creator's organization) pass one of the subject's
   * (action, organization) pairs and whose cursor has passed the subject's first position in
   * the log.
   */
  async recipients(scope: TenantScope, pairs: readonly { action: string; organizationId: string }[], firstLeaf: number | undefined): Promise<Recipient[]> {
    if (firstLeaf === undefined || pairs.length === 0) return [];
    const out: Recipient[] = [];
    for (const w of await this.allDestinations(scope)) {
      if (w.cursorIdx < firstLeaf) continue;
      if (pairs.some((p) => routeEntry(w, { action: p.action, organization_id: p.organizationId || undefined }) === 'events')) out.push(recipientOf(w));
    }
    return out;
  }

  /**
   * The destinations that will receive a data-subject notice (`veritrail.privacy.notice`) of one
   * of these organizations (undefined: a notice without one), by the same rule the dispatcher
   * applies: an erasure receipt names exactly these, never one the notice cannot reach.
   */
  async noticeRecipients(scope: TenantScope, organizationIds: readonly (string | undefined)[]): Promise<Recipient[]> {
    const action = TRAIL_MESSAGE_KINDS['privacy.notice'];
    return (await this.allDestinations(scope)).filter((w) => organizationIds.some((o) => routeEntry(w, { action, organization_id: o }) !== undefined)).map(recipientOf);
  }

  /** Every destination of the tenant (at most MAX_WEBHOOKS_PER_TENANT, in pages). */
  private async allDestinations(scope: TenantScope): Promise<WebhookRecord[]> {
    const out: WebhookRecord[] = [];
    let after: { createdAt: Date; id: string } | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await this.repo.list(scope.tenantWide(), 100, after);
      out.push(...page);
      if (page.length < 100) break;
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    return out;
  }

  async create(principal: ApiKeyPrincipal, body: WebhookCreate, meta: RequestMetaValue): Promise<WebhookView & { secret: string }> {
    const scope = TenantScope.of(principal);
    const kind = body.kind ?? 'https';
    const url = this.checkUrl(kind, body.url);
    this.checkCredentials(kind, body.credentials);
    const options = optionsOf(kind, url, body, {});
    checkOrganizationFilter(scope, body.filters);
    const webhooks = await this.repo.countForTenant(scope.tenantId);
    await this.plans.assertWithinLimit(scope.tenantId, 'webhooks', webhooks);
    if (webhooks >= MAX_WEBHOOKS_PER_TENANT) {
      throw new UnprocessableError('webhook_limit_reached', `A tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks.`);
    }
    if (scope.organizationId !== undefined && (await this.repo.countForOrganization(scope)) >= MAX_WEBHOOKS_PER_ORGANIZATION) {
      throw new UnprocessableError('webhook_limit_reached', `An organization may have at most ${MAX_WEBHOOKS_PER_ORGANIZATION} destinations of its own.`);
    }
    const whole = scope.tenantWide();
    const latest = await this.merkle.head(whole);
    const checkpoint = await this.merkle.latestCheckpoint(whole);
    let cursorIdx = latest ? latest.treeSize - 1 : -1;
    if (body.start === 'beginning') {
      const first = latest ? await this.walk.firstRetainedLeaf(whole, latest.number) : undefined;
      cursorIdx = first !== undefined ? first - 1 : cursorIdx;
    }
    const secret = newWebhookSecret();
    const id = `wh_${uuidv7().id.replaceAll('-', '')}`;
    const owner = { tenantId: scope.tenantId, id };
    const record = await this.repo.create(scope, {
      id,
      name: body.name ?? (url.host || url.href),
      kind,
      url: url.toString(),
      credentials:
        kind === 'syslog'
          ? body.tls
            ? this.secrets.seal(owner, 'credentials', JSON.stringify({ tls: body.tls }))
            : undefined
          : body.credentials
            ? this.secrets.seal(owner, 'credentials', JSON.stringify(body.credentials))
            : undefined,
      filters: filtersOf(body.filters),
      masking: { drop: body.masking?.drop ?? [], hash: body.masking?.hash ?? [] },
      options,
      batchMaxEvents: body.batch?.max_events ?? 100,
      batchMaxBytes: body.batch?.max_bytes ?? 256 * 1024,
      batchIntervalMs: body.batch?.interval_ms ?? 1000,
      secret: this.secrets.seal(owner, 'signing_secret', secret),
      cursorIdx,
      cursorCheckpoint: checkpoint?.number ?? 0,
    });
    await this.trail.record(
      scope,
      {
        action: 'veritrail.webhook.created',
        actor: keyActor(principal),
        targets: [{ type: 'webhook', id, name: record.name }],
        metadata: { kind, host: url.host || url.href, filters: record.filters },
        organizationId: principal.organizationId,
      },
      meta,
    );
    this.jobs.kick(WEBHOOK_JOB);
    return { ...(await this.view(scope, record)), secret };
  }

  async get(principal: ApiKeyPrincipal, id: string): Promise<WebhookView> {
    const scope = TenantScope.of(principal);
    return this.view(scope, await this.find(scope, id));
  }

  async list(principal: ApiKeyPrincipal, q: WebhookListQuery): Promise<{ data: WebhookView[]; next_cursor: string | null }> {
    const scope = TenantScope.of(principal);
    const limit = q.limit ?? 50;
    const binding = bindingOf({ s: scope.organizationId ?? null });
    const after = this.settings.cursors.decodeKeyset(q.cursor, 'webhooks', scope.tenantId, binding);
    const rows = await this.repo.list(scope, limit + 1, after);
    const { page, next } = this.settings.cursors.keysetPage(rows, limit, 'webhooks', scope.tenantId, binding);
    // One head read for the whole page (every destination of the tenant lags behind the same log).
    const latest = await this.merkle.head(scope.tenantWide());
    return { data: await Promise.all(page.map((r) => this.view(scope, r, latest))), next_cursor: next };
  }

  async update(principal: ApiKeyPrincipal, id: string, body: WebhookUpdate, meta: RequestMetaValue): Promise<WebhookView> {
    const scope = TenantScope.of(principal);
    const before = await this.find(scope, id);
    const changes: WebhookChanges = {};
    const url = body.url !== undefined ? this.checkUrl(before.kind, body.url) : new URL(before.url);
    if (body.url !== undefined) changes.url = url.toString();
    if (body.name !== undefined) changes.name = body.name;
    if (body.credentials !== undefined) {
      this.checkCredentials(before.kind, body.credentials);
      changes.credentials = this.secrets.seal(before, 'credentials', JSON.stringify(body.credentials));
    }
    if (body.format !== undefined || body.tls !== undefined || body.cloudevents !== undefined || body.url !== undefined) {
      const options = optionsOf(before.kind, url, body, before.options);
      if (JSON.stringify(options) !== JSON.stringify(before.options)) changes.options = options;
      if (body.tls !== undefined) changes.credentials = this.secrets.seal(before, 'credentials', JSON.stringify({ tls: body.tls }));
    }
    if (body.filters !== undefined) {
      checkOrganizationFilter(scope, body.filters);
      changes.filters = filtersOf(body.filters);
    }
    if (body.masking !== undefined) changes.masking = { drop: body.masking.drop ?? [], hash: body.masking.hash ?? [] };
    if (body.batch?.max_events !== undefined) changes.batchMaxEvents = body.batch.max_events;
    if (body.batch?.max_bytes !== undefined) changes.batchMaxBytes = body.batch.max_bytes;
    if (body.batch?.interval_ms !== undefined) changes.batchIntervalMs = body.batch.interval_ms;
    if (body.status !== undefined) changes.status = body.status;
    const after = await this.repo.update(scope, id, changes);
    if (!after) throw new NotFoundError('webhook');
    const fields = Object.keys(body);
    if (fields.length > 0) {
      await this.trail.record(
        scope,
        {
          action: body.status === 'paused' ? 'veritrail.webhook.paused' : body.status === 'active' && before.status !== 'active' ? 'veritrail.webhook.resumed' : 'veritrail.webhook.updated',
          actor: keyActor(principal),
          targets: [{ type: 'webhook', id, name: after.name }],
          // Credentials never enter the trail, only the fact that they changed.
          metadata: { fields },
          organizationId: principal.organizationId,
        },
        meta,
      );
    }
    if (after.status === 'active') this.jobs.kick(WEBHOOK_JOB);
    return this.view(scope, after);
  }

  async remove(principal: ApiKeyPrincipal, id: string, meta: RequestMetaValue): Promise<void> {
    const scope = TenantScope.of(principal);
    const w = await this.find(scope, id);
    if (!(await this.repo.remove(scope, id))) throw new NotFoundError('webhook');
    await this.trail.record(
      scope,
      { action: 'veritrail.webhook.deleted', actor: keyActor(principal), targets: [{ type: 'webhook', id, name: w.name }], organizationId: principal.organizationId },
      meta,
    );
  }

  async rotateSecret(principal: ApiKeyPrincipal, id: string, body: RotateSecret, meta: RequestMetaValue): Promise<{ secret: string; previous_secret_valid_until: string | null }> {
    const scope = TenantScope.of(principal);
    await this.find(scope, id);
    const secret = newWebhookSecret();
    const hours = body.overlap_hours ?? 24;
    const until = this.clock.date(hours * 3_600_000);
    const r = await this.repo.rotateSecret(scope, id, this.secrets.seal({ tenantId: scope.tenantId, id }, 'signing_secret', secret), until);
    if (!r) throw new NotFoundError('webhook');
    await this.trail.record(
      scope,
      { action: 'veritrail.webhook.secret_rotated', actor: keyActor(principal), targets: [{ type: 'webhook', id, name: r.name }], metadata: { overlap_hours: hours }, organizationId: principal.organizationId },
      meta,
    );
    return { secret, previous_secret_valid_until: hours > 0 ? until.toISOString() : null };
  }

  /**
   * Sends a webhook.test message now and answers with the attempt (also in the delivery log):
   * status and timing, never the response body, so the endpoint cannot be used to read what a
   * service answers (PEN-L5).
   */
  async test(principal: ApiKeyPrincipal, id: string): Promise<DeliveryView> {
    const scope = TenantScope.of(principal);
    const w = await this.find(scope, id);
    const messageId = newMessageId();
    const result = { ...(await this.delivery.send(w, messageId, { kind: 'webhook.test', webhookId: w.id })), body: undefined };
    const d: DeliveryRecord = {
      id: uuidv7().id,
      webhookId: w.id,
      messageId,
      kind: 'webhook.test',
      eventCount: 0,
      fromIdx: undefined,
      toIdx: undefined,
      checkpoint: undefined,
      attempt: 1,
      ...attemptOutcome(result),
      createdAt: new Date(),
    };
    await this.repo.recordDelivery({ ...d, tenantId: w.tenantId });
    return deliveryView(d);
  }

  /** Moves the destination's cursor back (or forward) to a time or a feed cursor; deliveries resume from there. */
  async replay(principal: ApiKeyPrincipal, id: string, body: Replay, meta: RequestMetaValue): Promise<WebhookView> {
    const scope = TenantScope.of(principal);
    await this.find(scope, id);
    if ((body.from === undefined) === (body.cursor === undefined)) {
      throw new ValidationError([{ field: 'from', code: 'required', message: 'Give exactly one of from and cursor.' }]);
    }
    const whole = scope.tenantWide();
    const latest = await this.merkle.head(whole);
    let cursorIdx: number;
    if (body.from !== undefined) {
      const t = parseRfc3339(body.from);
      if (!t.ok) throw new ValidationError([{ field: 'from', code: 'invalid_format', message: 'Must be an RFC 3339 date-time with an offset.' }]);
      const first = latest ? await this.walk.firstRetainedLeaf(whole, latest.number, this.clock.now(), t.ms) : undefined;
      cursorIdx = first !== undefined ? first - 1 : latest ? latest.treeSize - 1 : -1;
    } else {
      // A feed cursor of this tenant and this key's organization scope, any feed filters.
      const decoded = this.decodeFeedCursor(scope, body.cursor!);
      cursorIdx = decoded;
    }
    const r = await this.repo.resetCursor(scope, id, cursorIdx);
    if (!r) throw new NotFoundError('webhook');
    await this.trail.record(
      scope,
      { action: 'veritrail.webhook.replayed', actor: keyActor(principal), targets: [{ type: 'webhook', id, name: r.name }], metadata: { from: body.from ?? null, by_cursor: body.cursor !== undefined }, organizationId: principal.organizationId },
      meta,
    );
    this.jobs.kick(WEBHOOK_JOB);
    return this.view(scope, r);
  }

  async deliveries(principal: ApiKeyPrincipal, id: string, q: WebhookListQuery): Promise<{ data: DeliveryView[]; next_cursor: string | null }> {
    const scope = TenantScope.of(principal);
    await this.find(scope, id);
    const limit = q.limit ?? 50;
    const binding = bindingOf({ w: id });
    const before = this.settings.cursors.decodeKeyset(q.cursor, 'webhook-deliveries', scope.tenantId, binding);
    const rows = await this.repo.deliveries(scope, id, limit + 1, before);
    const { page, next } = this.settings.cursors.keysetPage(rows, limit, 'webhook-deliveries', scope.tenantId, binding);
    return { data: page.map(deliveryView), next_cursor: next };
  }

  /** Sends one logged message again, under its original webhook-id (the receiver dedupes it if it had it). */
  async retryDelivery(principal: ApiKeyPrincipal, id: string, deliveryId: string): Promise<DeliveryView> {
    const scope = TenantScope.of(principal);
    const w = await this.find(scope, id);
    if (!isUuid(deliveryId)) throw new NotFoundError('delivery');
    const d = await this.repo.delivery(scope, id, deliveryId);
    if (!d) throw new NotFoundError('delivery');
    const sent = await this.delivery.redeliver(scope, w, d);
    const result = d.kind === 'webhook.test' ? { ...sent, body: undefined } : sent;
    const again: DeliveryRecord = {
      ...d,
      id: uuidv7().id,
      attempt: d.attempt + 1,
      ...attemptOutcome(result),
      createdAt: new Date(),
    };
    await this.repo.recordDelivery({ ...again, tenantId: w.tenantId });
    return deliveryView(again);
  }

  private decodeFeedCursor(scope: TenantScope, cursor: string): number {
    // The feed binds its filters into the cursor; any binding of this tenant is acceptable here.
    const p = this.settings.cursors.decodeAnyBinding(cursor, 'feed', scope.tenantId);
    if (p.length !== 1 || typeof p[0] !== 'number' || !Number.isSafeInteger(p[0])) throw new ValidationError([{ field: 'cursor', code: 'invalid_cursor', message: 'Malformed cursor.' }]);
    return p[0];
  }

  private checkUrl(kind: WebhookRecord['kind'], raw: string): URL {
    if (kind === 'syslog') {
      const r = checkSyslogUrl(raw, this.config.webhooks.allowPrivate);
      if ('problem' in r) throw new UnprocessableError(r.problem.code, r.problem.message, [{ field: 'url', code: r.problem.code, message: r.problem.message }]);
      return r.url;
    }
    if (kind === 's3') {
      if (!parseS3Url(raw)) {
        throw new UnprocessableError('webhook_url_invalid', 'An s3 destination URL is s3://<bucket>/<prefix>.', [{ field: 'url', code: 'webhook_url_invalid', message: 'Expected s3://<bucket>/<prefix>.' }]);
      }
      return new URL(raw);
    }
    const r = checkDestinationUrl(raw, this.config.webhooks.allowPrivate);
    if ('problem' in r) throw new UnprocessableError(r.problem.code, r.problem.message, [{ field: 'url', code: r.problem.code, message: r.problem.message }]);
    return r.url;
  }

  private checkCredentials(kind: WebhookRecord['kind'], c: WebhookCreate['credentials']): void {
    if (kind === 's3') {
      // The destination's own key pair, always: without one the AWS SDK would sign with the
      // server's identity (its environment or instance role) and write wherever that may (PEN-04).
      const missing = (['access_key_id', 'secret_access_key'] as const).filter((k) => c?.[k] === undefined);
      if (missing.length > 0) {
        throw new BadRequestError(
          'webhook_credentials_required',
          'An s3 destination needs its own access_key_id and secret_access_key; the server\'s AWS identity is never used.',
          missing.map((k) => ({ field: `credentials.${k}`, code: 'required', message: 'This field is required for kind s3.' })),
        );
      }
      // A custom endpoint is a URL we connect to: the same SSRF rules as any destination.
      if (c?.endpoint !== undefined) {
        const r = checkDestinationUrl(c.endpoint, this.config.webhooks.allowPrivate);
        if ('problem' in r) throw new UnprocessableError(r.problem.code, r.problem.message, [{ field: 'credentials.endpoint', code: r.problem.code, message: r.problem.message }]);
      }
      return;
    }
    if (kind === 'syslog' && c !== undefined) {
      throw new BadRequestError('webhook_option_not_applicable', 'A syslog destination takes no credentials; TLS material goes in tls.', [{ field: 'credentials', code: 'not_applicable', message: 'Not used by kind syslog.' }]);
    }
    if (kind === 'sentinel') {
      const missing = SENTINEL_REQUIRED.filter((k) => c?.[k] === undefined);
      if (missing.length > 0) {
        throw new BadRequestError(
          'webhook_credentials_required',
          'A sentinel destination needs tenant_id, client_id, client_secret, dcr_immutable_id and stream_name.',
          missing.map((k) => ({ field: `credentials.${k}`, code: 'required', message: 'This field is required for kind sentinel.' })),
        );
      }
      if (c?.authority_host !== undefined) {
        const r = checkDestinationUrl(c.authority_host, this.config.webhooks.allowPrivate);
        if ('problem' in r) throw new UnprocessableError(r.problem.code, r.problem.message, [{ field: 'credentials.authority_host', code: r.problem.code, message: r.problem.message }]);
      }
      return;
    }
    if (kind === 'splunk_hec' && !c?.token) throw new ValidationError([{ field: 'credentials.token', code: 'required', message: 'splunk_hec needs the HEC token.' }]);
    if (kind === 'datadog' && !c?.api_key) throw new ValidationError([{ field: 'credentials.api_key', code: 'required', message: 'datadog needs the API key.' }]);
  }

  private async find(scope: TenantScope, id: string): Promise<WebhookRecord> {
    if (!/^wh_[0-9a-f]{32}$/.test(id)) throw new NotFoundError('webhook');
    const w = await this.repo.get(scope, id);
    if (!w) throw new NotFoundError('webhook');
    return w;
  }

  private async view(scope: TenantScope, w: WebhookRecord, knownLatest?: LogHeadRecord): Promise<WebhookView> {
    const whole = scope.tenantWide();
    const latest = knownLatest ?? (await this.merkle.head(whole));
    const end = latest ? latest.treeSize - 1 : -1;
    const lagEvents = Math.max(0, end - w.cursorIdx);
    let lagSeconds = 0;
    if (lagEvents > 0) {
      const r = await this.walk.leafReceivedAt(whole, w.cursorIdx + 1);
      if (r !== undefined) lagSeconds = Math.max(0, (Date.now() - r) / 1000);
    }
    return {
      id: w.id,
      name: w.name,
      kind: w.kind,
      url: w.url,
      format: w.kind === 'syslog' ? (w.options.format ?? 'cef') : null,
      tls: w.kind === 'syslog' && w.url.startsWith('syslog+tls:') ? (w.options.tls ?? { ca: false, client_certificate: false }) : null,
      cloudevents: w.kind === 'https' && w.options.cloudevents === true,
      organization_id: w.organizationId ?? null,
      filters: w.filters,
      masking: w.masking,
      batch: { max_events: w.batchMaxEvents, max_bytes: w.batchMaxBytes, interval_ms: w.batchIntervalMs },
      status: w.status,
      disabled_reason: w.disabledReason ?? null,
      health: {
        last_success_at: w.lastSuccessAt?.toISOString() ?? null,
        last_failure_at: w.lastFailureAt?.toISOString() ?? null,
        last_error: w.lastError ?? null,
        consecutive_failures: w.consecutiveFailures,
        next_attempt_at: w.nextAttemptAt.toISOString(),
        // The cursor walks the tenant's whole log: an organization sees only whether it is behind, not by how many of the tenant's events.
        lag_events: scope.organizationId === undefined ? lagEvents : Math.min(lagEvents, 1),
        lag_seconds: Math.round(lagSeconds * 10) / 10,
      },
      previous_secret_valid_until: w.previousSecretUntil && w.previousSecretUntil.getTime() > this.clock.now() ? w.previousSecretUntil.toISOString() : null,
      created_at: w.createdAt.toISOString(),
      updated_at: w.updatedAt.toISOString(),
    };
  }
}

/** A destination as a data-subject request or an erasure receipt names it. */
export interface Recipient {
  id: string;
  name: string;
  kind: string;
  host: string;
  status: string;
}

function recipientOf(w: WebhookRecord): Recipient {
  let host = '';
  try {
    host = new URL(w.url).host;
  } catch {
    host = w.kind;
  }
  return { id: w.id, name: w.name, kind: w.kind, host, status: w.status };
}

/**
 * The options of a destination after a create or an update: each only for the kind (and URL
 * scheme) it applies to, else 400 webhook_option_not_applicable; TLS material checked (400
 * webhook_tls_invalid).
 */
function optionsOf(kind: WebhookRecord['kind'], url: URL, body: { format?: 'cef' | 'leef'; tls?: SyslogTls; cloudevents?: boolean }, before: WebhookOptions): WebhookOptions {
  const notApplicable = (field: string, message: string) => new BadRequestError('webhook_option_not_applicable', message, [{ field, code: 'not_applicable', message }]);
  if (body.format !== undefined && kind !== 'syslog') throw notApplicable('format', 'format applies to syslog destinations only.');
  if (body.cloudevents !== undefined && kind !== 'https') throw notApplicable('cloudevents', 'cloudevents applies to https destinations only.');
  const tlsUrl = url.protocol === 'syslog+tls:';
  if (body.tls !== undefined && !(kind === 'syslog' && tlsUrl)) throw notApplicable('tls', 'tls applies to syslog+tls:// destinations only.');
  if (body.tls !== undefined) {
    const problem = checkSyslogTls(body.tls);
    if (problem) throw new BadRequestError('webhook_tls_invalid', problem.message, [{ field: problem.field, code: 'webhook_tls_invalid', message: problem.message }]);
  }
  const out: WebhookOptions = {};
  if (kind === 'syslog') {
    out.format = body.format ?? before.format ?? 'cef';
    const tls = body.tls !== undefined ? { ca: body.tls.ca !== undefined, client_certificate: body.tls.cert !== undefined } : before.tls;
    if (tlsUrl && tls) out.tls = tls;
  }
  if (kind === 'https' && (body.cloudevents ?? before.cloudevents) === true) out.cloudevents = true;
  return out;
}

/**
 * An organization's own destination (self-service streams) receives that organization's entries
 * only, whatever its filters say; a filter naming another organization is refused rather than
 * silently ignored (400 webhook_organization_not_allowed), so the caller learns it cannot widen it.
 */
function checkOrganizationFilter(scope: TenantScope, f: WebhookCreate['filters']): void {
  if (scope.organizationId === undefined) return;
  const others = (f?.organizations ?? []).filter((o) => o !== scope.organizationId);
  if (others.length > 0) {
    const message = 'An organization-scoped destination receives only its own organization\'s entries; filters.organizations may name only it.';
    throw new BadRequestError('webhook_organization_not_allowed', message, [{ field: 'filters.organizations', code: 'webhook_organization_not_allowed', message }]);
  }
}

function filtersOf(f: WebhookCreate['filters']): WebhookFilters {
  return { actions: f?.actions ?? [], organizations: f?.organizations ?? [], kinds: f?.kinds ?? ['event'] };
}

function deliveryView(d: DeliveryRecord): DeliveryView {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    message_id: d.messageId,
    kind: d.kind,
    event_count: d.eventCount,
    attempt: d.attempt,
    succeeded: d.succeeded,
    response_status: d.responseStatus ?? null,
    response_body: d.responseBody ?? null,
    error: d.error ?? null,
    latency_ms: d.latencyMs,
    created_at: d.createdAt.toISOString(),
  };
}
