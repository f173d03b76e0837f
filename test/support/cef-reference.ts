import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * CEF as a maintained reference parser reads it: liblognorm's `cef` parser (the rsyslog
 * project's log normalisation library), through Debian's `lognormalizer` (package
 * liblognorm-utils, which .ci/run installs). It implements the ArcSight CEF specification
 * strictly: header escapes `\|` `\\`, extension escapes `\=` `\\` `\n` `\r`, anything else after
 * a backslash makes the whole line unparsable. No CEF parser on the npm registry is both
 * maintained and correct (nsyslog-parser, the one that exists, neither unescapes nor splits on
 * escaped `=`), hence this one.
 *
 * liblognorm 2.0.6 (Debian 12) drops the first character of the extension when no space
 * follows the last header `|` (rsyslog/liblognorm#363, fixed upstream after that release); a
 * space there is insignificant to CEF, so `referenceParse` inserts one before handing the line
 * over.
 */
export const LOGNORMALIZER = ['/usr/bin/lognormalizer', '/usr/local/bin/lognormalizer'].find((p) => existsSync(p));

export interface ReferenceCef {
  DeviceVendor: string;
  DeviceProduct: string;
  DeviceVersion: string;
  SignatureID: string;
  Name: string;
  Severity: string;
  Extensions: Record<string, string>;
}

/** Index just after the seventh unescaped `|` (the end of the header), or -1. */
function headerEnd(line: string): number {
  let pipes = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|' && ++pipes === 7) return i + 1;
  }
  return -1;
}

/** Each line as liblognorm parses it; `undefined` where it refuses the line. */
export function referenceParse(lines: readonly string[]): (ReferenceCef | undefined)[] {
  if (!LOGNORMALIZER) throw new Error('lognormalizer (Debian package liblognorm-utils) is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'vt-cef-'));
  try {
    const rules = join(dir, 'cef.rb');
    writeFileSync(rules, 'version=2\nrule=:%cef:cef%\n');
    const input = lines
      .map((l) => {
        if (/[\r\n]/.test(l)) throw new Error('a CEF line must not contain CR or LF');
        const end = headerEnd(l);
        return end < 0 ? l : `${l.slice(0, end)} ${l.slice(end)}`;
      })
      .join('\n');
    const r = spawnSync(LOGNORMALIZER, ['-r', rules, '-e', 'json'], { input: `${input}\n`, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`lognormalizer exited ${String(r.status)}: ${r.stderr}`);
    const out = r.stdout.split('\n').filter((l) => l.trim() !== '');
    if (out.length !== lines.length) throw new Error(`lognormalizer answered ${out.length} lines for ${lines.length}`);
    return out.map((l) => (JSON.parse(l) as { cef?: ReferenceCef }).cef);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a CEF value reads as after the writer's documented replacements (docs/export-formats.md):
 * TAB → space; other C0 controls, DEL, C1, bidi controls, zero-width characters, U+2028/U+2029
 * and U+FEFF → U+FFFD; in header fields CR and LF too. Written from the documentation, not
 * shared with the writer.
 */
export function cefCarried(s: string, where: 'header' | 'value'): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\t') out += ' ';
    else if ((ch === '\n' || ch === '\r') && where === 'value') out += ch;
    else if (
      c <= 0x1f ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x061c ||
      (c >= 0x200b && c <= 0x200f) ||
      c === 0x2028 ||
      c === 0x2029 ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x2064) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0xfeff
    )
      out += '\ufffd';
    else out += ch;
  }
  return out;
}
