import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBody, ApiQuery, getSchemaPath } from './openapi-decorators.js';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import Format from 'typebox/format';
import { errorResponse } from './api-errors.js';
import { ValidationError, type ErrorDetail } from './errors.js';
import { formatPath } from './json-body.js';
import { parseRfc3339 } from './time.js';

export { Type, type Static, type TSchema };

/**
 * One schema per request shape: TypeBox builds a JSON Schema that is (a) compiled into the
 * validator below and (b) published in the OpenAPI document. No second validation stack.
 */

export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * `format: date-time` means what the API accepts everywhere: RFC 3339 with an offset (`Z` or
 * `±hh:mm`), read by the same parser as every time the server takes (common/time.ts). TypeBox's
 * built-in check would also take RFC 9557 suffixes and offsets without a colon, which the parser
 * refuses; one definition keeps the published schema and the validator in agreement.
 */
Format.Set('date-time', (value: string) => parseRfc3339(value).ok);

type Validator = { Check(value: unknown): boolean; Errors(value: unknown): Iterable<TypeBoxError> };
interface TypeBoxError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
}

const compiled = new WeakMap<TSchema, Validator>();

export function validator(schema: TSchema): Validator {
  let v = compiled.get(schema);
  if (!v) {
    v = Compile(schema) as unknown as Validator;
    compiled.set(schema, v);
  }
  return v;
}

/** Validates `value` against `schema`; returns error details (empty when valid). */
export function schemaErrors(schema: TSchema, value: unknown, prefix: (string | number)[] = [], index?: number): ErrorDetail[] {
  const v = validator(schema);
  if (v.Check(value)) return [];
  const out: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const e of v.Errors(value)) {
    const d = toDetail(e, prefix, value);
    if (!d) continue;
    const key = `${d.field}|${d.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (index !== undefined) d.index = index;
    out.push(d);
    if (out.length >= 50) break;
  }
  return out;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const p of pointerToPath(pointer)) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

function toDetail(e: TypeBoxError, prefix: (string | number)[], root: unknown): ErrorDetail | undefined {
  const path = [...prefix, ...pointerToPath(e.instancePath)];
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params.requiredProperties as string[] | undefined) ?? [];
      return { field: formatPath([...path, missing[0] ?? '']), code: 'required', message: 'This field is required.' };
    }
    case 'additionalProperties':
      return undefined; // reported per key through the "boolean" error below
    case 'boolean':
      return { field: formatPath(path), code: 'unknown_field', message: 'This field is not part of the schema.' };
    case 'type':
      return { field: formatPath(path), code: 'invalid_type', message: `Must be ${String(e.params.type)}.` };
    case 'enum':
      return {
        field: formatPath(path),
        code: 'invalid_value',
        message: `Must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}.`,
      };
    case 'maxLength':
      return { field: formatPath(path), code: 'too_long', message: `At most ${String(e.params.limit)} characters.` };
    case 'minLength':
      return { field: formatPath(path), code: e.params.limit === 1 ? 'required' : 'too_short', message: `At least ${String(e.params.limit)} characters.` };
    case 'maxItems':
      return { field: formatPath(path), code: 'too_many_items', message: `At most ${String(e.params.limit)} items.` };
    case 'minItems':
      return { field: formatPath(path), code: 'too_few_items', message: `At least ${String(e.params.limit)} items.` };
    case 'pattern':
      return { field: formatPath(path), code: 'invalid_format', message: 'Does not have the required format.' };
    case 'format':
      if (e.params.format === 'date-time') return dateTimeDetail(path, valueAt(root, e.instancePath));
      return { field: formatPath(path), code: 'invalid_format', message: `Must be a valid ${String(e.params.format)}.` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { field: formatPath(path), code: 'out_of_range', message: `Must be ${String(e.params.comparison)} ${String(e.params.limit)}.` };
    case 'maxProperties':
      return { field: formatPath(path), code: 'too_many_fields', message: `At most ${String(e.params.limit)} fields.` };
    case 'uniqueItems':
      return { field: formatPath(path), code: 'duplicate_items', message: 'Items must be unique.' };
    default:
      return { field: formatPath(path), code: 'invalid_value', message: e.message };
  }
}

/** The codes every time field reports: a missing offset is `missing_timezone`, anything else `invalid_format`. */
function dateTimeDetail(path: (string | number)[], value: unknown): ErrorDetail {
  const t = typeof value === 'string' ? parseRfc3339(value) : undefined;
  if (t && !t.ok && t.reason === 'missing_offset') return { field: formatPath(path), code: 'missing_timezone', message: 'A time zone offset is required (Z or ±hh:mm).' };
  if (t && !t.ok && t.reason === 'range') return { field: formatPath(path), code: 'invalid_format', message: 'Not a valid calendar date and time.' };
  return { field: formatPath(path), code: 'invalid_format', message: 'Must be an RFC 3339 date-time, e.g. 2026-11-22T10:00:00.123Z.' };
}

/** Throws a 400 `validation_failed` listing every problem. */
export function assertValid<T extends TSchema>(schema: T, value: unknown): asserts value is Static<T> {
  const details = schemaErrors(schema, value);
  if (details.length > 0) throw new ValidationError(details);
}

// ---------- OpenAPI: named schemas ----------

const named = new Map<string, TSchema>();
const NAME = Symbol.for('veritrail.schemaName');

/** Registers a schema as `#/components/schemas/<name>` and returns it. */
export function named$<T extends TSchema>(name: string, schema: T): T {
  named.set(name, schema);
  (schema as unknown as Record<symbol, unknown>)[NAME] = name;
  return schema;
}

