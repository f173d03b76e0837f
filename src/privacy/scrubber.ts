import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { RE2JS } from 're2js';

/**
 * Scrubbing applied to an audit event BEFORE it is stored or hashed: once a secret is in the
 * hash chain it can never be removed without breaking the log's integrity, so it must never get there.
 *
 * Every built-in regex is written to run in linear time on hostile input (no nested or overlapping
 * quantifiers, a boundary look-behind so a match can only start at the beginning of a token run,
 * bounded repetition where a suffix must follow). Tenant (custom) patterns are hostile input: they run on
 * RE2JS, a linear-time engine, never on the backtracking JS RegExp ({@link compileCustomPatterns}).
 */

export type ScrubKind =
  | 'password'
  | 'secret'
  | 'bearer_token'
  | 'jwt'
  | 'card_number'
  | 'aws_access_key'
  | 'aws_secret_key'
  | 'gcp_api_key'
  | 'gcp_service_account_key'
  | 'stripe_key'
  | 'github_token'
  | 'private_key'
  | 'custom';

export interface ScrubPolicy {
  /** 'redact' replaces with `[REDACTED:<kind>]`; 'hmac' with `[HMAC:<kind>:<first 16 hex of HMAC-SHA256(hmacKey, value)>]` (keyed pseudonym, never a plain hash). */
  mode: 'redact' | 'hmac';
  /** Required when mode === 'hmac' (at least 16 bytes). */
  hmacKey?: Buffer;
  /** Tenant patterns: name (a-z0-9_, ≤ 32) and an RE2 regex source; matches are replaced like built-ins with kind `custom` and the name: `[REDACTED:custom:<name>]`. */
  customPatterns?: { name: string; pattern: string }[];
  /** Truncate IPs in context.ip: IPv4 → /24 (last octet 0), IPv6 → /48. */
  truncateIp?: boolean;
  /** Minimisation: dotted paths of metadata keys to drop entirely (e.g. 'metadata.ssn', 'metadata.address.street'). */
  denyFields?: string[];
  /** If set, only these top-level metadata keys are kept (others dropped). */
  allowMetadataKeys?: string[];
}

export interface ScrubFinding {
  kind: ScrubKind;
  path: string;
  name?: string;
}

const MAX_CUSTOM_PATTERNS = 20;
const MAX_CUSTOM_PATTERN_LENGTH = 512;
const CUSTOM_NAME = /^[a-z0-9_]{1,32}$/;
const MIN_HMAC_KEY_BYTES = 16;

type JsonObject = Record<string, unknown>;

interface Span {
  start: number;
  end: number;
  kind: ScrubKind;
  name?: string;
}

interface CompiledCustom {
  name: string;
  re: RE2JS;
}

interface Ctx {
  mode: 'redact' | 'hmac';
  hmacKey?: Buffer;
  custom: CompiledCustom[];
  findings: ScrubFinding[];
  seen: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// Key-based rules
// ---------------------------------------------------------------------------------------------

/** Keys are compared lower-cased without `-`/`_`, so `New-Password`, `new_password` and `newPassword` are the same key. */
function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

const PASSWORD_KEYS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode']);
/** Suffixes catch `new_password`, `old_password`, `current_password`, `db_passwd`… but not `password_changed_at`. */
const PASSWORD_SUFFIXES = ['password', 'passwd', 'passphrase', 'pwd'];
const SECRET_KEYS = new Set([
  'secret',
  'clientsecret',
  'apikey',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'privatekey',
  'auth',
  'authorization',
  'proxyauthorization',
  'credential',
  'credentials',
  'cookie',
  'setcookie',
  'sessiontoken',
  'otp',
  'mfacode',
  'totp',
]);
/** Suffixes catch `webhook_secret`, `csrf_token`, `x-api-key`, `aws_secret_access_key`… */
const SECRET_SUFFIXES = ['secret', 'token', 'apikey', 'privatekey', 'secretkey', 'secretaccesskey', 'credentials', 'cookie'];

function sensitiveKeyKind(key: string): 'password' | 'secret' | undefined {
  const k = normalizeKey(key);
  if (PASSWORD_KEYS.has(k) || PASSWORD_SUFFIXES.some((s) => k.endsWith(s))) return 'password';
  if (SECRET_KEYS.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s))) return 'secret';
  return undefined;
}

