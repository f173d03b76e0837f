import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cefCarried, LOGNORMALIZER, referenceParse } from '../../../test/support/cef-reference.js';
import { cefExtension, cefLine, DELEGATION_KEY_PREFIX, escapeCefHeader, escapeCefValue } from './cef.js';
import type { ExportedEvent } from './exported-event.js';
import { ALL_EVENTS, ALL_PAYLOADS, HOSTILE, LOG_INJECTION, METACHARS } from './fixtures/stored-events.js';
import { writerFor } from './index.js';

const PRODUCT_VERSION = '1.4.0';
const writer = writerFor('cef', { productVersion: PRODUCT_VERSION });
const text = writer.header() + ALL_PAYLOADS.map((p) => writer.line(p)).join('') + writer.footer();
const lines = text.slice(0, -1).split('\n');

if (!LOGNORMALIZER) console.warn('CEF reference tests skipped: lognormalizer is not installed (apt-get install liblognorm-utils; .ci/run does)');
const withReference = describe.skipIf(!LOGNORMALIZER);

/** The values each extension key must read back as (absent: the key must be missing). */
function expectedExtension(ev: ExportedEvent): Record<string, string | undefined> {
  const ctx = ev.context;
  const targets = ev.targets?.length ? ev.targets : undefined;
  const targetUser = targets?.find((t) => t.type === 'user');
  const v = (s: string | undefined) => (s === undefined ? undefined : cefCarried(s, 'value'));
  const family = ctx?.ip === undefined ? 0 : isIP(ctx.ip);
  return {
    externalId: ev.id,
    rt: String(Date.parse(ev.received_at)),
    start: String(Date.parse(ev.occurred_at)),
    act: v(ev.action),
    outcome: ev.outcome,
    suid: v(ev.actor.id),
    suser: v(ev.actor.name),
    src: family === 4 ? ctx!.ip : undefined,
    c6a1Label: family === 6 ? 'source_ipv6' : undefined,
    c6a1: family === 6 ? ctx!.ip : undefined,
    requestClientApplication: v(ctx?.user_agent),
    duid: v(targetUser?.id),
    duser: v(targetUser?.name),
    cs1Label: ev.organization_id === undefined ? undefined : 'organization',
    cs1: v(ev.organization_id),
    cs2Label: targets && 'target_types',
    cs2: v(targets?.map((t) => t.type).join(',')),
    cs3Label: targets && 'target_ids',
    cs3: v(targets?.map((t) => t.id).join(',')),
    cs4Label: ctx?.request_id === undefined ? undefined : 'request_id',
    cs4: v(ctx?.request_id),
    cs5Label: ctx?.session_id === undefined ? undefined : 'session_id',
    cs5: v(ctx?.session_id),
    cs6Label: ev.actor.email === undefined ? undefined : 'actor_email',
    cs6: v(ev.actor.email),
    flexString1Label: 'actor_type',
    flexString1: ev.actor.type,
    flexString2Label: ev.flags?.length ? 'flags' : undefined,
    flexString2: ev.flags?.length ? v(ev.flags.join(',')) : undefined,
  };
}

/** Absent and empty values are left out, each with its label. */
const defined = (o: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(o).filter(([k, x]) => x !== undefined && x !== '' && !(k.endsWith('Label') && !o[k.slice(0, -5)])));

