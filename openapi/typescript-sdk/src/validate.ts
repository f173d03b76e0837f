import { isIP } from 'node:net';
import type { ErrorDetail } from './errors.js';
import { eventInputSchema } from './generated/event-input-schema.js';
import { formatPath, schemaErrors, type JsonSchema } from './json-schema.js';
import { parseRfc3339 } from './time.js';

/**
 * Local validation with the server's rules, so that one bad event never costs a whole batch
 * (a batch is all or nothing on the server).
 *
 * - Structure (types, required fields, lengths, patterns, enums, unknown fields) comes from the
 *   server's own schema: `EventInput` in openapi/openapi.json, generated into this package.
 * - The rules JSON Schema cannot say (below) mirror src/events/event-rules.ts and the server's
 *   JSON body checks (src/common/json-body.ts). The SDK's test suite runs a fixture table and
 *   thousands of generated events through both implementations and fails on any difference,
 *   and compares these limits with the server's constants.
 */
export const EVENT_LIMITS = {
  batchEvents: 1000,
  metadataBytes: 16 * 1024,
  metadataDepth: 8,
  /** The whole event, as the server stores it (canonical JSON). */
  eventBytes: 256 * 1024,
  futureSkewMs: 5 * 60_000,
  /** Nesting allowed in a request body; an event inside a batch body starts at level 3. */
  bodyDepth: 32,
} as const;

/** Set by the server: an event that carries them is refused. */
export const SERVER_OWNED_FIELDS: readonly string[] = ['id', 'received_at', 'tenant', 'tenant_id', 'seq', 'leaf_hash', 'checkpoint', 'flags', 'display', 'client'];
/** Refused anywhere in a request body (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const MIN_TIME_MS = Date.UTC(1900, 0, 1);

type Path = (string | number)[];

/**
 * Checks one event (already plain JSON data) as the server would inside a batch body.
 * Returns the problems; an empty list means the server will accept it (barring rules that
 * depend on the key, e.g. an organization-scoped key, and the server's clock).
 */
export function eventErrors(raw: unknown, now: number = Date.now()): ErrorDetail[] {
  // 1. The request-body checks that run before the schema (src/common/json-body.ts).
  const body = bodyErrors(raw, [], 3);
  if (body.length > 0) return body;
  // 2. Structure, from the server's schema.
  const structural = schemaErrors(eventInputSchema as JsonSchema, raw).map((d) =>
    d.code === 'unknown_field' && SERVER_OWNED_FIELDS.includes(d.field ?? '')
      ? { ...d, code: 'server_owned_field', message: 'This field is set by the server; do not send it.' }
      : d,
  );
  if (structural.length > 0) return structural;
  // 3. Rules JSON Schema cannot say (src/events/event-rules.ts).
  return ruleErrors(raw as EventShape, now);
}

interface Party {
  type: string;
  id: string;
  name?: string;
}

interface EventShape {
  action: string;
  occurred_at: string;
  organization_id?: string;
  outcome?: string;
  actor: { type: string; id: string; email?: string; metadata?: Record<string, unknown>; on_behalf_of?: Party; impersonator?: Party };
  targets?: { type: string; id: string; metadata?: Record<string, unknown> }[];
  context?: { ip?: string; request_id?: string; session_id?: string };
  changes?: { field: string }[];
  metadata?: Record<string, unknown>;
}

