// Above ~400 lines on purpose: the delivery engine's claim, batch, send, retry and advance
// steps move one destination's cursor under one lease; kept together so the in-order and
// resend-under-the-same-id rules can be read in one pass.
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { canonicalJson } from '../common/canonical.js';
import { uuidv7 } from '../common/ids.js';
import { InjectConfig } from '../config/config.module.js';
import { isEmbeddedPostgres, type AppConfig } from '../config/config.js';
import { ActionDisplaysService } from '../events/action-displays.service.js';
import { AuditTrailService } from '../events/audit-trail.service.js';
import type { EventInput } from '../events/event.schema.js';
import { LogWalk } from '../events/log-walk.service.js';
import { MerkleLog, type CheckpointRecord } from '../integrity/merkle-log.service.js';
import { JobRunner, type JobCounts } from '../jobs/job-runner.service.js';
import { MetricsService } from '../observability/metrics.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { PersonalDataService } from '../personal-data/personal-data.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { VERSION } from '../common/paths.js';
import { ingestionUrl, sentinelCalls, sentinelRecords, tokenRequestBody, tokenUrl, type SentinelCredentials } from './sentinel-destination.js';
import { parseSyslogUrl, syslogFrames, type SyslogFormat, type SyslogTls } from './syslog-destination.js';
import { attemptOutcome, buildBody, maskEvent, messageCreatedAt, ndjsonLines, newMessageId, retryDelayMs, routeEntry, type CheckpointNotice, type OutgoingMessage } from './webhook-messages.js';
import { hasOwnKeys, objectKey, parseS3Url, type S3Credentials } from './s3-destination.js';
import { WebhookSender, type SendResult } from './webhook-sender.js';
import { cloudEventHeaders, signedHeaders } from './signing.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookWakeRepository } from './webhook-wake.repository.js';
import { WebhooksRepository, type DeliveryRecord, type MessageKind, type PendingMessage, type WebhookRecord } from './webhooks.repository.js';
import { isTrailMessageKind, MIN_BATCH_INTERVAL_MS, type TrailMessageKind } from './webhooks.schema.js';
import { CheckedClock } from '../common/checked-clock.js';
import { Clock } from '../common/clock.js';

export const WEBHOOK_JOB = 'webhooks';
export const WEBHOOKS_ACTOR: EventInput['actor'] = { type: 'system', id: 'webhooks', name: 'Veritrail webhooks' };
/** Leaves read per ClickHouse round trip while forming a batch. */
const WINDOW = 4_000;
/** At most this many leaves are scanned to form one batch (selective filters). */
const MAX_SCAN = 50_000;
/** Messages per turn of a destination with a backlog (recorded together, sent one after the other); 20 drained a backlog faster than 10 or 40 (bench "webhooks"). */
const BATCHES_PER_CLAIM = 20;

export interface AttemptOutcome {
  result: SendResult;
  messageId: string;
  kind: MessageKind;
  eventCount: number;
}

