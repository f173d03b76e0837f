import { isIP } from 'node:net';
import { isObject, setOwn, type JsonObject, type ScrubPolicy } from './types.js';

/** Minimisation (allowed and denied metadata keys) and IP truncation, applied before the secret rules. */

/** Drops `segs` below `node`; through an array a numeric segment picks one element, any other applies to every element. */
function dropPath(node: unknown, segs: string[]): void {
  const [head, ...rest] = segs;
  if (head === undefined) return;
  if (Array.isArray(node)) {
    if (/^[0-9]+$/.test(head)) {
      if (rest.length > 0) dropPath(node[Number(head)], rest);
    } else {
      for (const item of node) dropPath(item, segs);
    }
    return;
  }
  if (!isObject(node) || !Object.hasOwn(node, head)) return;
  if (rest.length === 0) delete node[head];
  else dropPath(node[head], rest);
}

export function minimiseMetadata(metadata: JsonObject, policy: ScrubPolicy): JsonObject {
  let md = metadata;
  if (policy.allowMetadataKeys !== undefined) {
    const allow = new Set(policy.allowMetadataKeys);
    const kept: JsonObject = {};
    for (const [k, v] of Object.entries(md)) if (allow.has(k)) setOwn(kept, k, v);
    md = kept;
  }
  for (const path of policy.denyFields ?? []) {
    const segs = path.split('.');
    if (segs[0] === 'metadata' && segs.length > 1) dropPath(md, segs.slice(1));
  }
  return md;
}

function parseIpv6(text: string): number[] | undefined {
  let s = text;
  const last = s.slice(s.lastIndexOf(':') + 1);
  if (last.includes('.')) {
    const o = last.split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = o;
    s = `${s.slice(0, s.lastIndexOf(':') + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length > 1 ? 8 - head.length - tail.length : 0;
  const parts = [...head, ...Array<string>(fill).fill('0'), ...tail].map((h) => parseInt(h, 16));
  return parts.length === 8 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 0xffff) ? parts : undefined;
}

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(h: number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < h.length; ) {
    if (h[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < h.length && h[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = h.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** IPv4 → /24, IPv6 → /48 (an IPv4-mapped address keeps its ::ffff: prefix and is cut at /24); undefined when not an IP. */
export function truncateIp(ip: string): string | undefined {
  const text = ip.trim().split('%')[0] ?? '';
  const family = isIP(text);
  if (family === 4) return text.replace(/\.[0-9]+$/, '.0');
  if (family !== 6) return undefined;
  const h = parseIpv6(text);
  if (h === undefined) return undefined;
  const mapped = h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff;
  if (mapped) return `::ffff:${(h[6] ?? 0) >> 8}.${(h[6] ?? 0) & 0xff}.${(h[7] ?? 0) >> 8}.0`;
  return formatIpv6([h[0] ?? 0, h[1] ?? 0, h[2] ?? 0, 0, 0, 0, 0, 0]);
}
