import { describe, expect, it } from 'vitest';
import { FORBIDDEN_KEYS as SERVER_FORBIDDEN, MAX_BODY_DEPTH, parseJsonBody } from '../../../src/common/json-body.js';
import { AppError } from '../../../src/common/errors.js';
import { checkEvent } from '../../../src/events/event-rules.js';
import { LIMITS, SERVER_OWNED_FIELDS as SERVER_OWNED } from '../../../src/events/event.schema.js';
import { EVENT_LIMITS, eventErrors, FORBIDDEN_KEYS, SERVER_OWNED_FIELDS } from '../src/validate.js';

/**
 * The SDK validates events locally "with the same rules as the server". Its rules are not a
 * copy that could drift unnoticed: here every case goes through the server's own code (the JSON
 * body parser and checkEvent, as POST /v1/events/batch runs them) and through the SDK, and the
 * verdicts must agree — accepted by both, or refused by both with every problem the server
 * names also named by the SDK.
 */
const NOW = Date.parse('2026-11-22T10:00:00.000Z');

type Verdict = { ok: true } | { ok: false; problems: string[] };

function server(event: unknown): Verdict {
  let body: { events: unknown[] };
  try {
    body = parseJsonBody(Buffer.from(JSON.stringify({ events: [event] }))) as { events: unknown[] };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { ok: false, problems: (err.details ?? [{ field: '', code: err.code }]).map((d) => `${strip(d.field)}:${d.code}`) };
  }
  const r = checkEvent(body.events[0], NOW, ['events', 0], 0);
  return r.ok ? { ok: true } : { ok: false, problems: r.details.map((d) => `${strip(d.field)}:${d.code}`) };
}

function sdk(event: unknown): Verdict {
  const errors = eventErrors(JSON.parse(JSON.stringify(event)), NOW);
  return errors.length === 0 ? { ok: true } : { ok: false, problems: errors.map((d) => `${d.field ?? ''}:${d.code}`) };
}

function strip(field: string | undefined): string {
  return (field ?? '').replace(/^events\[0\]\.?/, '');
}

function expectSameVerdict(event: unknown): Verdict {
  const s = server(event);
  const c = sdk(event);
  const label = JSON.stringify(event)?.slice(0, 300);
  expect(c.ok, `${label}\nserver: ${JSON.stringify(s)}\nsdk: ${JSON.stringify(c)}`).toBe(s.ok);
  if (!s.ok && !c.ok) {
    for (const p of s.problems) {
      // The server's body scanner names a key with a bad escape by its parent (`metadata[""]`):
      // the key is not decoded yet. The SDK names the key; the code must agree.
      if (p.endsWith(':invalid_encoding')) expect(c.problems.some((x) => x.endsWith(':invalid_encoding')), `${label}: the SDK misses ${p}`).toBe(true);
      else expect(c.problems, `${label}: the SDK misses ${p}`).toContain(p);
    }
  }
  return s;
}

const valid = (): Record<string, any> => ({
  action: 'user.login',
  occurred_at: '2026-11-22T09:59:00.123Z',
  organization_id: 'org_42',
  outcome: 'success',
  actor: { type: 'user', id: 'u_1', name: 'Ann Lee', email: 'ann@example.com', metadata: { plan: 'pro' } },
  targets: [{ type: 'document', id: 'doc_9', name: 'Q3 plan', metadata: { size: 3 } }],
  context: { ip: '203.0.113.5', user_agent: 'Mozilla/5.0', request_id: 'req_1', session_id: 's_1', location: 'web' },
  changes: [{ field: 'email', before: 'a@x.io', after: 'b@x.io' }],
  metadata: { plan: 'pro', nested: { a: [1, 2, { b: null }] } },
  idempotency_key: '7f1c-abc',
});

function nest(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { d: v };
  return v;
}

