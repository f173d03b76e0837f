// Above ~400 lines on purpose: the Sigma import — field map, value modifiers, condition
// grammar, detection and correlation checks — is one parser whose parts call each other
// top-down; export is in sigma-export.ts.
import ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import { parseAllDocuments } from 'yaml';
import type { GroupBy, RuleKind, Tier } from './alerts.schema.js';
import type { EvalEvent, RuleDefinition } from './rule-definition.js';

/**
 * A subset of Sigma (https://sigmahq.io): detection rules (logsource, selections with the common
 * modifiers, condition, legacy timeframe + count aggregation) and correlation rules (event_count,
 * value_count, temporal_ordered), mapped onto Veritrail's event fields (SIGMA_FIELDS). YAML is
 * parsed by the `yaml` package; what does not map is refused with a precise code, never guessed.
 * Values match case-insensitively with `*`/`?` wildcards, `re` and wildcard matching run on RE2
 * (linear time), as tenant input must.
 */

/** Largest Sigma document accepted (bytes of YAML). */
export const SIGMA_MAX_BYTES = 16_384;
const MAX_VALUES = 200;
const MAX_VALUE_LENGTH = 512;
const MAX_SELECTIONS = 30;

export class SigmaError extends Error {
  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Our event fields a Sigma field can stand for. */
export type OurField = 'action' | 'outcome' | 'actor.id' | 'actor.type' | 'context.ip' | 'context.user_agent' | 'organization_id' | 'target.id' | 'target.type';

/**
 * The documented field mapping (docs/alerts.md#sigma): Sigma field name → Veritrail event field.
 * Our own names, GitHub audit log names (action, actor, actor_ip, org, repo) and Okta System Log
 * names (eventType, outcome.result, actor.alternateId, client.ipAddress, …). Names, e-mail
 * addresses, metadata and free text are not mapped: the evaluator never reads them.
 */
export const SIGMA_FIELDS: Readonly<Record<string, OurField>> = {
  action: 'action',
  eventType: 'action',
  event_type: 'action',
  outcome: 'outcome',
  'outcome.result': 'outcome',
  actor: 'actor.id',
  'actor.id': 'actor.id',
  'actor.alternateId': 'actor.id',
  actor_id: 'actor.id',
  user: 'actor.id',
  'actor.type': 'actor.type',
  actor_type: 'actor.type',
  ip: 'context.ip',
  'context.ip': 'context.ip',
  actor_ip: 'context.ip',
  src_ip: 'context.ip',
  'client.ipAddress': 'context.ip',
  user_agent: 'context.user_agent',
  'context.user_agent': 'context.user_agent',
  'client.userAgent.rawUserAgent': 'context.user_agent',
  organization_id: 'organization_id',
  org: 'organization_id',
  target: 'target.id',
  'target.id': 'target.id',
  repo: 'target.id',
  'target.type': 'target.type',
};

/** logsource.product values whose field names the mapping knows (a rule without a product is taken as ours). */
export const SIGMA_PRODUCTS = ['veritrail', 'github', 'okta'] as const;

const MODIFIERS = new Set(['contains', 'startswith', 'endswith', 're', 'all', 'cidr', 'exists']);

export type SigmaCorrelationType = 'event_count' | 'value_count' | 'temporal_ordered';

/** What is stored in a sigma rule's definition: the rules as imported (re-compiled at each use) and the source. */
export interface SigmaDefinition {
  title: string;
  sigma_id: string | null;
  level: string | null;
  /** The detection rules (the one rule, or those a correlation refers to, in its order). */
  rules: { ref: string; title: string; detection: Record<string, unknown> }[];
  correlation: { type: SigmaCorrelationType; group_by: OurField | null; timespan_seconds: number; gte: number; field: OurField | null } | null;
  source: string;
}

/** The values of one of our fields in an event ([] when absent). */
export function fieldValues(e: EvalEvent, f: OurField): string[] {
  switch (f) {
    case 'action':
      return [e.action];
    case 'outcome':
      return [e.outcome];
    case 'actor.id':
      return [e.actorId];
    case 'actor.type':
      return [e.actorType];
    case 'context.ip':
      return e.ip ? [e.ip] : [];
    case 'context.user_agent':
      return e.userAgent ? [e.userAgent] : [];
    case 'organization_id':
      return e.organizationId ? [e.organizationId] : [];
    case 'target.id':
      return e.targets.map((t) => t.id);
    case 'target.type':
      return e.targets.map((t) => t.type);
  }
}

type Pred = (e: EvalEvent) => boolean;

function mapField(name: string, where: string): OurField {
  const f = SIGMA_FIELDS[name];
  if (!f) throw new SigmaError('sigma_field_unsupported', where, `Field "${name}" has no Veritrail equivalent (mapped fields: ${Object.keys(SIGMA_FIELDS).join(', ')}).`);
  return f;
}

function scalar(v: unknown, where: string): string | null {
  if (v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    const s = String(v);
    if (s.length > MAX_VALUE_LENGTH) throw new SigmaError('sigma_value_too_long', where, `Values are at most ${MAX_VALUE_LENGTH} characters.`);
    return s;
  }
  throw new SigmaError('sigma_invalid', where, 'Values are strings, numbers, booleans or null.');
}

/** A Sigma value with `*`/`?` wildcards (backslash escapes them) as an RE2 pattern. */
function wildcardRe2(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\' && i + 1 < v.length && '*?\\'.includes(v[i + 1]!)) {
      out += RE2JS.quote(v[i + 1]!);
      i++;
    } else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += RE2JS.quote(c);
  }
  return out;
}

