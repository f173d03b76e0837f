// Writing one scenario's results into docs/benchmarks.md: its row of the summary table (found by
// the row's opening text, added after the table's last row when new) and its "details" section
// (replaced up to the next "## " heading, or appended). Used by every self-reporting scenario.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './proc.mjs';

const EMPTY = '# Benchmarks\n\n| scenario | Veritrail | reference | ratio | target |\n|---|---|---|---|---|\n';

let pageFile = join(ROOT, 'docs/benchmarks.md');

/** Where the section writers write (docs/benchmarks.md unless a run says otherwise). */
export function setPageFile(file) {
  pageFile = file;
}

export function fmt(n, d = 0) {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a';
}

/** Replaces the summary row starting with `rowPrefix` and the section headed `heading` (its first line). */
export async function writeBenchmarkSection({ rowPrefix, row, heading, section }) {
  const file = pageFile;
  const lines = (await readFile(file, 'utf8').catch(() => EMPTY)).split('\n');
  const at = lines.findIndex((l) => l.startsWith(rowPrefix));
  if (at >= 0) lines[at] = row;
  else {
    // After the last row of the first table.
    let end = lines.findIndex((l) => l.startsWith('|---'));
    while (end + 1 < lines.length && lines[end + 1].startsWith('|')) end++;
    lines.splice(end + 1, 0, row);
  }
  let md = lines.join('\n');
  const start = md.indexOf(heading);
  if (start >= 0) {
    const next = md.indexOf('\n## ', start + 1);
    md = md.slice(0, start) + section + (next >= 0 ? md.slice(next + 1) : '');
  } else {
    md = `${md.trimEnd()}\n\n${section}`;
  }
  await writeFile(file, md.endsWith('\n') ? md : `${md}\n`);
}