/** A change's `field` may be a path (`user.password`, `settings/api_key`): its last segment decides too. */
function sensitiveFieldKind(field: string): 'password' | 'secret' | undefined {
  const last = field.split(/[./]/).pop() ?? field;
  return sensitiveKeyKind(field) ?? sensitiveKeyKind(last);
}

/** null and booleans carry no secret (a flag like `is_secret: true`), so they are kept; every other value is replaced whole. */
function isReplaceable(value: unknown): boolean {
  return value !== null && value !== undefined && typeof value !== 'boolean';
}

// ---------------------------------------------------------------------------------------------
// Value-based rules (all linear-time; see the module comment)
// ---------------------------------------------------------------------------------------------

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const AWS_ACCESS_KEY = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const AWS_SECRET_CANDIDATE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_SECRET_HINT = /aws.{0,3}secret|secret.{0,3}access.{0,3}key/i;
/** How far before a 40-char candidate the AWS hint may be. */
const AWS_HINT_WINDOW = 100;
const GCP_API_KEY = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g;
const STRIPE_KEY = /(?<![A-Za-z0-9_])(?:(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{10,}|whsec_[0-9A-Za-z+/=]{20,})/g;
const GITHUB_TOKEN = /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g;
const PRIVATE_KEY_BEGIN = /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/g;
const PRIVATE_KEY_END = /-----END [A-Z ]{0,40}PRIVATE KEY-----/g;
const SERVICE_ACCOUNT_HINT = /"type"\s{0,8}:\s{0,8}"service_account"/;
const BEARER = /(?<![A-Za-z0-9_])Bearer\s{1,8}([A-Za-z0-9\-._~+/]+=*)/dgi;
/** Maximal runs of digits separated by single spaces or dashes; candidates are cut out of a run in code. */
const CARD_RUN = /[0-9](?:[ -]?[0-9])*/g;
/** `scheme://user:password@host` — only the password is replaced. */
const URL_USERINFO = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s:/@]{0,256}:([^\s/@]{1,256})@/dg;
/** Credentials in URL query strings (`?access_token=…`, `&sig=…`); only the value is replaced. */
const URL_QUERY_SECRET =
  /[?&](access_token|refresh_token|id_token|token|api_key|apikey|password|passwd|pwd|secret|client_secret|sig|signature|x-amz-signature|x-goog-signature)=([^&#\s]+)/dgi;

/** When spans of several kinds overlap they are merged, and the merged span is labelled with the first kind in this list. */
const PRIORITY: ScrubKind[] = [
  'gcp_service_account_key',
  'private_key',
  'jwt',
  'aws_access_key',
  'aws_secret_key',
  'gcp_api_key',
  'stripe_key',
  'github_token',
  'card_number',
  'password',
  'secret',
  'bearer_token',
  'custom',
];

function pushAll(s: string, re: RegExp, kind: ScrubKind, out: Span[]): void {
  for (const m of s.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length, kind });
}

/** The span of capture group `group` (regexes compiled with the `d` flag). */
function pushGroup(m: RegExpMatchArray, group: number, kind: ScrubKind, out: Span[]): void {
  const idx = m.indices?.[group];
  if (idx !== undefined) out.push({ start: idx[0], end: idx[1], kind });
}

/**
 * Private key blocks, found with indexOf-style scans rather than one lazy `[\s\S]*?` regex, which is
 * quadratic on many BEGIN headers without an END. A block without its END marker (truncated) is
 * replaced up to the end of the string: a partial key is still key material.
 */
function findPrivateKeys(s: string, out: Span[]): void {
  if (!s.includes('PRIVATE KEY-----')) return;
  const kind: ScrubKind = SERVICE_ACCOUNT_HINT.test(s) ? 'gcp_service_account_key' : 'private_key';
  const begin = new RegExp(PRIVATE_KEY_BEGIN.source, 'g');
  const end = new RegExp(PRIVATE_KEY_END.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = begin.exec(s)) !== null) {
    end.lastIndex = m.index + m[0].length;
    const e = end.exec(s);
    const stop = e === null ? s.length : e.index + e[0].length;
    out.push({ start: m.index, end: stop, kind });
    if (e === null) return;
    begin.lastIndex = stop;
  }
}

