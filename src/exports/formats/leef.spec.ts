import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LOGNORMALIZER } from '../../../test/support/cef-reference.js';
import { leefCarried, leefReferenceParse } from '../../../test/support/leef-reference.js';
import type { ExportedEvent } from './exported-event.js';
import { ALL_EVENTS, HOSTILE } from './fixtures/stored-events.js';
import { leefAttributes, leefLine, leefValue } from './leef.js';

if (!LOGNORMALIZER) console.warn('LEEF reference tests skipped: lognormalizer is not installed (apt-get install liblognorm-utils; .ci/run does)');
const withReference = describe.skipIf(!LOGNORMALIZER);

describe('LEEF 2.0', () => {
  it('IN-01: no value of any fixture event (hostile ones included) holds the TAB delimiter, a line break or another control character', () => {
    for (const ev of ALL_EVENTS) {
      const line = leefLine(ev, '1.2.3');
      expect(line.endsWith('\n')).toBe(true);
      const body = line.slice(0, -1);
      expect(body, ev.id).not.toMatch(/[\r\n\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u200b-\u200f]/);
      const header = body.split('|', 6);
      expect(header.slice(0, 3)).toEqual(['LEEF:2.0', 'Veritrail', 'Veritrail']);
      expect(header[5]).toBe('x09');
      const attrs = body.slice(header.join('|').length + 1).split('\t');
      // One TAB-separated attribute per mapped pair: no value added an attribute.
      expect(attrs.map((a) => a.slice(0, a.indexOf('=')))).toEqual(leefAttributes(ev).map(([k]) => k));
    }
  });

  it('replaces TAB by a space and other controls by U+FFFD, and keeps = | \\ and non-ASCII text', () => {
    expect(leefValue('a\tb\nc\rd\u001b[2J\u202ee')).toBe('a b\ufffdc\ufffdd\ufffd[2J\ufffde');
    expect(leefValue('x=y|z\\ é 漢')).toBe('x=y|z\\ é 漢');
    expect(HOSTILE.length).toBeGreaterThan(0);
  });
});

/** The attributes an event must read back as, in order, from the table in docs/export-formats.md "LEEF 2.0" (absent and empty left out). */
function expectedAttributes(ev: ExportedEvent): [string, string][] {
  const ctx = ev.context;
  const targets = ev.targets ?? [];
  const targetUser = targets.find((t) => t.type === 'user');
  const sev = { failure: '6', unknown: '3', success: '2' }[ev.outcome];
  const pairs: [string, string | undefined][] = [
    ['devTime', ev.occurred_at],
    ['devTimeFormat', "yyyy-MM-dd'T'HH:mm:ss.SSSX"],
    ['cat', ev.action],
    ['sev', sev],
    ['outcome', ev.outcome],
    ['eventId', ev.id],
    ['receivedAt', ev.received_at],
    ['usrName', ev.actor.name ?? ev.actor.id],
    ['actorId', ev.actor.id],
    ['actorType', ev.actor.type],
    ['actorEmail', ev.actor.email],
    ['src', ctx?.ip !== undefined && isIP(ctx.ip) !== 0 ? ctx.ip : undefined],
    ['userAgent', ctx?.user_agent],
    ['requestId', ctx?.request_id],
    ['sessionId', ctx?.session_id],
    ['organization', ev.organization_id],
    ['targetTypes', targets.length ? targets.map((t) => t.type).join(',') : undefined],
    ['targetIds', targets.length ? targets.map((t) => t.id).join(',') : undefined],
    ['dstUsrId', targetUser?.id],
    ['dstUsrName', targetUser?.name],
    ['flags', ev.flags?.length ? ev.flags.join(',') : undefined],
    ['onBehalfOfId', ev.actor.on_behalf_of?.id],
    ['onBehalfOfName', ev.actor.on_behalf_of?.name],
    ['onBehalfOfType', ev.actor.on_behalf_of?.type],
    ['impersonatorId', ev.actor.impersonator?.id],
    ['impersonatorName', ev.actor.impersonator?.name],
    ['impersonatorType', ev.actor.impersonator?.type],
    ['msg', ev.display?.message],
  ];
  return pairs.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '').map(([k, v]) => [k, leefCarried(v)]);
}

withReference('LEEF 2.0 read by liblognorm (test/support/leef-reference.ts)', () => {
  const base = { id: '0190a1b2-c3d4-7e5f-8a9b-00000000f001', received_at: '2025-06-01T12:00:00.250Z', occurred_at: '2025-06-01T11:59:58.123Z', outcome: 'success' as const, action: 'document.shared' };
  const delegated: ExportedEvent[] = [
    { ...base, actor: { type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_bob', name: 'Bob = Boss | x\ty' } }, display: { message: 'Assistant for Bob shared Plan' } },
    { ...base, actor: { type: 'user', id: 'u_bob', name: 'Bob', impersonator: { type: 'user', id: 'u_ann', name: 'Ann\tForged=1' } } },
    { ...base, actor: { type: 'user', id: 'u_ann', on_behalf_of: { type: 'user', id: 'u_cat' }, impersonator: { type: 'service', id: 'console' } }, display: { message: 'Cat\nLEEF:2.0|Evil|x|1|a|x09|sev=10 — 共有' } },
  ];
  const events = [...ALL_EVENTS, ...delegated];

  it('STD-LEEF: every fixture event (hostile ones included) parses as LEEF 2.0 with the documented header and attributes, values read back as documented', () => {
    const parsed = leefReferenceParse(events.map((ev) => leefLine(ev, '1.2.3').slice(0, -1)));
    events.forEach((ev, i) => {
      const p = parsed[i];
      expect(p, ev.id).toBeDefined();
      expect({ ...p!, attributes: undefined }).toEqual({ version: '2.0', vendor: 'Veritrail', product: 'Veritrail', product_version: '1.2.3', event_id: ev.action, delimiter: 'x09', attributes: undefined });
      expect(p!.attributes, ev.id).toEqual(expectedAttributes(ev));
    });
    // Delegation and the display message travel in their own keys.
    const [agent, imp, both] = parsed.slice(ALL_EVENTS.length).map((p) => new Map(p!.attributes));
    expect(agent!.get('onBehalfOfName')).toBe('Bob = Boss | x y');
    expect(agent!.get('msg')).toBe('Assistant for Bob shared Plan');
    expect(imp!.get('impersonatorName')).toBe('Ann Forged=1');
    expect(imp!.has('Forged')).toBe(false);
    expect(both!.get('msg')).toBe('Cat\ufffdLEEF:2.0|Evil|x|1|a|x09|sev=10 — 共有');
    expect([...both!.keys()].filter((k) => k === 'sev')).toHaveLength(1);
  });

  it('STD-LEEF: the reference refuses what is not LEEF 2.0 and splits on a raw delimiter, so the checks above can fail', () => {
    const [noDelimiterField, empty, noKey, rawTab, good] = leefReferenceParse([
      'LEEF:2.0|V|P|1|e|a=1\tb=2',
      'LEEF:2.0|V|P|1|e|x09|',
      'LEEF:2.0|V|P|1|e|x09|=x',
      'LEEF:2.0|V|P|1|e|x09|a=x\tforged=1',
      'LEEF:2.0|V|P|1|e|x09|a=x=y|z\tb=',
    ]);
    expect(noDelimiterField).toBeUndefined();
    expect(empty).toBeUndefined();
    expect(noKey).toBeUndefined();
    expect(rawTab!.attributes).toEqual([['a', 'x'], ['forged', '1']]);
    expect(good!.attributes).toEqual([['a', 'x=y|z'], ['b', '']]);
  });
});

