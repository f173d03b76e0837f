import { isIP } from 'node:net';
import { createRequire } from 'node:module';
import { Injectable } from '@nestjs/common';
import { COUNTRY_LOCATIONS } from './country-locations.js';

type Lookup = (ip: string) => { country?: string } | null;

/**
 * Country of an IP address from the offline GeoLite2 country database bundled in the
 * `geoip-country` package (about 8 MB of data, no network at any time). Loaded on first use,
 * so processes that never evaluate a country rule do not pay for it.
 * This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com.
 */
@Injectable()
export class GeoService {
  private lookup: Lookup | undefined;

  /** ISO 3166-1 alpha-2 code, or undefined for private, reserved, malformed or unknown addresses. */
  country(ip: string): string | undefined {
    if (!ip || isIP(ip) === 0) return undefined;
    this.lookup ??= (createRequire(import.meta.url)('geoip-country') as { lookup: Lookup }).lookup;
    const c = this.lookup(ip)?.country;
    return c && /^[A-Z]{2}$/.test(c) ? c : undefined;
  }

  /**
   * Where an IP address is, approximately: its country and that country's reference point
   * (COUNTRY_LOCATIONS). Country level only: two addresses of one country are at the same place.
   */
  location(ip: string): { country: string; at: readonly [number, number] } | undefined {
    const country = this.country(ip);
    const at = country ? COUNTRY_LOCATIONS[country] : undefined;
    return country && at ? { country, at } : undefined;
  }
}
