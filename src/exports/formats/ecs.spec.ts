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
