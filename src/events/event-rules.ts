import { isIP } from 'node:net';
import type { ErrorDetail } from '../common/errors.js';
import { formatPath } from '../common/json-body.js';
import { schemaErrors } from '../common/schema.js';
import { parseRfc3339 } from '../common/time.js';
import { canonicalMembers, type CanonicalMembers } from '../common/canonical.js';
import { EventInputSchema, LIMITS, SERVER_OWNED_FIELDS, type EventInput } from './event.schema.js';

/** C0/C1 control characters: never part of an identifier. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Bidi controls and zero-width characters ("Trojan Source"): can make an identifier render as another. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** The delegation parties of an actor (docs/api.md "Delegation"). */
export const DELEGATION_ROLES = ['on_behalf_of', 'impersonator'] as const;

const OLD_EVENT_MS = 365 * 86_400_000;
/** Prefix of the strings that hold encrypted personal data in stored events (src/privacy). */
export const RESERVED_VALUE_PREFIX = 'vt-enc:';
const MIN_TIME_MS = Date.UTC(1900, 0, 1);

/** A validated event, normalised (UTC occurred_at, default outcome) and canonicalised once. */
export interface ValidEvent {
  input: EventInput;
  occurredAtMs: number;
  flags: string[];
  /** Top-level members of the canonical JSON of `input` (see assembleCanonical). */
  members: CanonicalMembers;
}

export type EventCheck = { ok: true; event: ValidEvent } | { ok: false; details: ErrorDetail[] };

/**
 * Every rule of the event contract. Structural rules come from EventInputSchema (the same
 * schema the OpenAPI document shows); the rules below are the ones JSON Schema cannot say.
 * `prefix`/`index` place the errors inside a batch (`events[3].actor.id`, index 3).
 */
export function checkEvent(raw: unknown, now: number, prefix: (string | number)[] = [], index?: number): EventCheck {
  const structural = schemaErrors(EventInputSchema, raw, prefix, index).map((d) => markServerOwned(d, prefix));
  if (structural.length > 0) return { ok: false, details: structural };
  const input = raw as EventInput;
  const details: ErrorDetail[] = [];
  const flags = new Set<string>();
  const at = (path: (string | number)[], code: string, message: string) => {
    const d: ErrorDetail = { field: formatPath([...prefix, ...path]), code, message };
    if (index !== undefined) d.index = index;
    details.push(d);
  };

  if (input.action.startsWith('veritrail.')) at(['action'], 'reserved_action', 'The veritrail.* namespace is reserved for events Veritrail records itself.');

  const t = parseRfc3339(input.occurred_at);
  let occurredAtMs = 0;
  if (!t.ok) {
    at(
      ['occurred_at'],
      t.reason === 'missing_offset' ? 'missing_timezone' : 'invalid_format',
      t.reason === 'missing_offset'
        ? 'A time zone offset is required (Z or ±hh:mm).'
        : t.reason === 'range'
          ? 'Not a valid calendar date and time.'
          : 'Must be an RFC 3339 date-time, e.g. 2026-11-22T10:00:00.123Z.',
    );
  } else {
    occurredAtMs = t.ms;
    if (t.ms > now + LIMITS.futureSkewMs) at(['occurred_at'], 'in_future', 'Must not be more than 5 minutes in the future.');
    else if (t.ms < MIN_TIME_MS) at(['occurred_at'], 'out_of_range', 'Must be after 1900-01-01.');
    else if (t.ms < now - OLD_EVENT_MS) flags.add('implausible_timestamp');
  }

  // Identifiers: no control characters, no invisible/bidi characters.
  const identifiers: [(string | number)[], string | undefined][] = [
    [['organization_id'], input.organization_id],
    [['actor', 'id'], input.actor.id],
    [['actor', 'email'], input.actor.email],
    [['context', 'ip'], input.context?.ip],
    [['context', 'request_id'], input.context?.request_id],
    [['context', 'session_id'], input.context?.session_id],
  ];
  for (const role of DELEGATION_ROLES) {
    const party = input.actor[role];
    if (party !== undefined) identifiers.push([['actor', role, 'id'], party.id]);
  }
  input.targets?.forEach((target, i) => {
    identifiers.push([['targets', i, 'type'], target.type], [['targets', i, 'id'], target.id]);
  });
  input.changes?.forEach((c, i) => identifiers.push([['changes', i, 'field'], c.field]));
  for (const [path, value] of identifiers) {
    if (value === undefined) continue;
    if (CONTROL.test(value)) at(path, 'invalid_characters', 'Control characters are not allowed in identifiers.');
    else if (INVISIBLE.test(value)) at(path, 'suspicious_unicode', 'Bidirectional-control and zero-width characters are not allowed in identifiers.');
  }

  // Delegation: a party is someone other than the actor (acting for or as oneself says nothing).
  for (const role of DELEGATION_ROLES) {
    const party = input.actor[role];
    if (party !== undefined && party.id === input.actor.id && party.type === input.actor.type) {
      at(['actor', role, 'id'], 'same_as_actor', 'Must name someone other than the actor.');
    }
  }

  if (input.context?.ip !== undefined && isIP(input.context.ip) === 0) at(['context', 'ip'], 'invalid_format', 'Must be an IPv4 or IPv6 address.');

  const metadataFields: [(string | number)[], Record<string, unknown> | undefined][] = [
    [['metadata'], input.metadata],
    [['actor', 'metadata'], input.actor.metadata],
  ];
  input.targets?.forEach((target, i) => metadataFields.push([['targets', i, 'metadata'], target.metadata]));
  for (const [path, value] of metadataFields) {
    if (value === undefined) continue;
    if (depthOf(value) > LIMITS.metadataDepth) {
      at(path, 'max_depth_exceeded', `At most ${LIMITS.metadataDepth} levels of nesting.`);
    } else if (Buffer.byteLength(JSON.stringify(value)) > LIMITS.metadataBytes) {
      at(path, 'too_large', `At most ${LIMITS.metadataBytes} bytes when serialised.`);
    }
  }

  // Encrypted personal data is stored as "vt-enc:…" strings: a client cannot send one.
  for (const path of reservedStrings(input)) at(path, 'reserved_value', `Values starting with "${RESERVED_VALUE_PREFIX}" are reserved for encrypted personal data.`);

  if (details.length > 0) return { ok: false, details };

  // Free text keeps what was sent, but invisible characters are flagged for reviewers.
  if (hasInvisibleText(input)) flags.add('suspicious_unicode');

  const normalised: EventInput = { ...input, occurred_at: new Date(occurredAtMs).toISOString(), outcome: input.outcome ?? 'unknown' };
  const members = canonicalMembers(normalised as unknown as Record<string, unknown>);
  let bytes = 0;
  for (const [k, v] of members) bytes += Buffer.byteLength(k) + Buffer.byteLength(v) + 4;
  if (bytes > LIMITS.eventBytes) {
    at([], 'event_too_large', `The event is larger than ${LIMITS.eventBytes} bytes.`);
    return { ok: false, details };
  }
  return { ok: true, event: { input: normalised, occurredAtMs, flags: [...flags].sort(), members } };
}

