import { Injectable } from '@nestjs/common';
import { countryOf } from '../common/geo.js';
import { COUNTRY_LOCATIONS } from './country-locations.js';

/** Country of an IP address (offline GeoLite2 data, common/geo.ts): what country rules compare. */
@Injectable()
export class GeoService {
  /** ISO 3166-1 alpha-2 code, or undefined for private, reserved, malformed or unknown addresses. */
  country(ip: string): string | undefined {
    return countryOf(ip);
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
