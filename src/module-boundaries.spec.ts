import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './common/paths.js';
import { tableNames, type TableNames } from './storage/clickhouse/ddl.js';

/**
 * The module boundaries of docs/architecture.md ("Table ownership"), enforced: one owner per
 * table, repositories private to their module, no cycles between the folders of src/. The
 * table is parsed from the doc and the dependency-cruiser rules are generated from it
 * (scripts/module-boundaries.mjs), so the doc cannot drift from the check.
 */
interface Ownership {
  table: string;
  store: 'PostgreSQL' | 'ClickHouse';
  module: string;
}
interface Known {
  from: string;
  to: string;
  why: string;
}
interface Boundaries {
  readOwnership(root: string): Ownership[];
  TABLE_EXEMPT_FILES: RegExp;
  KNOWN_TABLE_USES: { file: string; table: string; why: string }[];
  KNOWN_REPOSITORY_IMPORTS: Known[];
  KNOWN_FOLDER_EDGES: Known[];
  FOLDER_CYCLE_RULE: string;
  LAZY_PACKAGES_RULE: string;
  repositoryRuleName(module: string): string;
}

// A plain .mjs module (dependency-cruiser's config imports it too), loaded by URL.
const boundaries = (await import(pathToFileURL(join(PROJECT_ROOT, 'scripts/module-boundaries.mjs')).href)) as Boundaries;
const ownership = boundaries.readOwnership(PROJECT_ROOT);
const ownerOf = new Map(ownership.map((r) => [r.table, r.module]));

/** Prisma models and the tables they map to (prisma/schema.prisma). */
function prismaModels(): { model: string; delegate: string; table: string }[] {
  const schema = readFileSync(join(PROJECT_ROOT, 'prisma/schema.prisma'), 'utf8');
  const models: { model: string; delegate: string; table: string }[] = [];
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const model = m[1]!;
    const table = /@@map\("([^"]+)"\)/.exec(m[2]!)?.[1] ?? model;
    models.push({ model, delegate: model[0]!.toLowerCase() + model.slice(1), table });
  }
  return models;
}

/** ClickHouse tables, from the DDL generator itself: `tables.<key>` name -> base table. */
function clickhouseTables(): Map<keyof TableNames, string> {
  const names = tableNames({ database: 'db', cluster: 'c' });
  const byKey = new Map<keyof TableNames, string>();
  for (const [key, qualified] of Object.entries(names) as [keyof TableNames, string][]) {
    const name = /`([A-Za-z0-9_]+)`$/.exec(qualified)?.[1];
    if (!name) throw new Error(`unexpected table name ${qualified}`);
    byKey.set(key, name.replace(/_local$/, ''));
  }
  return byKey;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p.endsWith(join('src', 'generated')) || p.endsWith(join('viewer', 'ui'))) continue;
      out.push(...sourceFiles(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts')) {
      out.push(p);
    }
  }
  return out;
}

/** Comments out: prose may name tables freely ("events_v1 is read only here"). */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
}

