// Process-level settings the server runs with. `npm start` (scripts/start.mjs) and the benchmarks
// (bench/lib/proc.mjs, which start dist/main.js directly) both use this, so what is measured is
// what users run. A value already in the environment wins.
//
// MALLOC_ARENA_MAX: chDB allocates with glibc's malloc from its own threads; by default glibc gives
// each thread that contends for the heap its own arena (up to 8 per core), and memory freed in one
// arena is not reused by another, so the process's peak during ingest grows with the number of
// threads that ever allocated. Two arenas keep that peak about 100 MB lower (docs/operations.md,
// "Memory"); glibc reads the variable when the process starts, so it is set here, not in the server.
export const SERVER_ENV_DEFAULTS = Object.freeze({ MALLOC_ARENA_MAX: '2' });

/** The environment for the server process: `env` with the defaults above where it sets nothing. */
export function serverEnv(env = process.env) {
  return { ...SERVER_ENV_DEFAULTS, ...env };
}
