import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { embeddedEngineArgs } from './clickhouse.service.js';

describe('embedded engine memory', () => {
  it('caps the caches by default and follows EMBEDDED_* settings', () => {
    const defaults = loadConfig({}).storage.embeddedMemory;
    expect(defaults).toEqual({ postgresSharedBuffersMb: 16, clickhouseMarkCacheMb: 64, clickhouseIndexCacheMb: 64 });
    expect(embeddedEngineArgs(defaults)).toContain(`--mark_cache_size=${64 * 2 ** 20}`);
    const set = loadConfig({ EMBEDDED_CLICKHOUSE_MARK_CACHE_MB: '8', EMBEDDED_CLICKHOUSE_INDEX_CACHE_MB: '4', EMBEDDED_POSTGRES_SHARED_BUFFERS_MB: '32' }).storage.embeddedMemory;
    const args = embeddedEngineArgs(set);
    expect(set.postgresSharedBuffersMb).toBe(32);
    expect(args).toEqual(expect.arrayContaining([`--mark_cache_size=${8 * 2 ** 20}`, `--index_mark_cache_size=${8 * 2 ** 20}`, `--primary_index_cache_size=${4 * 2 ** 20}`, '--uncompressed_cache_size=0']));
  });

  it('refuses a value out of range', () => {
    expect(() => loadConfig({ EMBEDDED_POSTGRES_SHARED_BUFFERS_MB: '0' })).toThrow(/EMBEDDED_POSTGRES_SHARED_BUFFERS_MB/);
  });
});
