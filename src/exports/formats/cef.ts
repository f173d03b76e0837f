import { isIP } from 'node:net';
import { epochMs, type ExportedEvent } from './exported-event.js';
import { CONTROL_CLASS } from './text-escape.js';

/**
 * ArcSight Common Event Format, one event per line:
 *   CEF:0|Veritrail|Veritrail|<productVersion>|<signature>|<name>|<severity>|<extension>
 *
 * Only the escapes the CEF specification defines (TEST-CATALOG EX-02, IN-01):
 *  - header fields: `\` → `\\`, `|` → `\|`;
 *  - extension values: `\` → `\\`, `=` → `\=`, LF → `\n`, CR → `\r`.
 * Characters CEF has no escape for cannot be carried: TAB becomes a space (some consumers split
 * extension pairs on TAB); every other control (C0, DEL, C1), bidi control, zero-width
 * character, U+2028/U+2029 and U+FEFF becomes U+FFFD, as do CR and LF in header fields (the
 * spec allows line breaks only in extension values). So no value can forge a line, drive a
 * terminal or disguise itself, and a strict CEF parser reads every other value back exactly.
 */
export const CEF_CONTENT_TYPE = 'text/plain; charset=utf-8';
export const CEF_EXTENSION = 'cef';

// failure → 6 (needs review), unknown → 3 (worth a look), success → 2 (routine); 0–10 CEF scale.
const SEVERITY: Record<string, number> = { failure: 6, unknown: 3, success: 2 };

const HEADER_SPECIAL = new RegExp(`[\\\\|${CONTROL_CLASS}]`, 'g');
const VALUE_SPECIAL = new RegExp(`[\\\\=${CONTROL_CLASS}]`, 'g');
const REPLACEMENT = '\ufffd';

function replaced(ch: string): string {
  return ch === '\t' ? ' ' : REPLACEMENT;
}

/** Escapes a CEF header field (vendor, product, version, signature, name). */
export function escapeCefHeader(s: string): string {
  return s.replace(HEADER_SPECIAL, (ch) => (ch === '\\' ? '\\\\' : ch === '|' ? '\\|' : replaced(ch)));
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
      return replaced(ch);
  }
}

/** Escapes a CEF extension value. */
export function escapeCefValue(s: string): string {
  return s.replace(VALUE_SPECIAL, escapeValueChar);
}

/** Vendor and product of the user-defined extension names (both Veritrail). */
export const DELEGATION_KEY_PREFIX = 'VeritrailVeritrail';

function joined(values: string[] | undefined): string | undefined {
  return values === undefined || values.length === 0 ? undefined : values.join(',');
}

/**
 * Extension pairs of one event, unescaped, in output order; absent and empty values are left out. Keys
 * follow the ArcSight extension dictionary as SIEMs map it (Microsoft Sentinel's
 * CommonSecurityLog, ArcSight ESM): the actor is the source user (`suid` id, `suser` name), the
 * first target of type user the destination user (`duid`, `duser`); `src` carries IPv4 only,
 * IPv6 goes to `c6a1` (both typed as addresses, so a value that is not an address — an erased
 * one — is left out); what has no dictionary key goes to labelled custom strings.
 */
export function cefExtension(ev: ExportedEvent): [string, string][] {
  const pairs: [string, string][] = [];
  // An empty value is left out with its label: some parsers refuse a line ending in `key=`.
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') pairs.push([key, value]);
  };
  const labelled = (key: string, label: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    add(`${key}Label`, label);
    add(key, value);
  };
  const ctx = ev.context;
  const targets = ev.targets;
  add('externalId', ev.id);
  add('rt', String(epochMs(ev.received_at)));
  add('start', String(epochMs(ev.occurred_at)));
  add('act', ev.action);
  // The action's display template rendered for the event (docs/api.md "Display templates").
  add('msg', ev.display?.message);
  add('outcome', ev.outcome);
  add('suid', ev.actor.id);
  add('suser', ev.actor.name);
  const ip = ctx?.ip;
  const family = ip === undefined ? 0 : isIP(ip);
  if (family === 4) add('src', ip);
  else if (family === 6) labelled('c6a1', 'source_ipv6', ip);
  add('requestClientApplication', ctx?.user_agent);
  const targetUser = targets?.find((t) => t.type === 'user');
  add('duid', targetUser?.id);
  add('duser', targetUser?.name);
  labelled('cs1', 'organization', ev.organization_id);
  labelled('cs2', 'target_types', joined(targets?.map((t) => t.type)));
  labelled('cs3', 'target_ids', joined(targets?.map((t) => t.id)));
  labelled('cs4', 'request_id', ctx?.request_id);
  labelled('cs5', 'session_id', ctx?.session_id);
  labelled('cs6', 'actor_email', ev.actor.email);
  labelled('flexString1', 'actor_type', ev.actor.type);
  labelled('flexString2', 'flags', joined(ev.flags));
  // Delegation (docs/api.md "Delegation"). Every labelled custom string (cs1–cs6, flexString1–2)
  // is taken above, so these use the specification's user-defined extension names
  // (VendornameProductnameExplanatoryKeyName: alphanumeric, none in the extension dictionary).
  for (const [role, party] of [['OnBehalfOf', ev.actor.on_behalf_of], ['Impersonator', ev.actor.impersonator]] as const) {
    if (party === undefined) continue;
    add(`${DELEGATION_KEY_PREFIX}${role}Id`, party.id);
    add(`${DELEGATION_KEY_PREFIX}${role}Name`, party.name);
    add(`${DELEGATION_KEY_PREFIX}${role}Type`, party.type);
  }
  return pairs;
}

/** One CEF line (with its LF) for a parsed stored event. */
export function cefLine(ev: ExportedEvent, productVersion: string): string {
  const action = escapeCefHeader(ev.action);
  let ext = '';
  for (const [key, value] of cefExtension(ev)) ext += `${ext === '' ? '' : ' '}${key}=${escapeCefValue(value)}`;
  return `CEF:0|Veritrail|Veritrail|${escapeCefHeader(productVersion)}|${action}|${action}|${SEVERITY[ev.outcome] ?? 3}|${ext}\n`;
}
