import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PoolConfig } from 'pg';
import { pathToFileURL } from 'node:url';
import { ExchangeQueue } from './exchange-queue.js';

const SOCKET_PORT = 5432;
const SOCKET_NAME = `.s.PGSQL.${SOCKET_PORT}`;
/** sun_path holds 108 bytes on Linux and 104 on macOS, terminating NUL included. */
const MAX_SOCKET_PATH = 103;
/** mkdtemp appends six characters to this prefix. */
const SOCKET_DIR_PREFIX = 'vt-';
const SOCKET_DIR_PATTERN = /^vt-[A-Za-z0-9]{6}$/;
/** Names the socket directory of the instance using the data directory, for the next start. */
const SOCKET_POINTER = 'postgres-socket-dir';

/** Another live process serves this data directory: two PGlite instances on one directory corrupt it. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string) {
    super(`${dataDir} is in use by another running Veritrail process (its PostgreSQL socket answers); stop it first`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) served over the PostgreSQL wire protocol, so
 * Prisma's adapter-pg talks to it exactly as it talks to a PostgreSQL server: one code path.
 * The wire protocol carries no authentication here, so it is only ever offered on a Unix socket
 * in a fresh directory of our own (mode 0700): only this user can reach it. Never TCP: a long
 * DATA_DIR moves the socket to a short private directory under XDG_RUNTIME_DIR or the temp
 * directory instead. A stopped instance's directory can be opened by any PGlite process.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly poolConfig: PoolConfig,
    /** The private directory holding the socket (removed on stop). */
    readonly socketDir: string,
  ) {}

  /** `sharedBuffersMb`: PostgreSQL's shared_buffers (EMBEDDED_POSTGRES_SHARED_BUFFERS_MB). */
  static async start(dataDir: string, maxConnections = 8, sharedBuffersMb = 16): Promise<EmbeddedPostgres> {
    const dir = join(dataDir, 'postgres');
    const runDir = join(dataDir, 'run');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await mkdir(runDir, { recursive: true, mode: 0o700 });
    await releaseStaleSocket(dataDir, runDir);
    const socketDir = await createSocketDir(socketDirCandidates(runDir));
    let db: PGlite | undefined;
    try {
      if (!existsSync(join(dir, 'PG_VERSION'))) await initdbInChild(dir);
      db = await PGlite.create({ dataDir: dir, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`] });
      const server = new PGLiteSocketServer({ db, path: join(socketDir, SOCKET_NAME), maxConnections });
      // Keep each connection's protocol exchange together (see ExchangeQueue): the server hands
      // this queue to every connection it accepts, so it is replaced before the first one.
      (server as unknown as { queryQueue: ExchangeQueue }).queryQueue = new ExchangeQueue(db);
      await server.start();
      await writeFile(join(runDir, SOCKET_POINTER), `${socketDir}\n`, { mode: 0o600 });
      return new EmbeddedPostgres(db, server, { host: socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' }, socketDir);
    } catch (err) {
      await db?.close().catch(() => undefined);
      await rm(socketDir, { recursive: true, force: true });
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    await rm(this.socketDir, { recursive: true, force: true });
  }
}

/**
 * Creates a new cluster (initdb) in a short-lived child process. The WebAssembly heap grows to
 * ~750 MB while initdb runs and a WebAssembly memory never shrinks: done in this process, the
 * first start would keep that for its whole life (a restart on the same directory needs ~170 MB).
 */
async function initdbInChild(dir: string): Promise<void> {
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const script = 'const { PGlite } = await import(process.argv[1]); const db = await PGlite.create({ dataDir: process.argv[2] }); await db.close();';
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script, pglite, dir], { timeout: 300_000, maxBuffer: 16 << 20 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`PostgreSQL initdb failed in ${dir}: ${stderr.trim() || err.message}`, { cause: err })) : resolve(),
    ),
  );
}

/** Where the socket directory may go, most preferred first: inside DATA_DIR, else a short runtime or temp directory. */
export function socketDirCandidates(runDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const bases = [runDir, env.XDG_RUNTIME_DIR, tmpdir(), '/tmp'].filter((b): b is string => !!b && isAbsolute(b));
  return [...new Set(bases)].filter((b) => join(b, `${SOCKET_DIR_PREFIX}XXXXXX`, SOCKET_NAME).length <= MAX_SOCKET_PATH);
}

/** A new directory only this user can enter (mkdtemp: fresh name, mode 0700), checked before use. */
export async function createSocketDir(bases: string[]): Promise<string> {
  for (const base of bases) {
    let dir: string;
    try {
      dir = await mkdtemp(join(base, SOCKET_DIR_PREFIX));
    } catch {
      continue; // missing or not writable: try the next one
    }
    const s = await lstat(dir);
    if (s.isDirectory() && (process.getuid === undefined || s.uid === process.getuid()) && (s.mode & 0o077) === 0) return dir;
    await rm(dir, { recursive: true, force: true });
  }
  throw new Error(
    'no private directory with a path short enough for the embedded PostgreSQL socket (Unix socket paths are limited to ~100 bytes): ' +
      'use a shorter DATA_DIR, or set XDG_RUNTIME_DIR or TMPDIR to a short writable directory',
  );
}

/**
 * The previous instance's socket directory: refuse to start while its socket still answers
 * (a live process uses this data directory), remove it when it is left over from a crash.
 */
async function releaseStaleSocket(dataDir: string, runDir: string): Promise<void> {
  const pointer = join(runDir, SOCKET_POINTER);
  let previous: string;
  try {
    previous = (await readFile(pointer, 'utf8')).trim();
  } catch {
    return;
  }
  // Only ever remove a directory of the shape we create.
  if (isAbsolute(previous) && SOCKET_DIR_PATTERN.test(basename(previous))) {
    if (await answers(join(previous, SOCKET_NAME))) throw new DataDirInUseError(dataDir);
    await rm(previous, { recursive: true, force: true });
  }
  await rm(pointer, { force: true });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socketPath);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
