import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnApp, type ChildApp } from '../support/child-app.js';
import { Api, event } from '../support/harness.js';

/**
 * IN-08 / PR-01 end to end: with the most verbose application log, requests carrying secrets
 * (stored, rejected, and in a search's query string) leave no trace of them in the log (stdout
 * and stderr). The stores are grepped in test/integration/privacy-scrubbing.int.test.ts (the
 * embedded stores' files are compressed, so a byte scan of DATA_DIR proves nothing).
 */
describe('secrets never reach the application log', () => {
  let dataDir: string;
  let child: ChildApp | undefined;

  afterAll(async () => {
    await child?.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('IN-08: trace-level logs hold no raw secret after ingest, a rejected request and a search', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vt-e2e-privacy-'));
    const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;
    child = await spawnApp({ DATA_DIR: dataDir, ADMIN_TOKEN: adminToken, LOG_LEVEL: 'trace', JOBS: 'none' });
    await child.waitReady();
    const api = new Api(child.url);
    const tenant = await api.post('/admin/v1/tenants', { token: adminToken, body: { name: 'Logs' } });
    const key = tenant.body.api_key.key as string;
    const secrets = ['Sup3r-Secret-Passw0rd!', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'AKIAZ7EXAMPLE0KEY123', '5555555555554444'];
    const r = await api.post('/v1/events', {
      token: key,
      body: event({
        action: 'user.password.changed',
        metadata: { password: secrets[0], note: `stripe ${secrets[1]}, aws ${secrets[2]}, card ${secrets[3]}` },
      }),
    });
    expect(r.status, r.text).toBe(201);
    // A rejected request with a secret in it, and a search whose query string carries one.
    const bad = await api.post('/v1/events', { token: key, body: { action: 'x', metadata: { password: secrets[0] } } });
    expect(bad.status).toBe(400);
    await api.get('/v1/events', { token: key, query: { q: secrets[2] } });
    const got = await api.get(`/v1/events/${r.body.id}`, { token: key });
    expect(got.body.metadata.password).toBe('[REDACTED:password]');
    // The search was recorded (read auditing) with its terms counted, never kept: a search term
    // is often a secret or a person's e-mail. (reads are recorded in the background, within about a second)
    let recorded = '';
    for (let i = 0; i < 100 && !recorded.includes('search term'); i++) {
      await new Promise((res) => setTimeout(res, 100));
      recorded = JSON.stringify((await api.get('/v1/events', { token: key, query: { action: 'veritrail.events.searched' } })).body.data);
    }
    expect(recorded).toContain('"q":"[1 search term]"');
    expect(recorded).not.toContain(secrets[2]);
    const running = child;
    await running.kill('SIGTERM');
    child = undefined;

    const output = running.stdout() + running.stderr();
    // Control: the log is verbose and covers these requests.
    expect(output.length).toBeGreaterThan(1000);
    expect(output).toContain('/v1/events');
    for (const s of secrets) expect(output.includes(s), `log holds ${s}`).toBe(false);

  });
});
