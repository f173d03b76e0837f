import { epochMs, type ExportedEvent } from './exported-event.js';
import { CONTROL_CLASS, escapeControls, hex4 } from './text-escape.js';

/**
 * ArcSight Common Event Format, one event per line:
 *   CEF:0|Veritrail|Veritrail|<productVersion>|<signature>|<name>|<severity>|<extension>
 *
 * Escaping (TEST-CATALOG EX-02, IN-01):
 *  - header fields: escapeControls first (its `\` → `\\` is exactly CEF's header escape),
 *    then `|` → `\|`; escapeControls never emits `|`, so the order decodes exactly;
 *  - extension values: `\` → `\\`, `=` → `\=`, LF → `\n`, CR → `\r` (all per the spec).
 *    Beyond the spec, every other control, bidi and zero-width character of text-escape.ts
 *    becomes `\uXXXX`; a spec-only parser shows those as literal text, never as controls.
 * Because `\` is always doubled, a `\u` in the output can only be one of these escapes.
 */
export const CEF_CONTENT_TYPE = 'text/plain; charset=utf-8';
export const CEF_EXTENSION = 'cef';

// failure → 6 (needs review), unknown → 3 (worth a look), success → 2 (routine); 0–10 CEF scale.
const SEVERITY: Record<string, number> = { failure: 6, unknown: 3, success: 2 };

const HEADER_PIPE = /\|/g;
const VALUE_SPECIAL = new RegExp(`[\\\\=${CONTROL_CLASS}]`);
const VALUE_SPECIAL_ALL = new RegExp(`[\\\\=${CONTROL_CLASS}]`, 'g');

/** Escapes a CEF header field (vendor, product, version, signature, name). */
export function escapeCefHeader(s: string): string {
  const escaped = escapeControls(s);
  return escaped.indexOf('|') < 0 ? escaped : escaped.replace(HEADER_PIPE, '\\|');
}

function escapeValueChar(ch: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '=':
      return '\\=';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    default:
      return hex4(ch.charCodeAt(0));
  }
}

/** Escapes a CEF extension value. */
export function escapeCefValue(s: string): string {
  return VALUE_SPECIAL.test(s) ? s.replace(VALUE_SPECIAL_ALL, escapeValueChar) : s;
}

function joined(values: string[] | undefined): string | undefined {
  return values === undefined || values.length === 0 ? undefined : values.join(',');
}

/** Extension pairs of one event, unescaped, in output order; absent values are left out. */
export function cefExtension(ev: ExportedEvent): [string, string][] {
  const pairs: [string, string][] = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined) pairs.push([key, value]);
  };
  const ctx = ev.context;
  const targets = ev.targets;
  add('externalId', ev.id);
  add('rt', String(epochMs(ev.received_at)));
  add('start', String(epochMs(ev.occurred_at)));
  add('act', ev.action);
  add('outcome', ev.outcome);
  add('suser', ev.actor.id);
  add('suid', ev.actor.email);
  add('sntdom', ev.actor.type);
  add('src', ctx?.ip);
  add('requestClientApplication', ctx?.user_agent);
  add('duser', targets?.[0]?.id);
  if (ev.organization_id !== undefined) {
    add('cs1Label', 'organization');
    add('cs1', ev.organization_id);
  }
  const types = joined(targets?.map((t) => t.type));
  if (types !== undefined) {
    add('cs2Label', 'target_types');
    add('cs2', types);
    add('cs3Label', 'target_ids');
    add('cs3', joined(targets?.map((t) => t.id)));
  }
  if (ctx?.request_id !== undefined) {
    add('cs4Label', 'request_id');
    add('cs4', ctx.request_id);
  }
  if (ctx?.session_id !== undefined) {
    add('cs5Label', 'session_id');
    add('cs5', ctx.session_id);
  }
  const flags = joined(ev.flags);
  if (flags !== undefined) {
    add('cs6Label', 'flags');
    add('cs6', flags);
  }
  add('msg', ev.actor.name);
  return pairs;
}

/** One CEF line (with its LF) for a parsed stored event. */
export function cefLine(ev: ExportedEvent, productVersion: string): string {
  const action = escapeCefHeader(ev.action);
  let ext = '';
  for (const [key, value] of cefExtension(ev)) ext += `${ext === '' ? '' : ' '}${key}=${escapeCefValue(value)}`;
  return `CEF:0|Veritrail|Veritrail|${escapeCefHeader(productVersion)}|${action}|${action}|${SEVERITY[ev.outcome] ?? 3}|${ext}\n`;
}

