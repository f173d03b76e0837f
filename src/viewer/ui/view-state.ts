import { CHIP_KEYS, checkFilter, type ChipKey } from './query.js';

/**
 * What the viewer shows, as a shareable string: saved in one query parameter of the host page's
 * URL (history.replaceState, `vt` unless the `view-param` attribute names another), read back
 * when the element starts. Everything read back is checked as if typed: a crafted link can set
 * filters, never anything else (the token's scope still bounds what they find).
 */
export interface ViewState {
  /** Free text of the search box. */
  text: string;
  /** Active filters shown as chips (qualifiers and pivots). */
  chips: Partial<Record<ChipKey, string>>;
  /** The filter fields. */
  actor: string;
  action: string;
  outcome: string;
  from: string;
  to: string;
  /** A range brushed on the histogram (RFC 3339 times). */
  range?: { from: string; to: string };
  trail: boolean;
}

export const EMPTY_VIEW: ViewState = { text: '', chips: {}, actor: '', action: '', outcome: '', from: '', to: '', trail: false };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function encodeView(v: ViewState): string {
  const p = new URLSearchParams();
  if (v.text) p.set('q', v.text);
  for (const k of CHIP_KEYS) if (v.chips[k]) p.set(k, v.chips[k]!);
  if (v.actor) p.set('f.actor', v.actor);
  if (v.action) p.set('f.action', v.action);
  if (v.outcome) p.set('f.outcome', v.outcome);
  if (v.from) p.set('f.from', v.from);
  if (v.to) p.set('f.to', v.to);
  if (v.range) p.set('range', `${v.range.from}/${v.range.to}`);
  if (v.trail) p.set('trail', '1');
  return p.toString();
}

export function decodeView(s: string): ViewState {
  const p = new URLSearchParams(s);
  const str = (k: string, max = 256) => (p.get(k) ?? '').slice(0, max);
  const v: ViewState = { ...EMPTY_VIEW, chips: {}, text: str('q') };
  for (const k of CHIP_KEYS) {
    const raw = p.get(k);
    if (!raw) continue;
    const c = checkFilter(k, raw);
    if (c.ok) v.chips[k] = c.value;
  }
  v.actor = str('f.actor');
  const action = checkFilter('action', str('f.action', 128));
  if (action.ok && str('f.action')) v.action = action.value;
  const outcome = checkFilter('outcome', str('f.outcome', 16));
  if (outcome.ok) v.outcome = outcome.value;
  if (DATE.test(str('f.from'))) v.from = str('f.from');
  if (DATE.test(str('f.to'))) v.to = str('f.to');
  const [from, to] = str('range', 80).split('/');
  if (from && to && !Number.isNaN(Date.parse(from)) && Date.parse(from) < Date.parse(to)) {
    v.range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  }
  v.trail = p.get('trail') === '1';
  return v;
}
