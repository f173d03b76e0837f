import { describe, it, expect } from 'vitest';
import { fromClickhouseDateTime, parseRfc3339, toClickhouseDateTime, toClickhouseDateTime64 } from './time.js';

const ms = (iso: string) => Date.parse(iso);

function okMs(value: string): number {
  const r = parseRfc3339(value);
  expect(r, value).toMatchObject({ ok: true });
  return (r as { ok: true; ms: number }).ms;
}

describe('parseRfc3339: accepted forms', () => {
  it.each([
    ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00.123Z', '2026-11-22T10:00:00.123Z'],
    ['2026-11-22t10:00:00z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22 10:00:00Z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00+00:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00-00:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00+02:00', '2026-11-22T08:00:00.000Z'],
    ['2026-11-22T10:00:00+14:00', '2026-11-21T20:00:00.000Z'],
    ['2026-11-22T10:00:00-05:30', '2026-11-22T15:30:00.000Z'],
    ['2026-11-22T23:30:00-05:30', '2026-11-23T05:00:00.000Z'],
    ['2026-11-22T10:00:00.5+02:00', '2026-11-22T08:00:00.500Z'],
  ])('accepts %s as %s', (input, expected) => {
    expect(okMs(input)).toBe(ms(expected));
  });

  it.each([
    ['.1', 100],
    ['.12', 120],
    ['.123', 123],
    ['.1239', 123],
    ['.999999999', 999],
    ['.000000001', 0],
    ['.9999', 999],
  ])('accepts 1-9 fraction digits and truncates (not rounds) %s to %i ms', (frac, millis) => {
    expect(okMs(`2026-11-22T10:00:00${frac}Z`)).toBe(ms('2026-11-22T10:00:00Z') + millis);
  });

  it('refuses 10 fraction digits and an empty fraction', () => {
    expect(parseRfc3339('2026-11-22T10:00:00.1234567890Z')).toEqual({ ok: false, reason: 'format' });
    expect(parseRfc3339('2026-11-22T10:00:00.Z')).toEqual({ ok: false, reason: 'format' });
  });

  it('accepts Feb 29 in leap years only', () => {
    expect(okMs('2024-02-29T00:00:00Z')).toBe(ms('2024-02-29T00:00:00Z'));
    expect(okMs('2000-02-29T00:00:00Z')).toBe(ms('2000-02-29T00:00:00Z'));
    expect(parseRfc3339('2023-02-29T00:00:00Z')).toEqual({ ok: false, reason: 'range' });
    expect(parseRfc3339('1900-02-29T00:00:00Z')).toEqual({ ok: false, reason: 'range' });
  });

  it('year 0050 is year 50, not 1950', () => {
    const t = okMs('0050-06-15T12:00:00Z');
    const d = new Date(t);
    expect(d.getUTCFullYear()).toBe(50);
    expect(d.getUTCMonth()).toBe(5);
    expect(d.getUTCDate()).toBe(15);
    expect(d.getUTCHours()).toBe(12);
    expect(t).toBe(ms('0050-06-15T12:00:00Z'));
    expect(okMs('0000-01-01T00:00:00Z')).toBe(ms('0000-01-01T00:00:00Z'));
    expect(okMs('0099-12-31T23:59:59.999Z')).toBe(ms('0099-12-31T23:59:59.999Z'));
  });

  it('offset on a year-0050 date is applied', () => {
    expect(okMs('0050-01-01T00:00:00+01:00')).toBe(ms('0049-12-31T23:00:00Z'));
  });
});

describe('parseRfc3339: refused forms', () => {
  it.each([['2026-11-22T10:00:00'], ['2026-11-22T10:00:00.123'], ['2026-11-22 10:00:00']])('%s → missing_offset', (value) => {
    expect(parseRfc3339(value)).toEqual({ ok: false, reason: 'missing_offset' });
  });

  it.each([
    [''],
    ['garbage'],
    ['2026-11-22'],
    ['2026-11-22T10:00Z'],
    ['2026-11-22T10:00:00+0200'],
    ['2026-11-22T10:00:00+2:00'],
    ['2026-11-22T10:00:00 Z'],
    ['2026/11/22T10:00:00Z'],
    ['26-11-22T10:00:00Z'],
    ['2026-11-22T10:00:00ZZ'],
    [' 2026-11-22T10:00:00Z'],
    ['2026-11-22T10:00:00Z\n'],
    ['+002026-11-22T10:00:00Z'],
    ['1764000000000'],
    ['２０２６-11-22T10:00:00Z'],
  ])('%j → format', (value) => {
    expect(parseRfc3339(value)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['Feb 30', '2026-02-30T10:00:00Z'],
    ['Apr 31', '2026-04-31T10:00:00Z'],
    ['day 0', '2026-11-00T10:00:00Z'],
    ['month 13', '2026-13-01T10:00:00Z'],
    ['month 0', '2026-00-01T10:00:00Z'],
    ['hour 24', '2026-11-22T24:00:00Z'],
    ['minute 60', '2026-11-22T10:60:00Z'],
    ['second 60', '2026-11-22T10:00:60Z'],
    ['offset hour 24', '2026-11-22T10:00:00+24:00'],
    ['offset minute 60', '2026-11-22T10:00:00+01:60'],
  ])('%s → range', (_what, value) => {
    expect(parseRfc3339(value)).toEqual({ ok: false, reason: 'range' });
  });
});

describe('ClickHouse date-time helpers', () => {
  const t = ms('2026-11-22T10:00:05.123Z');

  it('toClickhouseDateTime64 formats YYYY-MM-DD HH:MM:SS.mmm in UTC', () => {
    expect(toClickhouseDateTime64(t)).toBe('2026-11-22 10:00:05.123');
    expect(toClickhouseDateTime64(ms('2026-01-02T03:04:05.006Z'))).toBe('2026-01-02 03:04:05.006');
    expect(toClickhouseDateTime64(0)).toBe('1970-01-01 00:00:00.000');
  });

  it('toClickhouseDateTime formats seconds only', () => {
    expect(toClickhouseDateTime(t)).toBe('2026-11-22 10:00:05');
  });

  it('fromClickhouseDateTime round-trips', () => {
    expect(fromClickhouseDateTime(toClickhouseDateTime64(t))).toBe(t);
    expect(fromClickhouseDateTime(toClickhouseDateTime(t))).toBe(ms('2026-11-22T10:00:05Z'));
    for (const v of [0, 1, 999, 1_700_000_000_123, ms('2099-12-31T23:59:59.999Z')]) {
      expect(fromClickhouseDateTime(toClickhouseDateTime64(v))).toBe(v);
    }
  });

  it('parseRfc3339 output round-trips through the ClickHouse format', () => {
    const parsed = okMs('2026-11-22T12:00:05.123+02:00');
    expect(toClickhouseDateTime64(parsed)).toBe('2026-11-22 10:00:05.123');
  });
});
