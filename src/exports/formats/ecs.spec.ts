import { describe, expect, it } from 'vitest';
import { ecsProblems } from '../../../test/support/ecs-schema.js';
import { ecsLine, ECS_VERSION, toEcs } from './ecs.js';
import type { ExportedEvent } from './exported-event.js';
import { ALL_EVENTS, ALL_PAYLOADS, REALISTIC } from './fixtures/stored-events.js';
import { writerFor } from './index.js';

const opts = { productVersion: '1.2.3' };

describe('ECS', () => {
  it('EX-ECS-01: every fixture event (realistic and hostile) is a valid ECS 8.17 document per the official field definitions', () => {
    for (const ev of ALL_EVENTS) expect(ecsProblems(toEcs(ev, opts)), ev.id).toEqual([]);
  });

  it('EX-ECS-02: the validator is not a rubber stamp: unknown fields, wrong types, single values for arrays and unexpected categorization are refused', () => {
    const good = toEcs(REALISTIC[0]!, opts);
    const bad = (patch: (d: any) => void) => {
      const d = structuredClone(good) as any;
      patch(d);
      return ecsProblems(d);
    };
    expect(bad((d) => (d.event.severity = 'high'))).not.toEqual([]);
    expect(bad((d) => (d.event.category = 'iam'))).not.toEqual([]);
    expect(bad((d) => (d.event.category = ['authentication']) && (d.event.type = ['creation']))).not.toEqual([]);
    expect(bad((d) => (d.event.outcome = 'ok'))).not.toEqual([]);
    expect(bad((d) => (d.source = { ip: '[erased]' }))).not.toEqual([]);
    expect(bad((d) => (d.user.display = 'x'))).not.toEqual([]);
    expect(bad((d) => (d['@timestamp'] = 'yesterday'))).not.toEqual([]);
  });

  it('EX-ECS-03: maps the fields as docs/export-formats.md says', () => {
    const ev: ExportedEvent = {
      id: '01a00000-0000-7000-8000-000000000001',
      received_at: '2026-12-06T10:00:00.500Z',
      occurred_at: '2026-12-06T10:00:00.000Z',
      action: 'user.login',
      outcome: 'failure',
      organization_id: 'org_42',
      actor: { type: 'user', id: 'u_1', name: 'Ann', email: 'ann@example.com' },
      targets: [{ type: 'user', id: 'u_2', name: 'Bob' }, { type: 'document', id: 'd_1' }],
      context: { ip: '2001:db8::1', user_agent: 'UA', request_id: 'req_1', session_id: 's_1', location: 'Paris' },
      changes: [{ field: 'role', before: 'a', after: 'b' }],
      metadata: { k: 1 },
      flags: ['clock_skew'],
    };
    expect(toEcs(ev, opts)).toEqual({
      '@timestamp': ev.occurred_at,
      message: 'user.login',
      ecs: { version: ECS_VERSION },
      event: { id: ev.id, kind: 'event', category: ['authentication'], type: ['start'], action: 'user.login', outcome: 'failure', severity: 6, ingested: ev.received_at, module: 'veritrail', dataset: 'veritrail.audit', provider: 'veritrail' },
      observer: { vendor: 'Veritrail', product: 'Veritrail', version: '1.2.3' },
      user: { id: 'u_1', name: 'Ann', email: 'ann@example.com', target: { id: 'u_2', name: 'Bob' } },
      source: { ip: '2001:db8::1' },
      related: { user: ['u_1', 'u_2'], ip: ['2001:db8::1'] },
      user_agent: { original: 'UA' },
      http: { request: { id: 'req_1' } },
      organization: { id: 'org_42' },
      labels: { actor_type: 'user', session_id: 's_1' },
      tags: ['clock_skew'],
      veritrail: { targets: ev.targets, changes: ev.changes, metadata: ev.metadata, location: 'Paris' },
    });
    // Categorization follows the OCSF class, including a tenant's mapping.
    expect((toEcs({ ...ev, action: 'user.created' }, opts).event as any).category).toEqual(['iam']);
    expect((toEcs({ ...ev, action: 'invoice.deleted' }, opts).event as any).type).toEqual(['deletion']);
    expect((toEcs({ ...ev, action: 'invoice.deleted' }, { ...opts, mapping: { 'invoice.*': 3001 } }).event as any).category).toEqual(['iam']);
    // An erased IP is not an address: kept under veritrail, not source.ip.
    const erased = toEcs({ ...ev, context: { ip: '[erased]' } }, opts);
    expect(erased.source).toBeUndefined();
    expect((erased.veritrail as any).ip).toBe('[erased]');
  });

  it('EX-ECS-04: the export writer emits one line per event', () => {
    const w = writerFor('ecs', opts);
    const out = ALL_PAYLOADS.map((p) => w.line(p)).join('');
    expect(out.split('\n').filter((l) => l !== '')).toHaveLength(ALL_PAYLOADS.length);
    expect(w.extension).toBe('ecs.ndjson');
    expect(ecsLine(REALISTIC[0]!, opts)).toBe(`${JSON.stringify(toEcs(REALISTIC[0]!, opts))}\n`);
  });
});

