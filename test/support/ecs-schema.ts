import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Checks an ECS document against the official ECS field definitions kept in
 * test/fixtures/ecs-8.17.0/fields.json (an excerpt of elastic/ecs generated/ecs/ecs_flat.yml,
 * see the README there): every field outside the custom `veritrail.*` set must be an ECS field,
 * of its ECS type (keyword, date, ip, long, object), an array exactly where ECS normalises it to
 * one, within its allowed values, and each event.type one ECS expects for each event.category.
 */
interface EcsField {
  type: string;
  normalize: string[];
  allowed_values?: { name: string; expected_event_types?: string[] }[];
}

const FIELDS = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/ecs-8.17.0/fields.json', import.meta.url)), 'utf8')) as Record<string, EcsField>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeProblem(type: string, v: unknown): string | undefined {
  switch (type) {
    case 'keyword':
    case 'wildcard':
    case 'match_only_text':
      return typeof v === 'string' ? undefined : 'not a keyword string';
    case 'date':
      return typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'not an ISO 8601 date';
    case 'ip':
      return typeof v === 'string' && isIP(v) !== 0 ? undefined : 'not an IP address';
    case 'long':
      return Number.isSafeInteger(v) ? undefined : 'not a long';
    default:
      return `type ${type} not handled by this check`;
  }
}

/** The problems of one ECS document; empty when it is valid. */
export function ecsProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix === '' ? k : `${prefix}.${k}`;
      if (path === 'veritrail') continue; // custom field set, outside the ECS namespace
      const def = FIELDS[path];
      if (def?.type === 'object') {
        // labels: an object of keyword values
        if (v === null || typeof v !== 'object' || Array.isArray(v)) problems.push(`${path}: not an object`);
        else for (const [lk, lv] of Object.entries(v)) if (typeof lv !== 'string') problems.push(`${path}.${lk}: not a keyword`);
        continue;
      }
      if (!def) {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, path);
        else problems.push(`${path}: not an ECS field`);
        continue;
      }
      const isArray = def.normalize.includes('array');
      if (Array.isArray(v) !== isArray) {
        problems.push(`${path}: ${isArray ? 'must' : 'must not'} be an array`);
        continue;
      }
      for (const item of isArray ? (v as unknown[]) : [v]) {
        const p = typeProblem(def.type, item);
        if (p) problems.push(`${path}: ${p}`);
        if (def.allowed_values && !def.allowed_values.some((a) => a.name === item)) problems.push(`${path}: ${String(item)} is not an allowed value`);
      }
    }
  };
  walk(doc, '');
  const event = doc.event as { category?: string[]; type?: string[] } | undefined;
  for (const c of event?.category ?? []) {
    const expected = FIELDS['event.category']!.allowed_values!.find((a) => a.name === c)?.expected_event_types ?? [];
    for (const t of event?.type ?? []) if (!expected.includes(t)) problems.push(`event.type ${t} is not expected with event.category ${c}`);
  }
  if (typeof doc['@timestamp'] !== 'string') problems.push('@timestamp missing');
  if (typeof (doc.ecs as { version?: unknown } | undefined)?.version !== 'string') problems.push('ecs.version missing');
  return problems;
}
