import { describe, expect, it } from 'vitest';
import type { QuotaService } from '../billing/quota.service.js';
import type { AppConfig } from '../config/config.js';
import type { ValidEvent } from '../events/event-rules.js';
import type { EventValidator } from '../events/event-validation.js';
import type { EventWriter } from '../events/event-writer.js';
import type { IdempotencyPlan, IdempotencyService, IngestItem } from '../events/idempotency.service.js';
import type { StoredEvent } from '../events/stored-event.js';
import type { MetricsService } from '../observability/metrics.service.js';
import type { EventScrubber } from '../personal-data/event-scrubber.service.js';
import type { PersonalDataService } from '../personal-data/personal-data.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { IngestService } from './ingest.service.js';

/**
 * The pipeline's order and failure handling, with every stage faked: what each stage sees is
 * what the one before it produced, and the idempotency hash is taken before personal data is
 * encrypted (docs/architecture.md, "Data flow of an event").
 */
function pipeline(opts: { replay?: boolean; failAt?: 'protect' | 'admit' | 'write' } = {}) {
  const calls: string[] = [];
  const counted: Record<string, number> = {};
  const event = (action: string): ValidEvent =>
    ({ input: { action, actor: { type: 'user', id: 'u' }, occurred_at: '2026-12-06T00:00:00Z', outcome: 'success' }, occurredAtMs: 0, flags: [], members: [] }) as unknown as ValidEvent;
  const validator = {
    one: (_s: unknown, raw: unknown) => raw as ValidEvent,
    batch: (_s: unknown, raw: unknown) => raw as ValidEvent[],
    requestKey: () => void calls.push('validate:key'),
    schemasOf: async (_s: unknown, events: ValidEvent[]) => (calls.push('validate:schemas'), events),
  } as unknown as EventValidator;
  const scrubber = {
    scrub: async (_s: unknown, events: ValidEvent[]) => (calls.push('scrub'), events.map((e) => ({ ...e, flags: ['scrubbed'] }))),
  } as unknown as EventScrubber;
  const plan: IdempotencyPlan = { attempt: '00000000-0000-4000-8000-000000000001', owned: new Set(['r:k']), recovered: new Map() };
  const idempotency = {
    reserve: async (_s: unknown, items: IngestItem[]) => {
      calls.push(`reserve:${items.map((i) => i.event.flags.join()).join()}`);
      return opts.replay ? { owned: new Set(), recovered: new Map(), replay: { eventIds: ['old'], receivedAt: new Date(1) } } : plan;
    },
    unwritten: async (_s: unknown, _i: IngestItem[], stored: StoredEvent[]) => (calls.push('unwritten'), stored),
    abandon: async (_s: unknown, p: IdempotencyPlan) => void calls.push(`abandon:${[...p.owned].join()}`),
    complete: async (_s: unknown, _p: IdempotencyPlan, key: string | undefined, ids: string[]) => void calls.push(`complete:${key}:${ids.length}`),
  } as unknown as IdempotencyService;
  const personal = {
    protect: async (_s: unknown, events: ValidEvent[]) => {
      calls.push('protect');
      if (opts.failAt === 'protect') throw new Error('keyring down');
      return events.map((e) => ({ event: e, index: { words: [] } }));
    },
  } as unknown as PersonalDataService;
  const quota = {
    admit: async (_s: unknown, n: number, _now: number, write: () => Promise<void>) => {
      calls.push(`admit:${n}`);
      if (opts.failAt === 'admit') throw new Error('quota_exceeded');
      return write();
    },
  } as unknown as QuotaService;
  const writer = {
    write: async (rows: StoredEvent[]) => {
      calls.push(`write:${rows.length}`);
      if (opts.failAt === 'write') throw new Error('overloaded');
    },
  } as unknown as EventWriter;
  const metrics = { ingestedEvents: { inc: (l: { result: string }, n = 1) => void (counted[l.result] = (counted[l.result] ?? 0) + n) } } as unknown as MetricsService;
  const config = {} as unknown as AppConfig;
  const service = new IngestService(validator, scrubber, idempotency, personal, quota, writer, metrics, config);
  const scope = TenantScope.forTenant({ id: '0193a1b2-0000-7000-8000-000000000001', retentionDays: 30 });
  return { service, scope, calls, counted, events: [event('a.b'), event('a.c')] };
}

describe('IngestService: the pipeline', () => {
  it('runs validate, scrub, reserve (on scrubbed plaintext), protect, admit around write, complete — in that order', async () => {
    const p = pipeline();
    const r = await p.service.ingest(p.scope, p.events, 'k', 1_000, true);
    expect(p.calls).toEqual(['validate:key', 'validate:schemas', 'scrub', 'reserve:scrubbed,scrubbed', 'protect', 'unwritten', 'admit:2', 'write:2', 'complete:k:2']);
    expect(r).toMatchObject({ replayed: false, stored: 2, deduplicated: 0 });
    expect(r.ids).toHaveLength(2);
    expect(p.counted).toEqual({ stored: 2 });
  });

  it('a replayed request stops after reserve: nothing protected, admitted or written', async () => {
    const p = pipeline({ replay: true });
    const r = await p.service.ingest(p.scope, p.events, 'k', 1_000);
    expect(p.calls).toEqual(['validate:key', 'validate:schemas', 'scrub', 'reserve:scrubbed,scrubbed']);
    expect(r).toEqual({ ids: ['old'], receivedAt: [new Date(1)], replayed: true, stored: 0, deduplicated: 2 });
    expect(p.counted).toEqual({ deduplicated: 2 });
  });

  it.each(['protect', 'admit', 'write'] as const)('a failure at %s ends the leases, completes nothing and is rethrown', async (failAt) => {
    const p = pipeline({ failAt });
    await expect(p.service.ingest(p.scope, p.events, 'k', 1_000)).rejects.toThrow();
    expect(p.calls).toContain('abandon:r:k');
    expect(p.calls.some((c) => c.startsWith('complete'))).toBe(false);
    // Counted as failed only once the write was attempted (protect fails before it), as before.
    expect(p.counted).toEqual(failAt === 'protect' ? {} : { failed: 2 });
  });
});