function compileValue(mods: string[], v: string | null, where: string): (s: string) => boolean {
  if (v === null) return (s) => s === '';
  if (mods.includes('re')) {
    let re: RE2JS;
    try {
      re = RE2JS.compile(v);
    } catch (err) {
      throw new SigmaError('sigma_invalid_regex', where, `Invalid regular expression (RE2 syntax): ${err instanceof Error ? err.message : String(err)}`);
    }
    return (s) => re.matcher(s).find();
  }
  if (mods.includes('cidr')) {
    let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      range = ipaddr.parseCIDR(v);
    } catch {
      throw new SigmaError('sigma_invalid_cidr', where, `"${v}" is not a CIDR range.`);
    }
    return (s) => {
      if (!ipaddr.isValid(s)) return false;
      let a = ipaddr.parse(s);
      if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
      return a.kind() === range[0].kind() && a.match(range);
    };
  }
  const before = mods.includes('contains') || mods.includes('endswith') ? '.*' : '';
  const after = mods.includes('contains') || mods.includes('startswith') ? '.*' : '';
  const re = RE2JS.compile(`(?s)${before}${wildcardRe2(v)}${after}`, RE2JS.CASE_INSENSITIVE);
  return (s) => re.matches(s);
}

/** One `field|modifiers: value(s)` item. */
function compileItem(key: string, value: unknown, where: string): Pred {
  const [name, ...mods] = key.split('|');
  for (const m of mods) if (!MODIFIERS.has(m)) throw new SigmaError('sigma_modifier_unsupported', where, `Modifier "${m}" is not supported (supported: ${[...MODIFIERS].join(', ')}).`);
  const base = mods.filter((m) => m !== 'all');
  if (base.length > 1) throw new SigmaError('sigma_modifier_unsupported', where, `Modifiers ${base.join('|')} cannot be combined here.`);
  const field = mapField(name!, where);
  if (base[0] === 'exists') {
    if (typeof value !== 'boolean') throw new SigmaError('sigma_invalid', where, 'exists takes true or false.');
    return (e) => fieldValues(e, field).some((s) => s !== '') === value;
  }
  const raw = Array.isArray(value) ? value : [value];
  if (raw.length === 0 || raw.length > MAX_VALUES) throw new SigmaError('sigma_invalid', where, `Between 1 and ${MAX_VALUES} values.`);
  const tests = raw.map((v) => compileValue(base, scalar(v, where), where));
  const one = (t: (s: string) => boolean) => (e: EvalEvent) => {
    const vals = fieldValues(e, field);
    return vals.length === 0 ? t('') : vals.some(t);
  };
  const preds = tests.map(one);
  return mods.includes('all') ? (e) => preds.every((p) => p(e)) : (e) => preds.some((p) => p(e));
}

function compileSelection(name: string, sel: unknown): Pred {
  const where = `detection.${name}`;
  const asMap = (m: unknown, w: string): Pred => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      throw new SigmaError('sigma_keywords_unsupported', w, 'Keyword selections (a list of values without a field) are not supported: name the field.');
    }
    const items = Object.entries(m).map(([k, v]) => compileItem(k, v, `${w}.${k}`));
    return (e) => items.every((p) => p(e));
  };
  if (Array.isArray(sel)) {
    const alts = sel.map((m, i) => asMap(m, `${where}[${i}]`));
    return (e) => alts.some((p) => p(e));
  }
  return asMap(sel, where);
}