function ruleErrors(input: EventShape, now: number): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const at = (path: Path, code: string, message: string) => out.push({ field: formatPath(path), code, message });

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
    if (t.ms > now + EVENT_LIMITS.futureSkewMs) at(['occurred_at'], 'in_future', 'Must not be more than 5 minutes in the future.');
    else if (t.ms < MIN_TIME_MS) at(['occurred_at'], 'out_of_range', 'Must be after 1900-01-01.');
  }

  const identifiers: [Path, string | undefined][] = [
    [['organization_id'], input.organization_id],
    [['actor', 'id'], input.actor.id],
    [['actor', 'email'], input.actor.email],
    [['context', 'ip'], input.context?.ip],
    [['context', 'request_id'], input.context?.request_id],
    [['context', 'session_id'], input.context?.session_id],
  ];
  for (const role of ['on_behalf_of', 'impersonator'] as const) {
    const party = input.actor[role];
    if (party !== undefined) identifiers.push([['actor', role, 'id'], party.id]);
  }
  input.targets?.forEach((target, i) => identifiers.push([['targets', i, 'type'], target.type], [['targets', i, 'id'], target.id]));
  input.changes?.forEach((c, i) => identifiers.push([['changes', i, 'field'], c.field]));
  for (const [path, value] of identifiers) {
    if (value === undefined) continue;
    if (CONTROL.test(value)) at(path, 'invalid_characters', 'Control characters are not allowed in identifiers.');
    else if (INVISIBLE.test(value)) at(path, 'suspicious_unicode', 'Bidirectional-control and zero-width characters are not allowed in identifiers.');
  }
  // Delegation: a party is someone other than the actor.
  for (const role of ['on_behalf_of', 'impersonator'] as const) {
    const party = input.actor[role];
    if (party !== undefined && party.id === input.actor.id && party.type === input.actor.type) at(['actor', role, 'id'], 'same_as_actor', 'Must name someone other than the actor.');
  }

  if (input.context?.ip !== undefined && isIP(input.context.ip) === 0) at(['context', 'ip'], 'invalid_format', 'Must be an IPv4 or IPv6 address.');

  const metadataFields: [Path, Record<string, unknown> | undefined][] = [
    [['metadata'], input.metadata],
    [['actor', 'metadata'], input.actor.metadata],
  ];
  input.targets?.forEach((target, i) => metadataFields.push([['targets', i, 'metadata'], target.metadata]));
  for (const [path, value] of metadataFields) {
    if (value === undefined) continue;
    if (depthOf(value) > EVENT_LIMITS.metadataDepth) at(path, 'max_depth_exceeded', `At most ${EVENT_LIMITS.metadataDepth} levels of nesting.`);
    else if (Buffer.byteLength(JSON.stringify(value)) > EVENT_LIMITS.metadataBytes) at(path, 'too_large', `At most ${EVENT_LIMITS.metadataBytes} bytes when serialised.`);
  }
  // Encrypted personal data is stored as "vt-enc:…" strings: a client cannot send one.
  for (const path of reservedStrings(input)) at(path, 'reserved_value', 'Values starting with "vt-enc:" are reserved for encrypted personal data.');
  if (out.length > 0) return out;

  // The stored event: normalised occurred_at and outcome, canonical JSON (same size as JSON.stringify).
  const normalised: Record<string, unknown> = { ...input, occurred_at: new Date(occurredAtMs).toISOString(), outcome: input.outcome ?? 'unknown' };
  let bytes = 0;
  for (const [k, v] of Object.entries(normalised)) if (v !== undefined) bytes += Buffer.byteLength(k) + Buffer.byteLength(JSON.stringify(v)) + 4;
  if (bytes > EVENT_LIMITS.eventBytes) at([], 'event_too_large', `The event is larger than ${EVENT_LIMITS.eventBytes} bytes.`);
  return out;
}

/** Paths of string values (at most 10) starting with the prefix the server reserves for ciphertext. */
function reservedStrings(input: unknown): Path[] {
  const found: Path[] = [];
  const walk = (v: unknown, path: Path): void => {
    if (found.length >= 10) return;
    if (typeof v === 'string') {
      if (v.startsWith('vt-enc:')) found.push(path);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(input, []);
  return found;
}

/** Depth of nested objects/arrays; a flat object is 1 (the server's metadata rule). */
function depthOf(value: unknown, level = 0): number {
  if (value === null || typeof value !== 'object') return level;
  let max = level + 1;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    if (v !== null && typeof v === 'object') max = Math.max(max, depthOf(v, level + 1));
    if (max > EVENT_LIMITS.metadataDepth + 1) break;
  }
  return max;
}

/** Numbers from 2^53 on: beyond the safe integers, refused by the server (`unrepresentable_number`). */
const UNSAFE_MAGNITUDE = 2 ** 53;

/**
 * What the server's JSON body parser refuses before any schema runs: `__proto__`/`constructor`/
 * `prototype` keys, NUL characters and unpaired surrogates (JSON.stringify escapes them; the
 * server refuses the escapes), numbers it cannot store exactly (a magnitude of 2^53 or more, or
 * not finite), and nesting deeper than 32 levels counted from the batch body.
 */
function bodyErrors(value: unknown, path: Path, level: number): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const walk = (v: unknown, p: Path, depth: number): boolean => {
    if (typeof v === 'string') {
      if (badEncoding(v)) {
        out.push({ field: formatPath(p), code: 'invalid_encoding', message: 'NUL characters and unpaired UTF-16 surrogates are not accepted.' });
        return false;
      }
      return true;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Math.abs(v) >= UNSAFE_MAGNITUDE) {
        out.push({ field: formatPath(p), code: 'unrepresentable_number', message: 'Numbers must lie within ±(2^53−1) (send larger values as strings).' });
        return false;
      }
      return true;
    }
    if (v === null || typeof v !== 'object') return true;
    if (depth > EVENT_LIMITS.bodyDepth) {
      out.push({ field: formatPath(p), code: 'max_depth_exceeded', message: `Nesting is limited to ${EVENT_LIMITS.bodyDepth} levels (the batch envelope counts 2).` });
      return false;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!walk(v[i], [...p, i], depth + 1)) return false;
      return true;
    }
    for (const [k, child] of Object.entries(v)) {
      if (FORBIDDEN_KEYS.has(k)) {
        out.push({ field: formatPath([...p, k]), code: 'forbidden_key', message: `"${k}" keys are rejected to prevent prototype pollution.` });
        return false;
      }
      if (badEncoding(k)) {
        out.push({ field: formatPath([...p, k]), code: 'invalid_encoding', message: 'NUL characters and unpaired UTF-16 surrogates are not accepted.' });
        return false;
      }
      if (!walk(child, [...p, k], depth + 1)) return false;
    }
    return true;
  };
  walk(value, path, level);
  return out;
}

function badEncoding(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}
