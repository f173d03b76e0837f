import { parseNote } from './signed-note.js';

/**
 * C2SP tlog-proof files (c2sp.org/tlog-proof): an event's inclusion in a tenant log, checkable
 * offline by any tool that speaks the format, given the event (its leaf) and the note key:
 *
 *   c2sp.org/tlog-proof@v1
 *   extra <base64 of the event id>        (unauthenticated: only says which event it is about)
 *   index <leaf index>
 *   <base64 hash>…                          RFC 6962 audit path, leaf's sibling first
 *   (empty line)
 *   <the signed checkpoint note, verbatim>
 *
 * Stored as `<event id>.tlog-proof` in bundles. The leaf hash is SHA-256(0x00 ‖ the event as
 * sealed, canonical JSON): the event in the evidence is the leaf data.
 */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
/** Paths of trees of up to 2^63 leaves; anything longer is not a proof. */
const MAX_PATH = 64;

export interface TlogProof {
  extra?: Buffer;
  index: number;
  path: Buffer[];
  note: string;
}

export function formatTlogProof(p: TlogProof): string {
  const lines = [TLOG_PROOF_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${p.extra.toString('base64')}`);
  lines.push(`index ${p.index}`, ...p.path.map((h) => h.toString('base64')));
  return `${lines.join('\n')}\n\n${p.note}`;
}

/** Reads a tlog-proof file; a string saying why when it is not one. The note is checked for shape only. */
export function parseTlogProof(text: string): TlogProof | string {
  if (typeof text !== 'string') return 'not text';
  const sep = text.indexOf('\n\n');
  if (sep < 0) return 'no empty line before the checkpoint';
  const head = text.slice(0, sep).split('\n');
  const note = text.slice(sep + 2);
  if (head[0] !== TLOG_PROOF_HEADER) return `the first line is not ${TLOG_PROOF_HEADER}`;
  let i = 1;
  let extra: Buffer | undefined;
  if (head[i]?.startsWith('extra ')) {
    const b64 = head[i]!.slice(6);
    if (!isBase64(b64)) return 'the extra line is not base64';
    extra = Buffer.from(b64, 'base64');
    i++;
  }
  const m = /^index (0|[1-9][0-9]{0,15})$/.exec(head[i] ?? '');
  if (!m || !Number.isSafeInteger(Number(m[1]))) return 'no valid index line';
  i++;
  const path: Buffer[] = [];
  for (; i < head.length; i++) {
    const h = head[i]!;
    if (!isBase64(h) || Buffer.from(h, 'base64').length !== 32) return `proof line ${i + 1} is not the base64 of a SHA-256 hash`;
    path.push(Buffer.from(h, 'base64'));
  }
  if (path.length > MAX_PATH) return 'the inclusion proof is too long';
  const parsed = parseNote(note);
  if (typeof parsed === 'string') return `the checkpoint: ${parsed}`;
  return { ...(extra !== undefined ? { extra } : {}), index: Number(m[1]), path, note };
}

function isBase64(s: string): boolean {
  return s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}