describe('ECS: delegation (actor.on_behalf_of, actor.impersonator) and display messages', () => {
  const base = { id: '0190a1b2-c3d4-7e5f-8a9b-00000000e001', received_at: '2025-06-01T12:00:00.250Z', occurred_at: '2025-06-01T11:59:58.123Z', outcome: 'success' as const, action: 'document.shared' };
  const agent: ExportedEvent = { ...base, actor: { type: 'agent', id: 'assistant', name: 'Assistant', email: 'bot@acme.example', on_behalf_of: { type: 'user', id: 'u_bob', name: 'Bob' } } };
  const impersonated: ExportedEvent = { ...base, actor: { type: 'user', id: 'u_bob', name: 'Bob', email: 'bob@acme.example', impersonator: { type: 'user', id: 'u_ann', name: 'Ann' } } };
  const both: ExportedEvent = {
    ...base,
    actor: { type: 'user', id: 'u_bob', on_behalf_of: { type: 'user', id: 'u_cat', name: '[erased]' }, impersonator: { type: 'service', id: 'support-console' } },
    targets: [{ type: 'user', id: 'u_dan' }],
  };

  it('STD-ECS: delegated events are valid ECS 8.17 documents (user.effective from elastic/ecs)', () => {
    for (const ev of [agent, impersonated, both]) expect(ecsProblems(toEcs(ev, opts)), JSON.stringify(ev.actor)).toEqual([]);
    // The validator knows user.effective only as the official fields: an invented one is refused.
    expect(ecsProblems({ ...toEcs(agent, opts), user: { id: 'x', effective: { id: 'y', kind: 'z' } } })).not.toEqual([]);
  });

  it('STD-ECS: an agent acting for Bob is user, Bob user.effective (the user whose privileges were assumed)', () => {
    const d = toEcs(agent, opts) as any;
    expect(d.user).toEqual({ id: 'assistant', name: 'Assistant', email: 'bot@acme.example', effective: { id: 'u_bob', name: 'Bob' } });
    expect(d.labels.actor_type).toBe('agent');
    expect(d.related.user).toEqual(['assistant', 'u_bob']);
    expect(d.veritrail.on_behalf_of).toEqual({ type: 'user', id: 'u_bob', name: 'Bob' });
    expect(d.veritrail.impersonator).toBeUndefined();
  });

  it('STD-ECS: an impersonated session is the sudo case: the impersonator is user, the impersonated actor user.effective', () => {
    const d = toEcs(impersonated, opts) as any;
    expect(d.user).toEqual({ id: 'u_ann', name: 'Ann', effective: { id: 'u_bob', name: 'Bob', email: 'bob@acme.example' } });
    expect(d.related.user).toEqual(['u_bob', 'u_ann']);
    expect(d.veritrail.impersonator).toEqual({ type: 'user', id: 'u_ann', name: 'Ann' });
    // Both at once: the impersonation decides user/user.effective; on_behalf_of is kept under veritrail.
    const b = toEcs(both, opts) as any;
    expect(b.user).toEqual({ id: 'support-console', effective: { id: 'u_bob' }, target: { id: 'u_dan' } });
    expect(b.related.user).toEqual(['u_bob', 'support-console', 'u_cat', 'u_dan']);
    expect(b.veritrail).toMatchObject({ on_behalf_of: { type: 'user', id: 'u_cat', name: '[erased]' }, impersonator: { type: 'service', id: 'support-console' } });
    // Without delegation nothing changes: no user.effective, nothing under veritrail for it.
    for (const ev of ALL_EVENTS) {
      const d2 = toEcs(ev, opts) as any;
      expect(d2.user.id).toBe(ev.actor.id);
      expect(d2.user.effective).toBeUndefined();
      expect(d2.veritrail?.on_behalf_of).toBeUndefined();
    }
  });

  it('STD-ECS: message is the display message when the event has one or the writer renders one, else the action', () => {
    expect(toEcs({ ...agent, display: { message: 'Assistant for Bob shared <b>Plan</b>' } }, opts).message).toBe('Assistant for Bob shared <b>Plan</b>');
    expect(toEcs(agent, opts).message).toBe('document.shared');
    const w = writerFor('ecs', { ...opts, message: (ev) => `${ev.actor.name ?? ev.actor.id} did ${ev.action}` });
    const line = JSON.parse(w.line(JSON.stringify(agent))) as Record<string, unknown>;
    expect(line.message).toBe('Assistant did document.shared');
    expect(ecsProblems(line)).toEqual([]);
    // A message already on the event (GET /v1/events, in the reader's locale) wins over the writer's.
    expect((JSON.parse(w.line(JSON.stringify({ ...agent, display: { message: 'kept' } }))) as Record<string, unknown>).message).toBe('kept');
  });
});
