import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { IdempotencyHousekeeping } from '../../src/events/idempotency-housekeeping.js';
import { IdempotencyRepository } from '../../src/events/idempotency.repository.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { TenantScope } from '../../src/tenancy/tenant-scope.js';
import { Api, createTenant, createTestEnv, customerEvents, event, listAll, startApp, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';

/** DU-04, DU-05: a key means "at most once", across retries, concurrency and crashes. */
describe('idempotency', () => {
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;
  let t: TestTenant;

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp(env, { IDEMPOTENCY_LEASE_MS: '1000' });
    api = new Api(app.url);
    t = await createTenant(api, env, 'Idem');
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
  });

  async function countRows(ids: string[]): Promise<number> {
    const ch = app.app.get(ClickHouseService);
    const rows = await ch.query<{ n: number }>(`SELECT count() AS n FROM ${ch.tables.events} WHERE tenant_id = {t:String} AND id IN {ids:Array(UUID)}`, { t: t.id, ids });
    return Number(rows[0]!.n);
  }

  it('a retry with the same event idempotency_key returns the original id and stores nothing new', async () => {
    const body = event({ action: 'order.paid', idempotency_key: 'pay-1' });
    const first = await api.post('/v1/events', { token: t.key, body });
    const again = await api.post('/v1/events', { token: t.key, body });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(customerEvents(await listAll(api, t.key, { action: 'order.paid' })).length).toBe(1);
  });

  it('key order and whitespace do not make a different request', async () => {
    const body = event({ action: 'order.reordered', idempotency_key: 'reorder-1' });
    const first = await api.post('/v1/events', { token: t.key, body });
    const reversed = Object.fromEntries(Object.entries(body).reverse());
    const again = await api.post('/v1/events', { token: t.key, raw: JSON.stringify(reversed, null, 4), headers: { 'content-type': 'application/json' } });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('DU-04: the same key with a different body is refused with 422 and stores nothing', async () => {
    const first = await api.post('/v1/events', { token: t.key, body: event({ action: 'order.refunded', idempotency_key: 'refund-1' }) });
    expect(first.status).toBe(201);
    const other = await api.post('/v1/events', { token: t.key, body: event({ action: 'order.refunded', idempotency_key: 'refund-1', metadata: { amount: 2 } }) });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_mismatch');
    expect(customerEvents(await listAll(api, t.key, { action: 'order.refunded' })).length).toBe(1);
  });

  it('DU-04: concurrent requests with one key store one event; the others get the same id or 409', async () => {
    const body = event({ action: 'order.concurrent', idempotency_key: 'concurrent-1' });
    const results = await Promise.all(Array.from({ length: 8 }, () => api.post('/v1/events', { token: t.key, body })));
    const ok = results.filter((r) => r.status === 201);
    const conflict = results.filter((r) => r.status === 409);
    expect(ok.length + conflict.length).toBe(8);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    for (const c of conflict) {
      expect(c.body.error.code).toBe('idempotency_key_in_use');
      expect(Number(c.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(customerEvents(await listAll(api, t.key, { action: 'order.concurrent' })).length).toBe(1);
  });

  it('Idempotency-Key header makes a whole batch idempotent; a different batch under it is 422', async () => {
    const events = Array.from({ length: 20 }, () => event({ action: 'batch.idem' }));
    const headers = { 'idempotency-key': 'batch-1' };
    const first = await api.post('/v1/events/batch', { token: t.key, body: { events }, headers });
    const again = await api.post('/v1/events/batch', { token: t.key, body: { events }, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.ids).toEqual(first.body.ids);
    expect(first.body.ids.length).toBe(20);
    expect(await countRows(first.body.ids)).toBe(20);
    const changed = await api.post('/v1/events/batch', { token: t.key, body: { events: events.slice(1) }, headers });
    expect(changed.status).toBe(422);
    expect(customerEvents(await listAll(api, t.key, { action: 'batch.idem' })).length).toBe(20);
  });

  it('per-event keys inside batches: already stored items keep their ids, new items are stored', async () => {
    const e1 = event({ action: 'batch.items', idempotency_key: 'item-1' });
    const e2 = event({ action: 'batch.items', idempotency_key: 'item-2' });
    const e3 = event({ action: 'batch.items', idempotency_key: 'item-3' });
    const first = await api.post('/v1/events/batch', { token: t.key, body: { events: [e1, e2] } });
    const headers = { 'idempotency-key': 'items-batch' };
    const second = await api.post('/v1/events/batch', { token: t.key, body: { events: [e2, e3, e1] }, headers });
    expect(second.status).toBe(201);
    expect(second.body.ids[0]).toBe(first.body.ids[1]);
    expect(second.body.ids[2]).toBe(first.body.ids[0]);
    expect(customerEvents(await listAll(api, t.key, { action: 'batch.items' })).length).toBe(3);
    // The request key replays the ids the request answered with, earlier attempts' ids included
    // (not the fresh ids it reserved for them).
    const replayed = await api.post('/v1/events/batch', { token: t.key, body: { events: [e2, e3, e1] }, headers });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.ids).toEqual(second.body.ids);
  });

  it('a key whose record expired (past its TTL) is reserved afresh, next to fresh keys in the same batch', async () => {
    const first = await api.post('/v1/events', { token: t.key, body: event({ action: 'ttl.item', idempotency_key: 'ttl-1' }) });
    expect(first.status).toBe(201);
    const prisma = app.app.get(PrismaService);
    expect(await prisma.$executeRaw`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE tenant_id = ${t.id} AND key = 'e:ttl-1'`).toBe(1);
    const body = { events: [event({ action: 'ttl.item', idempotency_key: 'ttl-1', metadata: { again: true } }), event({ action: 'ttl.item', idempotency_key: 'ttl-2' })] };
    const second = await api.post('/v1/events/batch', { token: t.key, body });
    expect(second.status).toBe(201);
    expect(second.body.ids[0]).not.toBe(first.body.id);
    expect(customerEvents(await listAll(api, t.key, { action: 'ttl.item' })).length).toBe(3);
    // Reserved afresh: now a live record like any other.
    const third = await api.post('/v1/events/batch', { token: t.key, body });
    expect(third.body.ids).toEqual(second.body.ids);
    expect(customerEvents(await listAll(api, t.key, { action: 'ttl.item' })).length).toBe(3);
  });

  it('a batch completes as one attempt: every key names it, one completion row, and housekeeping drops both once expired', async () => {
    const prisma = app.app.get(PrismaService);
    const body = { events: [1, 2, 3].map((n) => event({ action: 'attempt.item', idempotency_key: `attempt-${n}` })) };
    const first = await api.post('/v1/events/batch', { token: t.key, body, headers: { 'idempotency-key': 'attempt-batch' } });
    expect(first.status).toBe(201);
    const rows = await prisma.$queryRaw<{ key: string; state: string; attempt: string | null; done: boolean }[]>`
      SELECT k.key, k.state, k.attempt::text AS attempt, a.attempt IS NOT NULL AS done
      FROM idempotency_keys k LEFT JOIN idempotency_attempts a ON a.tenant_id = k.tenant_id AND a.attempt = k.attempt
      WHERE k.tenant_id = ${t.id} AND k.key IN ('r:attempt-batch', 'e:attempt-1', 'e:attempt-2', 'e:attempt-3')`;
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.attempt)).size).toBe(1);
    expect(rows.every((r) => r.done && r.attempt !== null)).toBe(true);
    // The key rows themselves were not rewritten on completion.
    expect(rows.every((r) => r.state === 'in_flight')).toBe(true);
    // The request's hash is the SHA-256 of its events' canonical forms as a JSON array, as keys
    // recorded by earlier versions have it (a retry across an upgrade still matches).
    const { createHash } = await import('node:crypto');
    const { assembleCanonical } = await import('../../src/common/canonical.js');
    const ingest = app.app.get((await import('../../src/ingest/ingest.service.js')).IngestService);
    const valid = ingest.validateBatch(TenantScope.forTenant({ id: t.id, retentionDays: 365 }), body, Date.now());
    const [stored] = await prisma.$queryRaw<{ request_hash: string }[]>`SELECT request_hash FROM idempotency_keys WHERE tenant_id = ${t.id} AND key = 'r:attempt-batch'`;
    expect(stored!.request_hash).toBe(createHash('sha256').update(`[${valid.map((v) => assembleCanonical(v.members)).join(',')}]`).digest('hex'));
    // Completed: the request and each event replay.
    const again = await api.post('/v1/events/batch', { token: t.key, body, headers: { 'idempotency-key': 'attempt-batch' } });
    expect(again.body.ids).toEqual(first.body.ids);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const one = await api.post('/v1/events', { token: t.key, body: body.events[1] });
    expect(one.body.id).toBe(first.body.ids[1]);
    expect(customerEvents(await listAll(api, t.key, { action: 'attempt.item' }))).toHaveLength(3);

    // Housekeeping: past the TTL, the keys and their attempt go; live ones stay.
    const attempt = rows[0]!.attempt!;
    await prisma.$executeRaw`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE tenant_id = ${t.id} AND attempt = ${attempt}::uuid`;
    await prisma.$executeRaw`UPDATE idempotency_attempts SET expires_at = now() - interval '1 second' WHERE tenant_id = ${t.id} AND attempt = ${attempt}::uuid`;
    const liveBefore = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM idempotency_keys WHERE tenant_id = ${t.id} AND expires_at >= now()`;
    const dropped = await app.app.get(IdempotencyHousekeeping).run();
    expect(dropped.keys).toBeGreaterThanOrEqual(4);
    expect(dropped.attempts).toBeGreaterThanOrEqual(1);
    const left = await prisma.$queryRaw<{ keys: bigint; attempts: bigint; live: bigint }[]>`
      SELECT (SELECT count(*) FROM idempotency_keys WHERE tenant_id = ${t.id} AND attempt = ${attempt}::uuid) AS keys,
             (SELECT count(*) FROM idempotency_attempts WHERE tenant_id = ${t.id} AND attempt = ${attempt}::uuid) AS attempts,
             (SELECT count(*) FROM idempotency_keys WHERE tenant_id = ${t.id}) AS live`;
    expect(left[0]).toEqual({ keys: 0n, attempts: 0n, live: liveBefore[0]!.n });
  });

  it('keys are per tenant: another tenant may use the same key', async () => {
    const other = await createTenant(api, env, 'Idem other');
    const body = event({ action: 'order.paid', idempotency_key: 'pay-1' });
    const r = await api.post('/v1/events', { token: other.key, body });
    expect(r.status).toBe(201);
    expect(customerEvents(await listAll(api, other.key, { action: 'order.paid' })).length).toBe(1);
  });

  it('PEN-L3: an organization key cannot squat another organization\'s key; tenant-wide keys stay tenant-wide', async () => {
    const writerA = (await api.post('/v1/api-keys', { token: t.key, body: { name: 'writer a', scopes: ['events:write'], organization_id: 'org_a' } })).body.key as string;
    const writerB = (await api.post('/v1/api-keys', { token: t.key, body: { name: 'writer b', scopes: ['events:write'], organization_id: 'org_b' } })).body.key as string;
    // org_a reserves the predictable key org_b's application will use...
    const squat = await api.post('/v1/events', { token: writerA, body: event({ action: 'invoice.sent', organization_id: 'org_a', idempotency_key: 'invoice-1001' }) });
    expect(squat.status).toBe(201);
    // ...and org_b's real event is still stored (it was 422 idempotency_key_mismatch), and its retry is still idempotent.
    const real = event({ action: 'invoice.sent', organization_id: 'org_b', idempotency_key: 'invoice-1001', metadata: { amount: 5 } });
    const stored = await api.post('/v1/events', { token: writerB, body: real });
    expect(stored.status, stored.text).toBe(201);
    expect(stored.body.id).not.toBe(squat.body.id);
    const retry = await api.post('/v1/events', { token: writerB, body: real });
    expect(retry.body.id).toBe(stored.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // The same key under org_b with another body is org_b's own mismatch; the request-level header too.
    expect((await api.post('/v1/events', { token: writerB, body: { ...real, metadata: { amount: 6 } } })).status).toBe(422);
    const headerA = await api.post('/v1/events/batch', { token: writerA, headers: { 'idempotency-key': 'batch-7' }, body: { events: [event({ action: 'invoice.sent', organization_id: 'org_a' })] } });
    const headerB = await api.post('/v1/events/batch', { token: writerB, headers: { 'idempotency-key': 'batch-7' }, body: { events: [event({ action: 'invoice.sent', organization_id: 'org_b' })] } });
    expect([headerA.status, headerB.status]).toEqual([201, 201]);
    expect(headerB.body.ids).not.toEqual(headerA.body.ids);
    // A tenant-wide writer has its own (tenant-wide) namespace: an organization key never reaches it.
    const tenantWide = await api.post('/v1/events', { token: t.key, body: event({ action: 'invoice.sent', organization_id: 'org_b', idempotency_key: 'invoice-1001' }) });
    expect(tenantWide.status).toBe(201);
    expect(new Set([squat.body.id, stored.body.id, tenantWide.body.id]).size).toBe(3);
    expect(customerEvents(await listAll(api, t.key, { action: 'invoice.sent' }))).toHaveLength(5);
  });

  it('PEN-L3: records made before keys had organizations still protect an organization writer\'s retry, and only its own request', async () => {
    const writer = (await api.post('/v1/api-keys', { token: t.key, body: { name: 'legacy writer', scopes: ['events:write'], organization_id: 'org_l' } })).body.key as string;
    const body = event({ action: 'legacy.sent', organization_id: 'org_l', idempotency_key: 'legacy-1' });
    const first = await api.post('/v1/events', { token: writer, body });
    expect(first.status).toBe(201);
    // What the migration leaves: the record tenant-wide and marked legacy (as if written before the upgrade).
    const prisma = app.app.get(PrismaService);
    expect(await prisma.$executeRaw`UPDATE idempotency_keys SET organization_id = '', legacy = true WHERE tenant_id = ${t.id} AND key = 'e:legacy-1'`).toBe(1);
    const retry = await api.post('/v1/events', { token: writer, body });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(customerEvents(await listAll(api, t.key, { action: 'legacy.sent' }))).toHaveLength(1);
    // A legacy record of another request (another organization's squat) does not block this one.
    expect(await prisma.$executeRaw`UPDATE idempotency_keys SET request_hash = 'x' WHERE tenant_id = ${t.id} AND organization_id = '' AND legacy AND key = 'e:legacy-1'`).toBe(1);
    const other = (await api.post('/v1/api-keys', { token: t.key, body: { name: 'other writer', scopes: ['events:write'], organization_id: 'org_m' } })).body.key as string;
    const fresh = await api.post('/v1/events', { token: other, body: event({ action: 'legacy.sent', organization_id: 'org_m', idempotency_key: 'legacy-1' }) });
    expect(fresh.status).toBe(201);
    expect(customerEvents(await listAll(api, t.key, { action: 'legacy.sent' }))).toHaveLength(2);
  });

  it('DU-01/DU-02 (in process): a key left in flight by a dead request is taken over after its lease; rows already written are not written twice', async () => {
    const repo = app.app.get(IdempotencyRepository);
    const scope = TenantScope.forTenant({ id: t.id, retentionDays: 365 });
    // Simulate "crashed before the INSERT": a reservation exists, no row.
    const before = event({ action: 'crash.before', idempotency_key: 'crash-before' });
    const first = await api.post('/v1/events', { token: t.key, body: before });
    expect(first.status).toBe(201);
    // Simulate "crashed after the INSERT, before completing": flip the record back to in flight.
    const prisma = app.app.get(PrismaService);
    // (Its attempt never completed: the key names a fresh attempt with no completion row.)
    await prisma.$executeRawUnsafe(
      `UPDATE idempotency_keys SET state = 'in_flight', attempt = gen_random_uuid(), lease_until = now() + interval '1 second' WHERE tenant_id = $1 AND key = $2`,
      t.id,
      'e:crash-before',
    );
    // While the lease runs, a retry is told to wait.
    const during = await api.post('/v1/events', { token: t.key, body: before });
    expect(during.status).toBe(409);
    await new Promise((r) => setTimeout(r, 1200));
    const after = await api.post('/v1/events', { token: t.key, body: before });
    expect(after.status).toBe(201);
    expect(after.body.id).toBe(first.body.id);
    expect(await countRows([first.body.id])).toBe(1);
    // The retry's attempt completed the key it took over: it is no longer in flight.
    expect((await repo.find(scope, ['e:crash-before']))[0]?.state).toBe('completed');
    // A reservation whose write never happened: the retry writes it, with the reserved id.
    const reservedId = '01a20000-0000-7000-8000-00000000abcd';
    const lost = event({ action: 'crash.lost', idempotency_key: 'crash-lost' });
    const validated = app.app.get((await import('../../src/ingest/ingest.service.js')).IngestService).validateOne(scope, lost, Date.now());
    const { createHash, randomUUID } = await import('node:crypto');
    const { assembleCanonical } = await import('../../src/common/canonical.js');
    await repo.reserve(scope, [{ key: 'e:crash-lost', requestHash: createHash('sha256').update(assembleCanonical(validated.members)).digest('hex'), eventIds: [reservedId], receivedAt: new Date(), attempt: randomUUID() }], 1, 60_000);
    await new Promise((r) => setTimeout(r, 50));
    const retried = await api.post('/v1/events', { token: t.key, body: lost });
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(reservedId);
    expect(await countRows([reservedId])).toBe(1);
  });

  it('DU-05: after the stored row is deleted (ALTER DELETE), a retry still stores nothing new', async () => {
    const body = event({ action: 'order.deleted_row', idempotency_key: 'deleted-row' });
    const first = await api.post('/v1/events', { token: t.key, body });
    const ch = app.app.get(ClickHouseService);
    await ch.command(`ALTER TABLE ${ch.tables.events} DELETE WHERE id = {id:UUID} SETTINGS mutations_sync = 1`, { id: first.body.id });
    expect(await countRows([first.body.id])).toBe(0);
    const again = await api.post('/v1/events', { token: t.key, body });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await countRows([first.body.id])).toBe(0);
  });
});
