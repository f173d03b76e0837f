import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp, type ChildApp } from '../support/child-app.js';
import { Api, customerEvents, event } from '../support/harness.js';
import { TestReceiver } from '../support/receiver.js';

/**
 * A worker SIGKILLed mid-delivery: the batch in flight was recorded (with its webhook-id)
 * before the first attempt, so after a restart it is sent again under the same id, and the
 * cursor goes on from there — at least once, nothing skipped.
 */
describe('webhook delivery across SIGKILL', () => {
  let dataDir: string;
  const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;
  let child: ChildApp | undefined;
  const rx = new TestReceiver();
  const vars = () => ({
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn',
    JOBS: 'seal,webhooks',
    SEAL_INTERVAL: '200ms',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_RETRY_SCHEDULE: '100ms',
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vt-e2e-webhooks-'));
    await rx.start();
  });
  afterAll(async () => {
    await child?.kill('SIGKILL');
    await rx.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('resends the batch in flight under the same webhook-id and then carries on; nothing is lost', async () => {
    child = await spawnApp(vars());
    await child.waitReady();
    let api = new Api(child.url);
    const tenant = await api.post('/admin/v1/tenants', { token: adminToken, body: { name: 'Crash' } });
    const key = tenant.body.api_key.key as string;
    rx.set('/crash', 'hang'); // the first attempt never gets an answer
    const hook = await api.post('/v1/webhooks', { token: key, body: { url: `${rx.url}/crash`, batch: { max_events: 10, interval_ms: 50 }, filters: { actions: ['crash.*'] } } });
    expect(hook.status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await api.post('/v1/events/batch', { token: key, body: { events: Array.from({ length: 10 }, () => event({ action: 'crash.test' })) } });
      ids.push(...r.body.ids);
    }
    const until = Date.now() + 20_000;
    while (rx.on('/crash').length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const inFlight = rx.on('/crash')[0]!;
    expect(inFlight).toBeDefined();
    await child.kill('SIGKILL');
    const atKill = rx.on('/crash').length; // the hung attempt (and any retry of it before the kill)
    expect(new Set(rx.on('/crash').map((r) => r.headers['webhook-id']))).toEqual(new Set([inFlight.headers['webhook-id']]));

    rx.set('/crash', 'ok');
    child = await spawnApp(vars());
    await child.waitReady();
    api = new Api(child.url);
    // Embedded PostgreSQL: the restarted process releases the killed one's leases at start.
    const stopAt = Date.now() + 90_000;
    const got = () => new Set(rx.on('/crash').slice(atKill).flatMap((r) => customerEvents(JSON.parse(r.body).data.events).map((e: any) => e.id)));
    while (got().size < ids.length && Date.now() < stopAt) await new Promise((r) => setTimeout(r, 100));
    expect(got()).toEqual(new Set(ids));
    // The first request after the restart is the batch that was in flight, with its original id.
    const after = rx.on('/crash').slice(atKill);
    expect(after[0]!.headers['webhook-id']).toBe(inFlight.headers['webhook-id']);
    expect(after[0]!.body.length).toBe(inFlight.body.length);
    // Every event of the interrupted batch came again (at least once); no other event twice.
    const counts = new Map<string, number>();
    for (const r of after) for (const e of customerEvents(JSON.parse(r.body).data.events)) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 180_000);
});