/** Values that sit on the edges of the rules. */
const TRICKY: unknown[] = [
  '',
  ' ',
  'a',
  'user.login',
  'User.Login',
  'user',
  'user..login',
  'user.log-in',
  'veritrail.key.created',
  'vt-enc:v1:s:aaaaaaaaaaaaaaaa:AAAAAAAAAAAAAAAAAAAAAAAA',
  'vt-enc:',
  'vt-enc',
  'a'.repeat(127),
  'a'.repeat(128),
  'a'.repeat(129),
  `a.${'b'.repeat(126)}`,
  `a.${'b'.repeat(127)}`,
  'x'.repeat(255),
  'x'.repeat(256),
  'x'.repeat(257),
  'x'.repeat(1024),
  'x'.repeat(1025),
  '😀'.repeat(128),
  '😀'.repeat(129),
  '😀'.repeat(256),
  '😀'.repeat(257),
  'line\nbreak',
  'tab\there',
  '\u001b[2J',
  'nul\u0000char',
  'lone \ud800 surrogate',
  'lone \udc00 low',
  'bidi \u202e override',
  'zero\u200bwidth',
  '\ufeffbom',
  'del\u007f',
  'c1\u0085',
  '2026-11-22T10:00:00Z',
  '2026-11-22T10:00:00.123456789Z',
  '2026-11-22T10:00:00+14:00',
  '2026-11-22T10:00:00-12:30',
  '2026-11-22T10:00:00',
  '2026-11-22 10:00:00z',
  '2026-11-22T10:04:59Z',
  '2026-11-22T10:05:00.001Z',
  '2026-11-22T10:06:00Z',
  '2999-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '1900-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-22T24:00:00Z',
  '2026-11-22T10:00:60Z',
  '2026-11-22T10:00:00+24:00',
  '2026-11-22',
  'yesterday',
  '203.0.113.5',
  '::1',
  '2001:db8::1',
  '256.1.1.1',
  '1.2.3',
  'fe80::1%eth0',
  'ann@example.com',
  'ann@',
  '"quoted"@example.com',
  'ann@[192.168.0.1]',
  'é@example.com',
  'user',
  'service',
  'api_key',
  'system',
  'agent',
  'u_1',
  { type: 'user', id: 'u_1' },
  { type: 'user', id: 'u_2', name: 'Bob' },
  { type: 'agent', id: 'bot\u202e' },
  'robot',
  'success',
  'failure',
  'unknown',
  'a b',
  '~!@#',
  0,
  1,
  -1,
  1.5,
  true,
  false,
  null,
  [],
  [1, 2],
  {},
  { a: 1 },
  { __proto__x: 1 },
  nest(7),
  nest(8),
  nest(9),
  nest(30),
  nest(31),
  { big: 'x'.repeat(16 * 1024 - 10) },
  { big: 'x'.repeat(16 * 1024) },
  { constructor: 1 },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { prototype: 'x' },
];

const PATHS: (string | number)[][] = [
  ['action'],
  ['occurred_at'],
  ['organization_id'],
  ['outcome'],
  ['actor'],
  ['actor', 'type'],
  ['actor', 'id'],
  ['actor', 'name'],
  ['actor', 'email'],
  ['actor', 'metadata'],
  ['actor', 'extra'],
  ['actor', 'on_behalf_of'],
  ['actor', 'on_behalf_of', 'type'],
  ['actor', 'on_behalf_of', 'id'],
  ['actor', 'on_behalf_of', 'name'],
  ['actor', 'impersonator'],
  ['actor', 'impersonator', 'id'],
  ['actor', 'impersonator', 'type'],
  ['actor', 'impersonator', 'email'],
  ['targets'],
  ['targets', 0],
  ['targets', 0, 'type'],
  ['targets', 0, 'id'],
  ['targets', 0, 'name'],
  ['targets', 0, 'metadata'],
  ['targets', 1],
  ['context'],
  ['context', 'ip'],
  ['context', 'user_agent'],
  ['context', 'request_id'],
  ['context', 'session_id'],
  ['context', 'location'],
  ['context', 'other'],
  ['changes'],
  ['changes', 0, 'field'],
  ['changes', 0, 'before'],
  ['changes', 0, 'after'],
  ['changes', 0, 'note'],
  ['metadata'],
  ['metadata', 'k'],
  ['idempotency_key'],
  ['id'],
  ['received_at'],
  ['tenant_id'],
  ['flags'],
  ['leaf_hash'],
  ['something_else'],
];

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function setPath(obj: Record<string, any>, path: (string | number)[], value: unknown, remove: boolean): void {
  let cur: any = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[k];
  }
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
    else delete cur[last];
  } else if (last === '__proto__') Object.defineProperty(cur, last, { value, enumerable: true, configurable: true, writable: true });
  else cur[last] = value;
}

