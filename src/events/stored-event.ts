import { hash } from 'node:crypto';
import { toClickhouseDateTime64 } from '../common/time.js';
import { assembleCanonical } from '../common/canonical.js';
import type { ValidEvent } from './event-rules.js';

const SEARCH_TEXT_LIMIT = 16 * 1024;

/** One event ready for the events table, serialised once (JSONEachRow line). */
export interface StoredEvent {
  id: string;
  receivedAtMs: number;
  occurredAtMs: number;
  organizationId: string;
  /** Canonical JSON exactly as stored and hashed. */
  payload: string;
  /** RFC 6962 leaf hash: SHA-256(0x00 || payload), hex. */
  leafHash: string;
  line: string;
}

export interface StoredEventContext {
  tenantId: string;
  id: string;
  receivedAtMs: number;
  /** Blind-index columns and the IP column of events with protected personal data (src/privacy). */
  index?: { piiTokens: string[]; piiSubjects: string[]; ip?: string };
}

/** Encrypted values are never indexed as text (src/personal-data/field-crypto.ts). */
const ENCRYPTED = 'vt-enc:';

/**
 * Turns a validated event into its stored form. The payload is the canonical JSON of the event
 * as the API returns it (request fields + id + received_at + flags); every other column is a
 * derived copy for filtering, so integrity checks only ever need the payload.
 */
export function buildStoredEvent(ev: ValidEvent, ctx: StoredEventContext): StoredEvent {
  const received = receivedTexts(ctx.receivedAtMs);
  const extra: Record<string, unknown> = { id: ctx.id, received_at: received.iso };
  if (ev.flags.length > 0) extra.flags = ev.flags;
  const payload = assembleCanonical(ev.members, extra);
  // The 0x00 leaf prefix as the first UTF-8 byte of the hashed text (one call, no Hash object per event).
  const leafHash = hash('sha256', `\u0000${payload}`, 'hex');
  const input = ev.input;
  const organizationId = input.organization_id ?? '';
  const line = JSON.stringify({
    tenant_id: ctx.tenantId,
    organization_id: organizationId,
    occurred_at: toClickhouseDateTime64(ev.occurredAtMs),
    id: ctx.id,
    received_at: received.clickhouse,
    action: input.action,
    outcome: input.outcome ?? 'unknown',
    actor_type: input.actor.type,
    actor_id: input.actor.id,
    on_behalf_of_id: input.actor.on_behalf_of?.id ?? '',
    impersonator_id: input.actor.impersonator?.id ?? '',
    target_ids: input.targets?.map((t) => t.id) ?? [],
    target_types: input.targets?.map((t) => t.type) ?? [],
    ip: ctx.index?.ip ?? input.context?.ip ?? '',
    flags: ev.flags,
    payload,
    leaf_hash: leafHash,
    search_text: searchText(ev),
    pii_tokens: ctx.index?.piiTokens ?? [],
    pii_subjects: ctx.index?.piiSubjects ?? [],
  });
  return { id: ctx.id, receivedAtMs: ctx.receivedAtMs, occurredAtMs: ev.occurredAtMs, organizationId, payload, leafHash, line };
}

let lastReceived = { ms: Number.NaN, iso: '', clickhouse: '' };

/** received_at as the payload and the column spell it; the events of a request share one receipt time, so the last is kept. */
function receivedTexts(ms: number): { iso: string; clickhouse: string } {
  if (lastReceived.ms !== ms) lastReceived = { ms, iso: new Date(ms).toISOString(), clickhouse: toClickhouseDateTime64(ms) };
  return lastReceived;
}

/** Lower-cased text the `q` filter searches: identifiers, names and string values. */
function searchText(ev: ValidEvent): string {
  const parts: string[] = [];
  let size = 0;
  const add = (s: string | undefined) => {
    if (!s || size > SEARCH_TEXT_LIMIT || s.startsWith(ENCRYPTED)) return;
    parts.push(s);
    size += s.length + 1;
  };
  const walk = (v: unknown) => {
    if (size > SEARCH_TEXT_LIMIT) return;
    if (typeof v === 'string') add(v);
    else if (typeof v === 'number' || typeof v === 'boolean') add(String(v));
    else if (v && typeof v === 'object') for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x);
  };
  const i = ev.input;
  add(i.action);
  add(i.organization_id);
  add(i.actor.id);
  add(i.actor.name);
  add(i.actor.email);
  add(i.actor.on_behalf_of?.id);
  add(i.actor.on_behalf_of?.name);
  add(i.actor.impersonator?.id);
  add(i.actor.impersonator?.name);
  for (const t of i.targets ?? []) {
    add(t.type);
    add(t.id);
    add(t.name);
  }
  if (i.context) walk(i.context);
  for (const c of i.changes ?? []) {
    add(c.field);
    walk(c.before);
    walk(c.after);
  }
  walk(i.actor.metadata);
  walk(i.metadata);
  return parts.join('\n').toLowerCase().slice(0, SEARCH_TEXT_LIMIT);
}
