import { describe, expect, it } from 'vitest';
import { createKey, customerEvents, event, listAll, useApp, type TestTenant } from '../support/harness.js';

const ROLE_V1 = { type: 'object', required: ['role'], properties: { role: { enum: ['admin', 'member', 'viewer'] } } };
const ROLE_V2 = { type: 'object', required: ['role', 'team'], properties: { role: { enum: ['admin', 'member', 'viewer'] }, team: { type: 'string', minLength: 1 } } };

describe('per-action metadata schemas', () => {
  const ctx = useApp();

  async function put(t: TestTenant, action: string, body: unknown) {
    return ctx.api.put(`/v1/actions/${action}/schema`, { token: t.key, body });
  }
  async function stored(t: TestTenant, action: string) {
    return customerEvents(await listAll(ctx.api, t.key, { action }));
  }

  it('enforce: a mismatching event or batch is refused naming every failing path, and nothing is stored', async () => {
    const t = await ctx.tenant('Schemas enforce');
    const created = await put(t, 'member.role.updated', { schema: ROLE_V1, mode: 'enforce' });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toEqual({ action: 'member.role.updated', version: 1, mode: 'enforce' });

    const ok = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'member.role.updated', metadata: { role: 'admin' } }) });
    expect(ok.status, ok.text).toBe(201);
    const bad = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'member.role.updated', metadata: { role: 'owner' } }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'metadata.role', code: 'schema_mismatch' })]);
    const missing = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'member.role.updated', metadata: undefined }) });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0]).toMatchObject({ field: 'metadata', code: 'schema_mismatch' });

    const batch = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: { events: [event({ action: 'member.role.updated', metadata: { role: 'viewer' } }), event({ action: 'other.thing' }), event({ action: 'member.role.updated', metadata: { role: 7 } })] },
    });
    expect(batch.status).toBe(400);
    expect(batch.body.error.details).toEqual([expect.objectContaining({ index: 2, field: 'events[2].metadata.role', code: 'schema_mismatch' })]);
    // Only the one accepted event exists; the batch stored nothing (other.thing neither).
    expect((await stored(t, 'member.role.updated')).map((e) => e.id)).toEqual([ok.body.id]);
    expect(await stored(t, 'other.thing')).toEqual([]);

    // Another tenant's schema does not apply here.
    const other = await ctx.tenant('Schemas other tenant');
    expect((await ctx.api.post('/v1/events', { token: other.key, body: event({ action: 'member.role.updated', metadata: { role: 'owner' } }) })).status).toBe(201);
    // The change is in the trail.
    const trail = await listAll(ctx.api, t.key, { action: 'veritrail.action_schema.created' });
    expect(trail.map((e) => [e.targets[0].id, e.metadata.version])).toEqual([['member.role.updated', 1]]);
  });

  it('versions: immutable, the latest by default, schema_version picks one; warn stores, flags and counts', async () => {
    const t = await ctx.tenant('Schemas versions');
    expect((await put(t, 'member.role.updated', { schema: ROLE_V1, mode: 'enforce' })).body.version).toBe(1);
    expect((await put(t, 'member.role.updated', { schema: ROLE_V2, mode: 'warn' })).body).toEqual({ action: 'member.role.updated', version: 2, mode: 'warn' });
    const metricBefore = await mismatches('warn');

    // Latest (v2, warn): stored with the flag.
    const warned = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'member.role.updated', metadata: { role: 'admin' } }) });
    expect(warned.status, warned.text).toBe(201);
    // v1 named explicitly: matches, no flag; v1 is enforce, so a mismatch against it is refused.
    const v1 = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'member.role.updated', schema_version: 1, metadata: { role: 'admin' } }) });
    expect(v1.status, v1.text).toBe(201);
    const v1bad = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'member.role.updated', schema_version: 1, metadata: {} }) });
    expect(v1bad.status).toBe(400);
    const events = await stored(t, 'member.role.updated');
    const byId = new Map(events.map((e) => [e.id, e]));
    expect(byId.get(warned.body.id).flags).toEqual(['schema_mismatch']);
    expect(byId.get(v1.body.id).flags).toBeUndefined();
    expect(byId.get(v1.body.id).schema_version).toBe(1);
    expect(await mismatches('warn')).toBe(metricBefore + 1);

    // Unknown versions, and versions for an action without schemas, are refused.
    for (const body of [event({ action: 'member.role.updated', schema_version: 3, metadata: { role: 'admin' } }), event({ action: 'no.schema', schema_version: 1 })]) {
      const r = await ctx.api.post('/v1/events', { token: t.key, body });
      expect(r.status).toBe(400);
      expect(r.body.error.details[0]).toMatchObject({ field: 'schema_version', code: 'unknown_schema_version' });
    }

    // Reading versions back; older versions never change.
    const latest = await ctx.api.get('/v1/actions/member.role.updated/schema', { token: t.key });
    expect(latest.body).toMatchObject({ action: 'member.role.updated', version: 2, mode: 'warn', schema: ROLE_V2 });
    const first = await ctx.api.get('/v1/actions/member.role.updated/schema', { token: t.key, query: { version: 1 } });
    expect(first.body).toMatchObject({ version: 1, mode: 'enforce', schema: ROLE_V1 });
    expect((await ctx.api.get('/v1/actions/member.role.updated/schema', { token: t.key, query: { version: 9 } })).status).toBe(404);
    expect((await ctx.api.get('/v1/actions/never.used/schema', { token: t.key })).status).toBe(404);

    // The catalog lists the versions with the action.
    const catalog = await ctx.api.get('/v1/actions', { token: t.key, query: { action: 'member.role.updated' } });
    expect(catalog.body.data[0].schema_versions.map((v: any) => [v.version, v.mode])).toEqual([
      [1, 'enforce'],
      [2, 'warn'],
    ]);
  });

  async function mismatches(mode: string): Promise<number> {
    const text = await (await fetch(`${ctx.app.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`veritrail_schema_mismatches_total{mode="${mode}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('hostile schemas are refused with a precise code; RE2 patterns keep validation linear', async () => {
    const t = await ctx.tenant('Schemas hostile');
    const cases: [unknown, string][] = [
      [{ type: 'object', properties: { a: { $ref: 'https://schemas.example/evil.json' } } }, 'remote_ref_not_allowed'],
      [{ $ref: 'other.json#/x' }, 'remote_ref_not_allowed'],
      [{ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }, 'unsupported_schema_version'],
      [{ type: 'object', properties: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`field_${i}`, { type: 'string', maxLength: 10 }])) }, 'schema_too_large'],
      [JSON.parse('{"type":"object","properties":{"a":'.repeat(15) + '{"type":"string"}' + '}}'.repeat(15)), 'schema_too_deep'],
      [{ type: 'object', properties: { a: { type: 'string', pattern: '(a)\\1' } } }, 'invalid_schema'],
      [{ type: 'object', properties: { a: { type: 'string', pattern: '(?=a)a' } } }, 'invalid_schema'],
      [{ type: 'object', typo_keyword: true }, 'invalid_schema'],
      [{ type: 'not-a-type' }, 'invalid_schema'],
    ];
    for (const [schema, code] of cases) {
      const r = await put(t, 'hostile.case', { schema, mode: 'enforce' });
      expect(r.status, `${code}: ${r.text}`).toBe(400);
      expect(r.body.error.details[0].code).toBe(code);
    }
    for (const body of [{ schema: [], mode: 'enforce' }, { schema: {}, mode: 'sometimes' }, { schema: {} }, { schema: {}, mode: 'warn', extra: 1 }]) {
      expect((await put(t, 'hostile.case', body)).status).toBe(400);
    }
    for (const action of ['Not.Valid', 'veritrail.thing', 'single']) {
      const r = await put(t, action, { schema: {}, mode: 'warn' });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_action');
    }
    // Nothing was stored by the refusals.
    expect((await ctx.api.get('/v1/actions/hostile.case/schema', { token: t.key })).status).toBe(404);

    // A pattern that makes a backtracking engine exponential is accepted and stays linear: the
    // answer comes back at once instead of after 2^40 steps.
    const redos = await put(t, 'redos.case', { schema: { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } }, mode: 'enforce' });
    expect(redos.status, redos.text).toBe(200);
    const r = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'redos.case', metadata: { a: `${'a'.repeat(40)}!` } }) });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]).toMatchObject({ field: 'metadata.a', code: 'schema_mismatch' });
    expect((await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'redos.case', metadata: { a: 'aaaa' } }) })).status).toBe(201);
  });

  it('only tenant-wide admin keys register schemas; readers and organization keys read them', async () => {
    const t = await ctx.tenant('Schemas scopes');
    expect((await put(t, 'scoped.action', { schema: ROLE_V1, mode: 'warn' })).status).toBe(200);
    const reader = await createKey(ctx.api, t.key, { scopes: ['events:read'] });
    const orgKey = await createKey(ctx.api, t.key, { scopes: ['events:read', 'events:write'], organization_id: 'org_1' });
    for (const token of [reader, orgKey]) {
      expect((await ctx.api.put('/v1/actions/scoped.action/schema', { token, body: { schema: ROLE_V2, mode: 'enforce' } })).status).toBe(403);
      expect((await ctx.api.get('/v1/actions/scoped.action/schema', { token })).status).toBe(200);
    }
    // An organization-scoped writer is held to the tenant's schema like any writer.
    const r = await ctx.api.post('/v1/events', { token: orgKey, body: event({ action: 'scoped.action', metadata: { role: 'nope' } }) });
    expect(r.status).toBe(201);
    const [e] = customerEvents(await listAll(ctx.api, orgKey, { action: 'scoped.action' }));
    expect(e.flags).toEqual(['schema_mismatch']);
  });
});
