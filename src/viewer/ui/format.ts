/** Times and places as rows show them: plain functions of their inputs (no DOM). */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "5 minutes ago", "yesterday", "in 2 hours" (future clocks happen). */
export function relativeTime(ms: number, now: number, locale?: string): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 45_000) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) if (abs >= size) return rtf.format(Math.round(diff / size), unit);
  return rtf.format(0, 'second');
}

/** The local calendar day of a time, as a sortable key (2026-11-02). */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A day group's heading: "Today", "Yesterday" or the full date. */
export function dayLabel(ms: number, now: number, locale: string | undefined, words: { today: string; yesterday: string }): string {
  const key = dayKey(ms);
  const date = new Intl.DateTimeFormat(locale, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(ms);
  if (key === dayKey(now)) return `${words.today} · ${date}`;
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  if (key === dayKey(y.getTime())) return `${words.yesterday} · ${date}`;
  return date;
}

/** The country's name in the viewer's language (GB → United Kingdom), else the code. */
export function countryName(code: string, locale?: string): string {
  try {
    return new Intl.DisplayNames(locale, { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
