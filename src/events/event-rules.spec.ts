import { describe, it, expect } from 'vitest';
import type { ErrorDetail } from '../common/errors.js';
import { assembleCanonical, canonicalJson } from '../common/canonical.js';
import { checkEvent, type ValidEvent } from './event-rules.js';

const now = Date.parse('2026-11-22T10:00:00Z');

type Ev = Record<string, unknown> & { actor: Record<string, unknown> };
const base = (): Ev => ({ action: 'user.login', occurred_at: '2026-11-22T09:59:00Z', actor: { type: 'user', id: 'u_1' } });
const withFields = (fields: Record<string, unknown>): Ev => ({ ...base(), ...fields });
const withActor = (fields: Record<string, unknown>): Ev => ({ ...base(), actor: { ...base().actor, ...fields } });

function valid(raw: unknown): ValidEvent {
  const r = checkEvent(raw, now);
  if (!r.ok) expect.fail(`expected ok, got ${JSON.stringify(r.details)}`);
  return r.event;
}

function invalid(raw: unknown, prefix?: (string | number)[], index?: number): ErrorDetail[] {
  const r = checkEvent(raw, now, prefix, index);
  if (r.ok) expect.fail('expected ok:false, the event was accepted');
  expect(r.details.length).toBeGreaterThan(0);
  return r.details;
}

function expectDetail(raw: unknown, field: string, codes: string | string[]): void {
  const details = invalid(raw);
  const allowed = Array.isArray(codes) ? codes : [codes];
  const match = details.find((d) => d.field === field && allowed.includes(d.code));
  expect(match, `no detail {field:${field}, code:${allowed.join('|')}} in ${JSON.stringify(details)}`).toBeDefined();
}

function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < depth; i++) v = { n: v };
  return v;
}

describe('checkEvent: valid events', () => {
  it('accepts the base event, defaults outcome to unknown, normalises occurred_at', () => {
    const e = valid(base());
    expect(e.input.outcome).toBe('unknown');
    expect(e.input.occurred_at).toBe('2026-11-22T09:59:00.000Z');
    expect(e.occurredAtMs).toBe(Date.parse('2026-11-22T09:59:00Z'));
    expect(e.flags).toEqual([]);
    expect(e.input.action).toBe('user.login');
    expect(e.input.actor).toEqual({ type: 'user', id: 'u_1' });
  });

  it('converts an offset to UTC with milliseconds', () => {
    const e = valid(withFields({ occurred_at: '2026-11-22T11:59:00.5+02:00' }));
    expect(e.input.occurred_at).toBe('2026-11-22T09:59:00.500Z');
  });

  it('keeps an explicit outcome', () => {
    expect(valid(withFields({ outcome: 'failure' })).input.outcome).toBe('failure');
  });

  it('members are the canonical members of the normalised input', () => {
    const e = valid(withFields({ metadata: { b: 1, a: 2 } }));
    expect(assembleCanonical(e.members)).toBe(canonicalJson(e.input));
  });

  it('accepts a full event', () => {
    valid({
      action: 'document.shared',
      occurred_at: '2026-11-22T09:59:00.123Z',
      organization_id: 'org_1',
      outcome: 'success',
      actor: { type: 'service', id: 'svc-1', name: 'Billing', email: 'a@example.com', metadata: { k: 'v' } },
      targets: [{ type: 'document', id: 'doc_1', name: 'Q3 plan', metadata: { size: 10 } }],
      context: { ip: '2001:db8::1', user_agent: 'curl/8', request_id: 'req_1', session_id: 's_1', location: 'web' },
      changes: [{ field: 'title', before: 'a', after: 'b' }],
      metadata: { nested: { ok: [1, 2, 3] } },
      idempotency_key: 'key-1',
    });
  });

  it('accepts an event at the 5-minute future skew boundary and metadata 8 deep', () => {
    valid(withFields({ occurred_at: '2026-11-22T10:05:00Z' }));
    valid(withFields({ metadata: nested(8) }));
  });

  it('does not mutate the input', () => {
    const raw = withFields({ occurred_at: '2026-11-22T11:59:00+02:00' });
    const copy = structuredClone(raw);
    valid(raw);
    expect(raw).toEqual(copy);
  });
});

