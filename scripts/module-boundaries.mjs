/**
 * Module boundaries: the table -> owning module map of docs/architecture.md, the
 * dependency-cruiser rules generated from it (.dependency-cruiser.mjs re-exports them) and the
 * lists of what does not comply yet. src/module-boundaries.spec.ts runs all of it in `npm test`.
 *
 * Every KNOWN_* entry is a debt with its reason; the spec fails when an entry no longer occurs,
 * so these lists can only shrink. Do not add to them to make a new violation pass: fix it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const START = '<!-- ownership:start';
const END = '<!-- ownership:end -->';

/**
 * Parses the ownership table of docs/architecture.md.
 * @param {string} root project root
 * @returns {{ table: string, store: 'PostgreSQL' | 'ClickHouse', module: string }[]}
 */
export function readOwnership(root) {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error('docs/architecture.md: ownership table markers not found');
  const rows = [];
  for (const line of doc.slice(from, to).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || !cells[1].startsWith('`')) continue;
    const table = /^`([a-z0-9_]+)`/.exec(cells[1])?.[1];
    const module = /^`([a-z0-9_-]+)`$/.exec(cells[3])?.[1];
    const store = cells[2];
    if (!table || !module || (store !== 'PostgreSQL' && store !== 'ClickHouse')) {
      throw new Error(`docs/architecture.md: unreadable ownership row: ${line}`);
    }
    rows.push({ table, store, module });
  }
  if (rows.length === 0) throw new Error('docs/architecture.md: the ownership table is empty');
  return rows;
}

/** Files allowed to name any table: storage's DDL generator and migrations. */
export const TABLE_EXEMPT_FILES = /^src\/storage\/(clickhouse\/(ddl|migrations)\.ts|postgres\/)/;

/**
 * Files outside the owner that still name a table (SQL or Prisma delegate).
 * @type {{ file: string, table: string, why: string }[]}
 */
export const KNOWN_TABLE_USES = [
];

/**
 * Imports of another module's *.repository.ts that remain.
 * @type {{ from: string, to: string, why: string }[]}
 */
export const KNOWN_REPOSITORY_IMPORTS = [
];

/**
 * Direct imports between top-level folders of src/ that close folder cycles. A folder cycle
 * reported by dependency-cruiser is accepted only when one of its steps is listed here.
 * @type {{ from: string, to: string, why: string }[]}
 */
export const KNOWN_FOLDER_EDGES = [
];

/** Name of the generated rule that keeps `module`'s repositories private. */
export function repositoryRuleName(module) {
  return `private-repository-${module}`;
}

export const FOLDER_CYCLE_RULE = 'no-folder-cycles';

/**
 * Packages loaded only when used (docs/operations.md, memory at rest): @nestjs/swagger through
 * src/common/openapi-decorators.ts when the document is first built, the AWS SDK when S3 is
 * first used. A static import anywhere in src/ would load them at every start again.
 */
export const LAZY_PACKAGES_RULE = 'lazy-heavy-packages';

/**
 * The dependency-cruiser configuration, generated from the ownership table.
 * @param {string} root project root
 */
export function dependencyCruiserConfig(root) {
  const modules = [...new Set(readOwnership(root).map((r) => r.module))].sort();
  const forbidden = modules.map((m) => ({
    name: repositoryRuleName(m),
    comment: `${m} owns its tables (docs/architecture.md): its repositories are imported only inside src/${m}/`,
    severity: 'error',
    from: { path: '^src/', pathNot: `^src/${m}/` },
    to: { path: `^src/${m}/.+\\.repository\\.ts$` },
  }));
  forbidden.push({
    name: LAZY_PACKAGES_RULE,
    comment: '@nestjs/swagger and the AWS SDK are imported dynamically (or as types), so a server that never uses them does not load them',
    severity: 'error',
    // s3-file-store.ts is itself imported dynamically (exports.module.ts, only with S3_BUCKET).
    from: { path: '^src/', pathNot: '^src/exports/storage/s3-file-store\\.ts$' },
    to: { path: '(^|/)(@nestjs/swagger|@aws-sdk/)', dependencyTypesNot: ['type-only', 'dynamic-import'] },
  });
  forbidden.push({
    name: FOLDER_CYCLE_RULE,
    comment: 'the folders of src/ depend on each other in one direction only',
    severity: 'error',
    scope: 'folder',
    from: { path: '^src/[^/]+$' },
    to: { path: '^src/[^/]+$', circular: true },
  });
  return {
    forbidden,
    options: {
      tsConfig: { fileName: join(root, 'tsconfig.json') },
      exclude: { path: '^src/(generated|viewer/ui)/|\\.spec\\.ts$' },
      doNotFollow: { path: 'node_modules' },
      // Known repository imports are reported with severity "ignore"; the spec still lists them.
      knownViolations: KNOWN_REPOSITORY_IMPORTS.map((k) => {
        const owner = /^src\/([^/]+)\//.exec(k.to)?.[1] ?? '';
        return { type: 'dependency', from: k.from, to: k.to, rule: { severity: 'error', name: repositoryRuleName(owner) } };
      }),
    },
  };
}