/**
 * The delivery engine. Each destination is a cursor over its tenant's Merkle log — the same
 * append-only order as the SIEM feed, so nothing is skipped or repeated however many writers and
 * replicas there are. A batch (the events after the cursor that pass the filters, up to the
 * size limits) is recorded as pending with a fresh webhook-id before its first attempt; every
 * retry resends that same range under the same id until it succeeds, then the cursor moves past
 * it. One destination is handled by one worker at a time (a lease in PostgreSQL), so deliveries
 * are in order per destination; a slow or dead destination only ever holds its own slot.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly inFlight = new Set<Promise<void>>();
  private maskKey: Buffer | undefined;
  /** Entra access tokens of sentinel destinations, per destination version, until shortly before they expire. */
  private readonly tokens = new Map<string, { token: string; refreshAt: number }>();
  /**
   * Destinations this process last found at the end of their tenant's log (nothing new to send),
   * by id: woken when this process appends to that log instead of waiting out their interval.
   */
  private readonly idle = new Map<string, { tenantId: string; cursorIdx: number }>();
  /** The newest log size this process appended, per tenant (a head that moved while a destination was looking). */
  private readonly logSizes = new Map<string, number>();

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly walk: LogWalk,
    private readonly merkle: MerkleLog,
    private readonly sender: WebhookSender,
    private readonly trail: AuditTrailService,
    private readonly tenants: TenantDirectory,
    private readonly settings: SystemSettingsService,
    private readonly jobs: JobRunner,
    private readonly metrics: MetricsService,
    private readonly personal: PersonalDataService,
    private readonly secrets: WebhookSecrets,
    private readonly displays: ActionDisplaysService,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly stamps: CheckedClock,
    private readonly wakeups: WebhookWakeRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.maskKey = await this.settings.secret('webhook_mask_key', 32);
    // Embedded PostgreSQL belongs to one process (the data directory is locked): a destination
    // leased at start was held by a process that died, so it is taken over now instead of after
    // the lease (2 × WEBHOOK_TIMEOUT_MS + 5 s). With a PostgreSQL server other replicas may hold them.
    if (isEmbeddedPostgres(this.config)) {
      const released = await this.repo.releaseAllLeases();
      if (released > 0) this.logger.log({ count: released }, 'released webhook destinations of a previous process');
    }
    this.jobs.register({ kind: WEBHOOK_JOB, intervalMs: 250, run: () => this.runPool() });
    this.merkle.onHeadMoved((tenantId, treeSize) => this.onHeadMoved(tenantId, treeSize));
  }

  /**
   * The log of a tenant grew (appended by this process): its destinations that were waiting at
   * the end of the log become due now, and a run starts. Only the timing changes — the claim,
   * the cursor and the batch rules are those of any run — and a destination that sent a batch
   * that was not full still waits its interval. Another replica's appends are found by polling.
   */
  private onHeadMoved(tenantId: string, treeSize: number): void {
    this.logSizes.set(tenantId, Math.max(treeSize, this.logSizes.get(tenantId) ?? 0));
    const ids: string[] = [];
    for (const [id, w] of this.idle) {
      if (w.tenantId !== tenantId || w.cursorIdx >= treeSize - 1) continue;
      ids.push(id);
      this.idle.delete(id);
    }
    this.wake(tenantId, ids);
  }

  private wake(tenantId: string, ids: string[]): void {
    if (ids.length === 0) return;
    void this.wakeups
      .wake(ids)
      .then((n) => {
        if (n > 0) this.jobs.kick(WEBHOOK_JOB);
      })
      .catch((err: unknown) => this.logger.warn({ tenant_id: tenantId, err: (err as Error).message }, 'webhook wake-up failed'));
  }

  /** The destination found nothing new in the log: it waits for the next append (or its interval). */
  private waitForLog(w: WebhookRecord, cursorIdx: number): void {
    // The log may have grown while this destination was looking: then it is woken at once.
    if ((this.logSizes.get(w.tenantId) ?? 0) - 1 > cursorIdx) this.wake(w.tenantId, [w.id]);
    else this.idle.set(w.id, { tenantId: w.tenantId, cursorIdx });
  }

  /** A worker holds a destination at most this long: one attempt can take WEBHOOK_TIMEOUT_MS; a killed worker's destinations are taken over after it. */
  private get leaseMs(): number {
    return this.config.webhooks.timeoutMs * 2 + 5_000;
  }

  /**
   * Starts deliveries for due destinations while fewer than WEBHOOK_CONCURRENCY are in flight,
   * without waiting for them: a slow or dead receiver holds its own slot for up to its timeout
   * and never delays the next claims. When a delivery ends it kicks the job, so a destination
   * with a backlog is claimed again at once. An idle run costs one query.
   */
  async runPool(): Promise<JobCounts> {
    await this.secrets.rewrapIfPending();
    let started = 0;
    while (!this.jobs.stopping && this.inFlight.size < this.config.webhooks.concurrency) {
      const holder = `${this.jobs.holder}:${uuidv7().id.slice(-12)}`;
      const w = await this.repo.claimDue(holder, this.leaseMs);
      if (!w) break;
      const p: Promise<void> = this.runClaimed(w, holder).finally(() => {
        this.inFlight.delete(p);
        this.jobs.kick(WEBHOOK_JOB);
      });
      this.inFlight.add(p);
      started++;
    }
    return { started, in_flight: this.inFlight.size };
  }

  /** Shutdown: deliveries in flight finish (at most WEBHOOK_TIMEOUT_MS); nothing new starts. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async runClaimed(w: WebhookRecord, holder: string): Promise<void> {
    try {
      await this.step(w, holder);
    } catch (err) {
      this.logger.error({ webhook_id: w.id, err: (err as Error).message }, 'webhook step failed');
      await this.repo.failed(w.id, holder, 'internal_error', this.stamps.date(5_000)).catch(() => undefined);
    }
  }

  /** One step for a claimed destination: resend the pending batch, or form and send the next one, or just move the cursor. */
  private async step(w: WebhookRecord, holder: string): Promise<AttemptOutcome | undefined> {
    this.idle.delete(w.id);
    const tenant = await this.tenants.get(w.tenantId);
    if (!tenant || tenant.status !== 'active') {
      await this.repo.advance(w.id, holder, w.cursorIdx, w.cursorCheckpoint, this.stamps.date(60_000));
      return undefined;
    }
    const scope = TenantScope.forTenant(tenant, w.organizationId);
    const now = this.clock.now();
    if (w.pending) {
      // The pending batch, then the ones recorded after it, each rebuilt from its recorded range under its recorded id.
      const p = w.pending;
      const run: RunMessage[] = [{ messageId: p.messageId, kind: p.kind, from: p.from, to: p.to, checkpoint: p.checkpoint }];
      for (const m of p.plan) run.push({ messageId: m.messageId, kind: m.kind, from: run[run.length - 1]!.to, to: m.to });
      return this.sendRun(scope, w, holder, run, p.attempts + 1);
    }
    // Events follow the log's head (appended every LOG_APPEND_INTERVAL); checkpoint notices
    // follow the signed checkpoints (every SEAL_INTERVAL).
    const head = await this.merkle.head(scope.tenantWide());
    // Due times are compared with PostgreSQL's now(): the stamping clock, never a frozen Clock.
    const later = this.stamps.date(intervalOf(w));
    if (!head) {
      await this.repo.advance(w.id, holder, w.cursorIdx, w.cursorCheckpoint, later);
      this.waitForLog(w, w.cursorIdx);
      return undefined;
    }
    const end = head.treeSize - 1;
    // A checkpoint names no organization but states the size and root of the whole tenant's log:
    // never for a destination an organization-scoped key created (it may not see tenant-wide figures).
    const wantsCheckpoints = w.filters.kinds.includes('checkpoint.sealed') && w.organizationId === undefined;
    // Events and trail kinds (alert.triggered) both come from the log, in its order.
    const wantsLog = w.filters.kinds.some((k) => k === 'event' || isTrailMessageKind(k));
    if (wantsLog && w.cursorIdx < end) {
      const { batches, position, held } = await this.collect(scope, w, w.cursorIdx, end, head.number, now, BATCHES_PER_CLAIM);
      if (batches.length === 0) {
        // Nothing matched (or a replica lags): move past what was scanned; come back at once only
        // if the scan made progress and more is waiting (never a loop that reads the same leaves).
        await this.repo.advance(w.id, holder, position, w.cursorCheckpoint, position > w.cursorIdx && position < end && !held ? this.stamps.date() : later);
        if (!held && position >= end) this.waitForLog(w, position);
        return undefined;
      }
      // Several messages per claim, one after the other (order): every one of them (id and range)
      // is recorded in one write before the first attempt, so a crash resends each under its id.
      const run = runOf(batches, w.cursorIdx);
      if (!(await this.repo.setPending(w.id, holder, pendingOf(run, 0)))) return undefined;
      return this.sendRun(scope, w, holder, run, 1, { claimedAt: performance.now() });
    }
    const cursorIdx = wantsLog ? w.cursorIdx : end;
    const latest = await this.merkle.latestCheckpoint(scope.tenantWide());
    if (!latest) {
      await this.repo.advance(w.id, holder, cursorIdx, w.cursorCheckpoint, later);
      return undefined;
    }
    if (wantsCheckpoints && latest.number > w.cursorCheckpoint && cursorIdx >= latest.treeSize - 1) {
      // Announced once every event it covers was delivered; only the newest one when several were sealed meanwhile.
      const messageId = newMessageId();
      const run: RunMessage[] = [{ messageId, kind: 'checkpoint.sealed', from: cursorIdx, to: cursorIdx, checkpoint: latest.number, message: { kind: 'checkpoint.sealed', checkpoint: notice(latest) } }];
      if (!(await this.repo.setPending(w.id, holder, pendingOf(run, 0)))) return undefined;
      return this.sendRun(scope, w, holder, run, 1);
    }
    await this.repo.advance(w.id, holder, cursorIdx, wantsCheckpoints ? w.cursorCheckpoint : latest.number, later);
    if (wantsLog) this.waitForLog(w, cursorIdx);
    return undefined;
  }

  /**
   * Consecutive batches of the events after `after` (up to `end`) that pass the filters, each
   * within the batch limits, at most `maxBatches` of them: one ClickHouse read serves several
   * messages. `position` of a batch is the last leaf it covers (filtered-out leaves included).
   * A trail entry the destination wants as a kind of its own (alert.triggered) closes the batch
   * before it and becomes a one-entry batch of that kind.
   */
  private async collect(
    scope: TenantScope,
    w: Pick<WebhookRecord, 'organizationId' | 'filters' | 'batchMaxEvents' | 'batchMaxBytes'>,
    after: number,
    end: number,
    committed: number,
    now: number,
    maxBatches = 1,
    /** Stop at a sealed event whose row is not readable yet (replica lag); off when rebuilding a recorded range. */
    holdOnMissing = true,
  ): Promise<{ batches: LogBatch[]; position: number; held: boolean }> {
    const batches: LogBatch[] = [];
    let payloads: string[] = [];
    let bytes = 0;
    let position = after;
    const done = (held: boolean) => {
      if (payloads.length > 0) batches.push({ kind: 'events', payloads, position });
      return { batches, position, held };
    };
    // Every kind obeys the organization filter (routeEntry), so one organization can also be
    // filtered in ClickHouse; an organization-scoped destination's scope already is.
    const orgFilter = w.filters.organizations.length === 1 ? { organizationId: w.filters.organizations[0] } : {};
    // The first window covers the batches asked for when nothing is filtered out; it doubles, up
    // to WINDOW, while filters leave them short. A sealed event not readable yet (replica lag)
    // ends the scan at the leaf before it (`held`).
    const windows = this.walk.windows(scope, {
      after, end, committed, filters: orgFilter, now,
      firstWindow: (w.batchMaxEvents + 1) * maxBatches, maxWindow: WINDOW, maxScanned: MAX_SCAN, trimToMaxScanned: false, hold: holdOnMissing,
    });
    for await (const window of windows) {
      for (const leaf of window.rows) {
        const route = leaf.payload === undefined ? undefined : routeEntry(w, { action: leaf.action!, organization_id: leaf.organizationId });
        if (route !== undefined && route !== 'events') {
          // A trail entry delivered as a kind of its own closes the batch before it.
          if (payloads.length > 0) batches.push({ kind: 'events', payloads, position });
          payloads = [];
          bytes = 0;
          if (batches.length >= maxBatches) return { batches, position, held: false };
          batches.push({ kind: route, payloads: [leaf.payload!], position: leaf.idx });
          position = leaf.idx;
          if (batches.length >= maxBatches) return { batches, position, held: false };
          continue;
        }
        if (route === 'events') {
          if (payloads.length >= w.batchMaxEvents || (payloads.length > 0 && bytes + leaf.payload!.length > w.batchMaxBytes)) {
            batches.push({ kind: 'events', payloads, position });
            payloads = [];
            bytes = 0;
            if (batches.length >= maxBatches) return { batches, position, held: false };
          }
          payloads.push(leaf.payload!);
          bytes += leaf.payload!.length + 1;
        }
        position = leaf.idx;
      }
      if (window.held) return done(true);
    }
    return done(false);
  }

  /**
   * Rebuilds a message from what was recorded of it (the pending batch, or a logged delivery):
   * the same log range through the same filters, or the same checkpoint.
   */
  private async rebuild(
    scope: TenantScope,
    w: WebhookRecord,
    m: { kind: MessageKind; from?: number; to?: number; checkpoint?: number },
  ): Promise<OutgoingMessage> {
    if (m.kind === 'webhook.test') return { kind: m.kind, webhookId: w.id };
    if (m.kind === 'checkpoint.sealed') {
      const cp = await this.merkle.checkpoint(scope.tenantWide(), m.checkpoint ?? 0);
      return { kind: m.kind, checkpoint: cp ? notice(cp) : undefined };
    }
    const committed = (await this.merkle.head(scope.tenantWide()))?.number ?? 0;
    // The destination's kinds as recorded with the message: a trail-kind message is rebuilt as that kind even if its filters changed since.
    const kinds = isTrailMessageKind(m.kind) && !w.filters.kinds.includes(m.kind) ? [...w.filters.kinds, m.kind] : w.filters.kinds;
    const unlimited = { organizationId: w.organizationId, filters: { ...w.filters, kinds }, batchMaxEvents: Number.MAX_SAFE_INTEGER, batchMaxBytes: Number.MAX_SAFE_INTEGER };
    const { batches } = await this.collect(scope, unlimited, m.from ?? -1, m.to ?? -1, committed, this.clock.now(), Number.MAX_SAFE_INTEGER, false);
    return { kind: m.kind, payloads: batches.filter((b) => b.kind === m.kind).flatMap((b) => b.payloads) };
  }

  /** Sends a message to the destination now (signed), and returns the raw result. */
  async send(w: WebhookRecord, messageId: string, stored: OutgoingMessage): Promise<SendResult> {
    return (await this.prepare(w, messageId, stored))();
  }

  /**
   * Everything of an attempt but the request itself: personal data revealed, the body built and
   * signed (https, Splunk HEC, Datadog). The returned function sends it. A run prepares message
   * i + 1 while message i is on the wire (sendRun), so a destination's requests follow each
   * other without the CPU work in between; they still go one at a time, in order.
   */
  private async prepare(w: WebhookRecord, messageId: string, stored: OutgoingMessage): Promise<() => Promise<SendResult>> {
    // Personal data decrypted at send time: a message resent after an erasure reads [erased];
    // restricted values are never sent to a destination.
    const scope = TenantScope.forTenant({ id: w.tenantId, retentionDays: 0 });
    const message = stored.payloads?.length ? { ...stored, payloads: await this.displayed(scope, w, stored.kind, (await this.personal.reveal(scope, stored.payloads, { restricted: false })).texts) } : stored;
    const credentials = w.credentials
      ? (JSON.parse(await this.secrets.open(w, 'credentials', w.credentials)) as S3Credentials & { token?: string; api_key?: string; tls?: SyslogTls })
      : {};
    const counted = async (send: () => Promise<SendResult>): Promise<SendResult> => {
      const result = await send();
      this.metrics.webhookDeliveries.inc({ kind: message.kind, result: result.ok ? 'ok' : 'failed' });
      return result;
    };
    if (w.kind === 's3') return () => counted(() => this.sendToS3(w, messageId, message, credentials));
    if (w.kind === 'sentinel') return () => counted(() => this.sendToSentinel(w, message, credentials as unknown as SentinelCredentials));
    if (w.kind === 'syslog') return () => counted(() => this.sendToSyslog(w, messageId, message, credentials.tls ?? {}));
    const nowMs = Date.now();
    const { body, contentType } = buildBody(w.kind, message, w.masking, this.hashKeyFor(w), nowMs);
    const secrets = [await this.secrets.open(w, 'signing_secret', w.secret)];
    if (w.previousSecret && w.previousSecretUntil && w.previousSecretUntil.getTime() > this.clock.now()) secrets.push(await this.secrets.open(w, 'signing_secret', w.previousSecret));
    const headers: Record<string, string> = { 'content-type': contentType, ...signedHeaders(secrets, messageId, body) };
    if (w.kind === 'splunk_hec' && credentials.token) headers.authorization = `Splunk ${credentials.token}`;
    if (w.kind === 'datadog' && credentials.api_key) headers['dd-api-key'] = credentials.api_key;
    if (w.kind === 'https' && w.options.cloudevents) Object.assign(headers, cloudEventHeaders(w, messageId, message.kind, nowMs));
    const url = new URL(w.url);
    return () => counted(() => this.sender.send(url, headers, body));
  }

  /**
   * Events with `display.message` when the tenant has display templates (docs/webhooks.md
   * "Payloads"), for every kind of destination (CEF msg, LEEF msg, ASIM EventMessage too). The
   * message is rendered from the event as this destination receives it (masked), so a dropped or
   * hashed field never reappears inside the sentence.
   */
  private async displayed(scope: TenantScope, w: WebhookRecord, kind: MessageKind, payloads: string[]): Promise<string[]> {
    if (kind !== 'events') return payloads;
    const displays = await this.displays.forTenant(scope);
    if (!displays) return payloads;
    const masked = w.masking.drop.length > 0 || w.masking.hash.length > 0;
    const key = masked ? this.hashKeyFor(w) : undefined;
    return payloads.map((p) => {
      const event = JSON.parse(p) as Record<string, unknown>;
      const seen = key ? maskEvent(structuredClone(event), w.masking, key) : event;
      return canonicalJson({ ...event, display: { message: displays.message(seen) } });
    });
  }

  /**
   * A sentinel destination: an Entra token (client credentials, cached until shortly before it
   * expires, fetched again after a 401), then the records in calls of at most 1 MB, in order.
   * A failed call fails the attempt; the retry sends the whole message again (at least once:
   * EventOriginalUid identifies each event).
   */
  private async sendToSentinel(w: WebhookRecord, message: OutgoingMessage, c: SentinelCredentials): Promise<SendResult> {
    const key = `${w.id}:${w.updatedAt.getTime()}`;
    const masked = w.masking.drop.length > 0 || w.masking.hash.length > 0;
    const hashKey = masked ? this.hashKeyFor(w) : undefined;
    const events = (message.payloads ?? []).map((p) => (hashKey ? JSON.stringify(maskEvent(JSON.parse(p) as Record<string, unknown>, w.masking, hashKey)) : p));
    const calls = sentinelCalls(sentinelRecords(message, events));
    const target = ingestionUrl(w.url, c);
    let latencyMs = 0;
    let last: SendResult = { ok: true, latencyMs: 0 };
    for (let i = 0; i < calls.length; i++) {
      let token = this.tokens.get(key);
      if (!token || token.refreshAt <= performance.now()) {
        const t = await this.sender.send(tokenUrl(c), { 'content-type': 'application/x-www-form-urlencoded' }, tokenRequestBody(c), { internal: true, bodyCap: 64 * 1024 });
        latencyMs += t.latencyMs;
        let parsed: { access_token?: unknown; expires_in?: unknown } = {};
        try {
          parsed = t.ok && t.body ? (JSON.parse(t.body) as typeof parsed) : {};
        } catch {
          parsed = {};
        }
        if (typeof parsed.access_token !== 'string') {
          // The answer of the token endpoint is never logged (it could carry a token).
          return { ok: false, status: t.status, error: t.ok ? 'sentinel_token_invalid' : `sentinel_token_${t.error ?? `http_${t.status}`}`, latencyMs, retryAfterMs: t.retryAfterMs };
        }
        const lifeMs = (typeof parsed.expires_in === 'number' ? parsed.expires_in : Number(parsed.expires_in ?? 3600)) * 1000;
        token = { token: parsed.access_token, refreshAt: performance.now() + Math.max(0, lifeMs - Math.min(300_000, lifeMs / 2)) };
        this.tokens.set(key, token);
        if (this.tokens.size > 1000) this.tokens.delete(this.tokens.keys().next().value!);
      }
      last = await this.sender.send(target, { 'content-type': 'application/json', authorization: `Bearer ${token.token}` }, calls[i]!);
      latencyMs += last.latencyMs;
      if (last.status === 401) this.tokens.delete(key);
      if (!last.ok) return { ...last, latencyMs, body: calls.length > 1 ? `call ${i + 1} of ${calls.length}: ${last.body ?? ''}` : last.body };
    }
    return { ...last, latencyMs, body: calls.length > 1 ? `${calls.length} calls` : last.body };
  }

  /** A syslog destination: one RFC 5424 message per event (CEF or LEEF), octet-counted, over one TCP or TLS connection. */
  private async sendToSyslog(w: WebhookRecord, messageId: string, message: OutgoingMessage, tls: SyslogTls): Promise<SendResult> {
    const target = parseSyslogUrl(w.url);
    if (!target) return { ok: false, error: 'webhook_url_invalid', latencyMs: 0 };
    const masked = w.masking.drop.length > 0 || w.masking.hash.length > 0;
    const key = masked ? this.hashKeyFor(w) : undefined;
    const events = (message.payloads ?? []).map((p) => (key ? JSON.stringify(maskEvent(JSON.parse(p) as Record<string, unknown>, w.masking, key)) : p));
    const format: SyslogFormat = w.options.format ?? 'cef';
    const payload = syslogFrames(message, events, format, w.tenantId, messageId, VERSION);
    return this.sender.sendSyslog(target, tls, payload);
  }

  /** An s3 destination: one gzip NDJSON object per message, keyed by the message id (a retry overwrites it). */
  private async sendToS3(w: WebhookRecord, messageId: string, message: OutgoingMessage, c: S3Credentials): Promise<SendResult> {
    const { bucket, prefix } = parseS3Url(w.url)!;
    // A destination stored without its own keys (before they were required) is never signed
    // with the server's identity: it fails until the tenant sets credentials (PEN-04).
    if (!hasOwnKeys(c)) return { ok: false, error: 's3_credentials_missing', latencyMs: 0 };
    const writer = this.sender.s3Writer(`${w.id}:${w.updatedAt.getTime()}`, {
      bucket,
      prefix,
      region: c.region ?? 'us-east-1',
      endpoint: c.endpoint,
      forcePathStyle: c.force_path_style ?? c.endpoint !== undefined,
      accessKeyId: c.access_key_id,
      secretAccessKey: c.secret_access_key,
    });
    const createdAt = messageCreatedAt(messageId) ?? Date.now();
    const lines = ndjsonLines(message, w.masking, this.hashKeyFor(w));
    const suffix = message.kind === 'events' ? '.ndjson.gz' : `.${message.kind}.ndjson.gz`;
    return writer.put(objectKey(prefix, messageId, createdAt, suffix), gzipSync(lines), 'application/x-ndjson', 'gzip');
  }

  /**
   * Sends recorded messages in order, while they succeed and for at most one timeout's worth of
   * time (the lease lasts two). Successes are recorded once, at the end: the cursor moves past the
   * last one, the next recorded message (if any) becomes the pending one, and the delivery-log rows
   * are written in the same transaction — one write for the whole run instead of two per message.
   * A crash before that write resends the run's messages under their recorded ids (at least once:
   * receivers deduplicate by webhook-id). A failure records what succeeded before it, then the
   * failure of the message that failed, which stays pending with the rest of the run behind it.
   */
  private async sendRun(
    scope: TenantScope,
    w: WebhookRecord,
    holder: string,
    run: RunMessage[],
    firstAttempt: number,
    /** A run just formed from the log: when the claim was made, and the first message if already prepared. */
    fresh?: { claimedAt: number; first?: Promise<PreparedMessage> },
  ): Promise<AttemptOutcome | undefined> {
    const started = performance.now();
    // The claim may go on after this run: the next one is read while this one is on the wire.
    const mayGoOn = fresh !== undefined && started - fresh.claimedAt < this.config.webhooks.timeoutMs;
    const ahead = mayGoOn ? this.readAhead(scope, w, run[run.length - 1]!.to) : undefined;
    ahead?.catch(() => undefined);
    const deliveries: (Omit<DeliveryRecord, 'createdAt'> & { tenantId: string })[] = [];
    let current = w;
    // Message i + 1 is prepared (revealed, built, signed) while message i is being sent.
    let prepared: Promise<PreparedMessage> | undefined = fresh?.first ?? this.prepareRunMessage(scope, w, run[0]!);
    for (let i = 0; i < run.length; i++) {
      const m = run[i]!;
      const { message, dispatch } = await prepared!;
      prepared = undefined;
      if (i + 1 < run.length && performance.now() - started <= this.config.webhooks.timeoutMs) {
        prepared = this.prepareRunMessage(scope, w, run[i + 1]!);
        // Awaited on the next turn; its failure must not go unhandled if the run ends first.
        prepared.catch(() => undefined);
      }
      const attempt = i === 0 ? firstAttempt : 1;
      const eventCount = message.payloads?.length ?? 0;
      const fromLog = message.kind === 'events' || isTrailMessageKind(message.kind);
      const result = await dispatch();
      const delivery = {
        id: uuidv7().id,
        webhookId: w.id,
        tenantId: w.tenantId,
        messageId: m.messageId,
        kind: message.kind,
        eventCount,
        fromIdx: fromLog ? m.from + 1 : undefined,
        toIdx: fromLog ? m.to : undefined,
        checkpoint: m.checkpoint,
        attempt,
        ...attemptOutcome(result),
      };
      const outcome: AttemptOutcome = { result, messageId: m.messageId, kind: message.kind, eventCount };
      if (!result.ok) {
        if (i > 0) {
          if (!(await this.repo.succeeded(w.id, holder, current.cursorIdx, current.cursorCheckpoint, this.stamps.date(), true, pendingOf(run, i), deliveries))) return outcome;
        }
        await this.repo.recordDelivery(delivery);
        await this.failed(scope, current, holder, result);
        return outcome;
      }
      deliveries.push(delivery);
      current = { ...current, cursorIdx: m.to, cursorCheckpoint: Math.max(current.cursorCheckpoint, m.checkpoint ?? 0), consecutiveFailures: 0, failingSince: undefined };
      // The run ends with its last message, or after one timeout's worth of time (nothing was prepared then).
      if (prepared === undefined) {
        const next = i < run.length - 1 ? pendingOf(run, i + 1) : undefined;
        if (next === undefined && ahead !== undefined && performance.now() - fresh!.claimedAt < this.config.webhooks.timeoutMs) {
          // The whole run arrived and more was read meanwhile: recorded together, sent under the same claim.
          const following = await ahead.catch(() => []);
          if (following.length > 0) {
            const nextRun = runOf(following, m.to);
            // Its first message is prepared while the turn is recorded (sent only once it is).
            const first = this.prepareRunMessage(scope, current, nextRun[0]!);
            first.catch(() => undefined);
            const continued = await this.repo.succeededAndContinue(w.id, holder, m.to, current.cursorCheckpoint, w.updatedAt, this.leaseMs, pendingOf(nextRun, 0), deliveries);
            return continued ? this.sendRun(scope, current, holder, nextRun, 1, { claimedAt: fresh!.claimedAt, first }) : outcome;
          }
        }
        const now = this.stamps.now();
        // More may be waiting right behind a full batch (or recorded next): come back at once; otherwise after the batch interval.
        const full = next !== undefined || (message.kind === 'events' && eventCount >= w.batchMaxEvents);
        await this.repo.succeeded(w.id, holder, m.to, current.cursorCheckpoint, new Date(full ? now : now + intervalOf(w)), false, next, deliveries);
        return outcome;
      }
    }
    return undefined;
  }

  /**
   * The batches after `after` (where the run being sent ends), read while that run is sent: the
   * claim goes on with them if the whole run arrives. Nothing when the tenant is no longer active
   * or the log has nothing more (the destination then waits as after any run).
   */
  private async readAhead(scope: TenantScope, w: WebhookRecord, after: number): Promise<LogBatch[]> {
    const [tenant, head] = await Promise.all([this.tenants.get(w.tenantId), this.merkle.head(scope.tenantWide())]);
    if (!tenant || tenant.status !== 'active' || !head || head.treeSize - 1 <= after) return [];
    return (await this.collect(scope, w, after, head.treeSize - 1, head.number, this.clock.now(), BATCHES_PER_CLAIM)).batches;
  }

  /** A message of a run, ready to send: its content (rebuilt from its range when not just formed) and its request, signed. */
  private async prepareRunMessage(scope: TenantScope, w: WebhookRecord, m: RunMessage): Promise<PreparedMessage> {
    const message = m.message ?? (await this.rebuild(scope, w, m));
    const eventCount = message.payloads?.length ?? 0;
    const fromLog = message.kind === 'events' || isTrailMessageKind(message.kind);
    // A pending batch whose events all expired meanwhile: nothing left to send, move on.
    if (fromLog && eventCount === 0) return { message, dispatch: () => Promise.resolve({ ok: true, latencyMs: 0, body: '(nothing left to send: the events expired)' }) };
    if (message.kind === 'checkpoint.sealed' && !message.checkpoint) return { message, dispatch: () => Promise.resolve({ ok: true, latencyMs: 0, body: '(checkpoint no longer available)' }) };
    return { message, dispatch: await this.prepare(w, m.messageId, message) };
  }

  /** The pending message failed: retry later, or disable the destination. */
  private async failed(scope: TenantScope, w: WebhookRecord, holder: string, result: SendResult): Promise<void> {
    // failing_since and next_attempt_at are PostgreSQL times: judged by the stamping clock.
    const now = this.stamps.now();
    const error = result.error ?? `http_${result.status}`;
    const failingSince = w.failingSince?.getTime() ?? now;
    let disable: string | undefined;
    if (result.status === 410) disable = 'gone';
    else if (now - failingSince >= this.config.webhooks.disableAfterMs) disable = 'failing';
    const delay = retryDelayMs(this.config.webhooks.retryScheduleMs, w.consecutiveFailures + 1, result.retryAfterMs);
    await this.repo.failed(w.id, holder, error, new Date(now + delay), disable);
    if (disable) {
      this.logger.warn({ webhook_id: w.id, tenant_id: w.tenantId, reason: disable }, 'webhook disabled');
      await this.trail.record(scope, {
        action: 'veritrail.webhook.disabled',
        actor: WEBHOOKS_ACTOR,
        outcome: 'failure',
        targets: [{ type: 'webhook', id: w.id, name: w.name }],
        metadata: { reason: disable, last_error: error, consecutive_failures: w.consecutiveFailures + 1 },
        organizationId: w.organizationId,
      });
    }
  }

  /** A logged delivery, sent again now under its original webhook-id (redeliver). */
  async redeliver(scope: TenantScope, w: WebhookRecord, d: { messageId: string; kind: MessageKind; fromIdx?: number; toIdx?: number; checkpoint?: number }): Promise<SendResult> {
    const destination = scope.withOrganization(w.organizationId);
    const message = await this.rebuild(destination, w, { kind: d.kind, from: d.fromIdx === undefined ? undefined : d.fromIdx - 1, to: d.toIdx, checkpoint: d.checkpoint });
    return this.send(w, d.messageId, message);
  }

  private hashKeyFor(w: WebhookRecord): Buffer {
    if (!this.maskKey) throw new Error('WebhookDeliveryService not initialised');
    return createHmac('sha256', this.maskKey).update(`${w.tenantId}\n${w.id}`).digest();
  }
}

