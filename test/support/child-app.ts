import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The built app in its own process, for kill and restart tests: `dist` runs dist/main.js,
 * `launcher` runs `node scripts/start.mjs` (the launcher supervising dist/main.js), `npm` runs
 * `npm start` itself (npm → launcher → server).
 */
export interface ChildApp {
  proc: ChildProcess;
  url: string;
  port: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitReady(timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function spawnApp(vars: Record<string, string>, opts: { entry?: 'dist' | 'launcher' | 'npm'; port?: number } = {}): Promise<ChildApp> {
  const port = opts.port ?? (await freePort());
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...vars, PORT: String(port), HOST: '127.0.0.1' };
  // VERITRAIL_FAULTS (durability tests) is applied by a preload of the test suite, not by the app.
  const preload = vars.VERITRAIL_FAULTS && (opts.entry ?? 'dist') === 'dist' ? ['--import', './test/support/faults-preload.mjs'] : [];
  const [command, args] =
    opts.entry === 'npm' ? ['npm', ['start', '--silent']] : opts.entry === 'launcher' ? [process.execPath, ['scripts/start.mjs']] : [process.execPath, [...preload, 'dist/main.js']];
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  return {
    proc,
    url,
    port,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitReady(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      while (Date.now() < until) {
        if (done) throw new Error(`app exited before it was ready:\n${err}\n${out}`);
        try {
          const r = await fetch(`${url}/readyz`);
          if (r.status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`app not ready after ${timeoutMs} ms:\n${err}\n${out}`);
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Live (not zombie) descendants of `pid`, from /proc: the processes a launcher started. */
export async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …; comm may hold spaces and parentheses, so split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest.length > 1 && rest[0] !== 'Z') parents.set(Number(entry), Number(rest[1]));
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) if (parent === p) out.push(child), walk(child);
  };
  walk(pid);
  return out;
}

/** Whether a process is still running (a zombie awaiting its parent counts as gone). */
export async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}
