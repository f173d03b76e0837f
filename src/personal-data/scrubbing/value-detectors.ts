import { findCards } from './card-numbers.js';
import type { CompiledCustom } from './custom-patterns.js';
import type { ScrubKind, Span } from './types.js';

/**
 * Value-based rules: secrets recognised by their shape anywhere in a string (JWTs, cloud and
 * payment provider keys, private key blocks, bearer tokens, URL credentials, card numbers,
 * tenant patterns). Every built-in regex runs in linear time on hostile input (see scrubber.ts).
 */

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
export function detect(s: string, custom: CompiledCustom[]): Span[] {
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
export function mergeSpans(spans: Span[]): Span[] {
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
