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
