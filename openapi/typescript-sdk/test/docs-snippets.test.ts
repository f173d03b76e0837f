import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every TypeScript snippet in the docs compiles against the code it shows: the SDK's real types
 * (`@veritrail/sdk` resolves to its sources) and the test harness. A snippet may be preceded by
 * `<!-- snippet-context: … -->`, TypeScript the reader is assumed to have (their `req`, their
 * `app`); it is compiled with the snippet but not shown.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SNIPPET = /(?:<!--\s*snippet-context:([\s\S]*?)-->\s*\n)?```(ts|tsx|typescript)\n([\s\S]*?)```/g;

interface Snippet {
  source: string;
  line: number;
  code: string;
  tsx: boolean;
}

function docFiles(): string[] {
  const docs = readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(repoRoot, 'docs', f));
  return [join(repoRoot, 'README.md'), join(repoRoot, 'openapi/typescript-sdk/README.md'), ...docs];
}

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const file of docFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SNIPPET)) {
      const context = m[1]?.trim() ?? '';
      const body = m[3]!;
      const isModule = /^\s*(import|export)\s/m.test(context + body);
      out.push({
        source: `${relative(repoRoot, file)}:${text.slice(0, m.index).split('\n').length}`,
        line: context ? context.split('\n').length : 0,
        code: `${context}\n${body}${isModule ? '' : '\nexport {};\n'}`,
        tsx: m[2] === 'tsx',
      });
    }
  }
  return out;
}

describe('TypeScript snippets in the docs', () => {
  const all = snippets();

  it('there are snippets to check (SDK README, README, viewer, testing)', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  it('every one compiles (strict) against the SDK and the test harness', () => {
    // Virtual files beside the integration tests, so `../support/harness.js` resolves as in docs/testing.md.
    const dir = join(repoRoot, 'test/integration');
    const files = new Map(all.map((s, i) => [join(dir, `__doc_snippet_${i}.${s.tsx ? 'tsx' : 'ts'}`), s]));
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node', 'vitest/globals'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      experimentalDecorators: true,
      jsx: ts.JsxEmit.ReactJSX,
      paths: { '@veritrail/sdk': [join(repoRoot, 'openapi/typescript-sdk/src/index.ts')] },
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (f) => files.get(f)?.code ?? readFile(f);
    host.fileExists = (f) => files.has(f) || fileExists(f);
    host.getSourceFile = (f, lang, onError, create) => {
      const s = files.get(f);
      return s ? ts.createSourceFile(f, s.code, lang, true) : getSourceFile(f, lang, onError, create);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    const problems: string[] = [];
    for (const [file, s] of files) {
      const sf = program.getSourceFile(file)!;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const { line } = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0 };
        problems.push(`${s.source} (+${line - s.line}): ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