describe('checkEvent: invalid events', () => {
  const missingAction = base();
  delete missingAction.action;
  const missingActor: Record<string, unknown> = base();
  delete missingActor.actor;

  const cases: [string, unknown, string, string | string[]][] = [
    ['missing action', missingAction, 'action', 'required'],
    ['action User.Login', withFields({ action: 'User.Login' }), 'action', 'invalid_format'],
    ['action of 129 chars', withFields({ action: `a.${'b'.repeat(127)}` }), 'action', 'too_long'],
    ['action without a dot', withFields({ action: 'login' }), 'action', 'invalid_format'],
    ['action veritrail.x.y', withFields({ action: 'veritrail.x.y' }), 'action', 'reserved_action'],
    ['occurred_at without zone', withFields({ occurred_at: '2026-11-22T09:59:00' }), 'occurred_at', 'missing_timezone'],
    ['occurred_at 2999', withFields({ occurred_at: '2999-01-01T00:00:00Z' }), 'occurred_at', 'in_future'],
    ['occurred_at 5 min + 1 s ahead', withFields({ occurred_at: '2026-11-22T10:05:01Z' }), 'occurred_at', 'in_future'],
    ['occurred_at 1850', withFields({ occurred_at: '1850-01-01T00:00:00Z' }), 'occurred_at', 'out_of_range'],
    ['occurred_at garbage', withFields({ occurred_at: 'yesterday' }), 'occurred_at', 'invalid_format'],
    ['occurred_at Feb 30', withFields({ occurred_at: '2026-02-30T00:00:00Z' }), 'occurred_at', 'invalid_format'],
    ['occurred_at a number', withFields({ occurred_at: 1764000000000 }), 'occurred_at', 'invalid_type'],
    ['actor missing', missingActor, 'actor', 'required'],
    ['actor.type robot', withActor({ type: 'robot' }), 'actor.type', 'invalid_value'],
    ['actor.id ""', withActor({ id: '' }), 'actor.id', ['required', 'too_short']],
    ['actor.id too long', withActor({ id: 'x'.repeat(257) }), 'actor.id', 'too_long'],
    ['outcome maybe', withFields({ outcome: 'maybe' }), 'outcome', 'invalid_value'],
    ['unknown top-level field foo', withFields({ foo: 1 }), 'foo', 'unknown_field'],
    ['unknown actor field', withActor({ role: 'admin' }), 'actor.role', 'unknown_field'],
    ['server-owned tenant_id', withFields({ tenant_id: 't' }), 'tenant_id', 'server_owned_field'],
    ['server-owned received_at', withFields({ received_at: '2026-11-22T10:00:00Z' }), 'received_at', 'server_owned_field'],
    ['server-owned id', withFields({ id: '0190a000-0000-7000-8000-000000000000' }), 'id', 'server_owned_field'],
    ['server-owned leaf_hash', withFields({ leaf_hash: 'ab' }), 'leaf_hash', 'server_owned_field'],
    ['server-owned seq', withFields({ seq: 1 }), 'seq', 'server_owned_field'],
    ['server-owned flags', withFields({ flags: [] }), 'flags', 'server_owned_field'],
    ['actor.id with U+202E', withActor({ id: 'u_\u202e1' }), 'actor.id', 'suspicious_unicode'],
    ['actor.id with \\n', withActor({ id: 'u_1\nadmin' }), 'actor.id', 'invalid_characters'],
    ['actor.id with ESC', withActor({ id: 'u_1\u001b[31m' }), 'actor.id', 'invalid_characters'],
    ['organization_id with U+200B', withFields({ organization_id: 'org\u200b1' }), 'organization_id', 'suspicious_unicode'],
    ['targets[0].id with U+2066', withFields({ targets: [{ type: 'doc', id: 'd\u20661' }] }), 'targets[0].id', 'suspicious_unicode'],
    ['context.ip 999.1.1.1', withFields({ context: { ip: '999.1.1.1' } }), 'context.ip', 'invalid_format'],
    ['context.ip hostname', withFields({ context: { ip: 'localhost' } }), 'context.ip', 'invalid_format'],
    ['metadata nested 9 deep', withFields({ metadata: nested(9) }), 'metadata', 'max_depth_exceeded'],
    ['actor.metadata nested 9 deep', withActor({ metadata: nested(9) }), 'actor.metadata', 'max_depth_exceeded'],
    ['metadata of 20 KB', withFields({ metadata: { blob: 'x'.repeat(20 * 1024) } }), 'metadata', 'too_large'],
    ['metadata that is an array', withFields({ metadata: [1, 2] }), 'metadata', 'invalid_type'],
    ['metadata that is a string', withFields({ metadata: 'x' }), 'metadata', 'invalid_type'],
    ['metadata that is null', withFields({ metadata: null }), 'metadata', 'invalid_type'],
    ['targets with 101 items', withFields({ targets: Array.from({ length: 101 }, (_, i) => ({ type: 'doc', id: `d${i}` })) }), 'targets', 'too_many_items'],
    ['a 1 MB actor.name', withActor({ name: 'x'.repeat(1024 * 1024) }), 'actor.name', 'too_long'],
    ['actor.email not an email', withActor({ email: 'not-an-email' }), 'actor.email', 'invalid_format'],
    ['idempotency_key with a space', withFields({ idempotency_key: 'a b' }), 'idempotency_key', 'invalid_format'],
    ['an event over 256 KB (large change values)', withFields({ changes: [{ field: 'x', before: 'x'.repeat(300_000) }] }), '', 'event_too_large'],
  ];

  it.each(cases)('%s → ok:false', (_name, raw, field, codes) => {
    expectDetail(raw, field, codes);
  });

  it('a non-object body is refused', () => {
    for (const raw of [null, 'x', 1, [], [base()]]) expect(checkEvent(raw, now).ok).toBe(false);
  });

  it('reports several problems at once', () => {
    const details = invalid(withFields({ action: 'veritrail.audit', occurred_at: '2999-01-01T00:00:00Z', context: { ip: 'nope' } }));
    expect(details.map((d) => `${d.field}:${d.code}`).sort()).toEqual(['action:reserved_action', 'context.ip:invalid_format', 'occurred_at:in_future']);
  });
});

