/**
 * Minimal POSIX ustar writer (regular files only), enough for verifiable bundles: entries are
 * produced one after the other, so a multi-gigabyte events file is streamed from disk rather
 * than held in memory. Sizes up to 8 GiB (11 octal digits), names up to 100 bytes.
 * Format: POSIX.1-1988 ustar header, 512-byte blocks, two zero blocks at the end.
 */
const BLOCK = 512;
export const TAR_MAX_FILE_BYTES = 8 * 1024 ** 3 - 1;

export function tarHeader(name: string, size: number, mtimeMs: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar entry name too long: ${name}`);
  if (!Number.isSafeInteger(size) || size < 0 || size > TAR_MAX_FILE_BYTES) throw new Error(`tar entry too large: ${name}`);
  const h = Buffer.alloc(BLOCK, 0);
  nameBytes.copy(h, 0);
  writeOctal(h, 100, 8, 0o644); // mode
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, Math.floor(mtimeMs / 1000));
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h[156] = 0x30; // '0': regular file
  h.write('ustar\u0000', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return h;
}

/** Zero bytes that pad an entry of `size` bytes to a whole block. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

/** The end-of-archive marker. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK, 0);
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}
