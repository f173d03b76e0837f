// The server's time parser (src/common/time.ts): `format: date-time` and occurred_at's rules use it.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export type TimeParse = { ok: true; ms: number } | { ok: false; reason: 'format' | 'missing_offset' | 'range' };

/** Strict RFC 3339 with a mandatory offset, as the server parses `occurred_at`. */
export function parseRfc3339(value: string): TimeParse {
  const m = RFC3339.exec(value);
  if (!m) {
    return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/.test(value) ? { ok: false, reason: 'missing_offset' } : { ok: false, reason: 'format' };
  }
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const leap = (year! % 4 === 0 && year! % 100 !== 0) || year! % 400 === 0;
  const maxDay = month === 2 && leap ? 29 : DAYS[month! - 1];
  if (month! < 1 || month! > 12 || day! < 1 || day! > (maxDay ?? 0) || hour! > 23 || minute! > 59 || second! > 59) return { ok: false, reason: 'range' };
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return { ok: false, reason: 'range' };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const d = new Date(Date.UTC(2000, month! - 1, day!, hour!, minute!, second!, millis));
  d.setUTCFullYear(year!, month! - 1, day!);
  return { ok: true, ms: d.getTime() - offsetMinutes * 60_000 };
}
