import { describe, expect, it } from 'vitest';
import { EventsRepository } from '../../src/events/events.repository.js';
import { SYSTEM_TRAIL_TENANT_ID } from '../../src/events/system-trail.js';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { TenantScope } from '../../src/tenancy/tenant-scope.js';
import { customerEvents, event, flushWrites, listAll, useApp } from '../support/harness.js';

/**
 * PR-06, the breach drill (docs/security.md "Breach drill"): a repository bug is simulated by a
 * test hook — the test replaces EventsRepository.list on the running app so that one search of
 * tenant B runs with tenant A's scope, as a query whose tenant predicate went wrong would. The
 * read path must notice the foreign rows, answer nothing of them, notify A (the controller) in
 * A's own trail before the request is answered, and write a breach record in the system trail
 * whose timeline is rebuilt from B's audit-of-audit trail.
 */
describe('PR-06: breach drill', () => {
  const ctx = useApp();

  const systemRecords = async () => {
    const ch = ctx.app.app.get(ClickHouseService);
    const rows = await ch.query<{ payload: string }>(
      `SELECT payload FROM ${ch.tables.events} WHERE tenant_id = {t:String} AND action = 'veritrail.security.breach_recorded' ORDER BY received_at`,
      { t: SYSTEM_TRAIL_TENANT_ID },
    );
    return rows.map((r) => JSON.parse(r.payload));
  };

  it('PR-06: an injected cross-tenant read is blocked, the controller is notified without undue delay, and a breach record holds the timeline from the audit-of-audit trail', async () => {
    const a = await ctx.tenant('Breach victim');
    const b = await ctx.tenant('Breach reader');
    const secret = 'victim-only-7f3a';
    const posted = await ctx.api.post('/v1/events/batch', { token: a.key, body: { events: [1, 2, 3].map((i) => event({ action: 'invoice.paid', actor: { type: 'user', id: `u_${secret}_${i}`, name: `Alice ${secret}` } })) } });
    expect(posted.status, posted.text).toBe(201);
    expect((await ctx.api.post('/v1/events', { token: b.key, body: event({ action: 'doc.viewed' }) })).status).toBe(201);

    // B's ordinary reads, each recorded in B's trail (read auditing is on by default): the happy path records no breach.
    const before = (await systemRecords()).length;
    const earlier: string[] = [];
    for (const query of [{ action: 'doc.*' }, { limit: 5 }]) {
      const r = await ctx.api.get('/v1/events', { token: b.key, query });
      expect(r.status, r.text).toBe(200);
      expect(r.text).not.toContain(secret);
      earlier.push(r.headers.get('x-request-id')!);
    }
    await flushWrites(ctx.app);
    expect(await systemRecords()).toHaveLength(before);

    // The hook (test code only): B's next search runs with A's scope.
    const repo = ctx.app.app.get(EventsRepository);
    const original = repo.list.bind(repo);
    let injected = 0;
    repo.list = (scope, filters, page, now) => {
      if (scope.tenantId !== b.id || injected > 0) return original(scope, filters, page, now);
      injected++;
      return original(TenantScope.forTenant({ id: a.id, retentionDays: 365 }), filters, page, now);
    };
    let blocked;
    try {
      blocked = await ctx.api.get('/v1/events', { token: b.key, query: { limit: 50 } });
    } finally {
      repo.list = original;
    }
    expect(injected).toBe(1);
    // Nothing of A's data leaves: an internal error with a request id, no payload.
    expect(blocked.status).toBe(500);
    expect(blocked.body.error.code).toBe('internal_error');
    expect(blocked.text).not.toContain(secret);
    expect(blocked.text).not.toContain(a.id);
    const blockedRequest = blocked.headers.get('x-request-id')!;

    // Without undue delay: A's notice is in A's trail by the time B had its answer (written before it, no waiting).
    const notices = await listAll(ctx.api, a.key, { action: 'veritrail.security.breach_notified' });
    expect(notices).toHaveLength(1);
    const notice = notices[0];
    // Every row of A the search returned: A's three events and A's own trail entries (tenant and key creation).
    expect(notice.metadata).toMatchObject({ kind: 'cross_tenant_read', disclosed: false });
    expect(notice.metadata.events_read).toBeGreaterThanOrEqual(3);
    expect(notice.targets.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(posted.body.ids));
    expect(JSON.stringify(notice)).not.toContain(b.id); // another customer is not named to A

    // The breach record, in the system trail.
    const records = await systemRecords();
    expect(records).toHaveLength(before + 1);
    const record = records.at(-1)!;
    expect(record.metadata).toMatchObject({
      breach_id: notice.metadata.breach_id,
      kind: 'cross_tenant_read',
      detected_at: notice.metadata.detected_at,
      disclosed: false,
      via: 'events.list',
      reader: { tenant_id: b.id },
      request_id: blockedRequest,
      affected: [{ tenant_id: a.id, events: notice.metadata.events_read }],
      notified: [a.id],
    });
    expect(record.targets).toEqual([{ type: 'tenant', id: a.id }]);
    // The timeline: B's key's earlier reads from B's own trail (audit of the audit log), in order, then the blocked read.
    const timeline = record.metadata.timeline as { at: string; action: string; request_id?: string }[];
    const reads = timeline.filter((t) => t.action === 'veritrail.events.searched');
    expect(reads.map((t) => t.request_id)).toEqual(earlier);
    expect(timeline.at(-1)).toMatchObject({ action: 'cross_tenant_read.blocked', request_id: blockedRequest, foreign_rows: notice.metadata.events_read });
    const times = timeline.map((t) => Date.parse(t.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(times.at(-1)).toBe(Date.parse(record.metadata.detected_at));

    // B's trail says nothing about A, and B's next ordinary search works again.
    const again = await ctx.api.get('/v1/events', { token: b.key });
    expect(again.status).toBe(200);
    expect(customerEvents(again.body.data).every((e: { action: string }) => e.action === 'doc.viewed')).toBe(true);
    expect(JSON.stringify(await listAll(ctx.api, b.key, {}))).not.toContain(a.id);
  });
});
