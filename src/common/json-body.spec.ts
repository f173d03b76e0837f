import { describe, it, expect } from 'vitest';
import { BadRequestError } from './errors.js';
import { MAX_BODY_DEPTH, exactNumber, formatPath, parseJsonBody, scanJson } from './json-body.js';

const buf = (s: string) => Buffer.from(s, 'utf8');

/** Runs fn and returns the BadRequestError it throws (fails the test if it does not throw one). */
function errorOf(fn: () => unknown): BadRequestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    return err as BadRequestError;
  }
  throw new Error('expected a BadRequestError, but nothing was thrown');
}

const parseError = (text: string | Buffer) => errorOf(() => parseJsonBody(typeof text === 'string' ? buf(text) : text));

describe('parseJsonBody: empty and non-JSON bodies', () => {
  it('rejects an empty buffer with 400 invalid_json', () => {
    const err = parseError(Buffer.alloc(0));
    expect(err.code).toBe('invalid_json');
    expect(err.status).toBe(400);
  });

  it.each([['{"a":}'], ['nope'], ['{"a":1,}'], ['[1,2,]'], ['{"a":1'], ['{"a" 1}'], ["{'a':1}"], ['{"a":1}}'], ['"unterminated']])(
    'rejects %s with invalid_json',
    (text) => {
      const err = parseError(text);
      expect(err.code).toBe('invalid_json');
      expect(err.status).toBe(400);
    },
  );
});

describe('parseJsonBody: encoding (invalid_encoding)', () => {
  it('rejects invalid UTF-8 bytes', () => {
    const err = parseError(Buffer.from([0x7b, 0xff, 0x7d]));
    expect(err.code).toBe('invalid_encoding');
    expect(err.status).toBe(400);
  });

  it('rejects an overlong / CESU-8 encoded surrogate', () => {
    // "\xED\xA0\x80" is a UTF-8-encoded lone high surrogate (invalid UTF-8).
    expect(parseError(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])).code).toBe('invalid_encoding');
  });

  it.each([
    ['in a value', '{"a":"x\\u0000y"}'],
    ['in a key', '{"a\\u0000":1}'],
    ['in a nested array value', '{"a":[1,{"b":["\\u0000"]}]}'],
    ['at top level', '"\\u0000"'],
  ])('rejects a \\u0000 escape %s', (_where, text) => {
    expect(parseError(text).code).toBe('invalid_encoding');
  });

  it.each([['"\\uD800"'], ['"\\uDC00"'], ['"\\uD800x"'], ['"\\uD800\\u0041"'], ['"\\udbff"'], ['"\\uDE00\\uD83D"'], ['{"\\uD800":1}']])(
    'rejects the lone surrogate escape %s',
    (text) => {
      expect(parseError(text).code).toBe('invalid_encoding');
    },
  );

  it('accepts a valid surrogate pair escape', () => {
    expect(parseJsonBody(buf('"\\uD83D\\uDE00"'))).toBe('😀');
    expect(parseJsonBody(buf('{"e":"a\\uD83D\\uDE00b"}'))).toEqual({ e: 'a😀b' });
  });

  it('does not mistake an escaped backslash followed by "u0000" for an escape', () => {
    // JSON text {"a":"\\u0000","b":"\\uD800"}: the strings are literally \u0000 and \uD800.
    expect(parseJsonBody(buf('{"a":"\\\\u0000","b":"\\\\uD800"}'))).toEqual({ a: '\\u0000', b: '\\uD800' });
  });

  it('accepts raw (unescaped) non-ASCII text', () => {
    expect(parseJsonBody(buf('{"é":"日本😀"}'))).toEqual({ é: '日本😀' });
  });
});

