import { describe, expect, it } from 'vitest';
import { visible } from './dom.js';

describe('viewer text output', () => {
  it('IN-01/IN-02: line breaks, ANSI/OSC escapes, bidi overrides and zero-width characters are shown escaped', () => {
    expect(visible('bob\r\n2025-01-01 INFO login ok user=admin')).toBe('bob\\u000d\\u000a2025-01-01 INFO login ok user=admin');
    expect(visible('\u001b[2J\u001b]8;;http://x\u0007')).toBe('\\u001b[2J\\u001b]8;;http://x\\u0007');
    expect(visible('admin\u202Etxt.exe\u200B\uFEFF\u2028')).toBe('admin\\u202etxt.exe\\u200b\\ufeff\\u2028');
    expect(visible('Ann Lee — café')).toBe('Ann Lee — café');
  });

  it('pretty-prints JSON values, keeping their own line breaks and escaping what JSON leaves raw', () => {
    expect(visible({ a: 'x\u202Ey', b: [1] })).toBe('{\n  "a": "x\\u202ey",\n  "b": [\n    1\n  ]\n}');
    expect(visible({ note: 'two\nlines' })).toBe('{\n  "note": "two\\nlines"\n}');
    expect(visible(undefined)).toBe('');
    expect(visible(42)).toBe('42');
  });
});
