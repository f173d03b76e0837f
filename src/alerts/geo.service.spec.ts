import { describe, expect, it } from 'vitest';
import { GeoService } from './geo.service.js';

describe('GeoService (bundled offline GeoLite2 country data)', () => {
  const geo = new GeoService();

  it('finds the country of public IPv4 and IPv6 addresses without any network', () => {
    expect(geo.country('8.8.8.8')).toBe('US');
    expect(geo.country('81.2.69.142')).toBe('GB');
    expect(geo.country('2001:4860:4860::8888')).toBe('US');
    expect(geo.country('::ffff:8.8.8.8')).toBe('US');
  });

  it('has no country for private, documentation and malformed addresses', () => {
    for (const ip of ['10.0.0.1', '127.0.0.1', '192.168.1.1', '203.0.113.5', '', 'not an ip', '999.1.1.1', '8.8.8.8; DROP']) expect(geo.country(ip)).toBeUndefined();
  });
});
