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

/**
 * Any JSON value with key-based rules applied to object keys and value-based rules to strings.
 * Copy on write: a value with nothing to replace is returned as it is (the same object), and only
 * the objects and arrays on the way to a replacement are copied; the input is never modified.
 */
function scrubTree(value: unknown, path: string, ctx: Ctx): unknown {
  if (typeof value === 'string') return scrubString(value, path, ctx);
  if (typeof value === 'number') return scrubNumber(value, path, ctx);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      const next = scrubTree(child, `${path}[${i}]`, ctx);
      if (out === undefined && next !== child) out = value.slice(0, i);
      if (out !== undefined) out.push(next);
    }
    return out ?? value;
  }
  if (!isObject(value)) return value;
  const serviceAccount = value['type'] === 'service_account';
  const keys = Object.keys(value);
  let out: JsonObject | undefined;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const child = value[key];
    const childPath = `${path}.${key}`;
    const keyKind = sensitiveKeyKind(key);
    let next: unknown;
    if (keyKind !== undefined && isReplaceable(child)) {
      const kind: ScrubKind = serviceAccount && normalizeKey(key) === 'privatekey' ? 'gcp_service_account_key' : keyKind;
      next = replaceWhole(child, kind, childPath, ctx);
    } else {
      next = scrubTree(child, childPath, ctx);
    }
    if (out === undefined && next !== child) {
      out = {};
      for (let j = 0; j < k; j++) setOwn(out, keys[j]!, value[keys[j]!]);
    }
    if (out !== undefined) setOwn(out, key, next);
  }
  return out ?? value;
}

/** `obj` with `key` set to `value`: the same object when the value is unchanged, else a shallow copy (never modifies `obj`). */
function withMember<T extends JsonObject | unknown[]>(obj: T, key: string | number, value: unknown): T {
  if ((obj as Record<string | number, unknown>)[key] === value) return obj;
  if (Array.isArray(obj)) {
    const copy = obj.slice();
    copy[key as number] = value;
    return copy as T;
  }
  const copy: JsonObject = {};
  for (const k of Object.keys(obj)) setOwn(copy, k, (obj as JsonObject)[k]);
  setOwn(copy, key as string, value);
  return copy as T;
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/**
 * Returns a scrubbed copy of `event` and where something was replaced (kind and path, never the value).
 * Copy on write: `event` itself is never modified; when nothing is replaced it is returned as it
 * is, and otherwise only the objects on the way to a replacement are copied (the rest is shared).
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
  let out = event as JsonObject;

  const metadata = out['metadata'];
  if (isObject(metadata)) {
    // Minimisation deletes in place: it works on its own copy.
    const minimise = policy.allowMetadataKeys !== undefined || (policy.denyFields?.length ?? 0) > 0;
    out = withMember(out, 'metadata', scrubTree(minimise ? minimiseMetadata(structuredClone(metadata), policy) : metadata, 'metadata', ctx));
  }

  const actor = out['actor'];
  if (isObject(actor)) {
    let a = actor;
    if (typeof a['name'] === 'string') a = withMember(a, 'name', scrubString(a['name'], 'actor.name', ctx));
    if (isObject(a['metadata'])) a = withMember(a, 'metadata', scrubTree(a['metadata'], 'actor.metadata', ctx));
    out = withMember(out, 'actor', a);
  }

  const targets = out['targets'];
  if (Array.isArray(targets)) {
    let list: unknown[] = targets;
    targets.forEach((t: unknown, i) => {
      if (!isObject(t)) return;
      let next = t;
      if (typeof next['name'] === 'string') next = withMember(next, 'name', scrubString(next['name'], `targets[${i}].name`, ctx));
      if (isObject(next['metadata'])) next = withMember(next, 'metadata', scrubTree(next['metadata'], `targets[${i}].metadata`, ctx));
      list = withMember(list, i, next);
    });
    out = withMember(out, 'targets', list);
  }

  const context = out['context'];
  if (isObject(context)) {
    let c = context;
    if (policy.truncateIp === true && typeof c['ip'] === 'string') {
      const truncated = truncateIp(c['ip']);
      if (truncated !== undefined) c = withMember(c, 'ip', truncated);
    }
    for (const key of ['user_agent', 'location'] as const) {
      const v = c[key];
      if (typeof v === 'string') c = withMember(c, key, scrubString(v, `context.${key}`, ctx));
    }
    out = withMember(out, 'context', c);
  }

  const changes = out['changes'];
  if (Array.isArray(changes)) {
    let list: unknown[] = changes;
    changes.forEach((c: unknown, i) => {
      if (!isObject(c)) return;
      const fieldKind = typeof c['field'] === 'string' ? sensitiveFieldKind(c['field']) : undefined;
      let next = c;
      for (const side of ['before', 'after'] as const) {
        if (!Object.hasOwn(c, side)) continue;
        const path = `changes[${i}].${side}`;
        const v = c[side];
        next = withMember(next, side, fieldKind !== undefined && isReplaceable(v) ? replaceWhole(v, fieldKind, path, ctx) : scrubTree(v, path, ctx));
      }
      list = withMember(list, i, next);
    });
    out = withMember(out, 'changes', list);
  }

  return { event: out as T, findings: ctx.findings };
}
