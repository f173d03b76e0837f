import { describe, it, expect } from 'vitest';
import { assembleCanonical, canonicalJson, canonicalMembers } from './canonical.js';

const canon = (text: string) => canonicalJson(JSON.parse(text));

describe('canonicalJson (RFC 8785 JCS)', () => {
  it('IG-06: key order and whitespace differences give identical output', () => {
    const a = canon('{"b":1,"a":{"d":[1,2],"c":"x"}}');
    const b = canon('{ "a" : { "c" : "x" ,\n "d" : [ 1 , 2 ] } ,\t"b" : 1 }');
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":"x","d":[1,2]},"b":1}');
  });

  it('IG-06: \\u00e9 and é give identical output', () => {
    expect(canon('{"name":"\\u00e9"}')).toBe(canon('{"name":"é"}'));
    expect(canon('{"\\u00e9":1}')).toBe(canon('{"é":1}'));
    expect(canon('{"name":"\\u00e9"}')).toBe('{"name":"é"}');
  });

  it('IG-06: 1.0 and 1 give identical output', () => {
    expect(canon('{"n":1.0}')).toBe(canon('{"n":1}'));
    expect(canon('{"n":1.0}')).toBe('{"n":1}');
    expect(canon('[1E2, 100.00, 1e+2]')).toBe('[100,100,100]');
  });

  it('IG-06: sorts nested objects, keeps array order', () => {
    expect(canonicalJson({ z: [{ b: 1, a: 2 }, 3, 'x'], a: { y: { d: 1, c: 2 }, x: null } })).toBe(
      '{"a":{"x":null,"y":{"c":2,"d":1}},"z":[{"a":2,"b":1},3,"x"]}',
    );
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('IG-06: sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = JSON.parse(`{
      "\\u20ac": "Euro Sign",
      "\\r": "Carriage Return",
      "\\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\\ud83d\\ude00": "Emoji: Grinning Face",
      "\\u0080": "Control",
      "\\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as Record<string, string>;
    const out = canonicalJson(input);
    const keys = Object.keys(JSON.parse(out) as object);
    // Integer-like keys make Object.keys order differ from text order; compare the text instead.
    const values = [...out.matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(keys).toHaveLength(7);
    expect(out.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":')).toBe(true);
  });

  it('sorts integer-like keys as strings, not numerically', () => {
    expect(canonicalJson({ 10: 'a', 2: 'b', 1: 'c', b: 'd', A: 'e' })).toBe('{"1":"c","10":"a","2":"b","A":"e","b":"d"}');
  });

  it('reproduces the RFC 8785 §3.2.2 example', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canon(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it.each([
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    [-0, '0'],
    [1e20, '100000000000000000000'],
    [9007199254740992, '9007199254740992'],
    [5e-324, '5e-324'],
    [-1.5, '-1.5'],
  ])('serialises the number %s as %s', (n, expected) => {
    expect(canonicalJson(n)).toBe(expected);
    expect(canonicalJson({ n })).toBe(`{"n":${expected}}`);
  });

  it('serialises primitives and empty containers', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('output is itself valid JSON equal to the input', () => {
    const value = { b: [1, { d: 'é', c: null }], a: { '': 0, ' ': 1 }, '\u0000': 'x' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('canonicalMembers / assembleCanonical', () => {
  const objects: Record<string, unknown>[] = [
    { action: 'user.login', occurred_at: '2026-11-22T09:59:00.000Z', actor: { type: 'user', id: 'u_1' }, outcome: 'unknown' },
    { b: 1, d: { z: 1, y: [2, 1] }, f: 'x' },
    { '\u20ac': 1, '\r': 2, '1': 3, '\ud83d\ude00': 4 },
    {},
  ];
  const extras: Record<string, unknown>[] = [
    { id: '0190a000-0000-7000-8000-000000000000', received_at: '2026-11-22T10:00:00.000Z' },
    { a: 1 }, // before everything
    { c: { y: 1, x: 2 } }, // between
    { zz: [1] }, // after everything
    { '0': 'first', e: 'mid', '\uffff': 'last' },
    { '\ud83d\ude01': 'emoji', '\ufb00': 'ff' },
    {},
  ];

  for (const [i, obj] of objects.entries()) {
    for (const [j, extra] of extras.entries()) {
      const overlap = Object.keys(extra).some((k) => k in obj);
      if (overlap) continue;
      it(`assembleCanonical(canonicalMembers(obj${i}), extra${j}) equals canonicalJson({...obj, ...extra})`, () => {
        expect(assembleCanonical(canonicalMembers(obj), extra)).toBe(canonicalJson({ ...obj, ...extra }));
      });
    }
  }

  it('assembleCanonical without extra equals canonicalJson', () => {
    const obj = { b: 1, a: { d: 1, c: 2 } };
    expect(assembleCanonical(canonicalMembers(obj))).toBe(canonicalJson(obj));
  });

  it('canonicalMembers returns sorted [key, canonical value] pairs and skips undefined', () => {
    expect(canonicalMembers({ b: { y: 1, x: 2 }, a: 'x', c: undefined })).toEqual([
      ['a', '"x"'],
      ['b', '{"x":2,"y":1}'],
    ]);
  });
});
