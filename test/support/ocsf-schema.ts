import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Turns the OCSF schema source files (test/fixtures/ocsf-<version>/, copied verbatim from the
 * ocsf/ocsf-schema repository) into one JSON Schema per event class, resolved the way the OCSF
 * server compiles them (ocsf/ocsf-server, lib/schema/json_reader.ex and cache.ex before the
 * compiler moved out of the server; the checks follow its validator2.ex):
 *  - `$include` of includes/ and profiles/ files: the including file's attributes win; attributes
 *    of a profile file are tagged with the profile, `annotations` fill in defaults;
 *  - `extends`: the child's attributes deep-merge over the parent's (a null attribute removes
 *    it), other keys (constraints…) replace the parent's;
 *  - class_uid = category uid × 1000 + class uid; enums of class_uid, category_uid and type_uid
 *    (class_uid × 100 + each activity_id, captioned "<class>: <activity>");
 *  - every attribute is its dictionary entry deep-merged with the class or object definition;
 *    types that are not dictionary types are objects;
 *  - attributes tagged with a profile exist only when the event declares it in
 *    `metadata.profiles` (validator2's filter_with_profiles).
 * The JSON Schema then says what the validator checks: required attributes, no attribute the
 * class or object does not define (an object without attributes, `object`, is open), data
 * types with their regex / max_len / range / values, enum values, enum siblings equal to the
 * enum caption (for 99 "Other" the sibling carries the source's own value, so it must not be
 * the caption "Other"), `at_least_one` and `just_one` constraints. Objects whose definition is
 * not shipped in the fixtures are `false`: emitting one fails until its file is added.
 */

type Json = Record<string, unknown>;
type Attr = Record<string, any>;
interface Item {
  name: string;
  caption?: string;
  description?: string;
  extends?: string;
  category?: string;
  uid?: number;
  profiles?: string[];
  constraints?: Record<string, string[]>;
  attributes: Record<string, Attr | null>;
}

export interface OcsfClass {
  uid: number;
  name: string;
  caption: string;
  categoryUid: number;
  /** Resolved attributes (dictionary merged), before profile filtering. */
  attributes: Record<string, Attr>;
  constraints: Record<string, string[]>;
}

export interface OcsfSchema {
  version: string;
  classes: Map<number, OcsfClass>;
  objects: Map<string, { name: string; attributes: Record<string, Attr>; constraints: Record<string, string[]> }>;
  types: Record<string, Attr>;
  /** The JSON Schema of one class for an event declaring `profiles` (none by default). */
  jsonSchema(classUid: number, profiles?: string[]): Json;
  /** An Ajv validator for one class (compiled once per class and profile set). */
  validator(classUid: number, profiles?: string[]): ValidateFunction;
}

const isMap = (v: unknown): v is Attr => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Elixir Utils.deep_merge: maps merge recursively (an empty side yields the other), else right wins. */
export function deepMerge(left: Attr | null | undefined, right: Attr | null | undefined): Attr {
  if (!isMap(left)) return isMap(right) ? right : {};
  if (!isMap(right)) return left;
  const out: Attr = { ...left };
  for (const [k, r] of Object.entries(right)) {
    const l = out[k];
    if (k in out && isMap(l) && isMap(r)) out[k] = Object.keys(l).length === 0 ? r : Object.keys(r).length === 0 ? l : deepMerge(l, r);
    else out[k] = r;
  }
  return out;
}

export function loadOcsfSchema(dir: string): OcsfSchema {
  const read = (rel: string): any => JSON.parse(readFileSync(join(dir, rel), 'utf8'));
  const version = (read('version.json') as { version: string }).version;
  const categories = (read('categories.json') as { attributes: Record<string, { uid: number; caption: string }> }).attributes;
  const dictionary = read('dictionary.json') as { attributes: Record<string, Attr>; types: { attributes: Record<string, Attr> } };
  const types = dictionary.types.attributes;

  const includeCache = new Map<string, Item>();
  const readInclude = (file: string): Item => {
    let inc = includeCache.get(file);
    if (!inc) {
      const data = read(file) as Item & { meta?: string; annotations?: Attr };
      const profile = data.meta === 'profile' ? data.name : undefined;
      const attributes: Record<string, Attr> = {};
      for (const [k, a] of Object.entries(data.attributes ?? {})) {
        let x: Attr = profile === undefined ? { ...a } : { ...a, profile };
        if (data.annotations) x = deepMerge(data.annotations, x);
        attributes[k] = x;
      }
      inc = { ...data, attributes };
      includeCache.set(file, inc);
    }
    return inc;
  };
  const resolveIncludes = (item: Item): Item => {
    const own = { ...(item.attributes ?? {}) } as Record<string, Attr | null>;
    const inc = own.$include as unknown as string | string[] | undefined;
    delete own.$include;
    let attributes: Attr = own;
    for (const file of inc === undefined ? [] : Array.isArray(inc) ? inc : [inc]) attributes = deepMerge(readInclude(file).attributes, attributes);
    for (const [k, a] of Object.entries(attributes)) {
      if (isMap(a) && typeof a.$include === 'string') {
        const { $include, ...rest } = a;
        attributes[k] = deepMerge(read($include as string), rest);
      }
    }
    return { ...item, attributes };
  };

  const readDir = (sub: string): Map<string, Item> => {
    const items = new Map<string, Item>();
    const walk = (abs: string) => {
      for (const e of readdirSync(abs, { withFileTypes: true })) {
        const p = join(abs, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.json')) {
          const item = resolveIncludes(read(relative(dir, p)) as Item);
          items.set(item.name, item);
        }
      }
    };
    if (existsSync(join(dir, sub))) walk(join(dir, sub));
    return items;
  };

  const resolveExtends = (items: Map<string, Item>, item: Item): Item => {
    if (!item.extends) return item;
    const parent = items.get(item.extends);
    if (!parent) throw new Error(`OCSF fixtures: ${item.name} extends ${item.extends}, which is not shipped`);
    const base = resolveExtends(items, parent);
    const attributes = Object.fromEntries(Object.entries(deepMerge(base.attributes, item.attributes)).filter(([, a]) => a !== null));
    const merged: Item = { ...base };
    for (const [k, v] of Object.entries(item) as [keyof Item, unknown][]) {
      if (v === null || v === undefined) continue;
      (merged as any)[k] = k === 'profiles' && base.profiles ? [...new Set([...base.profiles, ...(v as string[])])] : v;
    }
    return { ...merged, attributes };
  };

  const finalAttributes = (attrs: Record<string, Attr | null>): Record<string, Attr> => {
    const out: Record<string, Attr> = {};
    for (const [name, a] of Object.entries(attrs)) {
      if (a === null) continue;
      let dict = dictionary.attributes[name];
      if (!dict) throw new Error(`OCSF fixtures: attribute ${name} is not in the dictionary`);
      const t = (dict.type as string | undefined) ?? 'object_t';
      if (!types[t]) dict = { ...dict, type: 'object_t', object_type: t };
      const merged = deepMerge(dict, a);
      if (!types[merged.type as string] && merged.type !== 'object_t') {
        merged.object_type = merged.type;
        merged.type = 'object_t';
      }
      out[name] = { requirement: 'optional', ...merged };
    }
    return out;
  };

  // Classes: hidden intermediate classes (no uid, e.g. iam) only serve as parents.
  const rawClasses = readDir('events');
  const classes = new Map<number, OcsfClass>();
  for (const raw of rawClasses.values()) {
    if (raw.uid === undefined) continue;
    const c = resolveExtends(rawClasses, raw);
    const category = categories[c.category ?? ''];
    if (!category) throw new Error(`OCSF fixtures: class ${c.name} has no known category`);
    const uid = category.uid * 1000 + c.uid!;
    const caption = c.caption ?? c.name;
    const attrs: Record<string, Attr | null> = { ...c.attributes };
    const activities = (attrs.activity_id?.enum ?? {}) as Record<string, { caption: string }>;
    const typeEnum: Record<string, { caption: string }> = { [String(uid * 100)]: { caption: `${caption}: Unknown` } };
    for (const [k, v] of Object.entries(activities)) typeEnum[String(uid * 100 + Number(k))] = { caption: `${caption}: ${v.caption}` };
    attrs.type_uid = { ...(attrs.type_uid ?? {}), enum: typeEnum };
    attrs.class_uid = { ...(attrs.class_uid ?? {}), enum: { [String(uid)]: { caption } } };
    attrs.category_uid = { ...(attrs.category_uid ?? {}), enum: { [String(category.uid)]: { caption: category.caption } } };
    classes.set(uid, { uid, name: c.name, caption, categoryUid: category.uid, attributes: finalAttributes(attrs), constraints: c.constraints ?? {} });
  }

  // Objects: names starting with "_" are hidden parents.
  const rawObjects = readDir('objects');
  const objects: OcsfSchema['objects'] = new Map();
  for (const raw of rawObjects.values()) {
    if (raw.name.startsWith('_')) continue;
    const o = resolveExtends(rawObjects, raw);
    objects.set(o.name, { name: o.name, attributes: finalAttributes(o.attributes), constraints: o.constraints ?? {} });
  }

  const valueSchema = (a: Attr, refs: Set<string>): Json => {
    if (a.type === 'object_t') {
      refs.add(a.object_type as string);
      return { $ref: `#/$defs/${a.object_type as string}` };
    }
    const t = types[a.type as string];
    if (!t) throw new Error(`OCSF fixtures: unknown type ${String(a.type)}`);
    const superType = t.type ? types[t.type as string] : undefined;
    const primitive = (t.type as string | undefined) ?? (a.type as string);
    const s: Json = {};
    if (primitive === 'string_t') s.type = 'string';
    else if (primitive === 'integer_t' || primitive === 'long_t') s.type = 'integer';
    else if (primitive === 'float_t') s.type = 'number';
    else if (primitive === 'boolean_t') s.type = 'boolean';
    else if (primitive !== 'json_t') throw new Error(`OCSF fixtures: unknown primitive type ${primitive}`);
    const maxLen = t.max_len ?? superType?.max_len;
    if (maxLen !== undefined) s.maxLength = maxLen;
    if (t.regex !== undefined) s.pattern = t.regex;
    const range = (t.range ?? superType?.range) as [number, number] | undefined;
    if (range) Object.assign(s, { minimum: range[0], maximum: range[1] });
    const values = t.values ?? superType?.values;
    if (values !== undefined) s.enum = values;
    return s;
  };

  const itemSchema = (item: { attributes: Record<string, Attr>; constraints: Record<string, string[]> }, profiles: string[], refs: Set<string>, extra: Json = {}): Json => {
    const visible = Object.entries(item.attributes).filter(([, a]) => a.profile === undefined || a.profile === null || profiles.includes(a.profile as string));
    if (visible.length === 0) return { type: 'object' }; // "object": any attributes
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    const allOf: Json[] = [];
    for (const [name, a] of visible) {
      let value = valueSchema(a, refs);
      if (a.enum) {
        const keys = Object.keys(a.enum as object);
        const numeric = value.type === 'integer';
        value = { ...value, enum: keys.map((k) => (numeric ? Number(k) : k)) };
        const sibling = a.sibling as string | undefined;
        if (sibling) {
          for (const [k, e] of Object.entries(a.enum as Record<string, { caption: string }>)) {
            const v = numeric ? Number(k) : k;
            const when = { properties: { [name]: { const: v } }, required: [name] };
            const then = { properties: { [sibling]: k === '99' ? { not: { const: e.caption } } : { const: e.caption } } };
            allOf.push({ if: when, then });
          }
        }
      }
      properties[name] = a.is_array ? { type: 'array', items: value } : value;
      if (a.requirement === 'required') required.push(name);
    }
    for (const [kind, names] of Object.entries(item.constraints)) {
      if (kind === 'at_least_one') allOf.push({ anyOf: names.map((n) => ({ required: [n] })) });
      else if (kind === 'just_one') allOf.push({ oneOf: names.map((n) => ({ required: [n] })) });
      else throw new Error(`OCSF fixtures: unknown constraint ${kind}`);
    }
    return { type: 'object', properties, required, additionalProperties: false, ...(allOf.length ? { allOf } : {}), ...extra };
  };

  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const compiled = new Map<string, ValidateFunction>();

  const schema: OcsfSchema = {
    version,
    classes,
    objects,
    types,
    jsonSchema(classUid, profiles = []) {
      const c = classes.get(classUid);
      if (!c) throw new Error(`OCSF fixtures: class ${classUid} is not shipped`);
      const refs = new Set<string>();
      const root = itemSchema(c, profiles, refs);
      // metadata.version names the schema the event claims; the validator compares it with its own.
      root.allOf = [...((root.allOf as Json[] | undefined) ?? []), { properties: { metadata: { properties: { version: { const: version } } } } }];
      const defs: Record<string, unknown> = {};
      const pending = [...refs];
      while (pending.length > 0) {
        const name = pending.pop()!;
        if (name in defs) continue;
        const o = objects.get(name);
        if (!o) {
          defs[name] = false; // not shipped: must not be emitted
          continue;
        }
        const inner = new Set<string>();
        defs[name] = itemSchema(o, profiles, inner);
        for (const r of inner) if (!(r in defs)) pending.push(r);
      }
      return { $id: `ocsf-${version}-${c.name}-${profiles.join('+')}`, ...root, $defs: defs };
    },
    validator(classUid, profiles = []) {
      const key = `${classUid}/${profiles.join('+')}`;
      let v = compiled.get(key);
      if (!v) {
        v = ajv.compile(schema.jsonSchema(classUid, profiles));
        compiled.set(key, v);
      }
      return v;
    },
  };
  return schema;
}
