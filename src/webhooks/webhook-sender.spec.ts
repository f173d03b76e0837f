import { describe, expect, it } from 'vitest';
import { responseText } from './webhook-sender.js';

describe('responseText (what the delivery log keeps of an answer)', () => {
  it('keeps the first bytes up to the cap', () => {
    expect(responseText(Buffer.from('thanks, received'), 6)).toBe('thanks');
    expect(responseText(Buffer.from('ok'), 1024)).toBe('ok');
  });

  it('replaces NUL, which PostgreSQL text refuses, so a hostile 2xx answer cannot block the record of its success', () => {
    const text = responseText(Buffer.from([0x6f, 0x6b, 0x00, 0x21, 0x00]), 1024);
    expect(text).toBe('ok\uFFFD!\uFFFD');
    expect(text.includes('\u0000')).toBe(false);
  });
});
