/**
 * Display templates: a per-action sentence such as `{actor.name} shared {targets[0].name} with
 * {targets[1].name}`, rendered from an event into plain text. Only paths into the event are
 * allowed (no expressions, no functions, no HTML: the result is text and every client must show it
 * as text). `{{` and `}}` write a literal brace. A missing or non-scalar value renders as
 * MISSING_VALUE.
 */

/** Bounds on a template: its length, its placeholders, the depth of one path. */
export const TEMPLATE_LIMITS = { chars: 1000, placeholders: 32, pathSegments: 8, valueChars: 200, locales: 32 } as const;

/** What a placeholder whose value is missing, null, an object or an array renders as. */
export const MISSING_VALUE = '—';

const ROOTS = new Set(['actor', 'targets', 'metadata', 'organization_id', 'outcome', 'context']);
/** Roots that are a single value: nothing may follow them. */
const SCALAR_ROOTS = new Set(['organization_id', 'outcome']);
const KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export type Segment = string | number;
export type Part = { text: string } | { path: Segment[] };

export class TemplateError extends Error {
  constructor(
    readonly code: 'template_too_large' | 'unbalanced_brace' | 'nested_brace' | 'unknown_path' | 'too_many_placeholders' | 'empty_template',
    message: string,
  ) {
    super(message);
  }
}

/** Parses a template into text and paths; throws TemplateError with a stable code. */
export function parseTemplate(template: string): Part[] {
  if (template.length === 0) throw new TemplateError('empty_template', 'A template must not be empty.');
  if (template.length > TEMPLATE_LIMITS.chars) throw new TemplateError('template_too_large', `A template is at most ${TEMPLATE_LIMITS.chars} characters.`);
  const parts: Part[] = [];
  let text = '';
  let placeholders = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '}') {
      if (template[i + 1] === '}') {
        text += '}';
        i++;
        continue;
      }
      throw new TemplateError('unbalanced_brace', `Unmatched "}" at ${i}; write "}}" for a literal brace.`);
    }
    if (c !== '{') {
      text += c;
      continue;
    }
    if (template[i + 1] === '{') {
      text += '{';
      i++;
      continue;
    }
    const end = template.indexOf('}', i + 1);
    if (end < 0) throw new TemplateError('unbalanced_brace', `Unclosed "{" at ${i}; write "{{" for a literal brace.`);
    const inner = template.slice(i + 1, end);
    if (inner.includes('{')) throw new TemplateError('nested_brace', `Placeholders do not nest (at ${i}).`);
    if (++placeholders > TEMPLATE_LIMITS.placeholders) throw new TemplateError('too_many_placeholders', `A template has at most ${TEMPLATE_LIMITS.placeholders} placeholders.`);
    if (text) parts.push({ text });
    text = '';
    parts.push({ path: parsePath(inner.trim()) });
    i = end;
  }
  if (text) parts.push({ text });
  return parts;
}

/** `actor.name`, `targets[0].id`, `metadata.plan.tier`, `context.location`, `outcome`. */
export function parsePath(raw: string): Segment[] {
  const unknown = (): never => {
    throw new TemplateError('unknown_path', `"{${raw.slice(0, 80)}}" is not a path into the event (actor.*, targets[n].*, metadata.*, context.*, organization_id, outcome).`);
  };
  const segments: Segment[] = [];
  const re = /^(?:\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(0|[1-9][0-9]{0,2})\])/;
  let rest = raw;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m) unknown();
    if (segments.length === 0 && (m![0].startsWith('.') || m![2] !== undefined)) unknown();
    if (m![1] !== undefined) {
      if (!KEY.test(m![1])) unknown();
      segments.push(m![1]);
    } else {
      segments.push(Number(m![2]));
    }
    rest = rest.slice(m![0].length);
  }
  const root = segments[0];
  if (typeof root !== 'string' || !ROOTS.has(root)) unknown();
  if (SCALAR_ROOTS.has(root as string) && segments.length > 1) unknown();
  if (root === 'targets' && typeof segments[1] !== 'number') unknown();
  if ((root === 'actor' || root === 'metadata' || root === 'context') && segments.length < 2) unknown();
  if (root === 'actor' && typeof segments[1] !== 'string') unknown();
  if (segments.length > TEMPLATE_LIMITS.pathSegments) unknown();
  return segments;
}

function valueAt(event: unknown, path: Segment[]): string {
  let v: unknown = event;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return MISSING_VALUE;
    if (typeof s === 'number') {
      if (!Array.isArray(v)) return MISSING_VALUE;
      v = v[s];
    } else {
      if (Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, s)) return MISSING_VALUE;
      v = (v as Record<string, unknown>)[s];
    }
  }
  if (typeof v === 'string') return v.length === 0 ? MISSING_VALUE : v.length > TEMPLATE_LIMITS.valueChars ? `${v.slice(0, TEMPLATE_LIMITS.valueChars - 1)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return MISSING_VALUE;
}

/** Renders parsed parts against an event (its parsed canonical JSON). Plain text, never markup. */
export function renderTemplate(parts: Part[], event: unknown): string {
  let out = '';
  for (const p of parts) out += 'text' in p ? p.text : valueAt(event, p.path);
  return out;
}

/** The message of an action without a template: `member.role.updated` → "Member role updated". */
export function defaultMessage(action: string): string {
  const words = action.split(/[._-]+/).filter(Boolean).join(' ');
  return words.length === 0 ? action : words[0]!.toUpperCase() + words.slice(1);
}

/** A locale tag as accepted in `locales` and `?locale=`: BCP 47 language[-region]. */
export const LOCALE_PATTERN = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$';

/** The best template for a locale: exact tag, then its language, then the default. */
export function pickLocale<T>(locales: Record<string, T> | undefined, fallback: T, locale: string | undefined): T {
  if (!locale || !locales) return fallback;
  const lower = locale.toLowerCase();
  for (const [k, v] of Object.entries(locales)) if (k.toLowerCase() === lower) return v;
  const lang = lower.split('-')[0]!;
  for (const [k, v] of Object.entries(locales)) if (k.toLowerCase() === lang) return v;
  return fallback;
}