describe('CEF writer', () => {
  it('declares content type and extension, no header or footer', () => {
    expect(writer.contentType).toBe('text/plain; charset=utf-8');
    expect(writer.extension).toBe('cef');
    expect(writer.header()).toBe('');
    expect(writer.footer()).toBe('');
  });

  it('IN-01: writes exactly one line per event, with no control, bidi or zero-width character inside', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(lines).toHaveLength(ALL_EVENTS.length);
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/);
  });

  it('STD-CEF: uses only the escapes CEF defines (no \\uXXXX, no \\t)', () => {
    for (const line of lines) {
      // Every backslash starts one of the spec's escapes: \\ \| (header), \\ \= \n \r (values).
      expect(line.replace(/\\[\\|=nr]/g, '')).not.toContain('\\');
    }
    expect(escapeCefValue('tab\there')).toBe('tab here');
    expect(escapeCefValue('rlo\u202eevil')).toBe('rlo\ufffdevil');
    expect(escapeCefHeader('line\nbreak\r')).toBe('line\ufffdbreak\ufffd');
  });

  it('STD-CEF: maps the actor to suid/suser, e-mail and actor type to labelled custom strings, IPv6 to c6a1', () => {
    const pairs = (ev: ExportedEvent) => Object.fromEntries(cefExtension(ev));
    const full = pairs(ALL_EVENTS[0]!);
    expect(full).toMatchObject({ suid: 'usr_42', suser: 'Alice Martin', cs6Label: 'actor_email', cs6: 'alice@acme.example', flexString1Label: 'actor_type', flexString1: 'user', src: '203.0.113.7', duid: 'usr_77', duser: 'Bob' });
    expect(full).not.toHaveProperty('sntdom');
    expect(full).not.toHaveProperty('msg');
    const v6 = pairs(ALL_EVENTS.find((e) => e.context?.ip === '2001:db8::1')!);
    expect(v6).toMatchObject({ c6a1Label: 'source_ipv6', c6a1: '2001:db8::1' });
    expect(v6).not.toHaveProperty('src');
    // Erased or withheld personal data is not an address: neither src nor c6a1.
    const erased = pairs({ ...ALL_EVENTS[0]!, context: { ip: '[erased]' } });
    expect(erased).not.toHaveProperty('src');
    expect(erased).not.toHaveProperty('c6a1');
  });

  it('omits keys whose value is absent (minimal event)', () => {
    const keys = cefExtension(ALL_EVENTS[1]!).map(([k]) => k);
    expect(keys).toEqual(['externalId', 'rt', 'start', 'act', 'outcome', 'suid', 'flexString1Label', 'flexString1']);
  });

  it('EX-02: escapes |, \\, = and newlines as the spec says', () => {
    const ev = HOSTILE.find((e) => e.action === 'note.created')!;
    const line = lines[ALL_EVENTS.indexOf(ev)]!;
    expect(line).toContain(' suser=a|b\\\\c\\=d\\ne"f,g\\rh ');
    expect(line).toContain(' suid=u|1\\=2\\\\3 ');
    expect(line).toContain(' cs1=org|pipe\\=eq\\\\slash ');
  });

  it('IN-01: a forged log line stays inside suser; terminal escapes are neutralised', () => {
    const ev = HOSTILE.find((e) => e.actor.name === LOG_INJECTION)!;
    const line = lines[ALL_EVENTS.indexOf(ev)]!;
    expect(line).toContain('suser=bob\\r\\n2025-01-01 INFO login ok user\\=admin');
    expect(line).toContain('requestClientApplication=\ufffd]8;;http://x\ufffdclick');
  });
});

withReference('CEF read by a maintained reference parser (liblognorm)', () => {
  it('STD-CEF / EX-02: every exported line parses; header and every value read back byte for byte (replaced characters as documented)', () => {
    const parsed = referenceParse(lines);
    parsed.forEach((p, i) => {
      const ev = ALL_EVENTS[i]!;
      expect(p, `line ${i} refused: ${lines[i]}`).toBeDefined();
      expect([p!.DeviceVendor, p!.DeviceProduct, p!.DeviceVersion, p!.SignatureID, p!.Name]).toEqual(['Veritrail', 'Veritrail', PRODUCT_VERSION, ev.action, ev.action]);
      expect(p!.Severity).toBe({ failure: '6', unknown: '3', success: '2' }[ev.outcome]);
      expect(p!.Extensions, ev.id).toEqual(defined(expectedExtension(ev)));
    });
    expect(parsed.find((p) => p?.Extensions.suser === METACHARS)).toBeDefined();
    expect(parsed.find((p) => p?.Extensions.suser === LOG_INJECTION)).toBeDefined();
  });

  it('STD-CEF: hostile values round-trip through every key, header fields included', () => {
    const hostile = [
      METACHARS,
      LOG_INJECTION,
      'pipe | back\\slash = equals \\| \\= \\n',
      'trailing backslash \\',
      '  spaces around  ',
      ' k=v looks like a pair ',
      'literal \\u0041 and \\t',
      '',
      'Zoë 漢字 😀',
      'tab\there, esc\u001b[2J, nul\u0000, del\u007f, nel\u0085, rlo\u202e, zw\u200b, ls\u2028, bom\ufeff',
    ];
    const events: ExportedEvent[] = hostile.map((s, i) => ({
      id: `0190a1b2-c3d4-7e5f-8a9b-${String(i).padStart(12, '0')}`,
      received_at: '2025-06-01T12:00:00.250Z',
      occurred_at: '2025-06-01T12:00:00.000Z',
      action: 'note.created',
      outcome: 'success',
      organization_id: s,
      actor: { type: 'user', id: `id ${s}`, name: s, email: s },
      targets: [{ type: 'user', id: s, name: s }],
      context: { user_agent: s, request_id: s, session_id: s },
      flags: [s],
    }));
    const out = events.map((ev) => cefLine(ev, `1.0 ${hostile[0]!}|x`).slice(0, -1));
    const parsed = referenceParse(out);
    parsed.forEach((p, i) => {
      const ev = events[i]!;
      expect(p, `refused: ${out[i]}`).toBeDefined();
      expect(p!.DeviceVersion).toBe(cefCarried(`1.0 ${hostile[0]!}|x`, 'header'));
      expect(p!.Extensions).toEqual(defined(expectedExtension(ev)));
    });
  });

  it('STD-CEF: the reference parser is strict (a non-CEF escape makes the line unparsable), so the checks above can fail', () => {
    const [good, uEscape, tEscape, pipeInValue] = referenceParse([
      'CEF:0|V|P|1|s|n|2|a=x\\=y b=1',
      'CEF:0|V|P|1|s|n|2|a=\\u0009 b=1',
      'CEF:0|V|P|1|s|n|2|a=\\t b=1',
      'CEF:0|V|P|1|s|n|2|a=x\\|y b=1',
    ]);
    expect(good?.Extensions).toEqual({ a: 'x=y', b: '1' });
    expect(uEscape).toBeUndefined();
    expect(tEscape).toBeUndefined();
    expect(pipeInValue).toBeUndefined();
  });
});

