import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createTenant, createTestEnv, customerEvents, event, listAll, startApp, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';

/**
 * Hostile and malformed ingest (TEST-CATALOG IN-01…IN-07): every bad input gets a 4xx with a
 * stable code and changes nothing; valid-but-odd input is stored verbatim.
 */
describe('ingest validation', () => {
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;
  let t: TestTenant;

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp(env);
    api = new Api(app.url);
    t = await createTenant(api, env, 'Validation');
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
  });

  const post = (body: unknown) => api.post('/v1/events', { token: t.key, body });
  const postRaw = (raw: string | Buffer, contentType = 'application/json') =>
    api.post('/v1/events', { token: t.key, raw, headers: { 'content-type': contentType } });
  const batch = (events: unknown[]) => api.post('/v1/events/batch', { token: t.key, body: { events } });

  type Case = [name: string, send: () => Promise<{ status: number; body: any }>, status: number, code: string, field?: string];
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });

  const cases: Case[] = [
    // Structure and required fields (IN-07)
    ['IN-07 missing action', () => post(event({ action: undefined })), 400, 'validation_failed', 'action'],
    ['IN-07 missing actor', () => post(event({ actor: undefined })), 400, 'validation_failed', 'actor'],
    ['IN-07 missing actor.id', () => post(event({ actor: { type: 'user' } })), 400, 'validation_failed', 'actor.id'],
    ['IN-07 missing occurred_at', () => post(event({ occurred_at: undefined })), 400, 'validation_failed', 'occurred_at'],
    ['IN-07 outcome not in enum', () => post(event({ outcome: 'maybe' })), 400, 'validation_failed', 'outcome'],
    ['IN-07 target without id', () => post(event({ targets: [{ type: 'doc' }] })), 400, 'validation_failed', 'targets[0].id'],
    ['actor.type not in enum', () => post(event({ actor: { type: 'robot', id: 'r1' } })), 400, 'validation_failed', 'actor.type'],
    ['action upper case', () => post(event({ action: 'User.Login' })), 400, 'validation_failed', 'action'],
    ['action without a dot', () => post(event({ action: 'login' })), 400, 'validation_failed', 'action'],
    ['action of 129 characters', () => post(event({ action: `a.${'b'.repeat(127)}` })), 400, 'validation_failed', 'action'],
    ['action in the reserved veritrail.* namespace', () => post(event({ action: 'veritrail.api_key.created' })), 400, 'validation_failed', 'action'],
    ['actor is a string', () => post(event({ actor: 'bob' })), 400, 'validation_failed', 'actor'],
    ['body is an array', () => post([event()]), 400, 'validation_failed'],
    // Server-owned fields (IN-05)
    ['IN-05 body supplies tenant_id', () => post(event({ tenant_id: 'ten_other' })), 400, 'validation_failed', 'tenant_id'],
    ['IN-05 body supplies received_at', () => post(event({ received_at: iso(now) })), 400, 'validation_failed', 'received_at'],
    ['IN-05 body supplies id', () => post(event({ id: '01a20000-0000-7000-8000-000000000000' })), 400, 'validation_failed', 'id'],
    ['IN-05 body supplies seq and leaf_hash', () => post(event({ seq: 1, leaf_hash: 'ab' })), 400, 'validation_failed', 'seq'],
    // Time (IN-06)
    ['IN-06 occurred_at in year 2999', () => post(event({ occurred_at: '2999-01-01T00:00:00Z' })), 400, 'validation_failed', 'occurred_at'],
    ['IN-06 occurred_at without time zone', () => post(event({ occurred_at: '2026-11-22T10:00:00' })), 400, 'validation_failed', 'occurred_at'],
    ['IN-06 occurred_at not a date', () => post(event({ occurred_at: 'yesterday' })), 400, 'validation_failed', 'occurred_at'],
    ['IN-06 occurred_at 10 minutes ahead', () => post(event({ occurred_at: iso(now + 10 * 60_000) })), 400, 'validation_failed', 'occurred_at'],
    ['IN-06 February 30th', () => post(event({ occurred_at: '2026-02-30T10:00:00Z' })), 400, 'validation_failed', 'occurred_at'],
    // Encoding (IN-02)
    ['IN-02 NUL character', () => postRaw(JSON.stringify(event()).replace('Ann Lee', 'Ann\\u0000Lee')), 400, 'invalid_encoding'],
    ['IN-02 lone surrogate', () => postRaw(JSON.stringify(event()).replace('Ann Lee', 'Ann\\uD800Lee')), 400, 'invalid_encoding'],
    ['IN-02 invalid UTF-8 bytes', () => postRaw(Buffer.concat([Buffer.from('{"action":"a.b","x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])), 400, 'invalid_encoding'],
    ['IN-02 bidi override in actor.id', () => post(event({ actor: { type: 'user', id: 'admin\u202e' } })), 400, 'validation_failed', 'actor.id'],
    ['IN-02 zero-width space in organization_id', () => post(event({ organization_id: 'org\u200b1' })), 400, 'validation_failed', 'organization_id'],
    ['IN-02 zero-width joiner in target id', () => post(event({ targets: [{ type: 'doc', id: 'd\u200d1' }] })), 400, 'validation_failed', 'targets[0].id'],
    ['IN-01 newline in actor.id (identifier)', () => post(event({ actor: { type: 'user', id: 'u1\r\nINFO ok' } })), 400, 'validation_failed', 'actor.id'],
    // Size and shape (IN-03)
    ['IN-03 6 MB body', () => postRaw(JSON.stringify({ ...event(), metadata: { blob: 'x'.repeat(6 * 1024 * 1024) } })), 413, 'payload_too_large'],
    ['IN-03 1 MB field', () => post(event({ actor: { type: 'user', id: 'u1', name: 'n'.repeat(1024 * 1024) } })), 400, 'validation_failed', 'actor.name'],
    ['IN-03 JSON nested 10 000 deep', () => postRaw(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`), 400, 'max_depth_exceeded'],
    ['IN-03 metadata nested 9 deep', () => post(event({ metadata: deep(9) })), 400, 'validation_failed', 'metadata'],
    ['IN-03 metadata with 100k keys', () => post(event({ metadata: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 1])) })), 400, 'validation_failed', 'metadata'],
    ['IN-03 metadata over 16 KB', () => post(event({ metadata: { note: 'x'.repeat(17 * 1024) } })), 400, 'validation_failed', 'metadata'],
    ['IN-03 101 targets', () => post(event({ targets: Array.from({ length: 101 }, (_, i) => ({ type: 'doc', id: `d${i}` })) })), 400, 'validation_failed', 'targets'],
    // Prototype pollution (IN-04)
    ['IN-04 __proto__ key in metadata', () => postRaw(JSON.stringify(event()).replace('"organization_id"', '"metadata":{"__proto__":{"polluted":"yes"}},"organization_id"')), 400, 'forbidden_key', 'metadata.__proto__'],
    ['IN-04 constructor.prototype in metadata', () => postRaw(JSON.stringify(event()).replace('"organization_id"', '"metadata":{"constructor":{"prototype":{"polluted":"yes"}}},"organization_id"')), 400, 'forbidden_key'],
    ['IN-04 prototype key in actor metadata', () => post(event({ actor: { type: 'user', id: 'u', metadata: { prototype: 1 } } })), 400, 'forbidden_key'],
    // Numbers JSON cannot carry exactly (PEN-L9): refused, never stored changed
    ['PEN-L9 1e400 in metadata (was stored as null)', () => postRaw(JSON.stringify(event({ metadata: { n: 1 } })).replace('"n":1', '"n":1e400')), 400, 'unrepresentable_number', 'metadata.n'],
    ['PEN-L9 30-digit integer in changes', () => postRaw(JSON.stringify(event({ changes: [{ field: 'balance', after: 1 }] })).replace('"after":1', '"after":123456789012345678901234567890')), 400, 'unrepresentable_number', 'changes[0].after'],
    ['PEN-L9 2^53+1 in a batch item', () => api.post('/v1/events/batch', { token: t.key, raw: JSON.stringify({ events: [event({ metadata: { n: 1 } })] }).replace('"n":1', '"n":9007199254740993'), headers: { 'content-type': 'application/json' } }), 400, 'unrepresentable_number', 'events[0].metadata.n'],
    ['PEN-L9 more digits than a double holds', () => postRaw(JSON.stringify(event({ metadata: { n: 1 } })).replace('"n":1', '"n":0.30000000000000000001')), 400, 'unrepresentable_number', 'metadata.n'],
    // Not JSON at all
    ['invalid JSON', () => postRaw('{"action": "user.login",'), 400, 'invalid_json'],
    ['empty body', () => postRaw(''), 400, 'invalid_json'],
    ['duplicate keys (IG-06)', () => postRaw(JSON.stringify(event()).replace('{"action":"user.login"', '{"action":"user.login","action":"user.logout"')), 400, 'duplicate_key', 'action'],
    ['wrong content type (text/plain)', () => postRaw(JSON.stringify(event()), 'text/plain'), 415, 'unsupported_media_type'],
    ['wrong content type (form)', () => postRaw('action=user.login', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
    // Batches
    ['IN-03 1001-event batch', () => batch(Array.from({ length: 1001 }, () => event())), 413, 'batch_too_large'],
    ['IN-03 100k-item batch', () => batch(Array.from({ length: 100_000 }, () => ({}))), 413, 'batch_too_large'],
    ['empty batch', () => batch([]), 400, 'validation_failed', 'events'],
    ['batch without events', () => api.post('/v1/events/batch', { token: t.key, body: { items: [] } }), 400, 'validation_failed'],
    ['two events sharing an idempotency_key', () => batch([event({ idempotency_key: 'same' }), event({ idempotency_key: 'same' })]), 400, 'validation_failed', 'events[1].idempotency_key'],
    ['idempotency_key with a space', () => post(event({ idempotency_key: 'a b' })), 400, 'validation_failed', 'idempotency_key'],
    ['Idempotency-Key header too long', () => api.post('/v1/events', { token: t.key, body: event(), headers: { 'idempotency-key': 'k'.repeat(300) } }), 400, 'invalid_idempotency_key'],
  ];

  it('has at least 30 distinct hostile or malformed inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map(([name, send, status, code, field]) => ({ name, send, status, code, field })))('$name → $status $code', async ({ send, status, code, field }) => {
    const r = await send();
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.request_id).toMatch(/^req_/);
    expect(typeof r.body.error.message).toBe('string');
    if (field) expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('IN-07: a batch with one bad item among 500 is rejected whole, the error names the index', async () => {
    const events = Array.from({ length: 500 }, () => event({ action: 'batch.item' }));
    events[317] = event({ action: 'batch.item', actor: { type: 'user' } });
    events[42] = event({ action: 'batch.item', occurred_at: 'not a time' });
    const r = await batch(events);
    expect(r.status).toBe(400);
    const byIndex = r.body.error.details.map((d: { index: number; field: string }) => [d.index, d.field]);
    expect(byIndex).toEqual(expect.arrayContaining([[42, 'events[42].occurred_at'], [317, 'events[317].actor.id']]));
    expect(r.body.error.details.every((d: { index?: number }) => d.index === 42 || d.index === 317)).toBe(true);
  });

  it('nothing was stored by any rejected request, and no prototype was polluted (IN-04)', async () => {
    const all = await listAll(api, t.key, {});
    expect(customerEvents(all)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('IN-01: CR/LF and ANSI/OSC escapes in free text are accepted and stored verbatim as JSON strings', async () => {
    const name = 'bob\r\n2025-01-01 INFO login ok user=admin\u001b[2J\u001b]8;;http://x\u0007';
    const r = await post(event({ action: 'user.renamed', actor: { type: 'user', id: 'u_crlf', name } }));
    expect(r.status).toBe(201);
    const got = await api.get(`/v1/events/${r.body.id}`, { token: t.key });
    expect(got.body.actor.name).toBe(name);
    // The response is one JSON document: the control characters are escaped, never raw.
    expect(got.text).not.toMatch(/[\r\n\u001b\u0007]/);
  });

  it('IN-02: bidi and zero-width characters in free text are accepted and flagged suspicious_unicode', async () => {
    const r = await post(event({ action: 'user.renamed', actor: { type: 'user', id: 'u_bidi', name: 'invoice\u202etxt.exe' } }));
    expect(r.status).toBe(201);
    const got = await api.get(`/v1/events/${r.body.id}`, { token: t.key });
    expect(got.body.actor.name).toBe('invoice\u202etxt.exe');
    expect(got.body.flags).toEqual(['suspicious_unicode']);
  });

  it('IN-06: offsets are normalised to UTC, received_at is server time, implausibly old events are flagged', async () => {
    const r = await post(event({ action: 'user.offset', occurred_at: '2025-01-01T14:00:00.5+14:00' }));
    expect(r.status).toBe(201);
    const got = await api.get(`/v1/events/${r.body.id}`, { token: t.key });
    expect(got.body.occurred_at).toBe('2025-01-01T00:00:00.500Z');
    expect(Math.abs(Date.parse(got.body.received_at) - Date.now())).toBeLessThan(60_000);
    expect(got.body.flags).toEqual(['implausible_timestamp']);
    const old = await post(event({ action: 'user.ancient', occurred_at: '1970-01-01T00:00:00Z' }));
    expect(old.status).toBe(201);
  });

  it('PEN-L9: numbers within the rule are stored with their value (notation normalised)', async () => {
    const raw = JSON.stringify(event({ action: 'numbers.kept', metadata: { a: 1, b: 1, c: 1, d: 1 } })).replace('"a":1', '"a":9007199254740991').replace('"b":1', '"b":-0.1').replace('"c":1', '"c":1.50').replace('"d":1', '"d":1e2');
    const r = await postRaw(raw);
    expect(r.status).toBe(201);
    const stored = (await api.get(`/v1/events/${r.body.id}`, { token: t.key })).body;
    expect(stored.metadata).toEqual({ a: 9007199254740991, b: -0.1, c: 1.5, d: 100 });
  });

  it('defaults outcome to unknown and returns every request field plus id and received_at', async () => {
    const body = event({ action: 'document.updated', outcome: undefined, changes: [{ field: 'title', before: 'a', after: 'b' }], metadata: { plan: 'pro' }, idempotency_key: 'k-fields' });
    const r = await post(body);
    expect(r.status).toBe(201);
    const got = await api.get(`/v1/events/${r.body.id}`, { token: t.key });
    expect(got.body).toMatchObject({ ...body, outcome: 'unknown', id: r.body.id, received_at: r.body.received_at });
  });
});
