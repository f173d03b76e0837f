import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGNORMALIZER } from './cef-reference.js';

/**
 * LEEF 2.0 as a maintained log normaliser reads it. No maintained LEEF parser exists on the npm
 * registry (nsyslog-parser, the one that claims LEEF, splits on the delimiter field taken
 * literally — the two characters `x0` `9` rather than the TAB that `x09` declares — and cuts
 * every value at its second `=`), liblognorm 2.0.6 has no LEEF parser of its own and rsyslog's
 * mmleefparse is newer than Debian 12's rsyslog 8.2302. So this reads LEEF with liblognorm's
 * generic parsers (the rsyslog project's normalisation library, through Debian's
 * `lognormalizer`), from a rulebase that transcribes IBM's LEEF 2.0 layout and nothing else:
 *
 *   LEEF:<version>|<vendor>|<product>|<product version>|<event id>|<delimiter>|<attributes>
 *
 * each header field up to the next `|` (LEEF has no escapes), the attributes a repetition of
 * `<key>=<value>` separated by the declared delimiter, a value running up to the next delimiter
 * or the end of the line. Tokenising, the repetition and refusing a line that does not match are
 * liblognorm's; only the layout is ours (it is the specification's), and it does not know our
 * keys or values.
 */
export interface ReferenceLeef {
  version: string;
  vendor: string;
  product: string;
  product_version: string;
  event_id: string;
  delimiter: string;
  attributes: [string, string][];
}

/** Delimiters of the LEEF 2.0 header this reader handles: the hex form and the character it declares. */
const DELIMITERS: Record<string, string> = { x09: '\t', '0x09': '\t' };

function rulebase(separator: string): string {
  const sep = JSON.stringify(separator);
  const header = ['version', 'vendor', 'product', 'product_version', 'event_id', 'delimiter'].map((n) => `%${n}:char-to{"extradata":"|"}%`).join('|');
  const attributes = `%{"name":"attributes","type":"repeat","parser":[{"name":"key","type":"char-to","extradata":"="},{"type":"literal","text":"="},{"name":"value","type":"char-sep","extradata":${sep}}],"while":[{"type":"literal","text":${sep}}]}%`;
  return `version=2\nrule=:LEEF:${header}|${attributes}\n`;
}

/** Each line as liblognorm reads it with the LEEF 2.0 rulebase for `delimiter`; `undefined` where it refuses the line. */
export function leefReferenceParse(lines: readonly string[], delimiter = 'x09'): (ReferenceLeef | undefined)[] {
  if (!LOGNORMALIZER) throw new Error('lognormalizer (Debian package liblognorm-utils) is not installed');
  const separator = DELIMITERS[delimiter];
  if (separator === undefined) throw new Error(`delimiter ${delimiter} not handled`);
  const dir = mkdtempSync(join(tmpdir(), 'vt-leef-'));
  try {
    const rules = join(dir, 'leef.rb');
    writeFileSync(rules, rulebase(separator));
    for (const l of lines) if (/[\r\n]/.test(l)) throw new Error('a LEEF line must not contain CR or LF');
    const r = spawnSync(LOGNORMALIZER, ['-r', rules, '-e', 'json'], { input: `${lines.join('\n')}\n`, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`lognormalizer exited ${String(r.status)}: ${r.stderr}`);
    const out = r.stdout.split('\n').filter((l) => l.trim() !== '');
    if (out.length !== lines.length) throw new Error(`lognormalizer answered ${out.length} lines for ${lines.length}`);
    return out.map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      if ('unparsed-data' in o || !Array.isArray(o.attributes)) return undefined;
      const { attributes, ...header } = o as unknown as Omit<ReferenceLeef, 'attributes'> & { attributes: { key: string; value: string }[] };
      if (header.delimiter !== delimiter) return undefined;
      return { ...header, attributes: attributes.map((a) => [a.key, a.value] as [string, string]) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a LEEF value reads as after the writer's documented replacements (docs/export-formats.md
 * "LEEF 2.0"): TAB → space; every other control character (C0 including CR and LF, DEL, C1),
 * bidi control, zero-width character, U+2028/U+2029 and U+FEFF → U+FFFD. Written from the
 * documentation, not shared with the writer.
 */
export function leefCarried(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\t') out += ' ';
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
