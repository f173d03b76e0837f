import { createHmac } from 'node:crypto';
import { isCardNumber } from './scrubbing/card-numbers.js';
import { customFor, type CompiledCustom } from './scrubbing/custom-patterns.js';
import { isReplaceable, normalizeKey, sensitiveFieldKind, sensitiveKeyKind } from './scrubbing/key-rules.js';
import { minimiseMetadata, truncateIp } from './scrubbing/minimise.js';
import { isObject, setOwn, type JsonObject, type ScrubFinding, type ScrubKind, type ScrubPolicy } from './scrubbing/types.js';
import { detect, mergeSpans } from './scrubbing/value-detectors.js';

export { luhnValid } from './scrubbing/card-numbers.js';
export { compileCustomPatterns, type PatternProblem, type PatternProblemCode } from './scrubbing/custom-patterns.js';
export type { ScrubFinding, ScrubKind, ScrubPolicy } from './scrubbing/types.js';

/**
 * Scrubbing applied to an audit event BEFORE it is stored or hashed: once a secret is in the
 * hash chain it can never be removed without breaking the log's integrity, so it must never get there.
 *
 * Every built-in regex is written to run in linear time on hostile input (no nested or overlapping
 * quantifiers, a boundary look-behind so a match can only start at the beginning of a token run,
 * bounded repetition where a suffix must follow). Tenant (custom) patterns are hostile input: they run on
 * RE2JS, a linear-time engine, never on the backtracking JS RegExp ({@link compileCustomPatterns}).
 *
 * This file is the entry point and the walk over an event (what is scrubbed where, markers,
 * findings); each kind of rule lives in its own file under scrubbing/: key-rules (keys naming a
 * secret), value-detectors (secrets recognised by shape), card-numbers, custom-patterns (tenant
 * patterns on RE2), minimise (metadata allow/deny lists and IP truncation), types.
 */

const MIN_HMAC_KEY_BYTES = 16;

