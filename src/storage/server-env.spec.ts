import { describe, expect, it } from 'vitest';
import { serverEnv } from '../../scripts/server-env.mjs';

describe('the server process environment (npm start, benchmarks)', () => {
  it('limits glibc to two malloc arenas unless the environment says otherwise', () => {
    expect(serverEnv({ DATA_DIR: '/d' })).toEqual({ MALLOC_ARENA_MAX: '2', DATA_DIR: '/d' });
    expect(serverEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8');
  });
});
