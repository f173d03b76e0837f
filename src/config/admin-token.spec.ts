import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceAdminToken, resolveAdminToken } from './admin-token.js';
import { loadConfig } from './config.js';

/** A real pino logger (as createLogger builds it) whose JSON lines are kept for inspection. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function terminal(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (t: string) => written.push(t) };
}

describe('operator token announcement', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vt-admin-token-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('PEN-L6: a generated token goes to the terminal only, never into a log line', async () => {
    const admin = await resolveAdminToken(loadConfig({ DATA_DIR: dataDir }));
    expect(admin.generated).toBe(true);
    expect((await stat(admin.path!)).mode & 0o777).toBe(0o600);
    const { logger, lines } = capturedLogger();
    const tty = terminal(true);
    announceAdminToken(admin, { port: 8080, host: '127.0.0.1' }, logger, tty);
    expect(tty.written.join('')).toContain(admin.token);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(admin.token);
    expect(lines.map((l) => JSON.parse(l).path)).toContain(admin.path);
  });

  it('PEN-L6: without a terminal nothing prints the token; the log names the file', async () => {
    const admin = { ...(await resolveAdminToken(loadConfig({ DATA_DIR: dataDir }))), generated: true };
    const { logger, lines } = capturedLogger();
    const pipe = terminal(false);
    announceAdminToken(admin, { port: 8080, host: '0.0.0.0' }, logger, pipe);
    expect(pipe.written).toEqual([]);
    for (const line of lines) expect(line).not.toContain(admin.token);
    expect(lines.map((l) => JSON.parse(l).path)).toEqual([admin.path]);
  });

  it('PEN-L6: later starts only log where the token is', async () => {
    const admin = await resolveAdminToken(loadConfig({ DATA_DIR: dataDir }));
    expect(admin.generated).toBe(false);
    const { logger, lines } = capturedLogger();
    const tty = terminal(true);
    announceAdminToken(admin, { port: 8080, host: '127.0.0.1' }, logger, tty);
    expect(tty.written).toEqual([]);
    for (const line of lines) expect(line).not.toContain(admin.token);
  });
});
