/**
 * The search box: free text plus qualifiers. `actor:` `action:` `outcome:` `ip:` `target:`
 * `org:` become filters (shown as removable chips), the rest is free text.
 */
export interface SearchQuery {
  actor_id?: string;
  action?: string;
  outcome?: 'success' | 'failure' | 'unknown';
  ip?: string;
  target_id?: string;
  organization_id?: string;
  q?: string;
}

/** Filters a chip can hold: a qualifier typed in the box, or a pivot clicked in a row. */
export type ChipKey = 'actor_id' | 'action' | 'outcome' | 'ip' | 'target_id' | 'organization_id';
export const CHIP_KEYS: readonly ChipKey[] = ['organization_id', 'actor_id', 'action', 'target_id', 'ip', 'outcome'];

/** Qualifier → filter. */
const QUALIFIERS: Record<string, ChipKey> = { actor: 'actor_id', action: 'action', outcome: 'outcome', ip: 'ip', target: 'target_id', org: 'organization_id' };
/** Filter → the qualifier that writes it (what a chip reads as). */
export const QUALIFIER_OF: Record<ChipKey, string> = { actor_id: 'actor', action: 'action', outcome: 'outcome', ip: 'ip', target_id: 'target', organization_id: 'org' };

export const ACTION_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_-]+)*(\.\*)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/i;

/** Splits on whitespace, keeping "quoted phrases" together (quotes removed). */
function tokens(input: string): string[] {
  const out: string[] = [];
  const re = /(\w+:)?"([^"]*)"|\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(input))) out.push(m[2] !== undefined ? `${m[1] ?? ''}${m[2]}` : m[0]);
  return out;
}

export type Problem = 'bad_action' | 'bad_outcome' | 'bad_ip';
export type ParseResult = { ok: true; query: SearchQuery } | { ok: false; problem: Problem };

/** One filter's value as the API accepts it, or the problem with it. */
export function checkFilter(key: ChipKey, raw: string): { ok: true; value: string } | { ok: false; problem: Problem } {
  if (key === 'action') {
    const action = raw.toLowerCase();
    return ACTION_PATTERN.test(action) && action.length <= 128 ? { ok: true, value: action } : { ok: false, problem: 'bad_action' };
  }
  if (key === 'outcome') {
    const outcome = raw.toLowerCase();
    return outcome === 'success' || outcome === 'failure' || outcome === 'unknown' ? { ok: true, value: outcome } : { ok: false, problem: 'bad_outcome' };
  }
  if (key === 'ip') return (IPV4.test(raw) || (raw.includes(':') && IPV6.test(raw))) ? { ok: true, value: raw } : { ok: false, problem: 'bad_ip' };
  return { ok: true, value: raw.slice(0, 256) };
}

export function parseSearch(input: string): ParseResult {
  const query: SearchQuery = {};
  const free: string[] = [];
  for (const t of tokens(input.trim())) {
    const m = /^(\w+):(.*)$/.exec(t);
    const key = m ? QUALIFIERS[m[1]!.toLowerCase()] : undefined;
    if (!m || !key || m[2] === '') {
      free.push(t);
      continue;
    }
    const checked = checkFilter(key, m[2]!);
    if (!checked.ok) return checked;
    (query as Record<string, string>)[key] = checked.value;
  }
  const q = free.join(' ').trim();
  if (q) query.q = q.slice(0, 256);
  return { ok: true, query };
}

/** Veritrail's own entries (veritrail.*): hidden by default, shown with the toggle or when asked for by action. */
export const TRAIL_ACTIONS = 'veritrail.*';

/**
 * The list's query: the filters, plus `exclude_action=veritrail.*` unless the user chose to see
 * Veritrail's own entries (the toggle) or filters on such an action.
 */
export function listFilters<F extends { action?: string; [k: string]: string | undefined }>(filters: F, showTrail: boolean): F & { exclude_action?: string } {
  if (showTrail || filters.action?.startsWith('veritrail.')) return { ...filters };
  return { ...filters, exclude_action: TRAIL_ACTIONS };
}
