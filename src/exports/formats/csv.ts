import type { ExportedEvent } from './exported-event.js';
import { escapeControls, unescapeControls } from './text-escape.js';

/**
 * CSV export (RFC 4180: header row, CRLF line ends, `"` quoting with doubled quotes),
 * hardened for spreadsheets (TEST-CATALOG EX-01):
 *  1. every cell goes through escapeControls, so no CR/LF/TAB/ESC survives and a record is
 *     always one physical line;
 *  2. a cell whose escaped text starts with `=`, `+`, `-`, `@` or `'` gets one leading `'`
 *     (a leading `'` is prefixed too, so decoding strips exactly one `'` unambiguously);
 *  3. a cell containing `,` or `"` is quoted.
 * decodeCsvCell inverts 1–2 on a cell already unquoted by a CSV parser.
 */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const CSV_EXTENSION = 'csv';

export const CSV_COLUMNS = [
  'id',
  'occurred_at',
  'received_at',
  'action',
  'outcome',
  'organization_id',
  'actor_type',
  'actor_id',
  'actor_name',
  'actor_email',
  'target_types',
  'target_ids',
  'target_names',
  'ip',
  'user_agent',
  'request_id',
  'session_id',
  'location',
  'changes',
  'metadata',
  'flags',
  // Added at the end (delegation) so readers that index columns by position keep working.
  'on_behalf_of_type',
  'on_behalf_of_id',
  'on_behalf_of_name',
  'impersonator_type',
  'impersonator_id',
  'impersonator_name',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** Characters that make a spreadsheet treat a cell as a formula (plus `'` for unambiguity). */
function isTrigger(code: number): boolean {
  return code === 0x3d /* = */ || code === 0x2b /* + */ || code === 0x2d /* - */ || code === 0x40 /* @ */ || code === 0x27; /* ' */
}

const NEEDS_QUOTES = /[,"]/;
const QUOTE = /"/g;

/** Encodes one cell value; undefined (a missing field) is an empty cell. */
export function encodeCsvCell(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  let s = escapeControls(value);
  if (isTrigger(s.charCodeAt(0))) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(QUOTE, '""')}"` : s;
}

/** Inverse of encodeCsvCell for a cell a CSV parser has already unquoted. */
export function decodeCsvCell(cell: string): string {
  return unescapeControls(cell.charCodeAt(0) === 0x27 ? cell.slice(1) : cell);
}

function json(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

/**
 * Target columns are parallel JSON arrays (index i of each describes target i); a target
 * without a name is `null` in target_names so the arrays stay aligned.
 */
function targetColumns(ev: ExportedEvent): [string | undefined, string | undefined, string | undefined] {
  const targets = ev.targets;
  if (targets === undefined) return [undefined, undefined, undefined];
  const types: string[] = [];
  const ids: string[] = [];
  const names: (string | null)[] = [];
  for (const t of targets) {
    types.push(t.type);
    ids.push(t.id);
    names.push(t.name ?? null);
  }
  return [JSON.stringify(types), JSON.stringify(ids), JSON.stringify(names)];
}

/** The cell values of one event, in CSV_COLUMNS order (unencoded). */
export function csvValues(ev: ExportedEvent): (string | undefined)[] {
  const [targetTypes, targetIds, targetNames] = targetColumns(ev);
  const ctx = ev.context;
  return [
    ev.id,
    ev.occurred_at,
    ev.received_at,
    ev.action,
    ev.outcome,
    ev.organization_id,
    ev.actor.type,
    ev.actor.id,
    ev.actor.name,
    ev.actor.email,
    targetTypes,
    targetIds,
    targetNames,
    ctx?.ip,
    ctx?.user_agent,
    ctx?.request_id,
    ctx?.session_id,
    ctx?.location,
    json(ev.changes),
    json(ev.metadata),
    json(ev.flags),
    ev.actor.on_behalf_of?.type,
    ev.actor.on_behalf_of?.id,
    ev.actor.on_behalf_of?.name,
    ev.actor.impersonator?.type,
    ev.actor.impersonator?.id,
    ev.actor.impersonator?.name,
  ];
}

/** One CSV record (with its CRLF) for a parsed stored event. */
export function csvRecord(ev: ExportedEvent): string {
  const values = csvValues(ev);
  let line = encodeCsvCell(values[0]);
  for (let i = 1; i < values.length; i++) line += `,${encodeCsvCell(values[i])}`;
  return `${line}\r\n`;
}