export function registeredSchemas(): ReadonlyMap<string, TSchema> {
  return named;
}

/**
 * `components.schemas` of the OpenAPI document: every registered schema as plain JSON, with
 * the registered schemas it is built from (Actor inside EventInput, Event inside EventList…)
 * as `$ref`s, so each shape is defined once in the document as in the code.
 */
export function componentSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of named) out[name] = JSON.parse(JSON.stringify(withRefs(schema, true)));
  return out;
}

function withRefs(value: unknown, root: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => withRefs(v, false));
  if (value === null || typeof value !== 'object') return value;
  const name = (value as Record<symbol, unknown>)[NAME];
  if (!root && typeof name === 'string') {
    const registered = named.get(name);
    // A copy that changed something (a description added, say) stays inline.
    if (registered && JSON.stringify(registered) === JSON.stringify(value)) return { $ref: getSchemaPath(name) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRefs(v, false)]));
}

/** The OpenAPI form of a schema: a $ref when it was registered with a name. */
export function openApiSchema(schema: TSchema): Record<string, unknown> {
  const name = (schema as Record<symbol, unknown>)[NAME];
  if (typeof name === 'string') return { $ref: getSchemaPath(name) };
  return schema as unknown as Record<string, unknown>;
}

// ---------- Nest parameter decorators ----------

const BODY_400 = '`validation_failed`: the body breaks its schema or a rule (`details` names each field).';
const QUERY_400 = '`validation_failed`: a query parameter is unknown, repeated or invalid.';
const CURSOR_400 = '`invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters.';

/**
 * `@ValidBody(Schema) body: Static<typeof Schema>` — validates the parsed JSON body and
 * documents it in OpenAPI from the same schema.
 */
export function ValidBody(schema: TSchema, options: { description?: string } = {}): ParameterDecorator {
  const param = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
    const body = ctx.switchToHttp().getRequest<{ body?: unknown }>().body;
    assertValid(schema, body ?? {});
    return body ?? {};
  })();
  return (target, key, index) => {
    param(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
      ApiBody({ schema: openApiSchema(schema), description: options.description, required: true })(target, key, descriptor);
      errorResponse(400, BODY_400)(target, key, descriptor);
    }
  };
}

interface ObjectSchema {
  properties?: Record<string, TSchema & { type?: string; description?: string; items?: { type?: string } }>;
  required?: string[];
}

/**
 * `@ValidQuery(Schema) query: Static<typeof Schema>` — coerces the query string to the
 * schema's types (integers, booleans), rejects repeated or unknown parameters, validates,
 * and documents each parameter in OpenAPI.
 */
export function ValidQuery(schema: TSchema): ParameterDecorator {
  const props = (schema as ObjectSchema).properties ?? {};
  const required = new Set((schema as ObjectSchema).required ?? []);
  const param = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
    const raw = ctx.switchToHttp().getRequest<{ query?: Record<string, unknown> }>().query ?? {};
    const { value, details } = coerceQuery(props, raw);
    if (details.length > 0) throw new ValidationError(details);
    assertValid(schema, value);
    return value;
  })();
  return (target, key, index) => {
    param(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
    for (const [name, prop] of Object.entries(props)) {
      ApiQuery({ name, required: required.has(name), schema: prop as never, description: prop.description })(target, key, descriptor);
    }
    errorResponse(400, props.cursor ? `${QUERY_400} ${CURSOR_400}` : QUERY_400)(target, key, descriptor);
  };
}

function coerceQuery(
  props: NonNullable<ObjectSchema['properties']>,
  raw: Record<string, unknown>,
): { value: Record<string, unknown>; details: ErrorDetail[] } {
  const value: Record<string, unknown> = {};
  const details: ErrorDetail[] = [];
  for (const [name, v] of Object.entries(raw)) {
    const prop = props[name];
    if (!prop) {
      details.push({ field: name, code: 'unknown_parameter', message: 'This query parameter is not supported.' });
      continue;
    }
    if (Array.isArray(v) && prop.type !== 'array') {
      details.push({ field: name, code: 'repeated_parameter', message: 'This query parameter may appear once.' });
      continue;
    }
    const s = String(v);
    if (prop.type === 'integer' || prop.type === 'number') {
      const n = /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
      value[name] = Number.isNaN(n) ? s : n;
    } else if (prop.type === 'boolean') {
      value[name] = s === 'true' ? true : s === 'false' ? false : s;
    } else if (prop.type === 'array') {
      value[name] = Array.isArray(v) ? v.map(String) : s.split(',');
    } else {
      value[name] = s;
    }
  }
  return { value, details };
}
