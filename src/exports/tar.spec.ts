import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTar } from '../integrity/evidence.js';
import { tarEnd, tarHeader, tarPadding } from './tar.js';

function archive(files: [string, Buffer][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, body] of files) parts.push(tarHeader(name, body.length, Date.UTC(2026, 10, 22)), body, tarPadding(body.length));
  parts.push(tarEnd());
  return Buffer.concat(parts);
}

describe('tar writer', () => {
  const files: [string, Buffer][] = [
    ['manifest.json', Buffer.from('{"a":1}')],
    ['empty.txt', Buffer.alloc(0)],
    ['block.bin', Buffer.alloc(512, 7)],
    ['events.ndjson', Buffer.from('é\n'.repeat(700))],
  ];

  it('round-trips through the bundle reader', () => {
    const out = readTar(archive(files));
    for (const [name, body] of files) {
      if (body.length > 0) expect(out.get(name)).toEqual(body);
    }
  });

  it('is read by the system tar (checksums, ustar magic, padding)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vt-tar-'));
    const path = join(dir, 'a.tar');
    writeFileSync(path, archive(files));
    const listing = execFileSync('tar', ['-tvf', path], { encoding: 'utf8' });
    for (const [name] of files) expect(listing).toContain(name);
    execFileSync('tar', ['-xf', path, '-C', dir]);
    expect(execFileSync('cat', [join(dir, 'events.ndjson')], { encoding: 'utf8' })).toBe('é\n'.repeat(700));
  });

  it('refuses names over 100 bytes and sizes over 8 GiB', () => {
    expect(() => tarHeader('x'.repeat(101), 1, 0)).toThrow(/too long/);
    expect(() => tarHeader('big', 8 * 1024 ** 3, 0)).toThrow(/too large/);
  });
});
