import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../common/canonical.js';
import { blankErasedContext, topLevelObjectSpan } from './context-erasure.js';

const ev = (actor: string, receivedAt: string, extra: Record<string, unknown> = {}) =>
  canonicalJson({
    action: 'user.login',
    actor: { type: 'user', id: actor, metadata: { context: { ip: 'nested' } } },
    context: { ip: '203.0.113.5', session_id: 's_1', user_agent: 'UA "quoted" }{' },
    metadata: { n: 1.5e300, note: '"context":{"ip":"x"}' },
    received_at: receivedAt,
    ...extra,
  });

describe('PROMISE-05: context of erased subjects reads [erased]', () => {
  const erasures = new Map([['u_gone', Date.parse('2026-06-01T00:00:00.000Z')]]);

  it('blanks every context value of the subject’s events received up to the erasure, and nothing else', () => {
    const before = ev('u_gone', '2026-05-31T23:59:59.999Z');
    const out = blankErasedContext(before, erasures);
    const parsed = JSON.parse(out);
    expect(parsed.context).toEqual({ ip: '[erased]', session_id: '[erased]', user_agent: '[erased]' });
    // The rest is byte-for-byte the stored text: a nested "context" key, a lookalike string, a big number.
    const strip = (t: string) => {
      const [a, b] = topLevelObjectSpan(t, 'context')!;
      return t.slice(0, a) + t.slice(b);
    };
    expect(strip(out)).toBe(strip(before));
    expect(out).toContain('"metadata":{"context":{"ip":"nested"}}');
    expect(out).toContain('"note":"\\"context\\":{\\"ip\\":\\"x\\"}"');
  });

  it('leaves other actors, later events (the person came back) and events without context alone', () => {
    const other = ev('u_other', '2026-05-01T00:00:00.000Z');
    expect(blankErasedContext(other, erasures)).toBe(other);
    const later = ev('u_gone', '2026-06-01T00:00:00.001Z');
    expect(blankErasedContext(later, erasures)).toBe(later);
    const none = canonicalJson({ actor: { id: 'u_gone' }, received_at: '2026-01-01T00:00:00.000Z' });
    expect(blankErasedContext(none, erasures)).toBe(none);
    expect(blankErasedContext(other, new Map())).toBe(other);
  });

  it('works line by line on NDJSON (exports)', () => {
    const lines = [ev('u_other', '2026-05-01T00:00:00.000Z'), ev('u_gone', '2026-05-01T00:00:00.000Z'), ''].join('\n');
    const out = blankErasedContext(lines, erasures).split('\n');
    expect(out).toHaveLength(3);
    expect(JSON.parse(out[0]!).context.ip).toBe('203.0.113.5');
    expect(JSON.parse(out[1]!).context.ip).toBe('[erased]');
  });

  it('finds only a top-level key', () => {
    const text = '{"a":{"context":{"x":1}},"b":"\\"context\\":{","context":{"y":"}"},"z":1}';
    const span = topLevelObjectSpan(text, 'context')!;
    expect(text.slice(span[0], span[1])).toBe('{"y":"}"}');
    expect(topLevelObjectSpan('{"a":{"context":{}}}', 'context')).toBeUndefined();
  });
});
