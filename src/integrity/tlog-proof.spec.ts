import { describe, expect, it } from 'vitest';
import { hashLeaf } from './merkle.js';
import { formatTlogProof, parseTlogProof } from './tlog-proof.js';

// The proof lines of the example in c2sp.org/tlog-proof (C2SP/C2SP tlog-proof.md). Its
// checkpoint's signatures are elided there ("hI2DJw[...]1roloI="), so a well-formed note
// (the signed-note example of c2sp.org/signed-note) stands in for it.
const SPEC_HEAD = `c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=
`;
const NOTE = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

describe('C2SP tlog-proof files', () => {
  it('TLOG-PROOF-01: reads the spec example and writes it back byte for byte', () => {
    const text = `${SPEC_HEAD}\n${NOTE}`;
    const p = parseTlogProof(text);
    if (typeof p === 'string') throw new Error(p);
    expect(p.index).toBe(73894);
    expect(p.path.map((h) => h.toString('base64'))).toEqual(SPEC_HEAD.trim().split('\n').slice(3));
    expect(p.extra?.toString('base64')).toBe('YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ');
    expect(p.note).toBe(NOTE);
    expect(formatTlogProof(p)).toBe(text);
  });

  it('TLOG-PROOF-02: no extra line and an empty path (a tree of one leaf) are valid', () => {
    const text = formatTlogProof({ index: 0, path: [], note: NOTE });
    expect(text).toBe(`c2sp.org/tlog-proof@v1\nindex 0\n\n${NOTE}`);
    expect(parseTlogProof(text)).toEqual({ index: 0, path: [], note: NOTE });
  });

  it('TLOG-PROOF-03: refuses what the spec does not allow', () => {
    const h = hashLeaf('x').toString('base64');
    const bad: [string, RegExp][] = [
      [`c2sp.org/tlog-proof@v2\nindex 1\n\n${NOTE}`, /first line/],
      [`c2sp.org/tlog-proof@v1\nindex 01\n\n${NOTE}`, /index/],
      [`c2sp.org/tlog-proof@v1\nindex -1\n\n${NOTE}`, /index/],
      [`c2sp.org/tlog-proof@v1\n${h}\n\n${NOTE}`, /index/],
      [`c2sp.org/tlog-proof@v1\nextra !!\nindex 1\n\n${NOTE}`, /extra/],
      [`c2sp.org/tlog-proof@v1\nindex 1\n${hashLeaf('x').subarray(0, 31).toString('base64')}\n\n${NOTE}`, /SHA-256/],
      [`c2sp.org/tlog-proof@v1\nindex 1\n${h}\n${NOTE}`, /SHA-256|empty line/],
      [`c2sp.org/tlog-proof@v1\nindex 1\n${h}`, /empty line/],
      [`c2sp.org/tlog-proof@v1\nindex 1\n\nno signatures\n`, /checkpoint/],
    ];
    for (const [text, why] of bad) expect(parseTlogProof(text), text).toMatch(why);
  });
});