/** Which tables a source text names in SQL, through `tables.<key>` or through a Prisma delegate. */
export function tablesNamed(code: string, models: { delegate: string; table: string }[], chKeys: Map<string, string>, allTables: string[]): Set<string> {
  const text = stripComments(code);
  const found = new Set<string>();
  const byDelegate = new Map(models.map((m) => [m.delegate, m.table]));
  for (const m of text.matchAll(/\.(\w+)\.(\$?\w+)\(/g)) {
    const t = byDelegate.get(m[1]!);
    if (t) found.add(t);
  }
  for (const m of text.matchAll(/\btables\.(\w+)\b/g)) {
    const t = chKeys.get(m[1]!);
    if (t) found.add(t);
  }
  const alternatives = [...allTables].sort((a, b) => b.length - a.length).join('|');
  const sql = new RegExp(String.raw`\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+[\`"]?(${alternatives})(?:_local)?[\`"]?(?![\w])`, 'g');
  for (const m of text.matchAll(sql)) found.add(m[1]!);
  return found;
}

function moduleOf(file: string): string | undefined {
  return /^src\/([^/]+)\//.exec(file)?.[1];
}

const models = prismaModels();
const chKeys = clickhouseTables();

describe('table ownership (docs/architecture.md)', () => {
  it('lists every PostgreSQL and ClickHouse table once, each owned by an existing module', () => {
    const expected = [...new Set([...models.map((m) => m.table), ...chKeys.values()])].sort();
    const listed = ownership.map((r) => r.table);
    expect(listed.length, 'a table is listed twice').toBe(new Set(listed).size);
    expect([...listed].sort()).toEqual(expected);
    for (const r of ownership) {
      expect(readdirSync(join(PROJECT_ROOT, 'src')), `owner of ${r.table}`).toContain(r.module);
      const inPrisma = models.some((m) => m.table === r.table);
      expect(r.store, r.table).toBe(inPrisma ? 'PostgreSQL' : 'ClickHouse');
    }
  });

  it('the scanner sees SQL, tables.<key> and Prisma delegates, and ignores comments', () => {
    const all = ownership.map((r) => r.table);
    const code = [
      '// SELECT * FROM alerts',
      '/* await this.prisma.apiKey.findMany() */',
      'await this.prisma.tenant.findUnique({});',
      'await tx.jobLease.update({});',
      '`SELECT 1 FROM ${this.ch.tables.merkleNodesLocal}`',
      '`UPDATE webhook_deliveries SET x = 1`',
      '`INSERT INTO "exports" (id) VALUES (1)`',
      '`SELECT * FROM webhooks_archive`',
    ].join('\n');
    expect([...tablesNamed(code, models, chKeys, all)].sort()).toEqual(['exports', 'job_leases', 'merkle_nodes_v1', 'tenants', 'webhook_deliveries']);
  });

  it('only the owning module names a table in SQL or a Prisma delegate', () => {
    const all = ownership.map((r) => r.table);
    const found: string[] = [];
    for (const path of sourceFiles(join(PROJECT_ROOT, 'src'))) {
      const file = relative(PROJECT_ROOT, path).split('\\').join('/');
      if (boundaries.TABLE_EXEMPT_FILES.test(file)) continue;
      for (const table of tablesNamed(readFileSync(path, 'utf8'), models, chKeys, all)) {
        if (moduleOf(file) !== ownerOf.get(table)) found.push(`${file} names ${table} (owner: ${ownerOf.get(table)})`);
      }
    }
    const known = boundaries.KNOWN_TABLE_USES.map((k) => `${k.file} names ${k.table} (owner: ${ownerOf.get(k.table)})`);
    for (const k of boundaries.KNOWN_TABLE_USES) expect(k.why.length, `reason for ${k.file}`).toBeGreaterThan(10);
    expect(found.filter((f) => !known.includes(f)), 'new uses of another module\'s table').toEqual([]);
    expect(known.filter((k) => !found.includes(k)), 'KNOWN_TABLE_USES entries that no longer occur: remove them').toEqual([]);
  });
});

describe('imports (dependency-cruiser, rules generated from the ownership table)', async () => {
  const options = await extractDepcruiseOptions(join(PROJECT_ROOT, '.dependency-cruiser.mjs'));
  const { output } = await cruise(
    ['src'],
    { ...options, validate: true, baseDir: PROJECT_ROOT, outputType: 'json' },
    {},
    { tsConfig: extractTSConfig(join(PROJECT_ROOT, 'tsconfig.json')) },
  );
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  const violations = result.summary.violations;
  const FOLDER_CYCLE = boundaries.FOLDER_CYCLE_RULE;
  const repositoryRules = new Set(ownership.map((r) => boundaries.repositoryRuleName(r.module)));

  it('has a rule for every module that owns a table, and every repository lives in such a module', () => {
    const names = new Set((options.ruleSet?.forbidden ?? []).map((r) => r.name));
    for (const rule of repositoryRules) expect(names).toContain(rule);
    const owners = new Set(ownership.map((r) => r.module));
    const repositories = result.modules.map((m) => m.source).filter((s) => s.endsWith('.repository.ts'));
    expect(repositories.length).toBeGreaterThan(5);
    expect(repositories.filter((s) => !owners.has(moduleOf(s) ?? '')), 'repositories outside an owning module').toEqual([]);
  });

  it("no module imports another module's repository", () => {
    const found = violations.filter((v) => repositoryRules.has(v.rule.name)).map((v) => `${v.from} -> ${v.to}`);
    const known = boundaries.KNOWN_REPOSITORY_IMPORTS.map((k) => `${k.from} -> ${k.to}`);
    for (const k of boundaries.KNOWN_REPOSITORY_IMPORTS) expect(k.why.length, `reason for ${k.from}`).toBeGreaterThan(10);
    expect(found.filter((f) => !known.includes(f)), 'imports of another module\'s repository').toEqual([]);
    expect(known.filter((k) => !found.includes(k)), 'KNOWN_REPOSITORY_IMPORTS entries that no longer occur: remove them').toEqual([]);
  });

  it('the generated rules catch a foreign repository import and a folder cycle (synthetic tree)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vt-boundaries-'));
    try {
      const file = (path: string, text: string) => {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      file('src/events/events.repository.ts', "import { rule } from '../alerts/rules.js';\nexport const rows = rule;\n");
      file('src/alerts/rules.ts', "export const rule = 1;\n");
      file('src/alerts/evaluator.ts', "import { rows } from '../events/events.repository.js';\nexport const n = rows;\n");
      file('src/events/log.ts', "export const own = 1;\n");
      file('src/events/reader.ts', "import { rows } from './events.repository.js';\nexport const mine = rows;\n");
      file('src/events/docs.ts', "import { ApiTags } from '@nestjs/swagger';\nexport const tags = ApiTags;\n");
      const { ruleSet } = options;
      const synthetic = await cruise(['src'], { ruleSet, validate: true, baseDir: dir, outputType: 'json' }, {}, {});
      const r = (typeof synthetic.output === 'string' ? JSON.parse(synthetic.output) : synthetic.output) as ICruiseResult;
      const found = r.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
      expect(found).toEqual([
        `${boundaries.LAZY_PACKAGES_RULE}: src/events/docs.ts -> @nestjs/swagger`,
        `${FOLDER_CYCLE}: src/alerts -> src/events`,
        `${FOLDER_CYCLE}: src/events -> src/alerts`,
        `${boundaries.repositoryRuleName('events')}: src/alerts/evaluator.ts -> src/events/events.repository.ts`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('@nestjs/swagger and the AWS SDK are loaded only when used (no static import in src/)', () => {
    expect(violations.filter((v) => v.rule.name === boundaries.LAZY_PACKAGES_RULE).map((v) => `${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('the folders of src/ have no cycle except through a listed, explained import', () => {
    const top = (folder: string) => folder.split('/')[1] ?? folder;
    const known = new Set(boundaries.KNOWN_FOLDER_EDGES.map((k) => `${k.from}->${k.to}`));
    for (const k of boundaries.KNOWN_FOLDER_EDGES) expect(k.why.length, `reason for ${k.from}->${k.to}`).toBeGreaterThan(10);
    const used = new Set<string>();
    const unexplained: string[] = [];
    for (const v of violations.filter((x: IViolation) => x.rule.name === boundaries.FOLDER_CYCLE_RULE)) {
      const path = [v.from, ...(v.cycle ?? []).map((c) => c.name)].map(top);
      const steps = path.slice(1).map((to, i) => `${path[i]}->${to}`).filter((s) => !/^(\w+)->\1$/.test(s));
      const listed = steps.filter((s) => known.has(s));
      listed.forEach((s) => used.add(s));
      if (listed.length === 0) unexplained.push(path.join(' -> '));
    }
    expect(unexplained, 'folder cycles').toEqual([]);
    expect([...known].filter((k) => !used.has(k)), 'KNOWN_FOLDER_EDGES entries that close no cycle any more: remove them').toEqual([]);
  });
});