interface Ctx {
  mode: 'redact' | 'hmac';
  hmacKey?: Buffer;
  custom: CompiledCustom[];
  findings: ScrubFinding[];
  seen: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// Replacement and traversal
// ---------------------------------------------------------------------------------------------

function marker(ctx: Ctx, kind: ScrubKind, name: string | undefined, value: string): string {
  const label = name === undefined ? kind : `${kind}:${name}`;
  if (ctx.mode === 'hmac' && ctx.hmacKey !== undefined) {
    const mac = createHmac('sha256', ctx.hmacKey).update(value, 'utf8').digest('hex').slice(0, 16);
    return `[HMAC:${label}:${mac}]`;
  }
  return `[REDACTED:${label}]`;
}

function record(ctx: Ctx, kind: ScrubKind, path: string, name?: string): void {
  const id = `${kind}\u0000${name ?? ''}\u0000${path}`;
  if (ctx.seen.has(id)) return;
  ctx.seen.add(id);
  ctx.findings.push(name === undefined ? { kind, path } : { kind, path, name });
}

function scrubString(s: string, path: string, ctx: Ctx): string {
  const spans = detect(s, ctx.custom);
  if (spans.length === 0) return s;
  let out = '';
  let pos = 0;
  for (const span of mergeSpans(spans)) {
    out += s.slice(pos, span.start) + marker(ctx, span.kind, span.name, s.slice(span.start, span.end));
    pos = span.end;
    record(ctx, span.kind, path, span.name);
  }
  return out + s.slice(pos);
}

/** A JSON number can be a card number too (`{ "pan": 4111111111111111 }`). */
function scrubNumber(n: number, path: string, ctx: Ctx): unknown {
  if (!Number.isSafeInteger(n) || n <= 0 || !isCardNumber(String(n))) return n;
  record(ctx, 'card_number', path);
  return marker(ctx, 'card_number', undefined, String(n));
}

function replaceWhole(value: unknown, kind: ScrubKind, path: string, ctx: Ctx): string {
  record(ctx, kind, path);
  return marker(ctx, kind, undefined, typeof value === 'string' ? value : JSON.stringify(value));
}

/** Returns a scrubbed deep copy of any JSON value: key-based rules on object keys, value-based rules on strings. */
function scrubTree(value: unknown, path: string, ctx: Ctx): unknown {
  if (typeof value === 'string') return scrubString(value, path, ctx);
  if (typeof value === 'number') return scrubNumber(value, path, ctx);
  if (Array.isArray(value)) return value.map((v, i) => scrubTree(v, `${path}[${i}]`, ctx));
  if (!isObject(value)) return value;
  const serviceAccount = value['type'] === 'service_account';
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    const keyKind = sensitiveKeyKind(key);
    if (keyKind !== undefined && isReplaceable(child)) {
      const kind: ScrubKind = serviceAccount && normalizeKey(key) === 'privatekey' ? 'gcp_service_account_key' : keyKind;
      setOwn(out, key, replaceWhole(child, kind, childPath, ctx));
    } else {
      setOwn(out, key, scrubTree(child, childPath, ctx));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/**
 * Returns a scrubbed deep copy of `event` and where something was replaced (kind and path, never the value).
 * Identifiers (action, occurred_at, outcome, organization_id, actor.type/id/email, targets[].type/id,
 * context.request_id/session_id) are never changed. Throws on an invalid policy (hmac without a key of at
 * least 16 bytes, invalid custom patterns).
 */
export function scrubEvent<T extends Record<string, unknown>>(event: T, policy: ScrubPolicy): { event: T; findings: ScrubFinding[] } {
  if (policy.mode !== 'redact' && policy.mode !== 'hmac') throw new Error(`unknown scrub mode ${String(policy.mode)}`);
  if (policy.mode === 'hmac' && (!Buffer.isBuffer(policy.hmacKey) || policy.hmacKey.length < MIN_HMAC_KEY_BYTES)) {
    throw new Error(`hmac mode needs an hmacKey of at least ${MIN_HMAC_KEY_BYTES} bytes`);
  }
  const ctx: Ctx = { mode: policy.mode, hmacKey: policy.hmacKey, custom: customFor(policy), findings: [], seen: new Set() };
  const out = structuredClone(event) as JsonObject;

  if (isObject(out['metadata'])) out['metadata'] = scrubTree(minimiseMetadata(out['metadata'], policy), 'metadata', ctx);

  const actor = out['actor'];
  if (isObject(actor)) {
    if (typeof actor['name'] === 'string') actor['name'] = scrubString(actor['name'], 'actor.name', ctx);
    if (isObject(actor['metadata'])) actor['metadata'] = scrubTree(actor['metadata'], 'actor.metadata', ctx);
  }

  const targets = out['targets'];
  if (Array.isArray(targets)) {
    targets.forEach((t: unknown, i) => {
      if (!isObject(t)) return;
      if (typeof t['name'] === 'string') t['name'] = scrubString(t['name'], `targets[${i}].name`, ctx);
      if (isObject(t['metadata'])) t['metadata'] = scrubTree(t['metadata'], `targets[${i}].metadata`, ctx);
    });
  }

  const context = out['context'];
  if (isObject(context)) {
    if (policy.truncateIp === true && typeof context['ip'] === 'string') {
      const truncated = truncateIp(context['ip']);
      if (truncated !== undefined) context['ip'] = truncated;
    }
    for (const key of ['user_agent', 'location'] as const) {
      const v = context[key];
      if (typeof v === 'string') context[key] = scrubString(v, `context.${key}`, ctx);
    }
  }

  const changes = out['changes'];
  if (Array.isArray(changes)) {
    changes.forEach((c: unknown, i) => {
      if (!isObject(c)) return;
      const fieldKind = typeof c['field'] === 'string' ? sensitiveFieldKind(c['field']) : undefined;
      for (const side of ['before', 'after'] as const) {
        if (!Object.hasOwn(c, side)) continue;
        const path = `changes[${i}].${side}`;
        const v = c[side];
        if (fieldKind !== undefined && isReplaceable(v)) c[side] = replaceWhole(v, fieldKind, path, ctx);
        else c[side] = scrubTree(v, path, ctx);
      }
    });
  }

  return { event: out as T, findings: ctx.findings };
}
