/**
 * A month of a small B2B application's audit trail, generated from a seed (the same events for
 * the same seed and end), with planted incidents: the input of the detection scenario test
 * (test/integration/alerts-month.int.test.ts).
 *
 * Ordinary traffic: 3 organizations × 5 people signing in on working days (08–11 UTC, from their
 * home country; now and then a mistyped password), viewing and editing documents through the
 * day, exporting a report now and then; one person who travels (London → New York, 12 h or more apart:
 * a possible trip); a sync service per organization sending a heartbeat every hour, every day.
 *
 * Planted: an insider's bulk export (60 exports in 20 min), a credential-stuffing run (150 failed
 * sign-ins from one address against 50 accounts in 15 min), impossible travel (US, then Japan
 * 90 min later), a silent source (one organization's events stop 6 hours before the end).
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** mulberry32: a small deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Public addresses with a known country in the bundled GeoLite2 data. */
export const HOME_IPS: Record<string, string[]> = {
  US: ['8.8.8.8', '8.8.4.4'],
  GB: ['81.2.69.142'],
  DE: ['46.4.1.1'],
  NL: ['193.0.14.129'],
};
const STUFFING_IP = '5.255.255.5';
const JAPAN_IP = '202.12.27.33';

export interface PlantedIncidents {
  insider: { actor: string; firstAt: number };
  stuffing: { ip: string; firstAt: number };
  travel: { actor: string; at: number };
  silent: { organization: string; lastAt: number };
}

export interface MonthTraffic {
  events: Record<string, unknown>[];
  from: number;
  to: number;
  planted: PlantedIncidents;
}

export function monthTraffic(seed: number, end: number): MonthTraffic {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const to = Math.floor(end / HOUR) * HOUR - 10 * MIN;
  const from = Math.floor((to - 30 * DAY) / DAY) * DAY;
  const events: Record<string, unknown>[] = [];
  const orgs = ['org_acme', 'org_globex', 'org_initech'];
  const silentOrg = 'org_initech';
  const silentFrom = to - 6 * HOUR;
  const countries = ['US', 'GB', 'DE', 'NL'];
  const people = orgs.flatMap((org, o) => Array.from({ length: 5 }, (_, i) => ({ id: `u_${org.slice(4)}_${i}`, org, country: countries[(o + i) % countries.length]! })));
  const ev = (action: string, actor: { id: string; org: string }, at: number, ip: string, extra: Record<string, unknown> = {}) => {
    if (actor.org === silentOrg && at >= silentFrom) return;
    if (at >= to) return;
    events.push({
      action,
      occurred_at: new Date(at).toISOString(),
      outcome: 'success',
      actor: { type: 'user', id: actor.id },
      organization_id: actor.org,
      context: { ip, user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15' },
      targets: [{ type: 'document', id: `doc_${Math.floor(r() * 5000)}` }],
      ...extra,
    });
  };

  for (let day = from; day < to; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    // Hourly heartbeat of each organization's sync service.
    for (let h = 0; h < 24; h++) for (const org of orgs) ev('sync.completed', { id: `svc_sync_${org.slice(4)}`, org }, day + h * HOUR + Math.floor(r() * 50) * MIN, '10.0.0.5', { actor: { type: 'service', id: `svc_sync_${org.slice(4)}` } });
    if (weekday === 0 || weekday === 6) continue;
    for (const p of people) {
      if (r() < 0.1) continue; // a day off
      const ip = pick(HOME_IPS[p.country]!);
      const start = day + (8 + Math.floor(r() * 3)) * HOUR + Math.floor(r() * 60) * MIN;
      if (r() < 0.15) ev('user.login', p, start - 2 * MIN, ip, { outcome: 'failure' });
      ev('user.login', p, start, ip);
      const actions = 4 + Math.floor(r() * 10);
      for (let k = 0; k < actions; k++) {
        const at = start + Math.floor(r() * 7 * 60) * MIN;
        const x = r();
        ev(x < 0.6 ? 'document.viewed' : x < 0.9 ? 'document.updated' : 'report.exported', p, at, ip);
      }
    }
  }

  // A legitimate traveller: London in the morning, New York at night (12 h or more after the last London sign-in: under 600 km/h).
  const traveller = people.find((p) => p.country === 'GB')!;
  const tripDay = from + 12 * DAY;
  ev('user.login', traveller, tripDay + 7 * HOUR, HOME_IPS.GB![0]!);
  ev('user.login', traveller, tripDay + 23 * HOUR, HOME_IPS.US![0]!);

  // Planted 1: an insider exports 60 reports in 20 minutes.
  const insider = people[7]!;
  const insiderAt = from + 25 * DAY + 15 * HOUR + 3 * MIN;
  for (let i = 0; i < 60; i++) ev('report.exported', insider, insiderAt + i * 20_000, pick(HOME_IPS[insider.country]!));

  // Planted 2: credential stuffing, 150 failed sign-ins from one address against 50 accounts.
  const stuffingAt = from + 20 * DAY + 2 * HOUR + 7 * MIN;
  for (let i = 0; i < 150; i++) {
    const victim = { id: `victim_${i % 50}`, org: 'org_acme' };
    ev('user.login', victim, stuffingAt + i * 6000, STUFFING_IP, { outcome: 'failure' });
  }

  // Planted 3: impossible travel, the US then Japan 90 minutes later.
  const travellerUs = people.find((p) => p.country === 'US' && p !== insider)!;
  const travelDay = from + 27 * DAY + (new Date(from + 27 * DAY).getUTCDay() % 6 === 0 ? 2 * DAY : 0);
  ev('user.login', travellerUs, travelDay + 12 * HOUR, HOME_IPS.US![0]!);
  ev('user.login', travellerUs, travelDay + 13 * HOUR + 30 * MIN, JAPAN_IP);

  events.sort((a, b) => (String(a.occurred_at) < String(b.occurred_at) ? -1 : 1));
  const lastSilent = events.filter((e) => e.organization_id === silentOrg).at(-1)!;
  return {
    events,
    from,
    to,
    planted: {
      insider: { actor: insider.id, firstAt: insiderAt },
      stuffing: { ip: STUFFING_IP, firstAt: stuffingAt },
      travel: { actor: travellerUs.id, at: travelDay + 13 * HOUR + 30 * MIN },
      silent: { organization: silentOrg, lastAt: Date.parse(String(lastSilent.occurred_at)) },
    },
  };
}
