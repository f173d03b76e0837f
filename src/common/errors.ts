/**
 * One error family for the whole API. Every error a client can see has a stable `code` to
 * switch on, an HTTP status and a public message; internal detail (SQL, hosts, stack) goes
 * only to the application log, keyed by the request id.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `actor.id` or `events[3].action`. */
  field?: string;
  /** Index of the item in a batch. */
  index?: number;
  code: string;
  message: string;
}

export class AppError extends Error {
  /** Extra public fields of the error object (e.g. `reset_at` of quota_exceeded); never internal detail. */
  info?: Record<string, string | number | null>;

  constructor(
    readonly status: number,
    readonly code: string,
    readonly publicMessage: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
    options?: { cause?: unknown },
  ) {
    // Client errors are expected traffic: capturing a stack for each is pure cost (profiled).
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(publicMessage, options);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
  }
}

export class ValidationError extends AppError {
  constructor(details: ErrorDetail[], message = 'The request is invalid.') {
    super(400, 'validation_failed', message, details);
  }
}

/** A malformed request body: not JSON, bad encoding, too deep, duplicate or forbidden keys. */
export class BadRequestError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetail[]) {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(
    code: 'missing_credentials' | 'invalid_credentials' | 'invalid_token' | 'token_expired',
    /** Why, for the application log only; the client sees the same message for every reason. */
    readonly reason: string,
  ) {
    const message = code === 'missing_credentials' ? 'Authentication is required.' : code === 'token_expired' ? 'The token has expired.' : 'The credentials are invalid.';
    super(401, code, message, undefined, {
      'www-authenticate': 'Bearer',
    });
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

/** Also used for objects of another tenant: no existence oracle. */
export class NotFoundError extends AppError {
  constructor(what = 'resource') {
    super(404, 'not_found', `The ${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, headers?: Record<string, string>) {
    super(409, code, message, undefined, headers);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(code: string, message: string) {
    super(413, code, message);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetail[]) {
    super(422, code, message, details);
  }
}

/** A store did not answer or refused the write: nothing was acknowledged; retrying is safe. */
export class StorageUnavailableError extends AppError {
  constructor(message = 'Storage is temporarily unavailable; nothing was stored. Retry later.', cause?: unknown) {
    super(503, 'storage_unavailable', message, undefined, { 'retry-after': '1' }, { cause });
  }
}

/** The ingest queue is full: back-pressure instead of growing memory. */
export class OverloadedError extends AppError {
  constructor(retryAfterSeconds = 1) {
    super(503, 'overloaded', 'The service is at capacity; nothing was stored. Retry later.', undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}