/** A message of a run: its recorded id and range, and its content when just formed (else rebuilt from the range). */
interface RunMessage {
  messageId: string;
  kind: MessageKind;
  from: number;
  to: number;
  checkpoint?: number;
  message?: OutgoingMessage;
}

/** A message of a run with its request built and signed, not sent yet. */
interface PreparedMessage {
  message: OutgoingMessage;
  dispatch: () => Promise<SendResult>;
}

/** Consecutive batches as the messages of a run, the first starting after `after`, each under a fresh id. */
function runOf(batches: LogBatch[], after: number): RunMessage[] {
  const run: RunMessage[] = [];
  for (const b of batches) run.push({ messageId: newMessageId(), kind: b.kind, from: run[run.length - 1]?.to ?? after, to: b.position, message: { kind: b.kind, payloads: b.payloads } });
  return run;
}

/** Message `i` of the run as the pending one, with the rest of the run planned after it. */
function pendingOf(run: RunMessage[], i: number): PendingMessage {
  const m = run[i]!;
  return { messageId: m.messageId, kind: m.kind, from: m.from, to: m.to, checkpoint: m.checkpoint, plan: run.slice(i + 1).map((n) => ({ messageId: n.messageId, kind: n.kind, to: n.to })) };
}

/** Messages formed from the log: a batch of events, or one trail entry delivered as its own kind. */
interface LogBatch {
  kind: 'events' | TrailMessageKind;
  payloads: string[];
  position: number;
}

/** The destination's batch interval, never below the minimum (a row stored with 0 must not make an idle destination spin). */
function intervalOf(w: Pick<WebhookRecord, 'batchIntervalMs'>): number {
  return Math.max(w.batchIntervalMs, MIN_BATCH_INTERVAL_MS);
}

function notice(c: CheckpointRecord): CheckpointNotice {
  return { tenant: c.tenantId, number: c.number, tree_size: c.treeSize, root: c.root, sealed_at: c.sealedAt.toISOString(), jws: c.jws };
}
