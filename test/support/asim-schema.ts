import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';

/** ASIM field definitions (test/fixtures/asim, rows copied unchanged from Azure/Azure-Sentinel's ASimTester.csv). */
const ASIM = readFileSync(fileURLToPath(new URL('../fixtures/asim/fields.csv', import.meta.url)), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const [name, type, cls, , logical, values] = l.split(',');
    return { name: name!, type: type!, cls: cls!, logical: logical!, values: values ? values.split('|').map((v) => v.trim()) : [] };
  });

/** The problems of one ASIM Audit Event record against those definitions: mandatory fields, types, enumerated values, addresses. */
export function asimProblems(r: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const f of ASIM) {
    const v = r[f.name];
    if (v === undefined) {
      if (f.cls === 'Mandatory') problems.push(`${f.name} missing`);
      continue;
    }
    if (f.type === 'string' && typeof v !== 'string') problems.push(`${f.name} not a string`);
    if (f.type === 'int' && !Number.isInteger(v)) problems.push(`${f.name} not an int`);
    if (f.type === 'datetime' && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) problems.push(`${f.name} not a datetime`);
    if (f.logical === 'Enumerated' && f.values.length > 0 && !f.values.includes(String(v))) problems.push(`${f.name}=${String(v)} not one of ${f.values.join('|')}`);
    if (f.logical === 'IP Address' && isIP(String(v)) === 0) problems.push(`${f.name} not an IP address`);
  }
  if (r.EventSchema !== 'AuditEvent') problems.push('EventSchema');
  return problems;
}
