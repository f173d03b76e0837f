import type { ErrorDetail } from './errors.js';
import { parseRfc3339 } from './time.js';

/**
 * The JSON Schema keywords the server's event schema uses (see src/generated/event-input-schema.ts,
 * taken from openapi.json). `npm run sdk:generate` fails when the schema starts using another
 * keyword, so a new server rule cannot be silently ignored here.
 */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'items',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'description',
  'default',
  'examples',
]);

export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer';
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
}

// The same expression the server's validator (TypeBox) uses for `format: email`.
const EMAIL =
  /^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*|"(?:[^"\\]|\\[\x20-\x7e])*")@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[(?:IPv6:[a-f0-9:]+|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})\])$/i;

const patterns = new Map<string, RegExp>();
function regexp(pattern: string): RegExp {
  let r = patterns.get(pattern);
  if (!r) {
    r = new RegExp(pattern, 'u');
    patterns.set(pattern, r);
  }
  return r;
}

/** String length in Unicode code points, as JSON Schema counts it. */
export function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Validates `value` against `schema` and reports problems with the codes the server uses
 * (`required`, `unknown_field`, `invalid_type`, `invalid_value`, `too_long`, `invalid_format`, …).
 * Unlike the server it lists every missing field, not only the first.
 */
export function schemaErrors(schema: JsonSchema, value: unknown, path: (string | number)[] = [], out: ErrorDetail[] = []): ErrorDetail[] {
  const at = (p: (string | number)[], code: string, message: string) => out.push({ field: formatPath(p), code, message });
  const typeOk =
    schema.type === undefined ||
    (schema.type === 'object' && isObject(value)) ||
    (schema.type === 'array' && Array.isArray(value)) ||
    (schema.type === 'string' && typeof value === 'string') ||
    (schema.type === 'integer' && typeof value === 'number' && Number.isInteger(value));
  if (!typeOk) at(path, 'invalid_type', `Must be ${schema.type}.`);
  if (schema.enum && !schema.enum.includes(value)) at(path, 'invalid_value', `Must be one of: ${schema.enum.join(', ')}.`);
  if (!typeOk) return out;

  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) at(path, 'out_of_range', `Must be >= ${schema.minimum}.`);
    if (schema.maximum !== undefined && value > schema.maximum) at(path, 'out_of_range', `Must be <= ${schema.maximum}.`);
  } else if (typeof value === 'string') {
    // UTF-16 length bounds the code-point count from above (and twice it from below): count only when needed.
    if (schema.minLength !== undefined && value.length < 2 * schema.minLength && codePoints(value) < schema.minLength) {
      at(path, schema.minLength === 1 ? 'required' : 'too_short', `At least ${schema.minLength} characters.`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength && codePoints(value) > schema.maxLength) {
      at(path, 'too_long', `At most ${schema.maxLength} characters.`);
    }
    if (schema.pattern !== undefined && !regexp(schema.pattern).test(value)) at(path, 'invalid_format', 'Does not have the required format.');
    if (schema.format === 'email' && !EMAIL.test(value)) at(path, 'invalid_format', 'Must be a valid email.');
    if (schema.format === 'date-time') {
      // As the server reads `format: date-time` (src/common/schema.ts): RFC 3339 with an offset.
      const t = parseRfc3339(value);
      if (!t.ok && t.reason === 'missing_offset') at(path, 'missing_timezone', 'A time zone offset is required (Z or ±hh:mm).');
      else if (!t.ok && t.reason === 'range') at(path, 'invalid_format', 'Not a valid calendar date and time.');
      else if (!t.ok) at(path, 'invalid_format', 'Must be an RFC 3339 date-time, e.g. 2026-11-22T10:00:00.123Z.');
    }
  } else if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) at(path, 'too_many_items', `At most ${schema.maxItems} items.`);
    if (schema.minItems !== undefined && value.length < schema.minItems) at(path, 'too_few_items', `At least ${schema.minItems} items.`);
    if (schema.items) value.forEach((v, i) => schemaErrors(schema.items!, v, [...path, i], out));
  } else if (isObject(value)) {
    for (const name of schema.required ?? []) {
      if (!Object.prototype.hasOwnProperty.call(value, name) || value[name] === undefined) at([...path, name], 'required', 'This field is required.');
    }
    for (const [name, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const prop = schema.properties?.[name];
      if (prop) schemaErrors(prop, v, [...path, name], out);
      else if (schema.additionalProperties === false) at([...path, name], 'unknown_field', 'This field is not part of the schema.');
    }
  }
  return out;
}