describe('checkEvent: free text is kept but flagged', () => {
  it('flags bidi characters in actor.name as suspicious_unicode and keeps them', () => {
    const e = valid(withActor({ name: 'evil\u202etxt' }));
    expect(e.flags).toContain('suspicious_unicode');
    expect(e.input.actor.name).toBe('evil\u202etxt');
  });

  it('flags zero-width characters in metadata strings', () => {
    expect(valid(withFields({ metadata: { note: ['a\u200bb'] } })).flags).toContain('suspicious_unicode');
  });

  it('IN-01: accepts CRLF and ANSI escapes in actor.name unchanged', () => {
    const name = 'Mallory\r\n2026-11-22 INFO admin logged in \u001b[31mred\u001b[0m';
    const e = valid(withActor({ name }));
    expect(e.input.actor.name).toBe(name);
    expect(e.flags).not.toContain('suspicious_unicode');
    // The canonical form escapes the control characters instead of emitting them raw.
    const canonical = assembleCanonical(e.members);
    expect(canonical).not.toMatch(/[\r\n\u001b]/);
    expect((JSON.parse(canonical) as { actor: { name: string } }).actor.name).toBe(name);
  });

  it('no flags for plain non-ASCII text', () => {
    expect(valid(withActor({ name: 'Zoë 山田 😀' })).flags).toEqual([]);
  });
});

describe('checkEvent: timestamps', () => {
  it('flags an occurred_at more than a year before now as implausible_timestamp', () => {
    const e = valid(withFields({ occurred_at: '2025-11-01T00:00:00Z' }));
    expect(e.flags).toContain('implausible_timestamp');
    expect(valid(withFields({ occurred_at: '1950-01-01T00:00:00Z' })).flags).toContain('implausible_timestamp');
  });

  it('does not flag an occurred_at less than a year ago', () => {
    expect(valid(withFields({ occurred_at: '2025-12-01T00:00:00Z' })).flags).not.toContain('implausible_timestamp');
  });
});

