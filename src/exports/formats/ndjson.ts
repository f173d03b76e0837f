/**
 * Native export: one stored event per line, byte for byte as stored (and hashed), so an
 * exported line can be checked against the Merkle tree. The payload is canonical JSON, whose
 * string escapes already turn every C0 control (CR, LF, ESC) into `\uXXXX`/`\n`, so it is
 * always a single line and needs no parsing here.
 */
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';
export const NDJSON_EXTENSION = 'ndjson';

/** One NDJSON line for a stored payload (no parse, no copy beyond the concatenation). */
export function ndjsonLine(payload: string): string {
  return `${payload}\n`;
}
