import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, CSV_HEADER, csvValues, decodeCsvCell, encodeCsvCell } from './csv.js';
import type { ExportedEvent } from './exported-event.js';
import { ALL_EVENTS, ALL_PAYLOADS, FORMULAS, HOSTILE } from './fixtures/stored-events.js';
import { writerFor } from './index.js';

const writer = writerFor('csv', { productVersion: '1.2.3' });
const text = writer.header() + ALL_PAYLOADS.map((p) => writer.line(p)).join('') + writer.footer();
const records = parse(text, { columns: true, relax_column_count: false }) as Record<string, string>[];

const JSON_COLUMNS = new Set(['target_types', 'target_ids', 'target_names', 'changes', 'metadata', 'flags']);

/** What each column should hold for a source event (undefined: empty cell). */
function expected(ev: ExportedEvent): Record<string, unknown> {
  const ctx = ev.context;
  return {
    id: ev.id,
    occurred_at: ev.occurred_at,
    received_at: ev.received_at,
    action: ev.action,
    outcome: ev.outcome,
    organization_id: ev.organization_id,
    actor_type: ev.actor.type,
    actor_id: ev.actor.id,
    actor_name: ev.actor.name,
    actor_email: ev.actor.email,
    target_types: ev.targets?.map((t) => t.type),
    target_ids: ev.targets?.map((t) => t.id),
    target_names: ev.targets?.map((t) => t.name ?? null),
    ip: ctx?.ip,
    user_agent: ctx?.user_agent,
    request_id: ctx?.request_id,
    session_id: ctx?.session_id,
    location: ctx?.location,
    changes: ev.changes,
    metadata: ev.metadata,
    flags: ev.flags,
    on_behalf_of_type: ev.actor.on_behalf_of?.type,
    on_behalf_of_id: ev.actor.on_behalf_of?.id,
    on_behalf_of_name: ev.actor.on_behalf_of?.name,
    impersonator_type: ev.actor.impersonator?.type,
    impersonator_id: ev.actor.impersonator?.id,
    impersonator_name: ev.actor.impersonator?.name,
  };
}