describe('local validation agrees with the server', () => {
  it('uses the server limits, reserved fields and forbidden keys', () => {
    expect(EVENT_LIMITS.batchEvents).toBe(LIMITS.batchEvents);
    expect(EVENT_LIMITS.metadataBytes).toBe(LIMITS.metadataBytes);
    expect(EVENT_LIMITS.metadataDepth).toBe(LIMITS.metadataDepth);
    expect(EVENT_LIMITS.eventBytes).toBe(LIMITS.eventBytes);
    expect(EVENT_LIMITS.futureSkewMs).toBe(LIMITS.futureSkewMs);
    expect(EVENT_LIMITS.bodyDepth).toBe(MAX_BODY_DEPTH);
    expect([...SERVER_OWNED_FIELDS].sort()).toEqual([...SERVER_OWNED].sort());
    expect([...FORBIDDEN_KEYS].sort()).toEqual([...SERVER_FORBIDDEN].sort());
  });

  it('on a table of hand-picked cases, one per rule', () => {
    const cases: [string, (e: Record<string, any>) => void][] = [
      ['valid', () => undefined],
      ['minimal', (e) => Object.keys(e).forEach((k) => !['action', 'occurred_at', 'actor'].includes(k) && delete e[k])],
      ['missing action', (e) => delete e.action],
      ['missing actor id', (e) => delete e.actor.id],
      ['missing everything', (e) => Object.keys(e).forEach((k) => delete e[k])],
      ['reserved action', (e) => (e.action = 'veritrail.api_key.created')],
      ['bad action', (e) => (e.action = 'Login')],
      ['future', (e) => (e.occurred_at = '2026-11-22T10:05:00.001Z')],
      ['future within skew', (e) => (e.occurred_at = '2026-11-22T10:05:00.000Z')],
      ['no timezone', (e) => (e.occurred_at = '2026-11-22T10:00:00')],
      ['before 1900', (e) => (e.occurred_at = '1899-12-31T23:59:59.999Z')],
      ['old but kept', (e) => (e.occurred_at = '1990-01-01T00:00:00Z')],
      ['control char in id', (e) => (e.actor.id = 'u\r\n1')],
      ['bidi in target id', (e) => (e.targets[0].id = 'doc\u202e9')],
      ['bidi in free text is fine', (e) => (e.actor.name = 'Ann \u202eLee')],
      ['bad ip', (e) => (e.context.ip = '999.1.1.1')],
      ['metadata too deep', (e) => (e.metadata = nest(9))],
      ['metadata too big', (e) => (e.metadata = { x: 'y'.repeat(17_000) })],
      ['target metadata too big', (e) => (e.targets[0].metadata = { x: 'y'.repeat(17_000) })],
      ['event too large', (e) => (e.changes = Array.from({ length: 100 }, (_, i) => ({ field: `f${i}`, before: 'x'.repeat(1500), after: 'y'.repeat(1500) })))],
      ['event just under', (e) => (e.changes = Array.from({ length: 80 }, (_, i) => ({ field: `f${i}`, before: 'x'.repeat(1500), after: 'y'.repeat(1500) })))],
      ['server-owned', (e) => (e.received_at = '2026-01-01T00:00:00Z')],
      ['unknown field', (e) => (e.extra = 1)],
      ['forbidden key deep in changes', (e) => (e.changes[0].after = JSON.parse('{"a":{"__proto__":1}}'))],
      ['constructor key in metadata', (e) => (e.metadata = { constructor: 'x' })],
      ['NUL in name', (e) => (e.actor.name = 'a\u0000b')],
      ['lone surrogate in metadata value', (e) => (e.metadata = { s: '\ud83d' })],
      ['lone surrogate in key', (e) => (e.metadata = { ['k\udc00']: 1 })],
      ['changes nested to the body limit', (e) => (e.changes[0].after = nest(28))],
      ['changes nested past the body limit', (e) => (e.changes[0].after = nest(29))],
      ['101 targets', (e) => (e.targets = Array.from({ length: 101 }, (_, i) => ({ type: 't', id: `i${i}` })))],
      ['100 changes', (e) => (e.changes = Array.from({ length: 100 }, (_, i) => ({ field: `f${i}` })))],
      ['idempotency key with space', (e) => (e.idempotency_key = 'a b')],
      ['email', (e) => (e.actor.email = 'not-an-email')],
      ['agent on behalf of a user', (e) => (e.actor = { type: 'agent', id: 'assistant', on_behalf_of: { type: 'user', id: 'u_1', name: 'Ann' } })],
      ['impersonated session', (e) => (e.actor.impersonator = { type: 'user', id: 'u_support', name: 'Sam' })],
      ['on behalf of oneself', (e) => (e.actor.on_behalf_of = { type: 'user', id: 'u_1' })],
      ['impersonator without type', (e) => (e.actor.impersonator = { id: 'u_2' })],
      ['impersonator with email', (e) => (e.actor.impersonator = { type: 'user', id: 'u_2', email: 'a@b.io' })],
      ['bidi in impersonator id', (e) => (e.actor.impersonator = { type: 'user', id: 'u\u202e2' })],
      ['control char in on_behalf_of id', (e) => (e.actor.on_behalf_of = { type: 'user', id: 'u\u00002' })],
      ['reserved value in a party name', (e) => (e.actor.on_behalf_of = { type: 'user', id: 'u_2', name: 'vt-enc:x' })],
      ['outcome null', (e) => (e.outcome = null)],
      ['targets not array', (e) => (e.targets = { type: 't', id: 'i' })],
      ['PEN-L9: 2^53 in metadata', (e) => (e.metadata = { n: 2 ** 53 })],
      ['PEN-L9: a 30-digit integer in changes', (e) => (e.changes[0].after = 123456789012345678901234567890)],
      ['PEN-L9: the largest safe integer is fine', (e) => (e.metadata = { n: -(2 ** 53 - 1), f: 0.1 })],
    ];
    let refused = 0;
    for (const [name, mutate] of cases) {
      const e = valid();
      mutate(e);
      const v = expectSameVerdict(e);
      if (!v.ok) refused++;
      expect(name).toBeTruthy();
    }
    expect(refused).toBeGreaterThan(20);
    expect(refused).toBeLessThan(cases.length - 5);
  });

  it('on 4000 generated events (1–3 random edge-value mutations each)', () => {
    const random = rng(20261122);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    let accepted = 0;
    for (let n = 0; n < 4000; n++) {
      const e = valid();
      const mutations = 1 + Math.floor(random() * 3);
      for (let m = 0; m < mutations; m++) setPath(e, pick(PATHS), structuredClone(pick(TRICKY)), random() < 0.15);
      if (expectSameVerdict(e).ok) accepted++;
    }
    // Both outcomes are well represented, so agreement means something.
    expect(accepted).toBeGreaterThan(400);
    expect(accepted).toBeLessThan(3600);
  });
});
