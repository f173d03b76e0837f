/** The search box: free text plus `actor:` `action:` `outcome:` qualifiers. */
export interface SearchQuery {
  actor_id?: string;
  action?: string;
  outcome?: 'success' | 'failure' | 'unknown';
  q?: string;
}

export const ACTION_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_-]+)*(\.\*)?$/;

/** Splits on whitespace, keeping "quoted phrases" together (quotes removed). */
function tokens(input: string): string[] {
  const out: string[] = [];
  const re = /(\w+:)?"([^"]*)"|\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(input))) out.push(m[2] !== undefined ? `${m[1] ?? ''}${m[2]}` : m[0]);
  return out;
}

export type ParseResult = { ok: true; query: SearchQuery } | { ok: false; problem: 'bad_action' | 'bad_outcome' };

export function parseSearch(input: string): ParseResult {
  const query: SearchQuery = {};
  const free: string[] = [];
  for (const t of tokens(input.trim())) {
    const m = /^(actor|action|outcome):(.*)$/i.exec(t);
    if (!m || m[2] === '') {
      free.push(t);
      continue;
    }
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    if (key === 'actor') query.actor_id = value;
    else if (key === 'action') {
      const action = value.toLowerCase();
      if (!ACTION_PATTERN.test(action) || action.length > 128) return { ok: false, problem: 'bad_action' };
      query.action = action;
    } else {
      const outcome = value.toLowerCase();
      if (outcome !== 'success' && outcome !== 'failure' && outcome !== 'unknown') return { ok: false, problem: 'bad_outcome' };
      query.outcome = outcome;
    }
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