function findAwsSecrets(s: string, out: Span[]): void {
  if (!AWS_SECRET_HINT.test(s)) return;
  for (const m of s.matchAll(AWS_SECRET_CANDIDATE)) {
    const window = s.slice(Math.max(0, m.index - AWS_HINT_WINDOW), m.index);
    if (AWS_SECRET_HINT.test(window)) out.push({ start: m.index, end: m.index + 40, kind: 'aws_secret_key' });
  }
}

/** A word after `Bearer` is only a token if it looks like one: a digit, or long (keeps "Bearer authentication" readable). */
function findBearer(s: string, out: Span[]): void {
  for (const m of s.matchAll(BEARER)) {
    const token = m[1] ?? '';
    if ((token.length >= 8 && /[0-9]/.test(token)) || token.length >= 20) pushGroup(m, 1, 'bearer_token', out);
  }
}

function findUrlCredentials(s: string, out: Span[]): void {
  if (!s.includes('://') && !s.includes('=')) return;
  for (const m of s.matchAll(URL_USERINFO)) pushGroup(m, 1, 'password', out);
  for (const m of s.matchAll(URL_QUERY_SECRET)) {
    const param = (m[1] ?? '').toLowerCase();
    pushGroup(m, 2, param === 'password' || param === 'passwd' || param === 'pwd' ? 'password' : 'secret', out);
  }
}

/**
 * Luhn checksum over a string of ASCII digits (false for anything else, including the empty string).
 */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * A card number: 13–19 digits, a major-network first digit (2–6: Mir/Mastercard, Amex/JCB/Diners, Visa,
 * Mastercard, Discover/UnionPay/Maestro), not one repeated digit, Luhn-valid. The first-digit rule keeps
 * millisecond timestamps (1…) and zero-padded ids out.
 */
function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0) - 48;
  if (first < 2 || first > 6) return false;
  if (/^(\d)\1*$/.test(digits)) return false;
  return luhnValid(digits);
}

/** A run glued to letters, `_`, a decimal point or `ABC-` is part of an identifier or a number, not a card. */
function cardBoundaryOk(s: string, start: number, end: number): boolean {
  const prev = s[start - 1];
  if (prev !== undefined) {
    if (/[A-Za-z_.]/.test(prev)) return false;
    if (prev === '-' && start >= 2 && /[A-Za-z0-9]/.test(s[start - 2] ?? '')) return false;
  }
  const next = s[end];
  if (next !== undefined) {
    if (/[A-Za-z0-9_]/.test(next)) return false;
    if (next === '.' && /[0-9]/.test(s[end + 1] ?? '')) return false;
  }
  return true;
}

/**
 * Cards inside a run of digit groups: a single group of 13–19 digits, or consecutive groups of 3–6 digits
 * each (4-4-4-4, 4-6-5, 4-4-4-4-3). Phone numbers (+1 415 555 0100: 11 digits, 1-digit group), dates and
 * UUIDs (8-4-4-4-12) never form such a window. Each group starts at most 19/3 windows: linear.
 */
