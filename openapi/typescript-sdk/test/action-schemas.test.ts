import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError, type ErrorDetail } from '../../../src/common/errors.js';
import { ActionSchemasService } from '../../../src/events/action-schemas.service.js';
import type { SchemaRow } from '../../../src/events/action-schemas.repository.js';
import type { ValidEvent } from '../../../src/events/event-rules.js';
import { TenantScope } from '../../../src/tenancy/tenant-scope.js';
import { Veritrail, VeritrailError, VeritrailValidationError } from '../src/index.js';
import { ScriptedServer, type Recorded } from './support/scripted-server.js';

/**
 * "The SDK validates locally with the same schemas when told to" (issue 21): with
 * `actionSchemas`, the SDK fetches an action's schema from GET /v1/actions/{action}/schema and
 * must reach the server's verdict on the metadata. The server's verdict here is its own code
 * (ActionSchemasService.check, as POST /v1/events runs it) over the same schema rows the
 * scripted server hands the SDK.
 */
const KEY = 'vt_TestKeyThatMustNeverAppearInAnyMessage00';
const now = Date.parse('2026-12-06T10:00:00.000Z');

const ROWS: SchemaRow[] = [
  {
    action: 'invoice.paid',
    version: 1,
    mode: 'enforce',
    createdAt: new Date(now),
    schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer', minimum: 0 } } },
  },
  {
    action: 'invoice.paid',
    version: 2,
    mode: 'enforce',
    createdAt: new Date(now),
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: ['amount', 'currency'],
      additionalProperties: false,
      properties: {
        amount: { type: 'integer', minimum: 0 },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        email: { type: 'string', format: 'email' },
        lines: { type: 'array', maxItems: 2, items: { $ref: '#/$defs/line' } },
        'a/b~c': { type: 'boolean' },
      },
      $defs: { line: { type: 'object', required: ['sku'], properties: { sku: { type: 'string', minLength: 2 } } } },
    },
  },
  { action: 'doc.viewed', version: 1, mode: 'warn', createdAt: new Date(now), schema: { type: 'object', required: ['doc'], properties: { doc: { type: 'string' } } } },
];

const CASES: { name: string; event: Record<string, unknown> }[] = [
  { name: 'latest version, valid', event: { action: 'invoice.paid', metadata: { amount: 5, currency: 'EUR', lines: [{ sku: 'ab' }] } } },
  { name: 'latest version: missing, wrong type, pattern, format, extra field, $ref item, escaped key', event: { action: 'invoice.paid', metadata: { amount: -1, currency: 'eur', email: 'not-an-email', x: 1, lines: [{ sku: 'a' }, {}, {}], 'a/b~c': 'no' } } },
  { name: 'no metadata at all is {}', event: { action: 'invoice.paid' } },
  { name: 'named older version, valid there', event: { action: 'invoice.paid', schema_version: 1, metadata: { amount: 3 } } },
  { name: 'named older version, invalid there', event: { action: 'invoice.paid', schema_version: 1, metadata: { amount: 'x' } } },
  { name: 'unknown version of an action with schemas', event: { action: 'invoice.paid', schema_version: 9, metadata: { amount: 1 } } },
  { name: 'version of an action without schemas', event: { action: 'user.login', schema_version: 1 } },
  { name: 'action without schemas', event: { action: 'user.login', metadata: { anything: true } } },
  { name: 'warn mode: stored (flagged), not refused', event: { action: 'doc.viewed', metadata: {} } },
];

/** The server's verdict: ActionSchemasService.check on the event alone (POST /v1/events), with these rows. */
async function serverVerdict(event: Record<string, unknown>): Promise<ErrorDetail[]> {
  const repo = {
    index: async () => ROWS.map(({ schema: _s, ...r }) => r),
    get: async (_scope: TenantScope, action: string, version?: number) => ROWS.filter((r) => r.action === action && (version === undefined || r.version === version)).sort((a, b) => b.version - a.version)[0],
  };
  const metrics = { schemaMismatches: { inc: () => undefined } };
  const service = new ActionSchemasService(repo as never, {} as never, metrics as never);
  const valid = { input: { actor: { type: 'user', id: 'u_1' }, ...event }, occurredAtMs: now, flags: [], members: {} } as unknown as ValidEvent;
  try {
    await service.check(TenantScope.forTenant({ id: 'tenant-1', retentionDays: 30 } as never), [valid], false, now);
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.details ?? [];
  }
}

/** GET /v1/actions/{action}/schema as the server answers it, from the same rows. */
function schemaEndpoint(req: Recorded) {
  const url = new URL(req.path, 'http://x');
  const m = /^\/v1\/actions\/([^/]+)\/schema$/.exec(url.pathname);
  if (req.method === 'POST') return ScriptedServer.accept(req);
  if (!m) return ScriptedServer.error(404, 'not_found');
  const action = decodeURIComponent(m[1]!);
  const v = url.searchParams.get('version');
  const row = ROWS.filter((r) => r.action === action && (v === null || r.version === Number(v))).sort((a, b) => b.version - a.version)[0];
  if (!row) return ScriptedServer.error(404, 'not_found');
  return { status: 200, body: { action: row.action, version: row.version, mode: row.mode, schema: row.schema, created_at: row.createdAt.toISOString() } };
}

