import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableBuffer, REJECTED_FILE } from '../src/buffer.js';
import { Veritrail, VeritrailBufferError, type VeritrailError } from '../src/index.js';
import { ScriptedServer, type Answer, type Recorded } from './support/scripted-server.js';

const KEY = 'vt_BufferTestKey000000000000000000000000000';
const evt = (i: number) => ({ action: 'doc.saved', actor: { type: 'user' as const, id: `u_${i}` }, metadata: { i } });

const dirs: string[] = [];
const open: { close(): Promise<unknown> }[] = [];
let server: ScriptedServer | undefined;
afterEach(async () => {
  for (const o of open.splice(0)) await (o as { close(o?: unknown): Promise<unknown> }).close({ timeoutMs: 50 }).catch(() => undefined);
  await server?.stop();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vt-sdk-buffer-'));
  dirs.push(d);
  return d;
}

async function client(dir: string, answer: (req: Recorded, i: number) => Answer, extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
  server ??= await new ScriptedServer(answer).start();
  server.setAnswer(answer);
  const errors: VeritrailError[] = [];
  const audit = new Veritrail({ apiKey: KEY, baseUrl: server.url, buffer: { dir, ...extra }, retry: { initialDelayMs: 10, maxDelayMs: 50 }, onError: (e) => errors.push(e), ...options });
  open.push(audit);
  return { audit, server, errors };
}

const segments = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.seg'));
const sentKeys = (reqs: Recorded[]) => reqs.flatMap((r) => r.body.events.map((e: any) => e.idempotency_key as string));

describe('durable buffer', () => {
  it('an event is on disk when event() resolves, and gone once acknowledged', async () => {
    const dir = tempDir();
    const down = () => ScriptedServer.error(503, 'storage_unavailable');
    const { audit } = await client(dir, down);
    const q = await audit.event(evt(1));
    const onDisk = segments(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(onDisk).toContain(q.idempotency_key);
    expect(onDisk).toMatch(/^[0-9a-f]{8} \{.*\}\n$/);
    expect(audit.stats().buffered_bytes).toBe(Buffer.byteLength(onDisk));
    server!.setAnswer(ScriptedServer.accept);
    await audit.flush();
    expect(segments(dir)).toEqual([]);
    expect(audit.stats().buffered_bytes).toBe(0);
  });

  it('a new client on the same directory sends what the last one left, torn last line dropped', async () => {
    const dir = tempDir();
    const first = await client(dir, () => ScriptedServer.error(503, 'storage_unavailable'));
    const keys: string[] = [];
    for (let i = 0; i < 20; i++) keys.push((await first.audit.event(evt(i))).idempotency_key);
    await first.audit.close({ timeoutMs: 50 }); // API down: the events stay on disk
    // A crash in the middle of an append leaves half a line (its event() never resolved).
    const seg = join(dir, segments(dir)[0]!);
    appendFileSync(seg, '1234abcd {"action":"half.writ');
    const second = await client(dir, ScriptedServer.accept);
    await second.audit.flush();
    expect(sentKeys(second.server.batches().slice(-1))).toEqual(keys);
    expect(segments(dir)).toEqual([]);
  });

  it('a line whose checksum does not match is not sent', async () => {
    const dir = tempDir();
    const first = await client(dir, () => ScriptedServer.error(503, 'storage_unavailable'));
    const a = await first.audit.event(evt(1));
    const b = await first.audit.event(evt(2));
    await first.audit.close({ timeoutMs: 50 });
    const seg = join(dir, segments(dir)[0]!);
    writeFileSync(seg, readFileSync(seg, 'utf8').replace('"u_1"', '"u_X"'));
    const before = server!.batches().length;
    const second = await client(dir, ScriptedServer.accept);
    await second.audit.flush();
    const sent = sentKeys(second.server.batches().slice(before));
    expect(sent).toContain(b.idempotency_key);
    expect(sent).not.toContain(a.idempotency_key);
  });

  it('acknowledged events of a partly delivered segment are not sent again after a restart', async () => {
    const dir = tempDir();
    // One event per request; the API takes all but the last.
    const { audit, server: s } = await client(dir, (req) => (req.body.events[0].metadata.i < 4 ? ScriptedServer.accept(req) : ScriptedServer.error(503, 'storage_unavailable')), {}, { batchSize: 1 });
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await audit.event(evt(i))).idempotency_key);
    await audit.flush({ timeoutMs: 300 }).catch(() => undefined);
    await audit.close({ timeoutMs: 50 });
    expect(segments(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, segments(dir)[0]!.replace('.seg', '.ack')), 'utf8').trim().split('\n')).toHaveLength(4);
    const before = s.batches().length;
    const second = await client(dir, ScriptedServer.accept);
    await second.audit.flush();
    expect(sentKeys(s.batches().slice(before))).toEqual([keys[4]]);
    expect(segments(dir)).toEqual([]);
  });

  it('buffer_full: a clear error, the event is not recorded, and room comes back after delivery', async () => {
    const dir = tempDir();
    const { audit, server: s } = await client(dir, () => ScriptedServer.error(503, 'storage_unavailable'), { maxBytes: 600 });
    let accepted = 0;
    let error: unknown;
    for (let i = 0; i < 20 && !error; i++) {
      try {
        await audit.event(evt(i));
        accepted++;
      } catch (e) {
        error = e;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(VeritrailBufferError);
    expect(error).toMatchObject({ code: 'buffer_full' });
    expect((error as Error).message).toMatch(/full .* of 600 bytes/);
    s.setAnswer(ScriptedServer.accept);
    await audit.flush();
    await expect(audit.event(evt(100))).resolves.toHaveProperty('idempotency_key');
  });

  it('events the API refuses for good are kept in rejected.ndjson with the reason', async () => {
    const dir = tempDir();
    const { audit, errors } = await client(dir, () => ScriptedServer.error(401, 'invalid_credentials'));
    const q = await audit.event(evt(1));
    await expect(audit.flush()).rejects.toMatchObject({ code: 'delivery_failed' });
    const lines = readFileSync(join(dir, REJECTED_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ code: 'invalid_credentials', status: 401, request_id: 'req_invalid_credentials', event: { idempotency_key: q.idempotency_key } });
    expect(segments(dir)).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['invalid_credentials']);
  });

  it('one process per directory: a live owner locks it, a dead owner\'s lock is taken over', async () => {
    const dir = tempDir();
    const a = await DurableBuffer.open({ dir });
    open.push(a.buffer);
    await expect(DurableBuffer.open({ dir })).rejects.toMatchObject({ code: 'buffer_locked' });
    await a.buffer.close();

    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const host = (await import('node:os')).hostname();
      writeFileSync(join(dir, 'lock'), `${child.pid}\n${host}\n`);
      await expect(DurableBuffer.open({ dir })).rejects.toMatchObject({ code: 'buffer_locked' });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const b = await DurableBuffer.open({ dir });
      open.push(b.buffer);
      expect(readFileSync(join(dir, 'lock'), 'utf8')).toContain(String(process.pid));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('concurrent appends each get their own line; segments rotate; a reopen recovers them in order', async () => {
    const dir = tempDir();
    const { buffer } = await DurableBuffer.open({ dir, segmentBytes: 2048 });
    open.push(buffer);
    const locations = [];
    for (let wave = 0; wave < 10; wave++) {
      locations.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => buffer.append(JSON.stringify({ idempotency_key: `k${wave * 20 + j}`, action: 'a.b' }))))));
    }
    expect(new Set(locations.map((l) => `${l.segment}:${l.offset}`)).size).toBe(200);
    expect(segments(dir).length).toBeGreaterThan(1); // a new segment once one passed 2 KB
    await buffer.close();
    const reopened = await DurableBuffer.open({ dir });
    open.push(reopened.buffer);
    expect(reopened.recovered.map((r) => JSON.parse(r.json).idempotency_key)).toEqual(Array.from({ length: 200 }, (_, i) => `k${i}`));
    await reopened.buffer.settle(reopened.recovered.map((r) => r.location));
    expect(segments(dir)).toEqual([]);
  });
});
