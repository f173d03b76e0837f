import { describe, expect, it } from 'vitest';
import { buildBody, ndjsonLines, retryDelayMs, routeEntry } from './webhook-messages.js';
import type { FilterKind } from './webhooks.schema.js';
import { isTrailMessageKind, MESSAGE_KINDS, TRAIL_MESSAGE_KINDS, trailKindOf } from './webhooks.schema.js';

const entry = JSON.stringify({ action: 'veritrail.alert.triggered', id: 'e1', occurred_at: '2026-11-22T10:00:00.000Z', metadata: { alert: { id: 'al_1', group_value: '198.51.100.7' } } });
const none = { drop: [], hash: [] };
const key = Buffer.alloc(32, 1);

describe('trail entries as message kinds', () => {
  it('maps alert.triggered to its trail action, only for destinations that ask for it', () => {
    expect(TRAIL_MESSAGE_KINDS['alert.triggered']).toBe('veritrail.alert.triggered');
    expect(MESSAGE_KINDS).toEqual(['event', 'checkpoint.sealed', 'alert.triggered', 'privacy.notice']);
    expect(trailKindOf('veritrail.privacy.notice', ['privacy.notice'])).toBe('privacy.notice');
    expect(trailKindOf('veritrail.alert.triggered', ['event', 'alert.triggered'])).toBe('alert.triggered');
    expect(trailKindOf('veritrail.alert.triggered', ['event'])).toBeUndefined();
    expect(trailKindOf('veritrail.alert.acknowledged', ['alert.triggered'])).toBeUndefined();
    expect(isTrailMessageKind('alert.triggered')).toBe(true);
    expect(isTrailMessageKind('events')).toBe(false);
    expect(isTrailMessageKind('__proto__')).toBe(false);
  });

  it('https: a Standard Webhooks envelope whose data is the entry', () => {
    const { body } = buildBody('https', { kind: 'alert.triggered', payloads: [entry] }, none, key, Date.parse('2026-11-22T10:00:05Z'));
    expect(JSON.parse(body.toString())).toEqual({ type: 'alert.triggered', timestamp: '2026-11-22T10:00:05.000Z', data: JSON.parse(entry) });
  });

  it('splunk_hec, datadog and s3 carry the entry in their own shapes; masking applies', () => {
    const hec = JSON.parse(buildBody('splunk_hec', { kind: 'alert.triggered', payloads: [entry] }, none, key).body.toString());
    expect(hec).toMatchObject({ time: Date.parse('2026-11-22T10:00:00Z') / 1000, source: 'veritrail', sourcetype: 'veritrail:alert.triggered', event: { id: 'e1' } });
    const dd = JSON.parse(buildBody('datadog', { kind: 'alert.triggered', payloads: [entry] }, none, key).body.toString());
    expect(dd).toEqual([{ ddsource: 'veritrail', service: 'veritrail', status: 'warn', message: 'alert.triggered', veritrail: JSON.parse(entry) }]);
    const lines = ndjsonLines({ kind: 'alert.triggered', payloads: [entry] }, { drop: ['metadata'], hash: [] }, key);
    expect(lines.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines)).toEqual({ type: 'alert.triggered', data: { action: 'veritrail.alert.triggered', id: 'e1', occurred_at: '2026-11-22T10:00:00.000Z' } });
  });
});

describe('routeEntry: the one organization rule for every kind', () => {
  const dest = (organizationId: string | undefined, organizations: string[], kinds: FilterKind[] = ['event', 'alert.triggered', 'privacy.notice'], actions: string[] = []) => ({
    organizationId,
    filters: { actions, organizations, kinds },
  });
  const alert42 = { action: 'veritrail.alert.triggered', organization_id: 'org_42' };
  const alertNone = { action: 'veritrail.alert.triggered' };
  const notice77 = { action: 'veritrail.privacy.notice', organization_id: 'org_77' };
  const event42 = { action: 'user.login', organization_id: 'org_42' };

  it('PROMISE-01: alerts and notices obey the organization filter and the creator\'s organization like events', () => {
    for (const d of [dest(undefined, ['org_42']), dest('org_42', [])]) {
      expect(routeEntry(d, alert42)).toBe('alert.triggered');
      expect(routeEntry(d, { ...alert42, organization_id: 'org_77' })).toBeUndefined();
      expect(routeEntry(d, alertNone)).toBeUndefined(); // no organization: only for destinations with neither
      expect(routeEntry(d, notice77)).toBeUndefined();
      expect(routeEntry(d, { ...notice77, organization_id: 'org_42' })).toBe('privacy.notice');
      expect(routeEntry(d, event42)).toBe('events');
      expect(routeEntry(d, { ...event42, organization_id: '' })).toBeUndefined();
    }
    const open = dest(undefined, []);
    expect(routeEntry(open, alertNone)).toBe('alert.triggered');
    expect(routeEntry(open, notice77)).toBe('privacy.notice');
    // A scope and a filter together: both must allow it.
    expect(routeEntry(dest('org_42', ['org_77']), notice77)).toBeUndefined();
  });

  it('keeps the kind rules: actions select events only; event destinations get notices for their organizations; alerts as events unless asked for', () => {
    expect(routeEntry(dest(undefined, [], ['event'], ['user.*']), { action: 'doc.viewed' })).toBeUndefined();
    expect(routeEntry(dest(undefined, [], ['event'], ['user.*']), { action: 'veritrail.privacy.notice' })).toBe('privacy.notice');
    expect(routeEntry(dest(undefined, [], ['event']), alertNone)).toBe('events');
    expect(routeEntry(dest(undefined, [], ['alert.triggered'], ['user.*']), alertNone)).toBe('alert.triggered');
    expect(routeEntry(dest(undefined, [], ['checkpoint.sealed']), event42)).toBeUndefined();
  });
});

describe('retryDelayMs: jittered retries (LD-03, no thundering herd)', () => {
  const schedule = [1_000, 10_000, 60_000];

  it('LD-03: spreads each step ±20 % and keeps to the last step', () => {
    expect(retryDelayMs(schedule, 1, undefined, () => 0)).toBe(800);
    expect(retryDelayMs(schedule, 1, undefined, () => 1)).toBe(1_200);
    expect(retryDelayMs(schedule, 2, undefined, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(schedule, 9, undefined, () => 0.5)).toBe(60_000);
  });

  it('LD-03: destinations that failed together retry at spread-out times, not all at once', () => {
    // Many destinations failing at the same instant (a sink outage): their next attempts spread
    // over most of the ±20 % window instead of landing on the same millisecond.
    const delays = Array.from({ length: 500 }, () => retryDelayMs(schedule, 3, undefined));
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(48_000);
      expect(d).toBeLessThanOrEqual(72_000);
    }
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(20_000);
    expect(new Set(delays).size).toBeGreaterThan(400);
  });

  it('LD-03: Retry-After is honoured as a lower bound, capped at a day', () => {
    expect(retryDelayMs(schedule, 1, 120_000, () => 0.5)).toBe(120_000);
    expect(retryDelayMs(schedule, 1, 10 * 86_400_000, () => 0.5)).toBe(86_400_000);
  });
});
