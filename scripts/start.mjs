#!/usr/bin/env node
// `npm start`: build what is stale, then run the server (dist/main.js) as a child and supervise it.
//
// - SIGINT, SIGTERM and SIGHUP are passed on to the server once; it drains and exits, and this
//   process exits with the server's exit code (128 + signal number if it was killed).
// - Another signal a second or more later ("Ctrl-C again") kills the server at once (SIGKILL).
//   Repeats within that second are the same request: npm forwards the terminal's Ctrl-C to us
//   although the terminal already delivered it.
// - The server runs in its own session, so terminal signals reach it only through here, once.
//   It is connected to us by an IPC channel: if this process dies, even by SIGKILL, the channel
//   closes and the server shuts down rather than keep holding the data directory.
// package.json runs this with `exec`, so npm signals this process and not an intermediate shell
// (dash does not pass SIGTERM on to its child).
// The server's environment gets the process-level memory settings of scripts/server-env.mjs.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { serverEnv } from './server-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const REPEAT_WINDOW_MS = 1000;
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The child currently running (the build, then the server). */
let child;
let firstSignalAt = 0;
let forced = false;

function exitLike(code, signal) {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
}

function onSignal(signal) {
  const now = Date.now();
  if (firstSignalAt === 0) {
    firstSignalAt = now;
    if (child) child.kill(signal);
    else process.exit(128 + constants.signals[signal]);
    return;
  }
  if (now - firstSignalAt < REPEAT_WINDOW_MS || forced || !child) return;
  forced = true;
  process.stderr.write('veritrail: second signal, killing the server now\n');
  child.kill('SIGKILL');
}
for (const s of FORWARDED) process.on(s, onSignal);

function run(args, options) {
  child = spawn(process.execPath, args, { cwd: root, ...options });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

const build = await run([fileURLToPath(new URL('./build.mjs', import.meta.url)), '--if-needed'], { stdio: 'inherit' });
if (firstSignalAt !== 0 || build.code !== 0) exitLike(build.code, build.signal);

const server = await run([...process.execArgv, fileURLToPath(new URL('../dist/main.js', import.meta.url)), ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  detached: true,
  env: serverEnv(process.env),
});
exitLike(server.code, server.signal);
