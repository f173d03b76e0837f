#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainModule } from '../common/paths.js';
import { UnusableEvidenceError } from '../integrity/evidence.js';
import { verifyCommand } from '../integrity/verify-command.js';
import { createKeyFile, KeyFileError, readKeyFile, rotateKeyFile } from '../integrity/signing-keys.js';
import type { AppConfig } from '../config/config.js';
import { accessStatements } from '../storage/clickhouse/access.js';
import { loadMasterKey, writeMasterKeyFile } from '../personal-data/master-key.js';

/**
 * `veritrail` command line.
 *   veritrail verify <evidence.json | dir | bundle.tar.gz> --jwks <jwks.json> [--known <checkpoint.jws>]
 *                    [--note-keys <note-keys.txt>] [--tenant <id>] [--whole-trail] [--retention-days <n>] [--now <RFC 3339>] [--json]
 *       offline: no network, no database. Exit 0 ok, 1 tampered, 2 unusable input.
 *   veritrail keys generate <file>    create a signing key file (server mode: SIGNING_KEYS_FILE)
 *   veritrail keys rotate <file>      add a new active key; older keys stay published
 *   veritrail keys jwks <file>        print the public JWKS of a key file
 *   veritrail keys generate-master <file>  create a privacy master key file (PRIVACY_MASTER_KEY_FILE)
 *   veritrail keys init <dir>         create <dir>/signing-keys.json, note-keys.json and privacy-master.key
 *                                     unless they exist (never overwrites; the Docker init step)
 *   veritrail clickhouse-access       print the SQL creating the read-only and insert-only users and
 *                                     the tenant row policy (server mode, TN-05), from CLICKHOUSE_DATABASE,
 *                                     CLICKHOUSE_CLUSTER, CLICKHOUSE_READER_USER/_PASSWORD, CLICKHOUSE_WRITER_USER/_PASSWORD
 */
const USAGE = `usage:
  veritrail verify <evidence.json|dir|bundle.tar.gz> --jwks <jwks.json> [--known <checkpoint.jws>]
                   [--note-keys <note-keys.txt>] [--tenant <id>] [--whole-trail] [--retention-days <n>] [--now <RFC 3339 time>] [--json]
  veritrail keys generate <file>
  veritrail keys rotate <file>
  veritrail keys jwks <file>
  veritrail keys generate-master <file>
  veritrail keys init <dir>
  veritrail clickhouse-access`;

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'verify') return await verifyCommand(rest, out, USAGE);
    if (command === 'keys') return await keys(rest, out);
    if (command === 'clickhouse-access') return clickhouseAccess(process.env, out);
  } catch (err) {
    if (err instanceof UnusableEvidenceError || err instanceof KeyFileError) {
      out(`error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  out(`${USAGE}\n`);
  return 2;
}

async function keys(args: string[], out: (s: string) => void): Promise<number> {
  const [action, file] = args;
  if (!file) throw new KeyFileError(`keys needs an action and a file\n${USAGE}`);
  if (action === 'generate') {
    try {
      const k = await createKeyFile(file);
      out(`created ${file} (kid ${k.kid})\n`);
      return 0;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileError(`${file} exists; use \`veritrail keys rotate ${file}\``);
      throw err;
    }
  }
  if (action === 'generate-master') {
    try {
      await writeMasterKeyFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileError(`${file} exists; a master key is never overwritten (it unwraps every subject's key)`);
      throw err;
    }
    out(`created ${file} (mode 0600). Give every replica the same file; back it up apart from the database.\n`);
    return 0;
  }
  if (action === 'init') return initKeys(file, out);
  if (action === 'rotate') {
    const k = await rotateKeyFile(file);
    out(`added active key ${k.kid} to ${file}; older keys are retired and stay in the JWKS. Restart every replica.\n`);
    return 0;
  }
  if (action === 'jwks') {
    const f = await readKeyFile(file);
    out(`${JSON.stringify({ keys: f.keys.map((k) => ({ kty: 'OKP', crv: 'Ed25519', x: k.private_jwk.x, kid: k.kid, alg: 'EdDSA', use: 'sig' })) }, null, 2)}\n`);
    return 0;
  }
  throw new KeyFileError(`unknown keys action ${action}\n${USAGE}`);
}

/**
 * Creates the server-mode key files in `dir` once: a file that exists is checked and kept, never
 * replaced (a new signing key would orphan old checkpoints, a new master key every encrypted
 * value). Safe to run on every deploy.
 */
async function initKeys(dir: string, out: (s: string) => void): Promise<number> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const signing = join(dir, 'signing-keys.json');
  const master = join(dir, 'privacy-master.key');
  if (existsSync(signing)) {
    const f = await readKeyFile(signing);
    out(`kept ${signing} (${f.keys.length} key(s))\n`);
  } else {
    const k = await createKeyFile(signing);
    out(`created ${signing} (kid ${k.kid})\n`);
  }
  const note = join(dir, 'note-keys.json');
  if (existsSync(note)) {
    const f = await readKeyFile(note);
    out(`kept ${note} (${f.keys.length} key(s))\n`);
  } else {
    const k = await createKeyFile(note);
    out(`created ${note} (note key, kid ${k.kid})\n`);
  }
  if (existsSync(master)) {
    await loadMasterKey({ masterKey: undefined, masterKeyFile: master, generateMasterKey: false } as AppConfig['privacy']);
    out(`kept ${master}\n`);
  } else {
    await writeMasterKeyFile(master);
    out(`created ${master} (mode 0600)\n`);
  }
  return 0;
}

/**
 * Prints the access statements for the users the environment names (passwords only as SHA-256
 * hashes; they are read from the environment, never from the command line).
 */
export function clickhouseAccess(env: NodeJS.ProcessEnv, out: (s: string) => void): number {
  const reader = env.CLICKHOUSE_READER_USER;
  const writer = env.CLICKHOUSE_WRITER_USER;
  if (!reader || !writer) {
    out('error: set CLICKHOUSE_READER_USER and CLICKHOUSE_WRITER_USER (and their _PASSWORD variables)\n');
    return 2;
  }
  const statements = accessStatements(
    { database: env.CLICKHOUSE_DATABASE || 'veritrail', cluster: env.CLICKHOUSE_CLUSTER || undefined },
    { reader: { user: reader, password: env.CLICKHOUSE_READER_PASSWORD ?? '' }, writer: { user: writer, password: env.CLICKHOUSE_WRITER_PASSWORD ?? '' } },
  );
  out(statements.map((s) => `${s};\n`).join(''));
  return 0;
}

if (isMainModule(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(2);
    },
  );
}
