import { BlockList, isIP } from 'node:net';

/**
 * SSRF guard for webhook destinations. Two checks, both required:
 *  1. at registration (`checkDestinationUrl`): http(s) only, no credentials in the URL, and a
 *     host that is not a forbidden address or an internal name. The WHATWG URL parser already
 *     normalises every IPv4 spelling (decimal `2130706433`, octal `0177.0.0.1`, hex `0x7f.1`,
 *     short `127.1`) to dotted quads, so the address check sees the real address;
 *  2. at connect time (`isForbiddenAddress` on every address DNS returns, in the socket's
 *     lookup): a name that resolved to a public address when it was registered and to
 *     127.0.0.1 now (DNS rebinding) is refused before any byte is sent.
 * Redirects are never followed (a 3xx is a failed delivery).
 * Ranges: IANA special-purpose registries (RFC 6890 and successors) — everything that is not
 * globally reachable unicast.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo etc.)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (incl. fd00:ec2::254 metadata)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** IPv4 embedded in an IPv6 address by a translation mechanism (mapped, compatible, NAT64, 6to4), or undefined. */
function embeddedIpv4(ip: string): string | undefined {
  const words = expandIpv6(ip);
  if (!words) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (n: number) => words.slice(0, n).every((w) => w === 0);
  if (zeros(5) && words[5] === 0xffff) return v4(words[6]!, words[7]!); // ::ffff:a.b.c.d
  if (zeros(6)) return v4(words[6]!, words[7]!); // ::a.b.c.d (deprecated compatible)
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return v4(words[6]!, words[7]!); // 64:ff9b::/96
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!); // 6to4
  return undefined;
}

function expandIpv6(ip: string): number[] | undefined {
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // A trailing dotted quad becomes two words.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const p = dotted[1]!.split('.').map(Number);
    s = s.slice(0, -dotted[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const words = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right].map((w) => parseInt(w, 16));
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : undefined;
}

/** True for every address a webhook must not reach (private, loopback, link-local, CGNAT, metadata, multicast, reserved). */
export function isForbiddenAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const bare = ip.replace(/%.*$/, '');
    if (blocked.check(bare, 'ipv6')) return true;
    const v4 = embeddedIpv4(bare);
    return v4 !== undefined && (blocked.check(v4, 'ipv4') || v4 === '0.0.0.0');
  }
  return true; // not an address at all: refuse
}

const INTERNAL_NAMES = /(^|\.)(localhost|localdomain|local|internal|intranet|lan|home\.arpa|corp)$/i;
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']);

export type UrlProblem = { code: 'webhook_url_invalid' | 'webhook_url_not_allowed'; message: string };

/**
 * Checks a destination URL at registration. `allowPrivate` (WEBHOOKS_ALLOW_PRIVATE) lifts the
 * address checks for self-hosted installs and tests, never the scheme checks.
 */
export function checkDestinationUrl(raw: string, allowPrivate: boolean): { url: URL } | { problem: UrlProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: { code: 'webhook_url_invalid', message: 'Not an absolute URL.' } };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: { code: 'webhook_url_not_allowed', message: 'Only http and https URLs are accepted.' } };
  }
  if (url.username || url.password) {
    return { problem: { code: 'webhook_url_not_allowed', message: 'Credentials in the URL are not accepted; use the kind-specific credentials.' } };
  }
  if (allowPrivate) return { url };
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(host) !== 0) {
    if (isForbiddenAddress(host)) return { problem: { code: 'webhook_url_not_allowed', message: 'The URL points at a private, loopback, link-local or reserved address.' } };
    return { url };
  }
  if (!host.includes('.') || INTERNAL_NAMES.test(host) || METADATA_NAMES.has(host.toLowerCase())) {
    return { problem: { code: 'webhook_url_not_allowed', message: 'The URL names an internal host.' } };
  }
  return { url };
}
