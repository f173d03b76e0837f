import { describe, expect, it } from 'vitest';
import { ALL_EVENTS, ALL_PAYLOADS, LOG_INJECTION } from './fixtures/stored-events.js';
import { writerFor } from './index.js';
import { NDJSON_CONTENT_TYPE, NDJSON_EXTENSION, ndjsonLine } from './ndjson.js';

const writer = writerFor('ndjson', { productVersion: '1.2.3' });

function exportAll(): string {
  return writer.header() + ALL_PAYLOADS.map((p) => writer.line(p)).join('') + writer.footer();
}

describe('NDJSON writer', () => {
  it('declares its content type and extension', () => {
    expect(writer.contentType).toBe(NDJSON_CONTENT_TYPE);
    expect(writer.contentType).toBe('application/x-ndjson');
    expect(writer.extension).toBe(NDJSON_EXTENSION);
    expect(writer.extension).toBe('ndjson');
    expect(writer.header()).toBe('');
    expect(writer.footer()).toBe('');
  });

  it('passes each stored payload through byte for byte, with one LF', () => {
    for (const p of ALL_PAYLOADS) expect(writer.line(p)).toBe(`${p}\n`);
    expect(ndjsonLine('{"a":1}')).toBe('{"a":1}\n');
  });

  it('IN-01: one line per event, every line parses back to the source event', () => {
    const text = exportAll();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(ALL_EVENTS.length);
    expect(text).not.toMatch(/\r|\u001b/);
    lines.forEach((line, i) => expect(JSON.parse(line)).toEqual(ALL_EVENTS[i]));
    expect(text).toContain(JSON.stringify(LOG_INJECTION).slice(1, -1)); // "bob\r\n…" travels JSON-escaped
  });
});
