import { describe, expect, it } from 'vitest';
import { countryName, dayKey, dayLabel, relativeTime } from './format.js';

describe('viewer: times and places of a row', () => {
  const now = new Date(2026, 10, 2, 15, 0, 0).getTime();

  it('relative times in the viewer\'s language', () => {
    expect(relativeTime(now - 10_000, now, 'en')).toBe('now');
    expect(relativeTime(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(now - 3 * 3_600_000, now, 'en')).toBe('3 hours ago');
    expect(relativeTime(now - 86_400_000, now, 'en')).toBe('yesterday');
    expect(relativeTime(now + 2 * 3_600_000, now, 'en')).toBe('in 2 hours');
    expect(relativeTime(now - 5 * 60_000, now, 'de')).toBe('vor 5 Minuten');
  });

  it('groups by the local day, naming today and yesterday', () => {
    const words = { today: 'Today', yesterday: 'Yesterday' };
    expect(dayKey(now)).toBe('2026-11-02');
    expect(dayLabel(now - 3_600_000, now, 'en-GB', words)).toMatch(/^Today · Monday,? 2 November 2026$/);
    expect(dayLabel(now - 86_400_000, now, 'en-GB', words)).toMatch(/^Yesterday · Sunday,? 1 November 2026$/);
    expect(dayLabel(now - 3 * 86_400_000, now, 'en-GB', words)).toMatch(/^Friday,? 30 October 2026$/);
  });

  it('names countries', () => {
    expect(countryName('GB', 'en')).toBe('United Kingdom');
    expect(countryName('DE', 'de')).toBe('Deutschland');
  });
});
