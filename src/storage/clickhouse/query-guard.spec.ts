import { describe, expect, it } from 'vitest';
import { limitError, limitSettings, searchTermProblem, withLimits, type QueryLimits } from './query-guard.js';

const limits: QueryLimits = { maxExecutionMs: 1500, maxMemoryBytes: 1000, maxRowsToRead: 0, maxBytesToRead: 5000, tenantConcurrentQueries: 4 };

describe('query guard rails', () => {
  it('maps the configured limits onto ClickHouse settings (time in seconds, 0 = none)', () => {
    expect(limitSettings(limits)).toEqual({ max_execution_time: 1.5, max_memory_usage: 1000, max_rows_to_read: 0, max_bytes_to_read: 5000 });
  });

  it('keeps the stricter of the caller\'s and the guard\'s limit, and throws rather than truncates', () => {
    const s = withLimits({ max_execution_time: 30, max_bytes_to_read: 100, max_rows_to_read: 7, allow_simdjson: 0 }, limits);
    expect(s).toEqual({
      max_execution_time: 1.5, // guard stricter
      max_memory_usage: 1000, // caller had none
      max_rows_to_read: 7, // guard has none: the caller's stays
      max_bytes_to_read: 100, // caller stricter
      allow_simdjson: 0,
      timeout_overflow_mode: 'throw',
      read_overflow_mode: 'throw',
    });
    expect(withLimits(undefined, { ...limits, maxExecutionMs: 0, maxMemoryBytes: 0, maxBytesToRead: 0 })).toEqual({ timeout_overflow_mode: 'throw', read_overflow_mode: 'throw' });
  });

  it('turns the engine\'s limit errors into 422 query_too_expensive / 504 query_timeout with advice; the server\'s own memory limit is not the query\'s fault', () => {
    // Messages as chDB 3.4 words them (seen with the settings above on numbers()).
    const rows = limitError('158', "Limit for rows (controlled by 'max_rows_to_read' setting) exceeded, max rows: 1.00 thousand");
    expect([rows?.status, rows?.code]).toEqual([422, 'query_too_expensive']);
    expect(rows?.publicMessage).toMatch(/Narrow the time range/);
    expect(limitError('307', 'Limit for rows or bytes to read exceeded, max bytes: 1000.00 B')?.code).toBe('query_too_expensive');
    expect(limitError('241', 'Query memory limit exceeded: would use 1.06 MiB')?.code).toBe('query_too_expensive');
    expect(limitError('241', 'Memory limit (for query) exceeded: would use 1.06 MiB')?.code).toBe('query_too_expensive');
    expect(limitError('241', 'Memory limit (total) exceeded: would use 30 GiB')).toBeUndefined();
    const slow = limitError('159', 'Timeout exceeded: elapsed 1002.574 ms, maximum: 1000 ms.');
    expect([slow?.status, slow?.code]).toEqual([504, 'query_timeout']);
    expect(limitError('62', 'Syntax error')).toBeUndefined();
  });

  it('refuses search terms that cannot narrow a scan, accepts ordinary ones', () => {
    for (const bad of ['x', '%', '_', '%%', '*?', '...', '--']) expect(searchTermProblem(bad), bad).toBeDefined();
    for (const ok of ['le', 'q3', '100%', 'b_b', 'ann@example.com', 'ÉTÉ', '名前']) expect(searchTermProblem(ok), ok).toBeUndefined();
  });
});
