import { describe, expect, it } from 'vitest';
import { COUNTRY_LOCATIONS } from './country-locations.js';
import { GeoService } from './geo.service.js';
import { definitionProblems, distanceKm, hoursBaseline, impossibleTravel, unusualHour, type HoursSettings, type TravelSettings } from './rule-definition.js';

const H = 3_600_000;
const D = 24 * H;

describe('impossible travel: distance over time between two located sign-ins', () => {
  const s: TravelSettings = { max_speed_kmh: 1000, min_distance_km: 500, lookback_hours: 72 };
  const at = (c: string) => COUNTRY_LOCATIONS[c]!;

  it('haversine distances match known great-circle values', () => {
    // Paris–New York is about 5837 km; a quarter of the equator 10 008 km.
    expect(distanceKm([48.8566, 2.3522], [40.7128, -74.006])).toBeGreaterThan(5800);
    expect(distanceKm([48.8566, 2.3522], [40.7128, -74.006])).toBeLessThan(5870);
    expect(distanceKm([0, 0], [0, 90])).toBeCloseTo(10_007.5, 0);
    expect(distanceKm([10, 10], [10, 10])).toBe(0);
  });

  it('reference points come from the world-countries table; the geo service locates an IP by country', () => {
    expect(COUNTRY_LOCATIONS.US).toEqual([38, -97]);
    expect(COUNTRY_LOCATIONS.GB).toEqual([54, -2]);
    expect(Object.keys(COUNTRY_LOCATIONS).length).toBeGreaterThan(240);
    const geo = new GeoService();
    expect(geo.location('8.8.8.8')).toEqual({ country: 'US', at: [38, -97] });
    expect(geo.location('10.0.0.1')).toBeUndefined();
  });

  it('fires when the speed is over the limit between countries far enough apart; not for possible trips, neighbours or one country', () => {
    const us = { t: 0, ip: '8.8.8.8', country: 'US', at: at('US') };
    // US → Japan (≈ 10 000 km) in 2 h: impossible; in 20 h: an ordinary flight.
    const jp2 = impossibleTravel(s, us, { t: 2 * H, ip: '202.12.27.33', country: 'JP', at: at('JP') })!;
    expect(jp2.distanceKm).toBeGreaterThan(9000);
    expect(jp2.hours).toBe(2);
    expect(jp2.speedKmh).toBe(Math.round(jp2.distanceKm / 2));
    expect(impossibleTravel(s, us, { t: 20 * H, ip: '202.12.27.33', country: 'JP', at: at('JP') })).toBeUndefined();
    // The same instant: infinitely fast.
    expect(impossibleTravel(s, us, { t: 0, ip: '202.12.27.33', country: 'JP', at: at('JP') })!.speedKmh).toBe(Number.POSITIVE_INFINITY);
    // Same country (reference points are per country), neighbours under min_distance_km, no previous sign-in.
    expect(impossibleTravel(s, us, { t: 60_000, ip: '8.8.4.4', country: 'US', at: at('US') })).toBeUndefined();
    const de = { t: 0, ip: '46.4.1.1', country: 'DE', at: at('DE') };
    expect(impossibleTravel(s, de, { t: 60_000, ip: '193.0.14.129', country: 'NL', at: at('NL') })).toBeUndefined();
    expect(impossibleTravel(s, undefined, { t: 0, ip: '8.8.8.8', country: 'US', at: at('US') })).toBeUndefined();
  });
});

describe('unusual hour: share of the key\'s own history at that time of day or weekday', () => {
  const s: HoursSettings = { lookback_days: 30, min_history_days: 10, tolerance_hours: 1, max_share: 0.01 };
  // Mondays 2026-11-02 … : 20 weekdays, sign-ins at 08:00 and 13:00 UTC.
  const monday = Date.UTC(2026, 10, 2);
  const weekdays = Array.from({ length: 28 }, (_, d) => monday + d * D).filter((t) => new Date(t).getUTCDay() % 6 !== 0);
  const history = weekdays.flatMap((t) => [{ bucketMs: t + 8 * H, n: 2 }, { bucketMs: t + 13 * H, n: 1 }]);
  const after = monday + 28 * D; // a Monday

  it('the baseline: counts per hour of day and weekday, days with events, the event\'s shares', () => {
    const b = hoursBaseline(s, history, after + 9 * H + 5 * 60_000)!;
    expect(b).toMatchObject({ events: 60, activeDays: 20, hour: 9, weekday: 1 });
    expect(b.byHour[8]).toBe(40);
    expect(b.byHour[13]).toBe(20);
    // 09:05 is within an hour of 08:00: two thirds of the history.
    expect(b.hourShare).toBeCloseTo(40 / 60, 9);
    expect(b.weekdayShare).toBeCloseTo(12 / 60, 9);
    expect(unusualHour(s, b)).toBe(false);
  });

  it('fires at 03:00 (no history within an hour) and on a Saturday (never before); not with too few days of history', () => {
    expect(unusualHour(s, hoursBaseline(s, history, after + 3 * H)!)).toBe(true);
    const saturday = hoursBaseline(s, history, after + 5 * D + 8 * H)!;
    expect(saturday).toMatchObject({ weekday: 6, weekdayShare: 0 });
    expect(unusualHour(s, saturday)).toBe(true);
    // Tolerance wraps around midnight: 23:30 is within an hour of 00:xx.
    const night = [...history, ...weekdays.map((t) => ({ bucketMs: t, n: 5 }))];
    expect(hoursBaseline(s, night, after + 23 * H + 30 * 60_000)!.hourShare).toBeGreaterThan(0.1);
    expect(hoursBaseline(s, history.slice(0, 18), after + 3 * H)).toBeUndefined();
  });
});

describe('definitions of the behaviour kinds', () => {
  const filter = { actions: ['user.login'] };
  it('settings only on their own kind; travel and rarity group by actor; min_history_days within the look-back', () => {
    expect(definitionProblems('travel', { filter, group_by: 'actor', travel: { max_speed_kmh: 1000, min_distance_km: 500, lookback_hours: 24 } })).toEqual([]);
    expect(definitionProblems('travel', { filter, group_by: 'ip', travel: { max_speed_kmh: 1000, min_distance_km: 500, lookback_hours: 24 } }).map((p) => [p.field, p.code])).toEqual([['group_by', 'invalid_value']]);
    expect(definitionProblems('rarity', { filter, group_by: 'organization', rarity: { lookback_days: 30, min_history_hours: 10, max_hours: 0 } }).map((p) => [p.field, p.code])).toEqual([['group_by', 'invalid_value']]);
    expect(definitionProblems('hours', { filter, group_by: 'ip', hours: { lookback_days: 7, min_history_days: 8, tolerance_hours: 1, max_share: 0 } }).map((p) => [p.field, p.code])).toEqual([['hours.min_history_days', 'invalid_value']]);
    expect(definitionProblems('hours', { filter, group_by: 'actor' }).map((p) => [p.field, p.code])).toEqual([['hours', 'required']]);
    expect(definitionProblems('threshold', { filter, group_by: 'actor', threshold: { count: 1, window_seconds: 60 }, rarity: { lookback_days: 30, min_history_hours: 10, max_hours: 0 } }).map((p) => [p.field, p.code])).toEqual([['rarity', 'not_allowed']]);
  });
});