let server: ScriptedServer | undefined;
let clients: Veritrail[] = [];
afterEach(async () => {
  for (const c of clients) await c.close({ timeoutMs: 100 }).catch(() => undefined);
  clients = [];
  await server?.stop();
  server = undefined;
});

async function client(options: Record<string, unknown> = {}) {
  server ??= await new ScriptedServer(schemaEndpoint).start();
  const audit = new Veritrail({ apiKey: KEY, baseUrl: server.url, retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 }, flushIntervalMs: 60_000, actionSchemas: true, onError: () => undefined, ...options });
  clients.push(audit);
  return audit;
}

async function sdkVerdict(audit: Veritrail, event: Record<string, unknown>): Promise<ErrorDetail[]> {
  try {
    await audit.event({ actor: { type: 'user', id: 'u_1' }, ...event } as never);
    return [];
  } catch (err) {
    if (!(err instanceof VeritrailValidationError)) throw err;
    return err.details;
  }
}

describe('SDK local validation with the tenant\'s action schemas (actionSchemas)', () => {
  it('reaches the server\'s verdict, detail for detail (field, code, message), on every case', async () => {
    const audit = await client();
    for (const c of CASES) {
      const expected = await serverVerdict(c.event);
      const got = await sdkVerdict(audit, c.event);
      expect(got, c.name).toEqual(expected);
    }
    // The cases cover both verdicts, and every kind of problem.
    const verdicts = await Promise.all(CASES.map((c) => serverVerdict(c.event)));
    expect(verdicts.filter((v) => v.length === 0).length).toBeGreaterThan(2);
    expect(new Set(verdicts.flat().map((d) => d.code))).toEqual(new Set(['schema_mismatch', 'unknown_schema_version']));
    expect(verdicts[1]!.map((d) => d.field)).toEqual(expect.arrayContaining(['metadata', 'metadata.amount', 'metadata.currency', 'metadata.email', 'metadata.lines', 'metadata.lines[0].sku', 'metadata["a/b~c"]']));
  });

  it('fetches each schema once (versions for good, the latest per ttl, shared by concurrent events) and sends only what passes', async () => {
    const audit = await client({ actionSchemas: { ttlMs: 60_000 } });
    const ok = { action: 'invoice.paid', metadata: { amount: 1, currency: 'EUR' } };
    await Promise.all(Array.from({ length: 20 }, () => audit.event({ actor: { type: 'user', id: 'u_1' }, ...ok } as never)));
    await expect(audit.event({ actor: { type: 'user', id: 'u_1' }, action: 'invoice.paid', metadata: { amount: 1 } } as never)).rejects.toMatchObject({ code: 'validation_failed' });
    await audit.event({ actor: { type: 'user', id: 'u_1' }, action: 'invoice.paid', schema_version: 1, metadata: { amount: 1 } } as never);
    await audit.event({ actor: { type: 'user', id: 'u_1' }, action: 'user.login' } as never);
    await audit.event({ actor: { type: 'user', id: 'u_1' }, action: 'user.login' } as never);
    await audit.flush();
    const gets = server!.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(gets.sort()).toEqual(['/v1/actions/invoice.paid/schema', '/v1/actions/invoice.paid/schema?version=1', '/v1/actions/user.login/schema'].sort());
    for (const r of server!.requests) expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
    const sent = server!.requests.filter((r) => r.method === 'POST').flatMap((r) => r.body.events);
    expect(sent).toHaveLength(23);
  });

  it('is off by default and with validate: false; a key without events:read is a loud error; an unreachable schema endpoint leaves the check to the server', async () => {
    const plain = await client({ actionSchemas: undefined });
    await plain.event({ actor: { type: 'user', id: 'u_1' }, action: 'invoice.paid', metadata: {} } as never);
    const unchecked = await client({ validate: false });
    await unchecked.event({ actor: { type: 'user', id: 'u_1' }, action: 'invoice.paid', metadata: {} } as never);
    expect(server!.requests.filter((r) => r.method === 'GET')).toHaveLength(0);

    server!.setAnswer((req) => (req.method === 'GET' ? ScriptedServer.error(403, 'insufficient_scope') : ScriptedServer.accept(req)));
    const writeOnly = await client();
    await expect(writeOnly.event({ actor: { type: 'user', id: 'u_1' }, action: 'invoice.paid', metadata: {} } as never)).rejects.toMatchObject({ code: 'insufficient_scope', status: 403 });

    server!.setAnswer((req) => (req.method === 'GET' ? ScriptedServer.error(503, 'unavailable') : ScriptedServer.accept(req)));
    const degraded = await client();
    await expect(degraded.event({ actor: { type: 'user', id: 'u_1' }, action: 'invoice.paid', metadata: {} } as never)).resolves.toMatchObject({ idempotency_key: expect.any(String) });
  });

  it('rejects a bad ttl at construction', () => {
    expect(() => new Veritrail({ apiKey: KEY, baseUrl: 'http://127.0.0.1:1', actionSchemas: { ttlMs: -1 } })).toThrow(VeritrailError);
  });
});