function findCards(s: string, out: Span[]): void {
  for (const m of s.matchAll(CARD_RUN)) {
    const runStart = m.index;
    const run = m[0];
    if (run.length < 13 || !cardBoundaryOk(s, runStart, runStart + run.length)) continue;
    const groups: { start: number; end: number; digits: string }[] = [];
    let g = 0;
    for (let i = 0; i <= run.length; i++) {
      if (i === run.length || run[i] === ' ' || run[i] === '-') {
        groups.push({ start: runStart + g, end: runStart + i, digits: run.slice(g, i) });
        g = i + 1;
      }
    }
    let i = 0;
    while (i < groups.length) {
      const first = groups[i];
      if (first === undefined) break;
      let best = -1;
      if (first.digits.length >= 13) {
        if (isCardNumber(first.digits)) best = i;
      } else if (first.digits.length >= 3 && first.digits.length <= 6) {
        let digits = '';
        for (let j = i; j < groups.length; j++) {
          const gj = groups[j];
          if (gj === undefined || gj.digits.length < 3 || gj.digits.length > 6 || digits.length + gj.digits.length > 19) break;
          digits += gj.digits;
          if (j > i && isCardNumber(digits)) best = j;
        }
      }
      const last = best >= 0 ? groups[best] : undefined;
      if (last !== undefined) {
        out.push({ start: first.start, end: last.end, kind: 'card_number' });
        i = best + 1;
      } else {
        i++;
      }
    }
  }
}

/** Tenant patterns on RE2 (linear time; see compileCustomPatterns). Indices are UTF-16 offsets, like String#slice. */
function findCustom(s: string, custom: CompiledCustom[], out: Span[]): void {
  for (const { name, re } of custom) {
    const m = re.matcher(s);
    while (m.find()) {
      const start = m.start();
      const end = m.end();
      if (end > start) out.push({ start, end, kind: 'custom', name });
    }
  }
}

/** Every span found in `s`, in no particular order. All detectors run on the original string, so a replacement marker is never re-scanned. */
function detect(s: string, custom: CompiledCustom[]): Span[] {
  const out: Span[] = [];
  findPrivateKeys(s, out);
  // Each pattern below starts with a fixed text (or contains `_`): a substring test, much cheaper
  // than running the regex over every string of every event, rules most strings out exactly.
  if (s.includes('eyJ')) pushAll(s, JWT, 'jwt', out);
  if (s.includes('AKIA') || s.includes('ASIA')) pushAll(s, AWS_ACCESS_KEY, 'aws_access_key', out);
  findAwsSecrets(s, out);
  if (s.includes('AIza')) pushAll(s, GCP_API_KEY, 'gcp_api_key', out);
  const underscore = s.includes('_');
  if (underscore) pushAll(s, STRIPE_KEY, 'stripe_key', out);
  if (underscore) pushAll(s, GITHUB_TOKEN, 'github_token', out);
  findCards(s, out);
  findUrlCredentials(s, out);
  findBearer(s, out);
  findCustom(s, custom, out);
  return out;
}