// ---- condition ----

type Cond = { op: 'and' | 'or'; a: Cond; b: Cond } | { op: 'not'; a: Cond } | { op: 'ref'; name: string } | { op: 'of'; quant: 'one' | 'all'; pattern: string };

export interface Aggregation {
  /** count() counts events; count(field) distinct values. */
  field: string | null;
  by: string | null;
  gte: number;
}

function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /\s*(\(|\)|\||>=|<=|==|>|<|[A-Za-z0-9_*.-]+)/y;
  let i = 0;
  while (i < s.length) {
    if (/^\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new SigmaError('sigma_condition_invalid', 'detection.condition', `Cannot read the condition at "${s.slice(i, i + 20)}".`);
    out.push(m[1]!);
    i = re.lastIndex;
  }
  return out;
}

/** The condition: and / or / not, parentheses, `1 of x*`, `all of x*`, `them`; optionally `| count([field]) [by field] >|>= N` (legacy, with timeframe). */
export function parseCondition(src: string): { cond: Cond; agg: Aggregation | undefined } {
  if (src.length > 1000) throw new SigmaError('sigma_condition_invalid', 'detection.condition', 'At most 1000 characters.');
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const fail = (msg: string): never => {
    throw new SigmaError('sigma_condition_invalid', 'detection.condition', msg);
  };
  let depth = 0;
  const orExpr = (): Cond => {
    let a = andExpr();
    while (peek()?.toLowerCase() === 'or') {
      next();
      a = { op: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): Cond => {
    let a = notExpr();
    while (peek()?.toLowerCase() === 'and') {
      next();
      a = { op: 'and', a, b: notExpr() };
    }
    return a;
  };
  const notExpr = (): Cond => {
    if (peek()?.toLowerCase() === 'not') {
      next();
      return { op: 'not', a: notExpr() };
    }
    return atom();
  };
  const atom = (): Cond => {
    const t = next();
    if (t === undefined) return fail('The condition ends too early.');
    if (t === '(') {
      if (++depth > 20) fail('Parentheses nest too deep.');
      const c = orExpr();
      if (next() !== ')') fail('A parenthesis is not closed.');
      depth--;
      return c;
    }
    if ((t === '1' || t.toLowerCase() === 'all') && peek()?.toLowerCase() === 'of') {
      next();
      const pattern = next();
      if (pattern === undefined || !/^[A-Za-z0-9_*-]+$/.test(pattern)) return fail('`of` needs a selection name, a name with *, or them.');
      return { op: 'of', quant: t === '1' ? 'one' : 'all', pattern };
    }
    if (/^\d+$/.test(t) && peek()?.toLowerCase() === 'of') return fail(`Only "1 of" and "all of" are supported (not "${t} of").`);
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(t) || ['and', 'or', 'not', 'of'].includes(t.toLowerCase())) return fail(`Unexpected "${t}".`);
    return { op: 'ref', name: t };
  };
  const cond = orExpr();
  let agg: Aggregation | undefined;
  if (peek() === '|') {
    next();
    if (next() !== 'count' || next() !== '(') fail('Only the count() aggregation is supported.');
    let field: string | null = null;
    if (peek() !== ')') field = next()!;
    if (next() !== ')') fail('count( is not closed.');
    let by: string | null = null;
    if (peek()?.toLowerCase() === 'by') {
      next();
      by = next() ?? fail('`by` needs a field.');
    }
    const op = next();
    const n = Number(next());
    if (!Number.isInteger(n) || n < 0) fail('The count is compared with a whole number.');
    if (op === '>') agg = { field, by, gte: n + 1 };
    else if (op === '>=') agg = { field, by, gte: n };
    else fail('Only > and >= are supported after count(): an alert fires when a count is reached.');
  }
  if (p < toks.length) fail(`Unexpected "${toks[p]}".`);
  return { cond, agg };
}

function globMatch(pattern: string, name: string): boolean {
  return RE2JS.compile(`${wildcardRe2(pattern)}`).matches(name);
}

/** A detection (selections and condition) as a predicate over events; the legacy aggregation, if any. */
export function compileDetection(detection: Record<string, unknown>): { match: Pred; agg: Aggregation | undefined; timeframe: string | undefined } {
  const { condition, timeframe, ...sels } = detection;
  const names = Object.keys(sels);
  if (names.length === 0) throw new SigmaError('sigma_invalid', 'detection', 'A detection needs at least one selection.');
  if (names.length > MAX_SELECTIONS) throw new SigmaError('sigma_invalid', 'detection', `At most ${MAX_SELECTIONS} selections.`);
  if (Array.isArray(condition)) throw new SigmaError('sigma_condition_unsupported', 'detection.condition', 'A list of conditions is not supported: join them with or.');
  if (typeof condition !== 'string') throw new SigmaError('sigma_invalid', 'detection.condition', 'A detection needs a condition.');
  if (timeframe !== undefined && typeof timeframe !== 'string') throw new SigmaError('sigma_invalid', 'detection.timeframe', 'A timeframe is like 5m.');
  const preds = new Map(names.map((n) => [n, compileSelection(n, sels[n])]));
  const { cond, agg } = parseCondition(condition);
  const build = (c: Cond): Pred => {
    switch (c.op) {
      case 'and': {
        const a = build(c.a);
        const b = build(c.b);
        return (e) => a(e) && b(e);
      }
      case 'or': {
        const a = build(c.a);
        const b = build(c.b);
        return (e) => a(e) || b(e);
      }
      case 'not': {
        const a = build(c.a);
        return (e) => !a(e);
      }
      case 'ref': {
        const p = preds.get(c.name);
        if (!p) throw new SigmaError('sigma_condition_invalid', 'detection.condition', `No selection named "${c.name}".`);
        return p;
      }
      case 'of': {
        const picked = c.pattern === 'them' ? names.filter((n) => !n.startsWith('_')) : names.filter((n) => globMatch(c.pattern, n));
        if (picked.length === 0) throw new SigmaError('sigma_condition_invalid', 'detection.condition', `No selection matches "${c.pattern}".`);
        const ps = picked.map((n) => preds.get(n)!);
        return c.quant === 'one' ? (e) => ps.some((p) => p(e)) : (e) => ps.every((p) => p(e));
      }
    }
  };
  if (agg && timeframe === undefined) throw new SigmaError('sigma_invalid', 'detection.timeframe', 'A count() aggregation needs a timeframe.');
  return { match: build(cond), agg, timeframe };
}

/** "5m" → 300 (s, m, h, d; at most 7 days like threshold windows). */
export function timespanSeconds(s: unknown, where: string): number {
  const m = typeof s === 'string' ? /^(\d{1,6})([smhd])$/.exec(s) : null;
  if (!m) throw new SigmaError('sigma_invalid_timespan', where, 'A timespan is a number and s, m, h or d (e.g. 15m).');
  const n = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  if (n < 1 || n > 7 * 86_400) throw new SigmaError('sigma_invalid_timespan', where, 'Between 1 s and 7 days.');
  return n;
}

const KEY_FIELDS: Partial<Record<OurField, GroupBy>> = { 'actor.id': 'actor', 'context.ip': 'ip', organization_id: 'organization' };

function groupByOf(fields: unknown, where: string): OurField | null {
  if (fields === undefined || fields === null) return null;
  const list = Array.isArray(fields) ? fields : [fields];
  if (list.length > 1) throw new SigmaError('sigma_group_by_unsupported', where, 'Group by one field: an actor, an IP or an organization field.');
  if (list.length === 0) return null;
  const f = mapField(String(list[0]), where);
  if (!KEY_FIELDS[f]) throw new SigmaError('sigma_group_by_unsupported', where, `Alerts are keyed by actor, IP or organization; "${String(list[0])}" is ${f}.`);
  return f;
}

const LEVEL_TIER: Record<string, Tier> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', informational: 'low' };

export interface ImportedSigma {
  name: string;
  description: string | undefined;
  tier: Tier;
  kind: RuleKind;
  definition: RuleDefinition;
}

function checkLogsource(doc: Record<string, unknown>, where: string): void {
  const ls = doc.logsource;
  if (ls === undefined) throw new SigmaError('sigma_invalid', `${where}logsource`, 'A detection rule needs a logsource.');
  if (typeof ls !== 'object' || ls === null) throw new SigmaError('sigma_invalid', `${where}logsource`, 'logsource is a map.');
  const { product, category } = ls as { product?: unknown; category?: unknown };
  if (product !== undefined && !(SIGMA_PRODUCTS as readonly unknown[]).includes(product)) {
    throw new SigmaError('sigma_logsource_unsupported', `${where}logsource.product`, `Products whose fields map onto Veritrail events: ${SIGMA_PRODUCTS.join(', ')} (not ${String(product)}).`);
  }
  if (category !== undefined) throw new SigmaError('sigma_logsource_unsupported', `${where}logsource.category`, 'Log categories (process_creation, …) are host logs, not audit trails.');
}

/**
 * Reads a Sigma document: one detection rule, or a correlation rule followed (in the same YAML
 * stream, `---` separated) by the detection rules it refers to by id or name. Throws SigmaError.
 */
export function importSigma(source: string): ImportedSigma {
  if (Buffer.byteLength(source) > SIGMA_MAX_BYTES) throw new SigmaError('sigma_too_large', 'rule', `At most ${SIGMA_MAX_BYTES} bytes of YAML.`);
  const docs = parseAllDocuments(source);
  if (!Array.isArray(docs)) throw new SigmaError('sigma_invalid_yaml', 'rule', 'Not a YAML stream.');
  const objs: Record<string, unknown>[] = [];
  for (const [i, d] of docs.entries()) {
    if (d.errors.length > 0) throw new SigmaError('sigma_invalid_yaml', 'rule', `YAML document ${i + 1}: ${d.errors[0]!.message}`);
    const o = d.toJS({ maxAliasCount: 10 }) as unknown;
    if (o === null || o === undefined) continue;
    if (typeof o !== 'object' || Array.isArray(o)) throw new SigmaError('sigma_invalid', 'rule', `Document ${i + 1} is not a map.`);
    objs.push(o as Record<string, unknown>);
  }
  if (objs.length === 0) throw new SigmaError('sigma_invalid', 'rule', 'No Sigma rule in the document.');
  if (objs.length > 10) throw new SigmaError('sigma_invalid', 'rule', 'At most 10 rules in one document.');
  const corr = objs.filter((o) => o.correlation !== undefined);
  if (corr.length > 1) throw new SigmaError('sigma_correlation_unsupported', 'correlation', 'One correlation rule per import.');
  const title = (o: Record<string, unknown>, where: string) => {
    if (typeof o.title !== 'string' || o.title.length === 0 || o.title.length > 256) throw new SigmaError('sigma_invalid', `${where}title`, 'A rule needs a title (at most 256 characters).');
    return o.title;
  };
  if (objs.some((o) => o.filter !== undefined)) throw new SigmaError('sigma_filter_unsupported', 'filter', 'Sigma filter rules are not supported.');

  let definitionSigma: SigmaDefinition;
  let head: Record<string, unknown>;
  let group: OurField | null;
  if (corr.length === 0) {
    if (objs.length > 1) throw new SigmaError('sigma_invalid', 'rule', 'Several detection rules without a correlation: import them one by one.');
    head = objs[0]!;
    title(head, '');
    checkLogsource(head, '');
    if (typeof head.detection !== 'object' || head.detection === null) throw new SigmaError('sigma_invalid', 'detection', 'A detection rule needs a detection.');
    const det = head.detection as Record<string, unknown>;
    const { agg, timeframe } = compileDetection(det);
    let correlation: SigmaDefinition['correlation'] = null;
    group = null;
    if (agg) {
      group = agg.by === null ? null : groupByOf(agg.by, 'detection.condition');
      const field = agg.field === null ? null : mapField(agg.field, 'detection.condition');
      correlation = { type: field ? 'value_count' : 'event_count', group_by: group, timespan_seconds: timespanSeconds(timeframe, 'detection.timeframe'), gte: agg.gte, field };
    } else if (timeframe !== undefined) {
      throw new SigmaError('sigma_invalid', 'detection.timeframe', 'A timeframe goes with a count() aggregation (or use a correlation rule).');
    }
    definitionSigma = { title: String(head.title), sigma_id: idOf(head), level: levelOf(head), rules: [{ ref: idOf(head) ?? 'rule', title: String(head.title), detection: det }], correlation, source };
  } else {
    head = corr[0]!;
    title(head, '');
    const c = head.correlation as Record<string, unknown>;
    if (typeof c !== 'object' || c === null) throw new SigmaError('sigma_invalid', 'correlation', 'correlation is a map.');
    const type = c.type;
    if (type !== 'event_count' && type !== 'value_count' && type !== 'temporal_ordered') {
      throw new SigmaError('sigma_correlation_unsupported', 'correlation.type', `Supported correlation types: event_count, value_count, temporal_ordered (not ${String(type)}).`);
    }
    if (c.generate !== undefined && c.generate !== false) throw new SigmaError('sigma_correlation_unsupported', 'correlation.generate', 'generate is not supported.');
    if (c.aliases !== undefined) throw new SigmaError('sigma_correlation_unsupported', 'correlation.aliases', 'Field aliases are not supported: use one mapped field.');
    const refs = Array.isArray(c.rules) ? c.rules.map(String) : [];
    if (refs.length === 0) throw new SigmaError('sigma_invalid', 'correlation.rules', 'A correlation refers to at least one rule.');
    if (type === 'temporal_ordered' && refs.length < 2) throw new SigmaError('sigma_invalid', 'correlation.rules', 'temporal_ordered needs at least two rules.');
    const rules = refs.map((ref, i) => {
      const r = objs.find((o) => o !== head && (o.id === ref || o.name === ref));
      if (!r) throw new SigmaError('sigma_rule_missing', `correlation.rules[${i}]`, `Rule "${ref}" is not in the document: put the rules a correlation refers to after it, separated by ---.`);
      title(r, `rules[${i}].`);
      checkLogsource(r, `rules[${i}].`);
      if (typeof r.detection !== 'object' || r.detection === null) throw new SigmaError('sigma_invalid', `rules[${i}].detection`, 'A detection rule needs a detection.');
      if (compileDetection(r.detection as Record<string, unknown>).agg) throw new SigmaError('sigma_correlation_unsupported', `rules[${i}].detection.condition`, 'A rule used by a correlation cannot aggregate itself.');
      return { ref, title: String(r.title), detection: r.detection as Record<string, unknown> };
    });
    group = groupByOf(c['group-by'], 'correlation.group-by');
    const cond = (c.condition ?? {}) as Record<string, unknown>;
    let gte: number;
    let field: OurField | null = null;
    if (type === 'temporal_ordered') {
      if (c.condition !== undefined) throw new SigmaError('sigma_condition_unsupported', 'correlation.condition', 'temporal_ordered fires when all its rules matched in order; no condition.');
      gte = refs.length;
    } else {
      const ops = Object.keys(cond).filter((k) => k !== 'field');
      if (ops.length !== 1 || (ops[0] !== 'gte' && ops[0] !== 'gt')) {
        throw new SigmaError('sigma_condition_unsupported', 'correlation.condition', 'Only gte or gt (an alert fires when a count is reached).');
      }
      const n = Number(cond[ops[0]]);
      if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new SigmaError('sigma_invalid', 'correlation.condition', 'The count is a whole number up to 1 000 000.');
      gte = ops[0] === 'gt' ? n + 1 : n;
      if (type === 'value_count') {
        if (typeof cond.field !== 'string') throw new SigmaError('sigma_invalid', 'correlation.condition.field', 'value_count counts the distinct values of a field.');
        field = mapField(cond.field, 'correlation.condition.field');
      } else if (cond.field !== undefined) throw new SigmaError('sigma_invalid', 'correlation.condition.field', 'Only for value_count.');
    }
    definitionSigma = { title: String(head.title), sigma_id: idOf(head), level: levelOf(head), rules, correlation: { type, group_by: group, timespan_seconds: timespanSeconds(c.timespan, 'correlation.timespan'), gte: Math.max(1, gte), field }, source };
  }
  const level = levelOf(head);
  return {
    name: String(head.title).slice(0, 200),
    description: typeof head.description === 'string' ? head.description.slice(0, 2000) : undefined,
    tier: level ? (LEVEL_TIER[level] ?? 'medium') : 'medium',
    kind: 'sigma',
    definition: { filter: { actions: ['*'] }, group_by: group ? KEY_FIELDS[group]! : 'actor', sigma: definitionSigma },
  };
}

function idOf(o: Record<string, unknown>): string | null {
  return typeof o.id === 'string' ? o.id : typeof o.name === 'string' ? o.name : null;
}

function levelOf(o: Record<string, unknown>): string | null {
  return typeof o.level === 'string' && o.level in LEVEL_TIER ? o.level : null;
}

/** A stored sigma definition, compiled: a predicate per rule (in the correlation's order). */
export function compileSigma(d: SigmaDefinition): Pred[] {
  return d.rules.map((r) => compileDetection(r.detection).match);
}
