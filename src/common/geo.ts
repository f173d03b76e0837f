import { isIP } from 'node:net';
import { createRequire } from 'node:module';

type Lookup = (ip: string) => { country?: string } | null;
let lookup: Lookup | undefined;

/**
 * Country of an IP address from the offline GeoLite2 country database bundled in the
 * `geoip-country` package (about 8 MB of data, no network at any time). Loaded on first use,
 * so processes that never ask for a country do not pay for it. ISO 3166-1 alpha-2 code, or
 * undefined for private, reserved, malformed or unknown addresses.
 * This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com.
 */
export function countryOf(ip: string): string | undefined {
  if (!ip || isIP(ip) === 0) return undefined;
  lookup ??= (createRequire(import.meta.url)('geoip-country') as { lookup: Lookup }).lookup;
  const c = lookup(ip)?.country;
  return c && /^[A-Z]{2}$/.test(c) ? c : undefined;
}