describe('parseJsonBody: depth (max_depth_exceeded)', () => {
  it(`accepts exactly MAX_BODY_DEPTH (${MAX_BODY_DEPTH}) levels`, () => {
    expect(MAX_BODY_DEPTH).toBe(32);
    const arrays = '['.repeat(32) + ']'.repeat(32);
    expect(parseJsonBody(buf(arrays))).toEqual(JSON.parse(arrays));
    const objects = '{"a":'.repeat(31) + '{}' + '}'.repeat(31);
    expect(parseJsonBody(buf(objects))).toEqual(JSON.parse(objects));
  });

  it('rejects 33 levels of arrays and of objects', () => {
    expect(parseError('['.repeat(33) + ']'.repeat(33)).code).toBe('max_depth_exceeded');
    expect(parseError('{"a":'.repeat(32) + '{}' + '}'.repeat(32)).code).toBe('max_depth_exceeded');
    expect(parseError('[{"a":'.repeat(16) + '[1]' + '}]'.repeat(16)).code).toBe('max_depth_exceeded');
  });

  it('rejects a 10 000-deep [[[[ input quickly and without a stack overflow', () => {
    const text = '['.repeat(10_000) + ']'.repeat(10_000);
    const started = performance.now();
    const err = parseError(text);
    const elapsed = performance.now() - started;
    expect(err.code).toBe('max_depth_exceeded');
    expect(elapsed).toBeLessThan(100);
  });

  it('rejects an unterminated 10 000-deep input the same way', () => {
    const started = performance.now();
    expect(parseError('['.repeat(10_000)).code).toBe('max_depth_exceeded');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('does not count brackets inside strings as nesting', () => {
    const text = JSON.stringify({ a: '['.repeat(100), b: '{'.repeat(100) });
    expect(parseJsonBody(buf(text))).toEqual(JSON.parse(text));
  });
});

describe('parseJsonBody: duplicate keys', () => {
  it('rejects {"a":1,"a":2} with duplicate_key at field a', () => {
    const err = parseError('{"a":1,"a":2}');
    expect(err.code).toBe('duplicate_key');
    expect(err.status).toBe(400);
    expect(err.details?.[0]?.field).toBe('a');
  });

  it('rejects a duplicate spelled with an escape', () => {
    const err = parseError('{"a":1,"\\u0061":2}');
    expect(err.code).toBe('duplicate_key');
    expect(err.details?.[0]?.field).toBe('a');
  });

  it('reports the path of a nested duplicate', () => {
    expect(parseError('{"x":{"a":1,"a":2}}').details?.[0]?.field).toBe('x.a');
    expect(parseError('{"events":[{"a":1},{"actor":{"id":1,"id":2}}]}').details?.[0]?.field).toBe('events[1].actor.id');
    expect(parseError('[1,"x,y",{"a":1,"a":2}]').details?.[0]?.field).toBe('[2].a');
    expect(parseError('{"a":[[1,2],[3,{"b":1,"b":2}]]}').details?.[0]?.field).toBe('a[1][1].b');
    expect(parseError('{"a b":{"c":1,"c":2}}').details?.[0]?.field).toBe('["a b"].c');
  });

  it('rejects a duplicate that follows nested containers', () => {
    expect(parseError('{"a":{"b":[1,{"c":2}]},"z":[],"a":3}').code).toBe('duplicate_key');
  });

  it('accepts the same key in different objects and sibling objects in an array', () => {
    const text = '{"a":1,"b":{"a":2,"b":{"a":3}},"c":[{"a":1},{"a":2},{"a":{"a":3}}]}';
    expect(parseJsonBody(buf(text))).toEqual(JSON.parse(text));
  });

  it('does not treat string values equal to a key as duplicate keys', () => {
    const text = '{"a":"a","b":["a","b"],"c":{"a":"b"}}';
    expect(parseJsonBody(buf(text))).toEqual(JSON.parse(text));
  });
});

describe('parseJsonBody: forbidden keys (prototype pollution)', () => {
  it.each([
    ['{"__proto__":{"polluted":1}}', '__proto__'],
    ['{"constructor":{"prototype":{"polluted":1}}}', 'constructor'],
    ['{"prototype":1}', 'prototype'],
    ['{"a":{"b":[{"__proto__":{"polluted":1}}]}}', 'a.b[0].__proto__'],
    ['[{"x":{"constructor":1}}]', '[0].x.constructor'],
    ['{"__prot\\u006f__":{"polluted":1}}', '__proto__'],
    ['{"\\u005f_proto__":{"polluted":1}}', '__proto__'],
  ])('IN-04: rejects __proto__ keys anywhere: %s', (text, field) => {
    const err = parseError(text);
    expect(err.code).toBe('forbidden_key');
    expect(err.status).toBe(400);
    expect(err.details?.[0]?.field).toBe(field);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts "__proto__" / "constructor" as string values', () => {
    const text = '{"a":"__proto__","b":["constructor","prototype"]}';
    expect(parseJsonBody(buf(text))).toEqual({ a: '__proto__', b: ['constructor', 'prototype'] });
  });
});

describe('parseJsonBody: strings do not confuse the scanner', () => {
  it('handles escaped quotes and backslashes', () => {
    const text = '{"a":"x\\\\\\"}y","b":"\\\\\\\\"}'; // {"a":"x\\\"}y","b":"\\\\"}
    expect(text).toBe(String.raw`{"a":"x\\\"}y","b":"\\\\"}`);
    expect(parseJsonBody(buf(text))).toEqual({ a: 'x\\"}y', b: '\\\\' });
  });

  it('handles braces and brackets inside strings', () => {
    expect(parseJsonBody(buf('{"a":"{[}]"}'))).toEqual({ a: '{[}]' });
    expect(parseJsonBody(buf('{"a":"}","b":"]","c":"{"}'))).toEqual({ a: '}', b: ']', c: '{' });
  });

  it('handles a key ending in an escaped backslash and keys containing quotes and commas', () => {
    const value = { 'k\\': 1, 'q"': { ',': 2, '"a"': 3 }, a: '",' };
    const text = JSON.stringify(value);
    expect(parseJsonBody(buf(text))).toEqual(value);
  });

  it('still finds a duplicate after tricky strings', () => {
    expect(parseError(String.raw`{"a":"\"}{","b":"\\","a":1}`).code).toBe('duplicate_key');
    expect(parseError(String.raw`{"a\"":1,"a\u0022":2}`).code).toBe('duplicate_key');
  });

  it('accepts a key that differs only after an escape', () => {
    expect(parseJsonBody(buf(String.raw`{"a\"":1,"a":2}`))).toEqual({ 'a"': 1, a: 2 });
  });
});

describe('parseJsonBody: normal documents', () => {
  it.each([
    ['{}'],
    ['[]'],
    ['null'],
    ['true'],
    ['0'],
    ['-1.5e-3'],
    ['"str"'],
    ['  {\n  "a" : [ 1 , 2.0 , {"b" : null} ] ,\t"c":"d"  }  '],
    [JSON.stringify({ action: 'user.login', actor: { type: 'user', id: 'u_1' }, n: [1, 2, { x: [[], {}] }], s: 'é\n\t"' })],
  ])('parses %s like JSON.parse', (text) => {
    expect(parseJsonBody(buf(text))).toEqual(JSON.parse(text));
  });

  it('parses a document with a UTF-8 BOM-free large array', () => {
    const value = { events: Array.from({ length: 1000 }, (_, i) => ({ i, a: `x${i}`, nested: { i } })) };
    expect(parseJsonBody(buf(JSON.stringify(value)))).toEqual(value);
  });
});

describe('scanJson', () => {
  it('does not throw for valid documents and returns nothing', () => {
    expect(scanJson('{"a":[1,{"b":2}]}')).toBeUndefined();
  });

  it('throws the same errors as parseJsonBody', () => {
    expect(errorOf(() => scanJson('{"a":1,"a":2}')).code).toBe('duplicate_key');
    expect(errorOf(() => scanJson('{"__proto__":1}')).code).toBe('forbidden_key');
    expect(errorOf(() => scanJson('"\\u0000"')).code).toBe('invalid_encoding');
    expect(errorOf(() => scanJson('['.repeat(40))).code).toBe('max_depth_exceeded');
  });
});

describe('formatPath', () => {
  it('formats events[3].actor.id', () => {
    expect(formatPath(['events', 3, 'actor', 'id'])).toBe('events[3].actor.id');
  });

  it('formats empty and index-first paths', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath(['a', 0, 1])).toBe('a[0][1]');
  });

  it('bracket-quotes keys with odd characters', () => {
    expect(formatPath(['a', 'b.c'])).toBe('a["b.c"]');
    expect(formatPath(['a', 'has space', 'x'])).toBe('a["has space"].x');
    expect(formatPath(['1abc'])).toBe('["1abc"]');
    expect(formatPath(['a', ''])).toBe('a[""]');
    expect(formatPath(['a', 'q"'])).toBe('a["q\\""]');
    expect(formatPath(['a', 'é'])).toBe('a["é"]');
  });
});