function markServerOwned(d: ErrorDetail, prefix: (string | number)[]): ErrorDetail {
  if (d.code !== 'unknown_field') return d;
  const top = formatPath(prefix);
  for (const f of SERVER_OWNED_FIELDS) {
    if (d.field === (top ? `${top}.${f}` : f)) {
      return { ...d, code: 'server_owned_field', message: 'This field is set by the server; do not send it.' };
    }
  }
  return d;
}

/** Depth of nested objects/arrays; a flat object is 1. */
function depthOf(value: unknown, level = 0): number {
  if (value === null || typeof value !== 'object') return level;
  let max = level + 1;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    if (v !== null && typeof v === 'object') max = Math.max(max, depthOf(v, level + 1));
    if (max > LIMITS.metadataDepth + 1) break;
  }
  return max;
}

function hasInvisibleText(input: EventInput): boolean {
  const texts = [input.actor.name, input.actor.on_behalf_of?.name, input.actor.impersonator?.name, input.context?.user_agent, input.context?.location, ...(input.targets?.map((t) => t.name) ?? [])];
  for (const t of texts) if (t !== undefined && INVISIBLE.test(t)) return true;
  return anyString(input.metadata) || anyString(input.actor.metadata) || anyString(input.changes) || (input.targets?.some((t) => anyString(t.metadata)) ?? false);
}

function anyString(value: unknown): boolean {
  if (typeof value === 'string') return INVISIBLE.test(value);
  if (value === null || typeof value !== 'object') return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (anyString(v)) return true;
  return false;
}

/** Paths of string values (at most 10) that start with the reserved prefix. */
function reservedStrings(input: EventInput): (string | number)[][] {
  const found: (string | number)[][] = [];
  // One path stack for the whole walk: a path is copied only for a value that is reported.
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (found.length >= 10) return;
    if (typeof v === 'string') {
      if (v.startsWith(RESERVED_VALUE_PREFIX)) found.push(path.slice());
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        path.push(k);
        walk(x);
        path.pop();
      }
    }
  };
  walk(input);
  return found;
}