describe('checkEvent: batch placement', () => {
  it('with prefix [events, 3] and index 3, details name events[3].action and index 3', () => {
    const details = invalid(withFields({ action: 'User.Login' }), ['events', 3], 3);
    const d = details.find((x) => x.code === 'invalid_format');
    expect(d?.field).toBe('events[3].action');
    expect(d?.index).toBe(3);
    for (const x of details) expect(x.index).toBe(3);
  });

  it('rule-level errors (not schema) are placed too', () => {
    const details = invalid(withFields({ action: 'veritrail.x.y', context: { ip: '999.1.1.1' } }), ['events', 3], 3);
    expect(details).toContainEqual(expect.objectContaining({ field: 'events[3].action', code: 'reserved_action', index: 3 }));
    expect(details).toContainEqual(expect.objectContaining({ field: 'events[3].context.ip', code: 'invalid_format', index: 3 }));
  });

  it('server-owned fields are recognised inside a batch', () => {
    const details = invalid(withFields({ tenant_id: 't' }), ['events', 3], 3);
    expect(details).toContainEqual(expect.objectContaining({ field: 'events[3].tenant_id', code: 'server_owned_field', index: 3 }));
  });

  it('missing fields inside a batch', () => {
    const raw: Record<string, unknown> = base();
    delete raw.action;
    const details = invalid(raw, ['events', 0], 0);
    expect(details).toContainEqual(expect.objectContaining({ field: 'events[0].action', code: 'required', index: 0 }));
  });
});

describe('checkEvent: delegation (actor.on_behalf_of, actor.impersonator)', () => {
  it('accepts an agent acting for a user and an impersonated session, and keeps both parties', () => {
    const agent = valid(withActor({ type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_2', name: 'Bob' } }));
    expect(agent.input.actor).toEqual({ type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_2', name: 'Bob' } });
    const imp = valid(withActor({ id: 'u_2', impersonator: { type: 'user', id: 'u_9' } }));
    expect(imp.input.actor.impersonator).toEqual({ type: 'user', id: 'u_9' });
    // Both stored in the hashed payload.
    expect(assembleCanonical(imp.members, {})).toContain('"impersonator":{"id":"u_9","type":"user"}');
  });

  it('refuses bad shapes with stable codes', () => {
    expectDetail(withActor({ on_behalf_of: { type: 'robot', id: 'x' } }), 'actor.on_behalf_of.type', 'invalid_value');
    expectDetail(withActor({ on_behalf_of: { type: 'user' } }), 'actor.on_behalf_of.id', 'required');
    expectDetail(withActor({ impersonator: { type: 'user', id: '' } }), 'actor.impersonator.id', 'required');
    expectDetail(withActor({ impersonator: { type: 'user', id: 'u_9', email: 'a@b.c' } }), 'actor.impersonator.email', 'unknown_field');
    expectDetail(withActor({ impersonator: 'u_9' }), 'actor.impersonator', 'invalid_type');
    expectDetail(withActor({ on_behalf_of: { type: 'user', id: 'x'.repeat(257) } }), 'actor.on_behalf_of.id', 'too_long');
    expectDetail(withActor({ on_behalf_of: { type: 'user', id: 'u\u0000' } }), 'actor.on_behalf_of.id', 'invalid_characters');
    expectDetail(withActor({ impersonator: { type: 'user', id: 'u\u202e9' } }), 'actor.impersonator.id', 'suspicious_unicode');
    expectDetail(withActor({ impersonator: { type: 'user', id: 'u_1' } }), 'actor.impersonator.id', 'same_as_actor');
    expectDetail(withActor({ on_behalf_of: { type: 'user', id: 'u_1', name: 'vt-enc:v1:x' } }), 'actor.on_behalf_of.name', 'reserved_value');
  });

  it('flags invisible characters in a party name', () => {
    expect(valid(withActor({ on_behalf_of: { type: 'user', id: 'u_2', name: 'Bo\u200bb' } })).flags).toContain('suspicious_unicode');
  });
});
