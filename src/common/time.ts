const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export type TimeParse = { ok: true; ms: number } | { ok: false; reason: 'format' | 'missing_offset' | 'range' };

/**
 * Strict RFC 3339 date-time with a mandatory offset (`Z` or `±hh:mm`). Returns epoch
 * milliseconds (fractions below a millisecond are truncated). A time without an offset is
 * ambiguous and refused, never guessed.
 */
export function parseRfc3339(value: string): TimeParse {
  const m = RFC3339.exec(value);
  if (!m) {
    return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/.test(value) ? { ok: false, reason: 'missing_offset' } : { ok: false, reason: 'format' };
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && leap ? 29 : DAYS[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > (maxDay ?? 0) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: 'range' };
  }
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return { ok: false, reason: 'range' };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Date.UTC maps years 0–99 to 1900–1999; set the full year explicitly.
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  d.setUTCFullYear(year, month - 1, day);
  const ms = d.getTime() - offsetMinutes * 60_000;
  return { ok: true, ms };
}

/** `2026-11-22 10:00:00.123` — the form ClickHouse DateTime64(3) columns take. */
export function toClickhouseDateTime64(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** `2026-11-22 10:00:00` for DateTime columns. */
export function toClickhouseDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** ClickHouse `2026-11-22 10:00:00.123` (UTC) back to epoch ms. */
export function fromClickhouseDateTime(value: string): number {
  return Date.parse(`${value.replace(' ', 'T')}Z`);
}