describe('PEN-L9: numbers that JSON cannot carry exactly', () => {
  it.each([
    ['1e400', 'overflows to infinity (was stored as null)'],
    ['-1e400', 'overflows to -infinity'],
    ['123456789012345678901234567890', 'a 30-digit integer'],
    ['9007199254740993', '2^53+1 would be stored as 2^53'],
    ['9007199254740992', '2^53: beyond the safe integers'],
    ['1.7976931348623157e308', 'the largest double: beyond the safe integers'],
    ['0.30000000000000000001', 'more precision than a double'],
    ['1e-400', 'underflows to 0'],
    ['-1.00000000000000001', 'more precision than a double'],
  ])('refuses %s with 400 unrepresentable_number (%s), naming the field', (literal) => {
    const err = parseError(`{"events":[{"metadata":{"ok":1}},{"metadata":{"n":${literal}}}]}`);
    expect(err.status).toBe(400);
    expect(err.code).toBe('unrepresentable_number');
    expect(err.details?.[0]).toMatchObject({ field: 'events[1].metadata.n', code: 'unrepresentable_number' });
    expect(exactNumber(literal)).toBe(false);
  });

  it.each([
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
    ['0.1', 0.1],
    ['1.0', 1],
    ['1e2', 100],
    ['0.10', 0.1],
    ['1.5e-7', 1.5e-7],
    ['5e-324', 5e-324],
    ['-0', -0],
    ['123456.789012345', 123456.789012345],
    ['4.35', 4.35],
  ])('keeps %s: notation is not a change of value', (literal, value) => {
    expect(exactNumber(literal)).toBe(true);
    expect(parseJsonBody(buf(`{"n":${literal},"a":[${literal}]}`))).toEqual({ n: value, a: [value] });
  });

  it('leaves malformed numbers to the JSON parser (invalid_json), and digits inside strings alone', () => {
    expect(parseError('{"n":01}').code).toBe('invalid_json');
    expect(parseError('{"n":1.}').code).toBe('invalid_json');
    expect(parseJsonBody(buf('{"n":"123456789012345678901234567890"}'))).toEqual({ n: '123456789012345678901234567890' });
  });
});
