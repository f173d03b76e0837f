import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBody, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { ValidationError, type ErrorDetail } from './errors.js';
import { formatPath } from './json-body.js';

export { Type, type Static, type TSchema };

/**
 * One schema per request shape: TypeBox builds a JSON Schema that is (a) compiled into the
 * validator below and (b) published in the OpenAPI document. No second validation stack.
 */

export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

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
    const d = toDetail(e, prefix);
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

function toDetail(e: TypeBoxError, prefix: (string | number)[]): ErrorDetail | undefined {
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

/** The OpenAPI form of a schema: a $ref when it was registered with a name. */
export function openApiSchema(schema: TSchema): Record<string, unknown> {
  const name = (schema as Record<symbol, unknown>)[NAME];
  if (typeof name === 'string') return { $ref: getSchemaPath(name) };
  return schema as unknown as Record<string, unknown>;
}

// ---------- Nest parameter decorators ----------

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
