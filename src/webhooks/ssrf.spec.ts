import { describe, expect, it } from 'vitest';
import { checkDestinationUrl, isForbiddenAddress } from './ssrf.js';

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '100.64.0.1', '100.127.255.255',
    '169.254.169.254', '224.0.0.1', '239.255.255.250', '255.255.255.255', '198.18.0.1', '192.0.2.1',
    '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd00:ec2::254', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe',
    '::127.0.0.1', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::', '2002:a00:1::1', '2001:db8::1', 'not-an-ip',
  ])('refuses %s', (ip) => expect(isForbiddenAddress(ip)).toBe(true));

  // PEN-L8: ranges the hand-written list missed, now classified by ipaddr.js.
  it.each([
    '::ffff:0:7f00:1', // ::ffff:0:0:0/96 (RFC 6145, IPv4-translated) carrying 127.0.0.1
    '::ffff:0:5db8:d822', // the same range with a public IPv4: still not a global address
    '64:ff9b:1::7f00:1', // 64:ff9b:1::/48 (RFC 8215, local-use NAT64)
    '64:ff9b:1:ab::808:808', // ... whatever it embeds
    '::808:808', // IPv4-compatible ::/96 (deprecated) with a public IPv4
    '2001:20::1', // ORCHIDv2
    '3fff::1', // documentation (RFC 9637)
    '5f00::1', // SRv6 SIDs
    '4000::1', // outside 2000::/3: not allocated for global unicast
    '192.31.196.1', // AS112
  ])('PEN-L8: refuses %s', (ip) => expect(isForbiddenAddress(ip)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '2a00:1450:4001::200e', '::ffff:93.184.216.34', '64:ff9b::808:808'])(
    'allows %s',
    (ip) => expect(isForbiddenAddress(ip)).toBe(false),
  );
});

describe('checkDestinationUrl', () => {
  it.each([
    ['http://2130706433/', 'webhook_url_not_allowed'],
    ['http://0177.0.0.1/', 'webhook_url_not_allowed'],
    ['http://0x7f.1/', 'webhook_url_not_allowed'],
    ['http://[::ffff:127.0.0.1]/', 'webhook_url_not_allowed'],
    ['http://[::ffff:0:7f00:1]/', 'webhook_url_not_allowed'],
    ['http://[64:ff9b:1::a9fe:a9fe]/', 'webhook_url_not_allowed'],
    ['http://LOCALHOST./', 'webhook_url_not_allowed'],
    ['http://foo.internal/', 'webhook_url_not_allowed'],
    ['https://a:b@example.com/', 'webhook_url_not_allowed'],
    ['file:///etc/passwd', 'webhook_url_not_allowed'],
    ['ws://example.com/', 'webhook_url_not_allowed'],
    ['nope', 'webhook_url_invalid'],
  ])('%s → %s', (url, code) => {
    const r = checkDestinationUrl(url, false);
    expect('problem' in r && r.problem.code).toBe(code);
  });

  it('accepts public http(s) URLs, and private ones only when allowed', () => {
    expect('url' in checkDestinationUrl('https://hooks.example.com/x?y=1', false)).toBe(true);
    expect('url' in checkDestinationUrl('http://127.0.0.1:8080/x', true)).toBe(true);
    expect('problem' in checkDestinationUrl('gopher://127.0.0.1/', true)).toBe(true);
  });
});
