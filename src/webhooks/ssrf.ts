import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

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
 *
 * Which addresses are special comes from ipaddr.js's `range()` (its tables follow the IANA
 * special-purpose registries, RFC 6890 and successors), not from a list of our own: only what
 * it classifies as `unicast` may be reached. On top of that, IPv6 must lie in 2000::/3, the only
 * block IANA allocates for global unicast (this refuses the deprecated IPv4-compatible ::/96 and
 * every unassigned block), and an IPv4 address embedded by a translation mechanism is judged as
 * that IPv4 address.
 */

/** IPv6 ranges that carry an IPv4 address in their last 32 bits (or, for 6to4, bits 16–47); judged by that address. */
const EMBEDS_IPV4 = new Set(['ipv4Mapped', 'rfc6052', '6to4']);
/** RFC 8215 local-use NAT64 prefix: ipaddr.js files it under rfc6052, but it is not globally routed. */
const LOCAL_USE_NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b:1::/48');
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

function embeddedIpv4(ip: ipaddr.IPv6, range: string): ipaddr.IPv4 {
  const p = ip.parts;
  // 6to4 (RFC 3056): 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
  if (range === '6to4') return new ipaddr.IPv4([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]);
  return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
}

/** True for every address a webhook must not reach (private, loopback, link-local, CGNAT, metadata, multicast, reserved, translated forms of those). */
export function isForbiddenAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return true; // not an address at all: refuse
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(family === 6 ? ip.replace(/%.*$/, '') : ip);
  } catch {
    return true;
  }
  if (addr.kind() === 'ipv4') return addr.range() !== 'unicast';
  const v6 = addr as ipaddr.IPv6;
  const range = v6.range();
  if (EMBEDS_IPV4.has(range)) {
    if (v6.match(LOCAL_USE_NAT64)) return true;
    return embeddedIpv4(v6, range).range() !== 'unicast';
  }
  return range !== 'unicast' || !v6.match(GLOBAL_UNICAST);
}

const INTERNAL_NAMES = /(^|\.)(localhost|localdomain|local|internal|intranet|lan|home\.arpa|corp)$/i;
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']);

export type UrlProblem = { code: 'webhook_url_invalid' | 'webhook_url_not_allowed'; message: string };

/**
 * Checks a destination URL at registration. `allowPrivate` (WEBHOOKS_ALLOW_PRIVATE) lifts the
 * address checks for self-hosted installs and tests, never the scheme checks.
 */
export function checkDestinationUrl(raw: string, allowPrivate: boolean, protocols: readonly string[] = ['https:', 'http:']): { url: URL } | { problem: UrlProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: { code: 'webhook_url_invalid', message: 'Not an absolute URL.' } };
  }
  if (!protocols.includes(url.protocol)) {
    return { problem: { code: 'webhook_url_not_allowed', message: `Only ${protocols.map((p) => p.slice(0, -1)).join(' and ')} URLs are accepted.` } };
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
