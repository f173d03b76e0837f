import { describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { createKey, event, useApp, type TestTenant } from '../support/harness.js';

type Row = Record<string, unknown> & { id: string; organization_id: string };

/**
 * PEN-08: the filter columns of events_v1 are copies of the sealed payload; verification
 * re-derives each of them, so rewriting one (the payload untouched) is tampering, named by event
 * and column — and honest events of every shape (encrypted values, unicode, nested metadata,
 * a search text at its cap) never are.
 */
describe('derived columns are verified against the sealed payload (PEN-08)', () => {
  const ctx = useApp();
  const ch = () => ctx.app.app.get(ClickHouseService);

  async function tenantWith(name: string, events: Record<string, unknown>[]): Promise<{ t: TestTenant; ids: string[] }> {
    const t = await ctx.tenant(name);
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } });
    expect(r.status, r.text).toBe(201);
    expect((await ctx.api.post('/v1/integrity/seal', { token: t.key })).status).toBe(200);
    return { t, ids: r.body.ids };
  }

  async function verify(t: TestTenant) {
    const r = await ctx.api.post('/v1/integrity/verify', { token: t.key, body: {} });
    expect(r.status).toBe(200);
    return r.body;
  }

  /** Rewrites the stored row of one event as someone with write access to ClickHouse would. */
  async function rewrite(t: TestTenant, id: string, change: (row: Row) => void): Promise<void> {
    const [row] = await ch().query<Row>(`SELECT * FROM ${ch().tables.events} WHERE tenant_id = {t:String} AND id = {id:UUID}`, { t: t.id, id });
    change(row!);
    // Key and partition columns cannot be updated in place: delete the row and insert the edit.
    await ch().command(`ALTER TABLE ${ch().tables.events} DELETE WHERE tenant_id = {t:String} AND id = {id:UUID} SETTINGS mutations_sync = 2`, { t: t.id, id });
    await ch().insertRows(ch().tables.events, [JSON.stringify(row)]);
  }

  it('PEN-08: honest events of every shape verify with no column reported', async () => {
    const t0 = await ctx.tenant('Shapes');
    // Classified IP (the column then holds nothing; its blind token is in pii_tokens) and a
    // classified metadata value.
    const put = await ctx.api.put('/v1/settings/privacy', {
      token: t0.key,
      body: { scrubbing: {}, classification: { fields: { 'context.ip': 'sensitive', 'metadata.phone': 'sensitive' } } },
    });
    expect(put.status, put.text).toBe(200);
    await ctx.api.put('/v1/settings/auditing', { token: t0.key, body: { read_auditing: false } });
    const long = 'Ωmega word '.repeat(1300); // the search text reaches its 16 KB cap
    const r = await ctx.api.post('/v1/events/batch', {
      token: t0.key,
      body: {
        events: [
          event({ action: 'user.renamed', organization_id: 'ΟΔΟΣ İstanbul', actor: { type: 'service', id: 'svc "quoted" \\ back', name: 'ΣΊΣΥΦΟΣ', metadata: { n: 9007199254740991, small: 1.5e-7, ok: true, none: null, deep: { a: [1, 'x\ny', { b: -0.25 }] } } } }),
          event({ changes: [{ field: 'profile', before: '{"looks":"like json"}', after: { nested: ['Ä', 2] } }, { field: 'email', before: 'a@x.io', after: 'b@x.io' }], metadata: { phone: '+44 20 7946 0000', plan: 'pro' } }),
          event({ actor: { type: 'system', id: 'cron' }, targets: [], context: {}, outcome: 'failure', occurred_at: '2025-01-01T00:00:00+05:30' }),
          event({ metadata: { text: long }, actor: { type: 'user', id: 'u_long', name: 'Long Text', metadata: { more: long } } }),
          event({ action: 'user.login', organization_id: undefined, targets: [{ type: 'user', id: 'u_2', name: 'Bob' }, { type: 'doc', id: 'd_1' }] }),
          // Secrets scrubbed before storage, unsorted keys.
          event({ metadata: { zeta: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789', password: 'hunter2', card: '4111 1111 1111 1111' }, context: { location: 'web', ip: '203.0.113.9' } }),
          // Number spellings at the edges of what ingest accepts (±(2^53−1): larger ones are refused, PEN-L9).
          event({ metadata: { big: 9007199254740991, small: -9007199254740991, tiny: 1e-7, exp: 1e15, str: '1.50' } }),
          // Delegation: an agent acting for a user (names encrypted), an impersonated session (no names).
          event({ actor: { type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_bob', name: 'Bob' } } }),
          event({ actor: { type: 'user', id: 'u_bob', impersonator: { type: 'user', id: 'u_ann' } } }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    expect((await ctx.api.post('/v1/integrity/seal', { token: t0.key })).status).toBe(200);
    const scrubbed = await ctx.api.get(`/v1/events/${r.body.ids[5]}`, { token: t0.key });
    expect(scrubbed.body.flags).toContain('scrubbed');
    const report = await verify(t0);
    expect(report.tampered, JSON.stringify(report.tampered)).toEqual([]);
    expect(report.status).toBe('ok');
  });

  it('PEN-08: an event moved into another organization by rewriting organization_id is reported, naming event and column', async () => {
    const { t, ids } = await tenantWith('Moved', [event({ organization_id: 'org_a', action: 'doc.deleted' }), event({ organization_id: 'org_a' })]);
    const orgB = await createKey(ctx.api, t.key, { scopes: ['events:read'], organization_id: 'org_b' });
    expect((await ctx.api.get(`/v1/events/${ids[0]}`, { token: orgB })).status).toBe(404);
    await rewrite(t, ids[0]!, (row) => (row.organization_id = 'org_b'));
    // The attack works on reads: org_b now sees org_a's event …
    expect((await ctx.api.get(`/v1/events/${ids[0]}`, { token: orgB })).status).toBe(200);
    // … and verification says so.
    const report = await verify(t);
    expect(report.status).toBe('tampered');
    expect(report.tampered).toEqual([expect.objectContaining({ kind: 'column_modified', event_id: ids[0], columns: ['organization_id'], checkpoint: 1 })]);
    // The viewer's badge in org_b does not call it verified either; the untouched event still is.
    const badge = await ctx.api.get('/v1/events/verification', { token: t.key, query: { ids: ids.join(',') } });
    expect(badge.body.events).toEqual([
      { id: ids[0], status: 'failed' },
      { id: ids[1], status: 'verified' },
    ]);
  });

  it('PEN-08: every derived column rewritten on its own is reported with that column', async () => {
    const n = 15;
    const { t, ids } = await tenantWith('Columns', Array.from({ length: n }, (_, i) => event({ action: 'doc.edited', metadata: { i } })));
    const shift = (v: unknown, ms: number) => {
      const d = new Date(`${String(v).replace(' ', 'T')}Z`);
      return new Date(d.getTime() + ms).toISOString().replace('T', ' ').replace('Z', '');
    };
    const edits: [column: string, change: (row: Row) => void][] = [
      ['occurred_at', (row) => (row.occurred_at = shift(row.occurred_at, 86_400_000))],
      ['received_at', (row) => (row.received_at = shift(row.received_at, 500))],
      ['action', (row) => (row.action = 'doc.viewed')],
      ['outcome', (row) => (row.outcome = 'failure')],
      ['actor_type', (row) => (row.actor_type = 'service')],
      ['actor_id', (row) => (row.actor_id = 'u_someone_else')],
      ['on_behalf_of_id', (row) => (row.on_behalf_of_id = 'u_victim')],
      ['impersonator_id', (row) => (row.impersonator_id = 'u_admin')],
      ['target_ids', (row) => (row.target_ids = ['doc_other'])],
      ['target_types', (row) => (row.target_types = ['invoice'])],
      ['ip', (row) => (row.ip = '198.51.100.7')],
      ['flags', (row) => (row.flags = ['scrubbed'])],
      ['search_text', (row) => (row.search_text = `${String(row.search_text)}\nbackdoor`)],
      ['pii_tokens', (row) => ((row.pii_tokens as string[]).push('t:000000000000000000000000'))],
      ['leaf_hash', (row) => (row.leaf_hash = '0'.repeat(64))],
    ];
    expect(edits).toHaveLength(n);
    for (const [i, [, change]] of edits.entries()) await rewrite(t, ids[i]!, change);
    const report = await verify(t);
    expect(report.status).toBe('tampered');
    const byEvent = Object.fromEntries(report.tampered.map((f: { event_id: string; kind: string; columns?: string[] }) => [f.event_id, `${f.kind}:${(f.columns ?? []).join(',')}`]));
    expect(byEvent).toEqual(Object.fromEntries(edits.map(([column], i) => [ids[i], `column_modified:${column}`])));
  });

  it('PEN-08: a copy of an event added in another organization, whatever its received_at, is reported', async () => {
    const { t, ids } = await tenantWith('Copied', [event({ organization_id: 'org_a' }), event({ organization_id: 'org_a' })]);
    const [row] = await ch().query<Row>(`SELECT * FROM ${ch().tables.events} WHERE tenant_id = {t:String} AND id = {id:UUID}`, { t: t.id, id: ids[1] });
    // Far from its leaf in time, so no join on the leaf's time window finds it.
    await ch().insertRows(ch().tables.events, [JSON.stringify({ ...row, organization_id: 'org_b', received_at: '2027-06-01 00:00:00.000' })]);
    const report = await verify(t);
    expect(report.status).toBe('tampered');
    expect(report.tampered).toEqual([expect.objectContaining({ kind: 'duplicated', event_id: ids[1] })]);
  });
});
