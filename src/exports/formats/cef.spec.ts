import { describe, expect, it } from 'vitest';
import { cefExtension, escapeCefHeader, escapeCefValue, parseCefLine } from './cef.js';
import type { ExportedEvent } from './exported-event.js';
import { ALL_EVENTS, ALL_PAYLOADS, HOSTILE, LOG_INJECTION, METACHARS } from './fixtures/stored-events.js';
import { writerFor } from './index.js';

const PRODUCT_VERSION = '1.4.0';
const writer = writerFor('cef', { productVersion: PRODUCT_VERSION });
const text = writer.header() + ALL_PAYLOADS.map((p) => writer.line(p)).join('') + writer.footer();
const lines = text.slice(0, -1).split('\n');

/** The originals each extension key must reconstruct (absent: the key must be missing). */
function expectedExtension(ev: ExportedEvent): Record<string, string | undefined> {
  const ctx = ev.context;
  const targets = ev.targets?.length ? ev.targets : undefined;
  return {
    externalId: ev.id,
    rt: String(Date.parse(ev.received_at)),
    start: String(Date.parse(ev.occurred_at)),
    act: ev.action,
    outcome: ev.outcome,
    suser: ev.actor.id,
    suid: ev.actor.email,
    sntdom: ev.actor.type,
    src: ctx?.ip,
    requestClientApplication: ctx?.user_agent,
    duser: targets?.[0]?.id,
    cs1Label: ev.organization_id === undefined ? undefined : 'organization',
    cs1: ev.organization_id,
    cs2Label: targets && 'target_types',
    cs2: targets?.map((t) => t.type).join(','),
    cs3Label: targets && 'target_ids',
    cs3: targets?.map((t) => t.id).join(','),
    cs4Label: ctx?.request_id === undefined ? undefined : 'request_id',
    cs4: ctx?.request_id,
    cs5Label: ctx?.session_id === undefined ? undefined : 'session_id',
    cs5: ctx?.session_id,
    cs6Label: ev.flags?.length ? 'flags' : undefined,
    cs6: ev.flags?.length ? ev.flags.join(',') : undefined,
    msg: ev.actor.name,
  };
}

describe('CEF writer', () => {
  it('declares content type and extension, no header or footer', () => {
    expect(writer.contentType).toBe('text/plain; charset=utf-8');
    expect(writer.extension).toBe('cef');
    expect(writer.header()).toBe('');
    expect(writer.footer()).toBe('');
  });

  it('IN-01: writes exactly one line per event, with no CR, LF or ESC inside', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(lines).toHaveLength(ALL_EVENTS.length);
    for (const line of lines) expect(line).not.toMatch(/[\r\n\u001b\u0000-\u001f\u007f-\u009f]/);
  });

  it('writes the CEF:0 header with vendor, product, version, action and severity', () => {
    lines.forEach((line, i) => {
      const ev = ALL_EVENTS[i]!;
      const parsed = parseCefLine(line);
      expect(parsed).toMatchObject({ version: '0', vendor: 'Veritrail', product: 'Veritrail', productVersion: PRODUCT_VERSION });
      expect(parsed.signature).toBe(ev.action);
      expect(parsed.name).toBe(ev.action);
      expect(parsed.severity).toBe({ failure: '6', unknown: '3', success: '2' }[ev.outcome]);
      expect(line.startsWith(`CEF:0|Veritrail|Veritrail|${PRODUCT_VERSION}|${ev.action}|${ev.action}|`)).toBe(true);
    });
  });

  it('EX-02: parseCefLine reconstructs every original value byte for byte', () => {
    lines.forEach((line, i) => {
      const ev = ALL_EVENTS[i]!;
      const { extension } = parseCefLine(line);
      const want = Object.fromEntries(Object.entries(expectedExtension(ev)).filter(([, v]) => v !== undefined));
      expect(extension, ev.id).toEqual(want);
    });
  });

  it('EX-02: escapes |, \\, = and newlines in values as the spec says', () => {
    const ev = HOSTILE.find((e) => e.action === 'note.created')!;
    const line = lines[ALL_EVENTS.indexOf(ev)]!;
    expect(line).toContain(' msg=a|b\\\\c\\=d\\ne"f,g\\rh');
    expect(line).toContain(' suser=u|1\\=2\\\\3 ');
    expect(line).toContain(' cs1=org|pipe\\=eq\\\\slash ');
    expect(parseCefLine(line).extension.msg).toBe(METACHARS);
  });

  it('IN-01: a forged log line stays inside msg', () => {
    const ev = HOSTILE.find((e) => e.actor.name === LOG_INJECTION)!;
    const line = lines[ALL_EVENTS.indexOf(ev)]!;
    expect(line).toContain('msg=bob\\r\\n2025-01-01 INFO login ok user\\=admin');
    expect(line).toContain('requestClientApplication=\\u001b]8;;http://x\\u0007click');
    expect(parseCefLine(line).extension.msg).toBe(LOG_INJECTION);
  });

  it('omits keys whose value is absent (minimal event)', () => {
    const keys = cefExtension(ALL_EVENTS[1]!).map(([k]) => k);
    expect(keys).toEqual(['externalId', 'rt', 'start', 'act', 'outcome', 'suser', 'sntdom']);
  });
});

describe('CEF escaping functions', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['a\\b', 'a\\\\b'],
    ['\\|', '\\\\\\|'],
    ['a=b', 'a=b'],
    ['line\nbreak', 'line\\u000abreak'],
    ['esc\u001b[2J', 'esc\\u001b[2J'],
    ['plain.action', 'plain.action'],
  ])('header: %j → %s, and parses back', (value, escaped) => {
    expect(escapeCefHeader(value)).toBe(escaped);
    const parsed = parseCefLine(`CEF:0|V|P|1|${escapeCefHeader(value)}|${escapeCefHeader(value)}|2|`);
    expect(parsed.signature).toBe(value);
    expect(parsed.name).toBe(value);
    expect(parsed.extension).toEqual({});
  });

  it.each([
    ['a=b', 'a\\=b'],
    ['a\\b', 'a\\\\b'],
    ['a|b', 'a|b'],
    ['l1\nl2\r\n', 'l1\\nl2\\r\\n'],
    ['tab\there', 'tab\\u0009here'],
    ['rlo\u202eevil', 'rlo\\u202eevil'],
    ['literal \\u0041', 'literal \\\\u0041'],
    ['trailing \\', 'trailing \\\\'],
    ['  spaces  ', '  spaces  '],
    ['', ''],
  ])('value: %j → %s, and parses back', (value, escaped) => {
    expect(escapeCefValue(value)).toBe(escaped);
    const ext = `a=${escapeCefValue(value)} b=${escapeCefValue(value)} c=end`;
    expect(parseCefLine(`CEF:0|V|P|1|s|n|2|${ext}`).extension).toEqual({ a: value, b: value, c: 'end' });
  });

  it('parses spec examples from other producers (spaces in values, escaped pipes in the header)', () => {
    const parsed = parseCefLine('CEF:0|Security|threatmanager|1.0|100|detected a \\| in message|10|src=10.0.0.1 act=blocked a \\= dst=1.1.1.1 msg=hello world\n');
    expect(parsed.name).toBe('detected a | in message');
    expect(parsed.extension).toEqual({ src: '10.0.0.1', act: 'blocked a =', dst: '1.1.1.1', msg: 'hello world' });
  });

  it('rejects lines that are not CEF', () => {
    expect(() => parseCefLine('not cef')).toThrow();
    expect(() => parseCefLine('LEEF:1.0|a|b|c|d|e|f|')).toThrow();
  });
});