/** Overlapping spans are merged (never dropped), so a secret partly matched by two rules is still wholly replaced. */
function mergeSpans(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const top = merged[merged.length - 1];
    if (top !== undefined && span.start < top.end) {
      top.end = Math.max(top.end, span.end);
      if (PRIORITY.indexOf(span.kind) < PRIORITY.indexOf(top.kind)) {
        top.kind = span.kind;
        top.name = span.name;
      }
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
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

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property write that is safe for a key named `__proto__` (plain assignment would set the prototype). */
function setOwn(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
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
// Minimisation and IP truncation
// ---------------------------------------------------------------------------------------------

/** Drops `segs` below `node`; through an array a numeric segment picks one element, any other applies to every element. */
function dropPath(node: unknown, segs: string[]): void {
  const [head, ...rest] = segs;
  if (head === undefined) return;
  if (Array.isArray(node)) {
    if (/^[0-9]+$/.test(head)) {
      if (rest.length > 0) dropPath(node[Number(head)], rest);
    } else {
      for (const item of node) dropPath(item, segs);
    }
    return;
  }
  if (!isObject(node) || !Object.hasOwn(node, head)) return;
  if (rest.length === 0) delete node[head];
  else dropPath(node[head], rest);
}

function minimiseMetadata(metadata: JsonObject, policy: ScrubPolicy): JsonObject {
  let md = metadata;
  if (policy.allowMetadataKeys !== undefined) {
    const allow = new Set(policy.allowMetadataKeys);
    const kept: JsonObject = {};
    for (const [k, v] of Object.entries(md)) if (allow.has(k)) setOwn(kept, k, v);
    md = kept;
  }
  for (const path of policy.denyFields ?? []) {
    const segs = path.split('.');
    if (segs[0] === 'metadata' && segs.length > 1) dropPath(md, segs.slice(1));
  }
  return md;
}

function parseIpv6(text: string): number[] | undefined {
  let s = text;
  const last = s.slice(s.lastIndexOf(':') + 1);
  if (last.includes('.')) {
    const o = last.split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = o;
    s = `${s.slice(0, s.lastIndexOf(':') + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length > 1 ? 8 - head.length - tail.length : 0;
  const parts = [...head, ...Array<string>(fill).fill('0'), ...tail].map((h) => parseInt(h, 16));
  return parts.length === 8 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 0xffff) ? parts : undefined;
}

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(h: number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < h.length; ) {
    if (h[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < h.length && h[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = h.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** IPv4 → /24, IPv6 → /48 (an IPv4-mapped address keeps its ::ffff: prefix and is cut at /24); undefined when not an IP. */
function truncateIp(ip: string): string | undefined {
  const text = ip.trim().split('%')[0] ?? '';
  const family = isIP(text);
  if (family === 4) return text.replace(/\.[0-9]+$/, '.0');
  if (family !== 6) return undefined;
  const h = parseIpv6(text);
  if (h === undefined) return undefined;
  const mapped = h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff;
  if (mapped) return `::ffff:${(h[6] ?? 0) >> 8}.${(h[6] ?? 0) & 0xff}.${(h[7] ?? 0) >> 8}.0`;
  return formatIpv6([h[0] ?? 0, h[1] ?? 0, h[2] ?? 0, 0, 0, 0, 0, 0]);
}

// ---------------------------------------------------------------------------------------------
// Custom patterns
// ---------------------------------------------------------------------------------------------

/**
 * Why a pattern was refused, as a stable code: `unsupported_syntax` for what a linear-time
 * engine cannot run (backreferences, lookahead, lookbehind, possessive quantifiers),
 * `invalid_syntax`, `matches_empty`, `too_complex`, `too_long`, `invalid_name`,
 * `duplicate_name`, `too_many`.
 */
export type PatternProblemCode =
  | 'unsupported_syntax'
  | 'invalid_syntax'
  | 'matches_empty'
  | 'too_complex'
  | 'too_long'
  | 'invalid_name'
  | 'duplicate_name'
  | 'too_many';

export interface PatternProblem {
  index: number;
  code: PatternProblemCode;
  message: string;
}

/** Compiled program size cap: keeps the per-character work of one pattern small (`[a-z]{1000}` is ~1000 instructions). */
const MAX_PROGRAM_SIZE = 2_000;

/** Constructs RE2 cannot run (it never backtracks): a clear reason beats RE2's parser message. */
function unsupportedReason(src: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(n) || (n === 'k' && src[i + 2] === '<'))) return 'backreferences are not supported (patterns run on a linear-time engine)';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && src[i + 1] === '?') {
      const look = src.slice(i + 2, i + 4);
      if (look.startsWith('=') || look.startsWith('!') || look === '<=' || look === '<!') return 'lookahead and lookbehind are not supported (patterns run on a linear-time engine)';
    } else if ((c === '+' || c === '*' || c === '?' || c === '}') && (src[i + 1] === '+')) {
      return 'possessive quantifiers are not supported; a plain quantifier is already safe here';
    }
  }
  return undefined;
}

/** Probes for patterns that can match zero characters somewhere (`a*`, `x|`, `\b`). */
const EMPTY_PROBES = ['', 'a', 'A', '0', ' ', '-', 'aa', 'a b', '\n'];

function compileInternal(patterns: { name: string; pattern: string }[]): { ok: true; compiled: CompiledCustom[] } | { ok: false; problems: PatternProblem[] } {
  const problems: PatternProblem[] = [];
  const compiled: CompiledCustom[] = [];
  if (patterns.length > MAX_CUSTOM_PATTERNS) {
    problems.push({ index: MAX_CUSTOM_PATTERNS, code: 'too_many', message: `at most ${MAX_CUSTOM_PATTERNS} custom patterns are allowed` });
  }
  const names = new Set<string>();
  patterns.forEach((p, index) => {
    const fail = (code: PatternProblemCode, message: string) => problems.push({ index, code, message });
    if (typeof p.name !== 'string' || !CUSTOM_NAME.test(p.name)) return fail('invalid_name', 'name must match ^[a-z0-9_]{1,32}$');
    if (names.has(p.name)) return fail('duplicate_name', `duplicate name ${p.name}`);
    names.add(p.name);
    if (typeof p.pattern !== 'string' || p.pattern.length === 0) return fail('invalid_syntax', 'pattern must be a non-empty string');
    if (p.pattern.length > MAX_CUSTOM_PATTERN_LENGTH) return fail('too_long', `pattern longer than ${MAX_CUSTOM_PATTERN_LENGTH} characters`);
    const unsupported = unsupportedReason(p.pattern);
    if (unsupported !== undefined) return fail('unsupported_syntax', unsupported);
    let re: RE2JS;
    try {
      re = RE2JS.compile(p.pattern);
    } catch (err) {
      return fail('invalid_syntax', `invalid regular expression (RE2 syntax): ${err instanceof Error ? err.message : String(err)}`);
    }
    if (re.programSize() > MAX_PROGRAM_SIZE) return fail('too_complex', `pattern too complex (compiles to more than ${MAX_PROGRAM_SIZE} instructions; use smaller repetition counts)`);
    for (const probe of EMPTY_PROBES) {
      const m = re.matcher(probe);
      while (m.find()) if (m.end() === m.start()) return fail('matches_empty', 'pattern matches the empty string');
    }
    compiled.push({ name: p.name, re });
    return undefined;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, compiled };
}

/**
 * Validates tenant patterns: ≤ 20 patterns, names `^[a-z0-9_]{1,32}$` (unique), sources ≤ 512 chars
 * in RE2 syntax (case-sensitive unless the pattern says `(?i)`), never matching the empty string.
 * They run on RE2JS, a port of RE2: matching time is linear in the length of the value whatever
 * the pattern (`(a|a)*b`, `a*a*a*b`, `(a+)+b` are harmless), so nothing needs a time limit.
 * Backreferences and lookaround, which need backtracking, are refused.
 */
export function compileCustomPatterns(p: { name: string; pattern: string }[]): { ok: true } | { ok: false; problems: PatternProblem[] } {
  const result = compileInternal(p);
  return result.ok ? { ok: true } : result;
}

const compiledCache = new WeakMap<object, CompiledCustom[]>();

function customFor(policy: ScrubPolicy): CompiledCustom[] {
  const patterns = policy.customPatterns;
  if (patterns === undefined || patterns.length === 0) return [];
  const cached = compiledCache.get(patterns);
  if (cached !== undefined) return cached;
  const result = compileInternal(patterns);
  if (!result.ok) throw new Error(`invalid custom patterns: ${result.problems.map((p) => `#${p.index} ${p.message}`).join('; ')}`);
  compiledCache.set(patterns, result.compiled);
  return result.compiled;
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
