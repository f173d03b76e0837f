import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The production TypeScript files below `dir` (no specs, declarations or src/generated), for source checks. */
export function productionFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p.endsWith(join('src', 'generated'))) continue;
      out.push(...productionFiles(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts')) {
      out.push(p);
    }
  }
  return out;
}
