import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { customerEvents, event, listAll, useApp, type TestTenant } from '../support/harness.js';
import { TestReceiver, type Received } from '../support/receiver.js';

async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 60_000): Promise<T> {
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function delivered(reqs: Received[]): any[] {
  return customerEvents(reqs.flatMap((r) => (JSON.parse(r.body).type === 'events' ? JSON.parse(r.body).data.events : [])));
}

const SUBJECT = { type: 'user', id: 'u_sam', name: 'Sam Carter', email: 'sam.carter@example.com' };

/**
 * PR-01 end to end: a subject present in 1 000 events is erased; the API, search, an export,
 * the SIEM feed and webhooks then show [erased]; full verification still passes; nobody else's
 * data changed. PR-02: searching by the erased e-mail finds nothing; the ClickHouse rows hold
 * neither the name nor the e-mail in clear, before or after.
 */
describe('PR-01: erasure of a subject present in 1 000 events', () => {
  const ctx = useApp({ JOBS: 'seal,webhooks,export', SEAL_INTERVAL: '300ms', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms' });
  const rx = new TestReceiver();
  let t: TestTenant;
  let hookId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    await rx.start();
    t = await ctx.tenant('Erasure at scale');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const hook = await ctx.api.post('/v1/webhooks', { token: t.key, body: { url: `${rx.url}/siem`, batch: { interval_ms: 50, max_events: 500 } } });
    expect(hook.status, hook.text).toBe(201);
    hookId = hook.body.id;
    for (let b = 0; b < 2; b++) {
      const events = Array.from({ length: 500 }, (_, i) =>
        i % 10 === 0
          ? event({ action: 'user.role.changed', actor: { type: 'user', id: 'u_ops', name: 'Olive Ops', email: 'olive@example.com' }, targets: [{ type: 'user', id: SUBJECT.id, name: SUBJECT.name }] })
          : event({ action: 'document.viewed', actor: SUBJECT, targets: [{ type: 'document', id: `doc_${b}_${i}`, name: 'Roadmap' }] }),
      );
      const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } });
      expect(r.status, r.text).toBe(201);
      ids.push(...(r.body.ids as string[]));
    }
    // Before the erasure the destination received the subject's data (it becomes a recipient).
    await until('all 1000 delivered', () => delivered(rx.on('/siem')).length >= 1000);
  });
  afterAll(() => rx.stop());

  it('shows [erased] in query, search, export, feed and webhooks; verification passes; others untouched', async () => {
    expect(delivered(rx.on('/siem')).filter((e) => e.actor.name === SUBJECT.name)).toHaveLength(900);
    expect(customerEvents(await listAll(ctx.api, t.key, { q: SUBJECT.email }))).toHaveLength(900);
    const ch = ctx.app.app.get(ClickHouseService);
    const clear = async () =>
      Number(
        (
          await ch.query<{ n: number }>(
            `SELECT count() AS n FROM ${ch.tables.events} WHERE tenant_id = {t:String} AND (position(payload, 'Sam Carter') > 0 OR position(payload, 'sam.carter@') > 0 OR position(search_text, 'carter') > 0)`,
            { t: t.id },
          )
        )[0]!.n,
      );
    expect(await clear()).toBe(0);

    const e = await ctx.api.post(`/v1/privacy/subjects/${SUBJECT.id}/erasure`, { token: t.key });
    expect(e.status, e.text).toBe(200);
    expect(e.body.erasure.events_affected).toBe(1000);
    expect(e.body.recipients.map((r: { id: string }) => r.id)).toEqual([hookId]);

    // API: every event of the subject, as actor or as target, reads [erased]; Olive does not.
    const all = customerEvents(await listAll(ctx.api, t.key, { limit: 1000 }));
    expect(all).toHaveLength(1000);
    const asActor = all.filter((x) => x.actor.id === SUBJECT.id);
    expect(asActor).toHaveLength(900);
    expect(asActor.every((x) => x.actor.name === '[erased]' && x.actor.email === '[erased]')).toBe(true);
    const asTarget = all.filter((x) => x.actor.id === 'u_ops');
    expect(asTarget.every((x) => x.targets[0].name === '[erased]' && x.actor.name === 'Olive Ops' && x.actor.email === 'olive@example.com')).toBe(true);
    expect(JSON.stringify(all)).not.toContain('Sam Carter');

    // Search by the erased e-mail or name finds nothing; Olive is still found.
    expect(customerEvents(await listAll(ctx.api, t.key, { q: SUBJECT.email }))).toEqual([]);
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'carter' }))).toEqual([]);
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'olive@example.com' }))).toHaveLength(100);

    // Export (a job, downloaded): [erased] too.
    const job = await ctx.api.post('/v1/exports', { token: t.key, body: { format: 'ndjson' } });
    expect(job.status, job.text).toBe(202);
    await until('export done', async () => (await ctx.api.get(`/v1/exports/${job.body.id}`, { token: t.key })).body.status === 'succeeded');
    const file = { text: await (await fetch(`${ctx.app.url}/v1/exports/${job.body.id}/download`, { headers: { authorization: `Bearer ${t.key}` } })).text() };
    const exported = customerEvents(file.text.trim().split('\n').map((l) => JSON.parse(l)));
    expect(exported).toHaveLength(1000);
    expect(file.text).not.toContain('Sam Carter');
    expect(exported.filter((x) => x.actor.name === '[erased]')).toHaveLength(900);

    // Feed from the start: [erased].
    let cursor: string | undefined;
    const fed: any[] = [];
    for (let i = 0; i < 20; i++) {
      const page = await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 1000, cursor } });
      fed.push(...customerEvents(page.body.data));
      cursor = page.body.next_cursor;
      if (page.body.data.length === 0) break;
    }
    expect(fed).toHaveLength(1000);
    expect(JSON.stringify(fed)).not.toContain('Sam Carter');

    // Webhooks: a replay of the whole trail now carries [erased].
    const before = rx.on('/siem').length;
    const replay = await ctx.api.post(`/v1/webhooks/${hookId}/replay`, { token: t.key, body: { from: new Date(Date.now() - 3_600_000).toISOString() } });
    expect(replay.status, replay.text).toBe(200);
    await until('replayed', () => delivered(rx.on('/siem').slice(before)).length >= 1000);
    const again = delivered(rx.on('/siem').slice(before));
    expect(again.filter((x) => x.actor.id === SUBJECT.id).every((x) => x.actor.name === '[erased]')).toBe(true);
    expect(JSON.stringify(again)).not.toContain('sam.carter@');

    // Tamper evidence is intact: the leaves committed to ciphertext, which did not change.
    await ctx.api.post('/v1/integrity/seal', { token: t.key });
    const v = await ctx.api.post('/v1/integrity/verify', { token: t.key, body: {} });
    expect(v.status).toBe(200);
    expect(v.body.status).toBe('ok');
    expect(v.body.tampered).toEqual([]);
    expect(await clear()).toBe(0);
  }, 180_000);
});
