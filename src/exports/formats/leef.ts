import { isIP } from 'node:net';
import type { ExportedEvent } from './exported-event.js';
import { CONTROL_CLASS } from './text-escape.js';

/**
 * IBM QRadar Log Event Extended Format 2.0, one event per line:
 *   LEEF:2.0|Veritrail|Veritrail|<productVersion>|<action>|x09|<key=value>TAB<key=value>…
 *
 * LEEF has no escape mechanism: a value holding the attribute delimiter would split into a
 * forged attribute. So the delimiter is TAB (declared in the header as `x09`), and TAB can never
 * be in a value: it becomes a space, as CEF does (cef.ts). Every other control character (C0,
 * DEL, C1, CR, LF), bidi control, zero-width character, U+2028/U+2029 and U+FEFF becomes U+FFFD,
 * so one event is one line and no value can drive a terminal or disguise itself. `=` needs no
 * care: LEEF readers split an attribute on its first `=`, and keys are fixed names. The header
 * fields cannot hold `|`: the vendor and product are constants, the version is ours, and an
 * action matches ^[a-z0-9_]+(\.[a-z0-9_-]+)+$ at ingest (a `|` would be replaced all the same).
 */
export const LEEF_DELIMITER = '\t';

const VALUE_SPECIAL = new RegExp(`[${CONTROL_CLASS}]`, 'g');
const HEADER_SPECIAL = new RegExp(`[|${CONTROL_CLASS}]`, 'g');

/** A LEEF attribute value: TAB → space, the other controls → U+FFFD. */
export function leefValue(s: string): string {
  return s.replace(VALUE_SPECIAL, (ch) => (ch === '\t' ? ' ' : '\ufffd'));
}

function leefHeader(s: string): string {
  return s.replace(HEADER_SPECIAL, (ch) => (ch === '\t' ? ' ' : '\ufffd'));
}

// LEEF sev is 1–10; the same scale as the CEF mapping (failure needs review, success is routine).
const SEVERITY: Record<string, number> = { failure: 6, unknown: 3, success: 2 };

/** Attribute pairs of one event, in output order; absent and empty values are left out (docs/export-formats.md "LEEF"). */
export function leefAttributes(ev: ExportedEvent): [string, string][] {
  const pairs: [string, string][] = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') pairs.push([key, value]);
  };
  const ctx = ev.context;
  add('devTime', ev.occurred_at);
  add('devTimeFormat', "yyyy-MM-dd'T'HH:mm:ss.SSSX");
  add('cat', ev.action);
  add('sev', String(SEVERITY[ev.outcome] ?? 3));
  add('outcome', ev.outcome);
  add('eventId', ev.id);
  add('receivedAt', ev.received_at);
  add('usrName', ev.actor.name ?? ev.actor.id);
  add('actorId', ev.actor.id);
  add('actorType', ev.actor.type);
  add('actorEmail', ev.actor.email);
  // src is typed as an address (IPv4 or IPv6): a value that is not one (erased) is left out.
  if (ctx?.ip !== undefined && isIP(ctx.ip) !== 0) add('src', ctx.ip);
  add('userAgent', ctx?.user_agent);
  add('requestId', ctx?.request_id);
  add('sessionId', ctx?.session_id);
  add('organization', ev.organization_id);
  const targets = ev.targets ?? [];
  if (targets.length > 0) {
    add('targetTypes', targets.map((t) => t.type).join(','));
    add('targetIds', targets.map((t) => t.id).join(','));
  }
  const targetUser = targets.find((t) => t.type === 'user');
  add('dstUsrId', targetUser?.id);
  add('dstUsrName', targetUser?.name);
  if (ev.flags && ev.flags.length > 0) add('flags', ev.flags.join(','));
  // Delegation (docs/api.md "Delegation"): LEEF has no predefined key for either party, so custom keys.
  for (const [role, party] of [['onBehalfOf', ev.actor.on_behalf_of], ['impersonator', ev.actor.impersonator]] as const) {
    if (party === undefined) continue;
    add(`${role}Id`, party.id);
    add(`${role}Name`, party.name);
    add(`${role}Type`, party.type);
  }
  // The action's display template rendered for the event (docs/api.md "Display templates"), as CEF msg.
  add('msg', ev.display?.message);
  return pairs;
}

/** One LEEF 2.0 line (with its LF) for a parsed stored event. */
export function leefLine(ev: ExportedEvent, productVersion: string): string {
  const body = leefAttributes(ev)
    .map(([k, v]) => `${k}=${leefValue(v)}`)
    .join(LEEF_DELIMITER);
  return `LEEF:2.0|Veritrail|Veritrail|${leefHeader(productVersion)}|${leefHeader(ev.action)}|x09|${body}\n`;
}

/** A LEEF line for something that is not an event (a sealed checkpoint, a test message): fixed event id, given attributes. */
export function leefNotice(eventId: string, attributes: [string, string][], productVersion: string): string {
  const body = attributes.map(([k, v]) => `${k}=${leefValue(v)}`).join(LEEF_DELIMITER);
  return `LEEF:2.0|Veritrail|Veritrail|${leefHeader(productVersion)}|${leefHeader(eventId)}|x09|${body}\n`;
}
