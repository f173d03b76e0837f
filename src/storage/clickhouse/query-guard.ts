import { AppError } from '../../common/errors.js';

/**
 * Guard rails for the reads a tenant's requests make (TEST-CATALOG TN-06): every such statement
 * runs with ClickHouse's own limits on time, memory and data read, so a full-range GROUP BY or a
 * pathological search fails fast for that tenant instead of occupying the engine; and a tenant may
 * have only so many reads queued or running at once (the engine scheduler serves lanes
 * round-robin, this cap keeps one lane's backlog short). Background jobs, the ingest writer and
 * operator requests are not limited here: they have their own budgets.
 */
export interface QueryLimits {
  /** `max_execution_time`, in milliseconds (sent as seconds, fractions allowed). 0 = none. */
  maxExecutionMs: number;
  /** `max_memory_usage`, bytes, per statement. 0 = none. */
  maxMemoryBytes: number;
  /** `max_rows_to_read`. 0 = none. */
  maxRowsToRead: number;
  /** `max_bytes_to_read` (uncompressed). 0 = none. */
  maxBytesToRead: number;
  /** Statements of one tenant queued or running at once in this process; more are answered 429. */
  tenantConcurrentQueries: number;
}

/** ClickHouse settings that carry {@link QueryLimits}; 0 means unlimited for each of them. */
export const LIMIT_SETTINGS = ['max_execution_time', 'max_memory_usage', 'max_rows_to_read', 'max_bytes_to_read'] as const;

export function limitSettings(limits: QueryLimits): Record<(typeof LIMIT_SETTINGS)[number], number> {
  return {
    max_execution_time: limits.maxExecutionMs / 1000,
    max_memory_usage: limits.maxMemoryBytes,
    max_rows_to_read: limits.maxRowsToRead,
    max_bytes_to_read: limits.maxBytesToRead,
  };
}

/**
 * The caller's settings with the guard's limits applied: for each limit the stricter of the two
 * (0 = unlimited loses to any number), so a repository's own tighter bound stays.
 */
export function withLimits<S extends Record<string, unknown>>(settings: S | undefined, limits: QueryLimits): S & Record<string, unknown> {
  const out: Record<string, unknown> = { ...settings };
  const guard = limitSettings(limits);
  for (const key of LIMIT_SETTINGS) {
    const mine = guard[key];
    const theirs = Number(out[key] ?? 0);
    if (mine > 0 && (!(theirs > 0) || mine < theirs)) out[key] = mine;
    else if (theirs > 0) out[key] = theirs;
  }
  // Throw rather than return a partial answer when a limit is reached (the defaults, stated so
  // that a server profile cannot turn them into silent truncation).
  out.timeout_overflow_mode = 'throw';
  out.read_overflow_mode = 'throw';
  return out as S & Record<string, unknown>;
}

export class QueryTooExpensiveError extends AppError {
  constructor(what: 'rows' | 'bytes' | 'memory') {
    const reason = what === 'memory' ? 'needs more memory than a query may use' : `reads more ${what === 'rows' ? 'rows' : 'data'} than a query may read`;
    super(422, 'query_too_expensive', `The query ${reason}. Narrow the time range (from/to), add filters (organization_id, action, actor_id) or use fewer search terms; for the whole history use POST /v1/exports.`);
  }
}

export class QueryTimeoutError extends AppError {
  constructor() {
    super(504, 'query_timeout', 'The query took too long and was cancelled. Narrow the time range (from/to) or add filters (organization_id, action, actor_id); for the whole history use POST /v1/exports.');
  }
}

export class TooManyConcurrentQueriesError extends AppError {
  constructor(limit: number) {
    super(429, 'too_many_concurrent_queries', `Your tenant already has ${limit} queries queued or running; wait for them to finish and retry.`, undefined, { 'retry-after': '1' });
  }
}

/**
 * The API error for a ClickHouse error raised by a limit of {@link withLimits}, or undefined.
 * MEMORY_LIMIT_EXCEEDED is the query's own limit only when ClickHouse says so ("Query memory limit"
 * / "memory limit (for query)"); the server's total limit is an outage, not the query's fault.
 */
export function limitError(code: string, message: string): AppError | undefined {
  switch (code) {
    case '159': // TIMEOUT_EXCEEDED
      return new QueryTimeoutError();
    case '158': // TOO_MANY_ROWS
      return new QueryTooExpensiveError('rows');
    case '307': // TOO_MANY_BYTES
      return new QueryTooExpensiveError('bytes');
    case '241': // MEMORY_LIMIT_EXCEEDED
      return /query memory limit|memory limit \(for query\)/i.test(message) ? new QueryTooExpensiveError('memory') : undefined;
    default:
      return undefined;
  }
}

/** Shortest search term accepted: a single character matches nearly every event, so it narrows nothing. */
export const MIN_SEARCH_TERM_LENGTH = 2;

/**
 * Cost check of free-text search terms before any SQL is built (the engine's limits bound the rest):
 * a term is a substring scan over every event in range, so terms that cannot narrow it are refused
 * (400): a single character, or only punctuation and wildcard characters (`%`, `_`, `*`, `?`),
 * which are matched literally anyway. Returns a message, or undefined when the term is acceptable.
 */
export function searchTermProblem(term: string): string | undefined {
  if ([...term].length < MIN_SEARCH_TERM_LENGTH) return `Each search term needs at least ${MIN_SEARCH_TERM_LENGTH} characters; shorter ones match nearly every event.`;
  if (!/[\p{L}\p{N}]/u.test(term)) return 'A search term needs at least one letter or digit; wildcards and punctuation alone match everything.';
  return undefined;
}
