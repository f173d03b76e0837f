import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Veritrail, type VeritrailError } from '../../openapi/typescript-sdk/src/index.js';
import { freePort, spawnApp, type ChildApp } from '../support/child-app.js';
import { Api, customerEvents, listAll } from '../support/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('../support/sdk-child.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = (h: Record<string, string | string[] | undefined>, names: string[]) =>
  Object.fromEntries(names.filter((n) => typeof h[n] === 'string').map((n) => [n, h[n] as string]));

/**
 * "Never loses an event the app handed over": the API process dies and stays down for 5 s while
 * the SDK keeps taking events; and the process using the SDK (with its durable buffer) is
 * SIGKILLed — in both cases every event is stored exactly once.
 */
describe('SDK durability', () => {
  let dataDir: string;
  let port: number;
  let app: ChildApp | undefined;
  let api: Api;
  let key: string;
  const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;
  // A short idempotency lease: a request cut by the crash holds its keys until the lease ends
  // (the SDK retries the 409 meanwhile); the default 15 s would only make the test slower.
  const vars = () => ({ DATA_DIR: dataDir, ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn', IDEMPOTENCY_LEASE_MS: '3000' });

  async function startApp(): Promise<void> {
    app = await spawnApp(vars(), { port });
    // Two stores start in the child: on a machine shared with other suites that can take a minute.
    await app.waitReady(110_000);
  }

  beforeAll(async () => {
    // The child process below runs the built SDK.
    execFileSync(process.execPath, [join(ROOT, 'openapi/typescript-sdk/scripts/build.mjs'), '--if-needed'], { stdio: 'inherit' });
    dataDir = await mkdtemp(join(tmpdir(), 'vt-e2e-sdk-'));
    port = await freePort();
    await startApp();
    api = new Api(app!.url);
    const tenant = await api.post('/admin/v1/tenants', { token: adminToken, body: { name: 'SDK durability' } });
    key = tenant.body.api_key.key;
    await api.put('/v1/settings/auditing', { token: key, body: { read_auditing: false } });
  });

  afterAll(async () => {
    await app?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the API is killed and stays down for 5 s while 8 callers keep sending: every event arrives exactly once', async () => {
    const errors: VeritrailError[] = [];
    const audit = new Veritrail({ apiKey: key, baseUrl: app!.url, retry: { initialDelayMs: 50, maxDelayMs: 1000 }, onError: (e) => errors.push(e) });
    const keys: string[] = [];
    let phase: 'up' | 'down' | 'stop' = 'up';
    let queuedWhileDown = 0;
    const caller = async (c: number) => {
      for (let i = 0; i < 2000 && phase !== 'stop'; i++) {
        const q = await audit.event({ action: 'sdk.outage', actor: { type: 'user', id: `u_${c}` }, metadata: { c, i } });
        keys.push(q.idempotency_key);
        if (phase === 'down') queuedWhileDown++;
        await sleep(30);
      }
    };
    const callers = Array.from({ length: 8 }, (_, c) => caller(c));
    // Crash once the API has acknowledged some batches, in the middle of the stream.
    for (let i = 0; i < 900 && audit.stats().delivered === 0; i++) await sleep(100);
    await sleep(300);
    const deliveredBeforeCrash = audit.stats().delivered;
    const killed = await app!.kill('SIGKILL');
    phase = 'down';
    expect(killed.signal).toBe('SIGKILL');
    await sleep(5000);
    await startApp();
    phase = 'up';
    await sleep(1000);
    phase = 'stop';
    await Promise.all(callers);
    await audit.flush();
    await audit.close();

    expect(deliveredBeforeCrash).toBeGreaterThan(0);
    expect(queuedWhileDown).toBeGreaterThan(100); // the SDK kept taking events while the API was down
    const total = keys.length;
    const stats = audit.stats();
    expect(stats.retries).toBeGreaterThan(0);
    expect(stats).toMatchObject({ pending: 0, failed: 0, delivered: total });
    expect(errors).toEqual([]);
    const stored = customerEvents(await listAll(api, key, { action: 'sdk.outage', limit: 1000 }));
    expect(stored).toHaveLength(total);
    expect(new Set(stored.map((e) => e.id)).size).toBe(total);
    expect(new Set(stored.map((e) => e.idempotency_key))).toEqual(new Set(keys));
    console.log(`sdk: ${total} events, ${deliveredBeforeCrash} acknowledged before the crash, ${queuedWhileDown} taken while the API was down, ${stats.retries} retries`);
  }, 300_000);

  it('the process using the SDK is SIGKILLed after event() resolved for N events: a new process with the same buffer delivers all N exactly once', async () => {
    const bufferDir = await mkdtemp(join(tmpdir(), 'vt-e2e-sdk-buffer-'));
    const children: ChildProcess[] = [];
    // The producer talks to the API through a gate that passes its first request and then holds
    // every later one unanswered: however fast the machine, the SIGKILL finds events that were
    // handed over (event() resolved) but not acknowledged — they exist only in the buffer.
    let forwarded = 0;
    let firstAnswered = false;
    const gate = createServer((req, res) => {
      if (forwarded++ > 0) return; // held: never answered
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void fetch(`${app!.url}${req.url}`, { method: req.method, headers: pick(req.headers, ['authorization', 'content-type', 'idempotency-key']), body: Buffer.concat(chunks) }).then(async (r) => {
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await r.arrayBuffer()));
          firstAnswered = true;
        });
      });
    });
    await new Promise<void>((r) => gate.listen(0, '127.0.0.1', r));
    const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
    try {
      const N = 600;
      const producer = spawn(process.execPath, [CHILD, 'produce', gateUrl, key, bufferDir, String(N)], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(producer);
      let out = '';
      let err = '';
      producer.stdout.on('data', (d: Buffer) => (out += d.toString()));
      producer.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((r) => producer.once('exit', (_code, signal) => r(signal)));
      for (let i = 0; i < 600 && !(out.includes('all queued') && firstAnswered); i++) await sleep(50);
      expect(out, err).toContain('all queued');
      expect(firstAnswered).toBe(true);
      producer.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const queued = [...out.matchAll(/^queued (\S+)$/gm)].map((m) => m[1]!);
      expect(queued).toHaveLength(N);
      const deliveredBeforeKill = customerEvents(await listAll(api, key, { action: 'sdk.crash', limit: 1000 })).length;
      expect(deliveredBeforeKill).toBeGreaterThan(0); // the first batch got through
      expect(deliveredBeforeKill).toBeLessThan(N); // the kill left events only in the buffer
      expect((await readdir(bufferDir)).some((f) => f.endsWith('.seg'))).toBe(true);

      const deliverer = spawn(process.execPath, [CHILD, 'deliver', app!.url, key, bufferDir], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(deliverer);
      let out2 = '';
      let err2 = '';
      deliverer.stdout.on('data', (d: Buffer) => (out2 += d.toString()));
      deliverer.stderr.on('data', (d: Buffer) => (err2 += d.toString()));
      const code = await new Promise<number | null>((r) => deliverer.once('exit', (c) => r(c)));
      expect(code, err2 + out2).toBe(0);
      expect(out2).not.toMatch(/^error /m);
      // It re-sends what the first process had not settled; idempotency keys absorb any repeat.
      expect(Number(/delivered (\d+)/.exec(out2)?.[1])).toBeGreaterThanOrEqual(N - deliveredBeforeKill);

      const stored = customerEvents(await listAll(api, key, { action: 'sdk.crash', limit: 1000 }));
      expect(stored).toHaveLength(N);
      expect(new Set(stored.map((e) => e.id)).size).toBe(N);
      expect(new Set(stored.map((e) => e.idempotency_key))).toEqual(new Set(queued));
      expect((await readdir(bufferDir)).filter((f) => f.endsWith('.seg'))).toEqual([]);
      console.log(`sdk: ${deliveredBeforeKill} of ${N} events were delivered before the SIGKILL; the rest came from the buffer`);
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      gate.closeAllConnections();
      gate.close();
      await rm(bufferDir, { recursive: true, force: true });
    }
  }, 120_000);
});