describe('CSV writer', () => {
  it('declares content type, extension and an RFC 4180 header row in column order', () => {
    expect(writer.contentType).toBe('text/csv; charset=utf-8');
    expect(writer.extension).toBe('csv');
    expect(writer.header()).toBe(CSV_HEADER);
    expect(CSV_HEADER).toBe(
      'id,occurred_at,received_at,action,outcome,organization_id,actor_type,actor_id,actor_name,actor_email,' +
        'target_types,target_ids,target_names,ip,user_agent,request_id,session_id,location,changes,metadata,flags,' +
        'on_behalf_of_type,on_behalf_of_id,on_behalf_of_name,impersonator_type,impersonator_id,impersonator_name\r\n',
    );
    expect(writer.footer()).toBe('');
  });

  it('ends every record with CRLF and never breaks a record across lines (IN-01)', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(records).toHaveLength(ALL_EVENTS.length);
    expect(lines).toHaveLength(records.length + 1);
    for (const line of lines) expect(line).not.toMatch(/[\r\n\u001b]/);
  });

  it('round-trips every field of every event through csv-parse and decodeCsvCell', () => {
    records.forEach((record, i) => {
      const ev = ALL_EVENTS[i]!;
      expect(Object.keys(record)).toEqual([...CSV_COLUMNS]);
      for (const [column, want] of Object.entries(expected(ev))) {
        const decoded = decodeCsvCell(record[column]!);
        if (want === undefined || want === '') {
          expect(record[column], `${ev.id} ${column}`).toBe('');
        } else if (JSON_COLUMNS.has(column)) {
          expect(JSON.parse(decoded), `${ev.id} ${column}`).toEqual(want);
        } else {
          expect(decoded, `${ev.id} ${column}`).toBe(want);
        }
      }
    });
  });

  it('EX-01: every formula-trigger cell starts with a quote in the raw text', () => {
    const rawCells = text.split('\r\n').slice(1, -1).flatMap(splitRawCells);
    const triggers = rawCells.filter((c) => /^"?[=+\-@']/.test(c));
    expect(triggers.length).toBeGreaterThan(0);
    for (const cell of triggers) expect(cell, cell).toMatch(/^"?'/);
    // No cell, quoted or not, lets a spreadsheet see =, +, -, @ first.
    for (const record of records) for (const cell of Object.values(record)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('EX-01: formula names decode to their literal text', () => {
    const contact = HOSTILE.find((e) => e.action === 'contact.updated')!;
    const record = records[ALL_EVENTS.indexOf(contact)]!;
    expect(record.actor_name).toBe('\'=HYPERLINK("http://x")');
    expect(decodeCsvCell(record.actor_name!)).toBe('=HYPERLINK("http://x")');
    expect(record.actor_id!.startsWith("'=")).toBe(true);
    expect(record.organization_id).toBe("'+org");
    expect(record.request_id).toBe("'-req");
    expect(record.session_id).toBe("'@sess");
    expect(record.location).toBe("''quoted");
    expect(JSON.parse(decodeCsvCell(record.target_names!))).toEqual(FORMULAS);
  });

  it.each([
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['+cmd', "'+cmd"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ["'quoted", "''quoted"],
    ['\tTAB', '\\u0009TAB'],
    ['\rCR', '\\u000dCR'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['back\\slash', 'back\\\\slash'],
    ['plain', 'plain'],
  ])('EX-01: encodes %j as %s and decodes it back', (value, cell) => {
    expect(encodeCsvCell(value)).toBe(cell);
    const [[parsed]] = parse(`${cell}\r\n`) as string[][] as [[string]];
    expect(decodeCsvCell(parsed)).toBe(value);
  });

  it('leaves missing values as empty cells and keeps empty arrays as []', () => {
    const minimal = csvValues(ALL_EVENTS[1]!);
    expect(minimal.filter((v) => v === undefined)).toHaveLength(CSV_COLUMNS.length - 7); // 7 required fields
    const withEmpty = ALL_EVENTS.find((e) => e.targets?.length === 0)!;
    const record = records[ALL_EVENTS.indexOf(withEmpty)]!;
    expect(record.target_ids).toBe('[]');
    expect(record.changes).toBe('[]');
    expect(record.metadata).toBe('{}');
    expect(record.ip).toBe('');
  });
});

/** Splits one raw CSV line into its raw (still quoted) cells. */
function splitRawCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let j = i + 1;
      for (;;) {
        if (line[j] === '"' && line[j + 1] === '"') j += 2;
        else if (line[j] === '"') break;
        else j++;
      }
      cells.push(line.slice(i, j + 1));
      i = j + 2;
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      cells.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return cells;
}

describe('CSV: delegation columns', () => {
  const base = { id: '0190a1b2-c3d4-7e5f-8a9b-00000000d003', received_at: '2025-06-01T12:00:00.250Z', occurred_at: '2025-06-01T11:59:58.123Z', outcome: 'success' as const, action: 'document.shared' };
  const events: ExportedEvent[] = [
    { ...base, actor: { type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_bob', name: '=Bob, "the boss"' } } },
    { ...base, actor: { type: 'user', id: 'u_bob', impersonator: { type: 'user', id: '@ann', name: 'Ann\r\nLee' } } },
    { ...base, actor: { type: 'user', id: 'u_dan' } },
  ];
  const out = writer.header() + events.map((e) => writer.line(JSON.stringify(e))).join('');
  const rows = parse(out, { columns: true, relax_column_count: false }) as Record<string, string>[];

  it('the six columns come last, after flags, and read back through csv-parse (formula triggers and line breaks neutralised)', () => {
    expect(CSV_COLUMNS.slice(-7)).toEqual(['flags', 'on_behalf_of_type', 'on_behalf_of_id', 'on_behalf_of_name', 'impersonator_type', 'impersonator_id', 'impersonator_name']);
    rows.forEach((row, i) => {
      for (const [column, want] of Object.entries(expected(events[i]!))) {
        if (want === undefined) expect(row[column], column).toBe('');
        else if (!JSON_COLUMNS.has(column)) expect(decodeCsvCell(row[column]!), column).toBe(want);
      }
    });
    expect(rows[0]!.on_behalf_of_name).toBe('\'=Bob, "the boss"');
    expect(rows[1]!.impersonator_id).toBe("'@ann");
    expect(out.slice(0, -2).split('\r\n')).toHaveLength(4);
  });
});
