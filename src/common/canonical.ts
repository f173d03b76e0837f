/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for values that came out of JSON.parse:
 * object members sorted by UTF-16 code units, no whitespace, numbers and strings serialised
 * as ECMAScript's JSON.stringify does (which is what JCS specifies). Two requests that differ
 * only in key order, whitespace, escapes (`\u00e9` vs `é`) or number spelling (`1.0` vs `1`)
 * therefore produce identical bytes and identical hashes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** Top-level members of an object, each already canonical, sorted by key. */
export type CanonicalMembers = readonly (readonly [string, string])[];

export function canonicalMembers(obj: Record<string, unknown>): CanonicalMembers {
  const keys = Object.keys(obj).sort();
  const out: [string, string][] = [];
  for (const k of keys) {
    const v = obj[k];
    if (v !== undefined) out.push([k, canonicalJson(v)]);
  }
  return out;
}

/**
 * Canonical JSON of `members` plus `extra` top-level members, without re-serialising the
 * members (the ingest path canonicalises an event once, then adds id and received_at).
 */
export function assembleCanonical(members: CanonicalMembers, extra: Record<string, unknown> = {}): string {
  const extraMembers = canonicalMembers(extra);
  let i = 0;
  let j = 0;
  let out = '{';
  let first = true;
  while (i < members.length || j < extraMembers.length) {
    let next: readonly [string, string];
    if (j >= extraMembers.length || (i < members.length && members[i]![0] < extraMembers[j]![0])) next = members[i++]!;
    else next = extraMembers[j++]!;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(next[0])}:${next[1]}`;
  }
  return `${out}}`;
}
