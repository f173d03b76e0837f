import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serverEnv } from '../../scripts/server-env.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a node script as a child process (`nodeArgs` before it, e.g. --cpu-prof) and waits until `readyPath` answers 200. */
export async function startProcess(script, env, readyPath = '/readyz', nodeArgs = []) {
  const port = await freePort();
  const proc = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    // The process-level settings `npm start` gives the server (scripts/server-env.mjs).
    env: serverEnv({ PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  proc.stdout.on('data', () => undefined);
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a shared, loaded machine the embedded stores can take minutes to open.
  const until = Date.now() + 300_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${script} exited: ${err}`);
    try {
      if ((await fetch(url + readyPath)).status === 200) break;
    } catch {}
    if (Date.now() > until) throw new Error(`${script} not ready: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
    pid: proc.pid,
  };
}

/** Peak resident set size of a process so far (Linux), in MB. */
export async function peakRssMb(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * The JSON result a bench child prints as its last stdout line (children that open the stores
 * outside the app may log before it through Nest's default logger, which writes to stdout).
 */
export function lastJsonLine(text) {
  const lines = String(text).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
