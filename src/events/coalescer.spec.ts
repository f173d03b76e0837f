import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.js';

type Call = { group: string; entries: string[] };

function recorder(fail?: (entries: string[]) => boolean) {
  const statements: { ctx: string; entries: string[] }[] = [];
  const releases: (() => void)[] = [];
  const c = new Coalescer<string, string, Set<string>, string[]>(
    (e) => e,
    async (ctx, entries) => {
      statements.push({ ctx, entries });
      await new Promise<void>((r) => releases.push(r));
      if (fail?.(entries)) throw new Error('statement failed');
      return new Set(entries.filter((e) => !e.startsWith('taken')));
    },
    (owned, mine) => mine.filter((e) => owned.has(e)),
  );
  const submit = ({ group, entries }: Call) => c.submit(group, group, entries);
  /** Lets the running statement finish once it has started. */
  const release = async () => {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()!();
  };
  return { statements, submit, release };
}

describe('Coalescer', () => {
  it('a lone call runs at once; calls arriving meanwhile share the next statement and each gets its own share', async () => {
    const r = recorder();
    const a = r.submit({ group: 'g', entries: ['a1', 'a2'] });
    const b = r.submit({ group: 'g', entries: ['b1', 'taken-b2'] });
    const c = r.submit({ group: 'g', entries: ['c1'] });
    await r.release();
    await r.release();
    expect(await a).toEqual(['a1', 'a2']);
    expect(await b).toEqual(['b1']);
    expect(await c).toEqual(['c1']);
    expect(r.statements.map((s) => s.entries)).toEqual([['a1', 'a2'], ['b1', 'taken-b2', 'c1']]);
  });

  it('never puts one key twice in a statement, and never mixes groups', async () => {
    const r = recorder();
    const first = r.submit({ group: 'g', entries: ['x'] });
    const again = r.submit({ group: 'g', entries: ['x', 'y'] });
    const clash = r.submit({ group: 'g', entries: ['z', 'x'] });
    const other = r.submit({ group: 'g', entries: ['w'] });
    const elsewhere = r.submit({ group: 'h', entries: ['x'] });
    for (let i = 0; i < 4; i++) await r.release();
    await Promise.all([first, again, clash, other, elsewhere]);
    const statements = r.statements.map((s) => `${s.ctx}:${s.entries.join(',')}`);
    expect(statements).toEqual(['g:x', 'h:x', 'g:x,y,w', 'g:z,x']);
  });

  it('a failed statement fails every call it carried, and the next statement still runs', async () => {
    const r = recorder((entries) => entries.includes('bad'));
    const a = r.submit({ group: 'g', entries: ['a'] });
    const b = r.submit({ group: 'g', entries: ['bad'] });
    const c = r.submit({ group: 'g', entries: ['c'] });
    await r.release();
    expect(await a).toEqual(['a']);
    await r.release();
    await expect(b).rejects.toThrow('statement failed');
    await expect(c).rejects.toThrow('statement failed');
    const d = r.submit({ group: 'g', entries: ['d'] });
    await r.release();
    expect(await d).toEqual(['d']);
  });
});
