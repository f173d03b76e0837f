import { Injectable } from '@nestjs/common';
import { countryOf } from '../common/geo.js';

/** Country of an IP address (offline GeoLite2 data, common/geo.ts): what country rules compare. */
@Injectable()
export class GeoService {
  /** ISO 3166-1 alpha-2 code, or undefined for private, reserved, malformed or unknown addresses. */
  country(ip: string): string | undefined {
    return countryOf(ip);
  }
}