withReference('CEF: delegation read by the reference parser', () => {
  const base = { id: '0190a1b2-c3d4-7e5f-8a9b-00000000d002', received_at: '2025-06-01T12:00:00.250Z', occurred_at: '2025-06-01T11:59:58.123Z', outcome: 'success' as const, action: 'document.shared' };
  const events: ExportedEvent[] = [
    { ...base, actor: { type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_bob', name: 'Bob = Boss \\ | x' } } },
    { ...base, actor: { type: 'user', id: 'u_bob', name: 'Bob', impersonator: { type: 'user', id: 'u_ann' } } },
    { ...base, actor: { type: 'user', id: 'u_ann', on_behalf_of: { type: 'user', id: 'u_cat', name: 'Cat\nForged: CEF:0|x' }, impersonator: { type: 'service', id: 'console', name: 'Console' } } },
  ];

  it('STD-CEF: both parties travel in user-defined extension names, values read back exactly; the labelled slots keep their meaning', () => {
    const parsed = referenceParse(events.map((e) => cefLine(e, PRODUCT_VERSION).slice(0, -1)));
    const k = (role: string, f: string) => `${DELEGATION_KEY_PREFIX}${role}${f}`;
    expect(DELEGATION_KEY_PREFIX).toMatch(/^[A-Za-z0-9]+$/);
    expect(parsed[0]!.Extensions).toMatchObject({ suid: 'assistant', suser: 'Assistant', flexString1: 'agent', [k('OnBehalfOf', 'Id')]: 'u_bob', [k('OnBehalfOf', 'Name')]: 'Bob = Boss \\ | x', [k('OnBehalfOf', 'Type')]: 'user' });
    expect(Object.keys(parsed[0]!.Extensions).some((x) => x.includes('Impersonator'))).toBe(false);
    expect(parsed[1]!.Extensions).toMatchObject({ suid: 'u_bob', [k('Impersonator', 'Id')]: 'u_ann', [k('Impersonator', 'Type')]: 'user' });
    expect(parsed[1]!.Extensions).not.toHaveProperty(k('Impersonator', 'Name'));
    expect(parsed[2]!.Extensions).toMatchObject({
      [k('OnBehalfOf', 'Id')]: 'u_cat',
      [k('OnBehalfOf', 'Name')]: 'Cat\nForged: CEF:0|x',
      [k('Impersonator', 'Id')]: 'console',
      [k('Impersonator', 'Name')]: 'Console',
      [k('Impersonator', 'Type')]: 'service',
    });
    // Without delegation nothing changes: the same keys as before.
    for (const ev of ALL_EVENTS) expect(cefExtension(ev).some(([key]) => key.startsWith(DELEGATION_KEY_PREFIX))).toBe(false);
  });
});

withReference('CEF: display messages (docs/api.md "Display templates") read by liblognorm', () => {
  const base = { id: '0190a1b2-c3d4-7e5f-8a9b-00000000d003', received_at: '2025-06-01T12:00:00.250Z', occurred_at: '2025-06-01T11:59:58.123Z', outcome: 'success' as const, action: 'document.shared', actor: { type: 'user', id: 'u_ann', name: 'Ann' } };
  const messages = ['Ann shared Plan Q3 with Bob', 'Ann = x | y \\ z <b>bold</b>', 'Cat\nForged: CEF:0|Evil|x|1|a|a|10|', 'Ünïcödé — 共有しました'];

  it('STD-CEF: msg carries the rendered template, read back exactly, whether the event carries it or the writer renders it', () => {
    const fromEvent = messages.map((m) => cefLine({ ...base, display: { message: m } }, PRODUCT_VERSION).slice(0, -1));
    const w = writerFor('cef', { productVersion: PRODUCT_VERSION, message: (ev) => `${ev.actor.name ?? ''} did ${ev.action}` });
    const rendered = w.line(JSON.stringify(base)).slice(0, -1);
    const parsed = referenceParse([...fromEvent, rendered]);
    messages.forEach((m, i) => expect(parsed[i]!.Extensions.msg).toBe(cefCarried(m, 'value')));
    expect(parsed[messages.length]!.Extensions.msg).toBe('Ann did document.shared');
    // Without a template (no display, no renderer) there is no msg key at all.
    expect(cefExtension(base).some(([k]) => k === 'msg')).toBe(false);
  });
});

