/** Tiny DOM helpers. Event data only ever becomes text nodes (never HTML), shown with visible escapes. */

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

// Control characters, line/paragraph separators, bidi overrides and zero-width characters
// cannot reorder, hide or break what the viewer shows: they are displayed as \uXXXX.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

export function visible(value: unknown): string {
  const text = typeof value === 'string';
  const s = text ? value : value === undefined ? '' : JSON.stringify(value, null, 2);
  // Pretty-printed JSON keeps its own line breaks; inside its strings JSON already escaped them.
  return s.replace(INVISIBLE, (c) => (!text && c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

let ids = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++ids}`;
}
