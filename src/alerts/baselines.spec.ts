import { describe, expect, it } from 'vitest';
import { definitionProblems, silenceFirings, silenceHorizon, silenceRange, volumeBaseline, type IntervalCount, type SilenceSettings } from './rule-definition.js';

const M = 60 * 60_000;
const s: SilenceSettings = { interval_minutes: 60, silent_intervals: 4, lookback_intervals: 24, min_events: 2, min_active_intervals: 20 };
/** Hourly counts of one key from `from` (inclusive) to `to` (exclusive), `n` events each. */
const hours = (key: string, from: number, to: number, n = 3): IntervalCount[] =>
  Array.from({ length: (to - from) / M }, (_, i) => ({ key, bucketMs: from + i * M, n, lastMs: from + i * M + 30 * 60_000, lastId: `${key}_${i}` }));

describe('silence rules', () => {
  const end = 1000 * M;

  it('a key that sent in every hour of its look-back and then nothing for 4 hours fires once, at the end of the 4th silent hour', () => {
    const rows = hours('org_a', end - 40 * M, end - 5 * M);
    const [f, ...rest] = silenceFirings(s, rows, end);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ key: 'org_a', silentSinceMs: end - 5 * M, atMs: end - M, activeIntervals: 24, eventsInLookback: 72, eventId: 'org_a_34', lastEventMs: end - 6 * M + 30 * 60_000 });
    // Judged again an hour later (still silent): the same firing, so one alert per silence.
    expect(silenceFirings(s, rows.filter((r) => r.bucketMs >= silenceRange(s, end + M).fromMs), end + M)).toEqual([f]);
  });

  it('no firing: still sending, silent for fewer intervals, too little history, too few events per interval', () => {
    expect(silenceFirings(s, hours('org_b', end - 40 * M, end), end)).toEqual([]);
    expect(silenceFirings(s, hours('org_c', end - 40 * M, end - 3 * M), end)).toEqual([]);
    expect(silenceFirings(s, hours('org_d', end - 24 * M, end - 5 * M), end)).toEqual([]);
    expect(silenceFirings(s, hours('org_e', end - 40 * M, end - 5 * M, 1), end)).toEqual([]);
    // Exactly the minimum: 20 active hours of 24 (four quiet hours in the look-back).
    const gappy = hours('org_f', end - 29 * M, end - 5 * M).filter((r, i) => i % 6 !== 0);
    expect(gappy.length).toBe(20);
    expect(silenceFirings(s, gappy, end)).toHaveLength(1);
    expect(silenceFirings({ ...s, min_active_intervals: 21 }, gappy, end)).toEqual([]);
  });

  it('keys are judged separately; a silence longer than the range read is no longer judged', () => {
    const rows = [...hours('a', end - 40 * M, end - 6 * M), ...hours('b', end - 40 * M, end)];
    expect(silenceFirings(s, rows, end).map((f) => f.key)).toEqual(['a']);
    const old = hours('old', end - 60 * M, end - 9 * M);
    expect(silenceFirings(s, old, end)).toEqual([]);
  });

  it('horizon and range: whole UTC-aligned intervals, the last minute left to late events', () => {
    expect(silenceHorizon(s, end + 30_000, 60_000)).toBe(end - M);
    expect(silenceHorizon(s, end + 61_000, 60_000)).toBe(end);
    expect(silenceRange(s, end)).toEqual({ fromMs: end - 32 * M, toMs: end, intervalMs: M });
  });

  it('definitions: silence settings only on silence rules, group_by action only there, min_active_intervals within the look-back', () => {
    const base = { filter: { actions: ['*'] }, group_by: 'organization' as const };
    expect(definitionProblems('silence', { ...base, silence: s })).toEqual([]);
    expect(definitionProblems('silence', { ...base, group_by: 'action', silence: s })).toEqual([]);
    expect(definitionProblems('silence', base).map((p) => [p.field, p.code])).toEqual([['silence', 'required']]);
    expect(definitionProblems('silence', { ...base, silence: { ...s, min_active_intervals: 25 } }).map((p) => [p.field, p.code])).toEqual([['silence.min_active_intervals', 'invalid_value']]);
    expect(definitionProblems('threshold', { ...base, group_by: 'action', threshold: { count: 2, window_seconds: 60 } }).map((p) => [p.field, p.code])).toEqual([['group_by', 'invalid_value']]);
    expect(definitionProblems('threshold', { ...base, threshold: { count: 2, window_seconds: 60 }, silence: s }).map((p) => [p.field, p.code])).toEqual([['silence', 'not_allowed']]);
  });
});

describe('volume rules: robust baseline', () => {
  const v = { lookback_days: 30, min_history_hours: 5, z_threshold: 10, min_count: 1 };

  it('median and MAD of the active hours; the count an hour needs for z ≥ threshold', () => {
    // Values from a hand computation: sorted 3 4 5 5 5 6 20 → median 5; |x − 5| = 0 0 0 1 1 2 15 → MAD 1.
    const b = volumeBaseline(v, [5, 4, 6, 5, 3, 20, 5])!;
    expect(b).toMatchObject({ hours: 7, median: 5, mad: 1 });
    expect(b.scale).toBeCloseTo(1.4826, 6);
    expect(b.required).toBe(Math.ceil(5 + 10 * 1.4826));
    // One outlier hour in the history does not move the baseline (the point of median and MAD).
    expect(volumeBaseline(v, [5, 4, 6, 5, 3, 2000, 5])!.required).toBe(b.required);
  });

  it('even counts, a MAD of 0 (scale of one event), min_count, and too little history', () => {
    expect(volumeBaseline(v, [2, 4, 6, 8, 10, 12])).toMatchObject({ median: 7, mad: 3 });
    expect(volumeBaseline(v, [3, 3, 3, 3, 3])).toMatchObject({ median: 3, mad: 0, scale: 1, required: 13 });
    expect(volumeBaseline({ ...v, min_count: 50 }, [3, 3, 3, 3, 3])!.required).toBe(50);
    expect(volumeBaseline(v, [3, 3, 3, 3])).toBeUndefined();
    expect(volumeBaseline({ ...v, min_history_hours: 1 }, [])).toBeUndefined();
  });
});