export interface ParsedCef {
  version: string;
  vendor: string;
  product: string;
  productVersion: string;
  signature: string;
  name: string;
  severity: string;
  extension: Record<string, string>;
}

/**
 * Reads one CEF line the way a SIEM would, from the spec: seven unescaped `|` end the
 * header (header escapes `\\` and `\|`), then space-separated `key=value` pairs where a
 * key is the word before an unescaped `=` (value escapes `\\`, `\=`, `\n`, `\r`). It also
 * decodes the `\uXXXX` extension described above, so the originals come back byte for byte.
 * A trailing line break is ignored; a malformed line throws.
 */
export function parseCefLine(line: string): ParsedCef {
  const text = line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
  const fields: string[] = [];
  let field = '';
  let i = 0;
  while (fields.length < 7) {
    if (i >= text.length) throw new Error('CEF: fewer than 8 header fields');
    const ch = text[i]!;
    if (ch === '\\') {
      field += unescapeAt(text, i, 'header');
      i += escapeLength(text, i);
    } else if (ch === '|') {
      fields.push(field);
      field = '';
      i++;
    } else {
      field += ch;
      i++;
    }
  }
  const [prefix, vendor, product, productVersion, signature, name, severity] = fields as [string, string, string, string, string, string, string];
  if (!prefix.startsWith('CEF:')) throw new Error('CEF: line does not start with CEF:');
  return {
    version: prefix.slice(4),
    vendor,
    product,
    productVersion,
    signature,
    name,
    severity,
    extension: parseExtension(text.slice(i)),
  };
}

const KEY_CHAR = /[A-Za-z0-9_.\-[\]]/;

/** Splits the extension at unescaped `=` signs, then unescapes each value. */
function parseExtension(ext: string): Record<string, string> {
  const out: Record<string, string> = {};
  // Positions of unescaped '=' (a '\' always consumes the next character).
  const equals: number[] = [];
  for (let i = 0; i < ext.length; i++) {
    if (ext[i] === '\\') i++;
    else if (ext[i] === '=') equals.push(i);
  }
  // The key of each '=' is the run of key characters before it, after a space or the start.
  const keyStarts = equals.map((eq) => {
    let k = eq;
    while (k > 0 && KEY_CHAR.test(ext[k - 1]!)) k--;
    if (k === eq || (k > 0 && ext[k - 1] !== ' ')) throw new Error(`CEF: no key before '=' at ${eq}`);
    return k;
  });
  for (let n = 0; n < equals.length; n++) {
    const key = ext.slice(keyStarts[n], equals[n]);
    // The value runs up to the single space that precedes the next key.
    const end = n + 1 < equals.length ? keyStarts[n + 1]! - 1 : ext.length;
    out[key] = unescapeValue(ext.slice(equals[n]! + 1, end));
  }
  if (equals.length === 0 && ext.trim() !== '') throw new Error('CEF: extension without key=value');
  return out;
}

function unescapeValue(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === '\\') {
      out += unescapeAt(raw, i, 'value');
      i += escapeLength(raw, i);
    } else out += raw[i++];
  }
  return out;
}

const U_ESCAPE = /^u[0-9a-fA-F]{4}$/;

function escapeLength(s: string, i: number): number {
  return U_ESCAPE.test(s.slice(i + 1, i + 6)) ? 6 : 2;
}

/** Decodes the escape at s[i] === '\'. */
function unescapeAt(s: string, i: number, where: 'header' | 'value'): string {
  const next = s[i + 1];
  if (next === undefined) throw new Error('CEF: dangling backslash');
  if (next === '\\') return '\\';
  if (where === 'header' && next === '|') return '|';
  if (where === 'value') {
    if (next === '=') return '=';
    if (next === 'n') return '\n';
    if (next === 'r') return '\r';
  }
  const hex = s.slice(i + 2, i + 6);
  if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(hex)) return String.fromCharCode(parseInt(hex, 16));
  // Unknown escape: keep it literally, as lenient CEF consumers do.
  return `\\${next}`;
}
