import { createHmac } from 'node:crypto';
import { uuidv7, uuidv7Timestamp } from '../common/ids.js';
import { ActionMatcher } from '../events/action-pattern.js';
import type { SendResult } from './webhook-sender.js';
import type { MessageKind, WebhookFilters, WebhookKind, WebhookMasking } from './webhooks.repository.js';
import { isTrailMessageKind, TRAIL_MESSAGE_KINDS, trailKindOf, type TrailMessageKind } from './webhooks.schema.js';

/** A new webhook-id: `msg_` + the 32 hex digits of a UUIDv7 (so it also says when the message was formed). */
export function newMessageId(): string {
  return `msg_${uuidv7().id.replaceAll('-', '')}`;
}

/** When a message id was made (ms), from the UUIDv7 inside it. */
export function messageCreatedAt(messageId: string): number | undefined {
  const h = messageId.slice(4);
  return uuidv7Timestamp(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
}

/** The outcome fields of a delivery-log row for one attempt. */
export function attemptOutcome(r: SendResult): { succeeded: boolean; responseStatus: number | undefined; responseBody: string | undefined; error: string | undefined; latencyMs: number } {
  return {
    succeeded: r.ok,
    responseStatus: r.status,
    responseBody: r.body,
    error: r.ok ? undefined : (r.error ?? `http_${r.status}`),
    latencyMs: r.latencyMs,
  };
}

/** Compiled action filters per destination filter list (the list objects live as long as the cached destination). */
const actionMatchers = new WeakMap<readonly string[], ActionMatcher>();

/** True when the action passes the destination's `actions` filter (the shared linear matcher; empty: all). */
export function matchesActions(action: string, actions: readonly string[]): boolean {
  if (actions.length === 0) return true;
  let matcher = actionMatchers.get(actions);
  if (!matcher) actionMatchers.set(actions, (matcher = new ActionMatcher(actions)));
  return matcher.test(action);
}

/** True when the event's action and organization pass the destination's filters. */
export function matchesFilters(ev: { action: string; organization_id?: string }, f: WebhookFilters): boolean {
  return matchesActions(ev.action, f.actions) && organizationAllowed({ organizationId: undefined, filters: f }, ev.organization_id);
}

/** What the organization rule looks at: the creator's organization (organization-scoped) and the filter. */
export interface OrganizationBound {
  organizationId: string | undefined;
  filters: Pick<WebhookFilters, 'organizations'>;
}

/**
 * The organization rule, for every message kind built from the log (events, alerts, notices):
 * an entry of an organization reaches a destination only if its creator was not scoped to
 * another organization and its `organizations` filter is empty or names it; an entry without an
 * organization reaches only destinations with neither a scope nor a filter.
 */
export function organizationAllowed(w: OrganizationBound, organizationId: string | undefined): boolean {
  const org = organizationId === '' ? undefined : organizationId;
  if (w.organizationId !== undefined && org !== w.organizationId) return false;
  if (w.filters.organizations.length > 0 && (org === undefined || !w.filters.organizations.includes(org))) return false;
  return true;
}

/**
 * How a destination receives one entry of its tenant's log: in an `events` batch, as a trail
 * kind of its own (alert.triggered, privacy.notice), or not at all (undefined). The one place
 * the destination filters are applied to the log; WebhooksService asks it too (who received a
 * subject's data, who will be told of an erasure).
 */
export function routeEntry(w: OrganizationBound & { filters: WebhookFilters }, entry: { action: string; organization_id?: string }): 'events' | TrailMessageKind | undefined {
  if (!organizationAllowed(w, entry.organization_id)) return undefined;
  const trailKind = trailKindOf(entry.action, w.filters.kinds);
  if (trailKind) return trailKind;
  if (!w.filters.kinds.includes('event')) return undefined;
  // GDPR Art. 19: a destination that receives events is a recipient of personal data and is told
  // of rectifications and erasures (privacy.notice) for its organizations, subscribed or not.
  if (entry.action === TRAIL_MESSAGE_KINDS['privacy.notice']) return 'privacy.notice';
  return matchesActions(entry.action, w.filters.actions) ? 'events' : undefined;
}

/**
 * Per-destination PII masking on a parsed event: `drop` removes the fields, `hash` replaces
 * each value by `hmac-sha256:<hex>` under a key derived for this destination, so the receiver
 * can still join on it (same input, same output) without learning the value. Paths are dotted;
 * `targets.id` applies to every target.
 */
export function maskEvent(ev: Record<string, unknown>, masking: WebhookMasking, hashKey: Buffer): Record<string, unknown> {
  if (masking.drop.length === 0 && masking.hash.length === 0) return ev;
  const apply = (obj: unknown, path: string[], fn: (parent: Record<string, unknown>, key: string) => void): void => {
    if (Array.isArray(obj)) {
      for (const item of obj) apply(item, path, fn);
      return;
    }
    if (obj === null || typeof obj !== 'object') return;
    const o = obj as Record<string, unknown>;
    const [head, ...rest] = path;
    if (head === undefined || !Object.hasOwn(o, head)) return;
    if (rest.length === 0) fn(o, head);
    else apply(o[head], rest, fn);
  };
  for (const p of masking.drop) apply(ev, p.split('.'), (o, k) => delete o[k]);
  for (const p of masking.hash) {
    apply(ev, p.split('.'), (o, k) => {
      const v = o[k];
      if (v === undefined || v === null) return;
      o[k] = `hmac-sha256:${createHmac('sha256', hashKey).update(typeof v === 'string' ? v : JSON.stringify(v)).digest('hex')}`;
    });
  }
  return ev;
}

export interface CheckpointNotice {
  tenant: string;
  number: number;
  tree_size: number;
  root: string;
  sealed_at: string;
  jws: string;
}

export interface OutgoingMessage {
  kind: MessageKind;
  /** Stored event payloads (canonical JSON), already filtered; for a trail kind (alert.triggered) the one entry. */
  payloads?: string[];
  checkpoint?: CheckpointNotice;
  webhookId?: string;
}

/**
 * The request body for a destination kind. `https`: a Standard Webhooks JSON envelope
 * `{type, timestamp, data}`; `splunk_hec`: HEC event objects, one per line; `datadog`: a JSON
 * array for the logs intake API (v2). Events are passed through as stored unless masking
 * applies (then parsed, masked and re-serialised). A trail kind (alert.triggered) carries its
 * trail entry as `data` (https), as the HEC event, or as the Datadog `veritrail` attribute.
 */
export function buildBody(kind: WebhookKind, m: OutgoingMessage, masking: WebhookMasking, hashKey: Buffer, nowMs = Date.now()): { body: Buffer; contentType: string } {
  const masked = masking.drop.length > 0 || masking.hash.length > 0;
  const events = (m.payloads ?? []).map((p) => (masked ? JSON.stringify(maskEvent(JSON.parse(p) as Record<string, unknown>, masking, hashKey)) : p));
  const timestamp = new Date(nowMs).toISOString();
  if (isTrailMessageKind(m.kind)) {
    const entry = events[0] ?? 'null';
    const type = JSON.stringify(m.kind);
    if (kind === 'https') return { body: Buffer.from(`{"type":${type},"timestamp":${JSON.stringify(timestamp)},"data":${entry}}`), contentType: 'application/json' };
    if (kind === 'splunk_hec') {
      return { body: Buffer.from(`{"time":${occurredSeconds(entry)},"source":"veritrail","sourcetype":${JSON.stringify(`veritrail:${m.kind}`)},"event":${entry}}`), contentType: 'application/json' };
    }
    return { body: Buffer.from(`[{"ddsource":"veritrail","service":"veritrail","status":"warn","message":${type},"veritrail":${entry}}]`), contentType: 'application/json' };
  }
  if (kind === 'https') {
    const data =
      m.kind === 'events'
        ? `{"events":[${events.join(',')}]}`
        : m.kind === 'checkpoint.sealed'
          ? JSON.stringify(m.checkpoint)
          : JSON.stringify({ webhook_id: m.webhookId, message: 'This is a test delivery from Veritrail.' });
    return { body: Buffer.from(`{"type":${JSON.stringify(m.kind)},"timestamp":${JSON.stringify(timestamp)},"data":${data}}`), contentType: 'application/json' };
  }
  if (kind === 'splunk_hec') {
    const lines =
      m.kind === 'events'
        ? events.map((e) => `{"time":${occurredSeconds(e)},"source":"veritrail","sourcetype":"veritrail:audit","event":${e}}`)
        : [`{"time":${nowMs / 1000},"source":"veritrail","sourcetype":"veritrail:${m.kind}","event":${JSON.stringify(m.kind === 'checkpoint.sealed' ? m.checkpoint : { type: m.kind, webhook_id: m.webhookId })}}`];
    return { body: Buffer.from(lines.join('\n')), contentType: 'application/json' };
  }
  // datadog
  const entries =
    m.kind === 'events'
      ? events.map((e) => {
          const ev = JSON.parse(e) as { action: string; outcome?: string };
          return `{"ddsource":"veritrail","service":"veritrail","status":${JSON.stringify(ev.outcome === 'failure' ? 'warn' : 'info')},"message":${JSON.stringify(ev.action)},"veritrail":${e}}`;
        })
      : [JSON.stringify({ ddsource: 'veritrail', service: 'veritrail', status: 'info', message: m.kind, veritrail: m.kind === 'checkpoint.sealed' ? m.checkpoint : { webhook_id: m.webhookId } })];
  return { body: Buffer.from(`[${entries.join(',')}]`), contentType: 'application/json' };
}

/** NDJSON of a message (s3 destinations): the events, masked; or the checkpoint / test object. */
export function ndjsonLines(m: OutgoingMessage, masking: WebhookMasking, hashKey: Buffer): string {
  const masked = masking.drop.length > 0 || masking.hash.length > 0;
  if (m.kind === 'events') {
    return (m.payloads ?? []).map((p) => `${masked ? JSON.stringify(maskEvent(JSON.parse(p) as Record<string, unknown>, masking, hashKey)) : p}\n`).join('');
  }
  if (isTrailMessageKind(m.kind)) {
    return (m.payloads ?? []).map((p) => `{"type":${JSON.stringify(m.kind)},"data":${masked ? JSON.stringify(maskEvent(JSON.parse(p) as Record<string, unknown>, masking, hashKey)) : p}}\n`).join('');
  }
  return `${JSON.stringify(m.kind === 'checkpoint.sealed' ? { type: m.kind, ...m.checkpoint } : { type: m.kind, webhook_id: m.webhookId })}\n`;
}

function occurredSeconds(eventJson: string): number {
  const m = /"occurred_at":"([^"]+)"/.exec(eventJson);
  const ms = m ? Date.parse(m[1]!) : Date.now();
  return ms / 1000;
}

/** Delay before the next attempt: the schedule (WEBHOOK_RETRY_SCHEDULE) ±20 % jitter, so recovering receivers are not hit by every sender at once; at least Retry-After (capped at a day). */
export function retryDelayMs(schedule: readonly number[], failures: number, retryAfterMs: number | undefined, random = Math.random): number {
  const base = schedule[Math.min(Math.max(failures, 1), schedule.length) - 1]!;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, 86_400_000));
}
