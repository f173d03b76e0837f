import { describe, expect, it } from 'vitest';
import { ALL_EVENTS, HOSTILE } from './fixtures/stored-events.js';
import { leefAttributes, leefLine, leefValue } from './leef.js';

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
