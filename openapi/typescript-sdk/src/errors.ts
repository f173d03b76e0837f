/** One problem with one field, as the server reports it (`error.details[]`). */
export interface ErrorDetail {
  /** Dotted path of the field, e.g. `actor.id` (`events[3].actor.id` inside a batch). */
  field?: string;
  /** Index of the event in the batch the server saw. */
  index?: number;
  code: string;
  message: string;
}

export interface VeritrailErrorOptions {
  status?: number;
  requestId?: string;
  details?: ErrorDetail[];
  retryAfterMs?: number;
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Every error the SDK throws or reports. Switch on `code`: the server's stable error code
 * (`validation_failed`, `invalid_credentials`, `insufficient_scope`, …) or one of the SDK's own
 * (`network_error`, `timeout`, `buffer_full`, `buffer_locked`, `client_closed`, `flush_timeout`,
 * `delivery_failed`, `webhook_verification_failed`). Messages never contain the API key.
 */
export class VeritrailError extends Error {
  readonly code: string;
  /** HTTP status of the server's answer, when there was one. */
  readonly status: number | undefined;
  /** The server's request id (`X-Request-Id`), to quote when reporting a problem. */
  readonly requestId: string | undefined;
  readonly details: ErrorDetail[];
  /** True when the same request may succeed later (network errors, 408, 429, 5xx). */
  readonly retryable: boolean;
  /** From `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: VeritrailErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VeritrailError';
    this.code = code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.details = options.details ?? [];
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The server answered with an error (`{"error": {"code", "message", "details", "request_id"}}`). */
export class VeritrailApiError extends VeritrailError {
  constructor(code: string, message: string, options: VeritrailErrorOptions & { status: number }) {
    super(code, message, options);
    this.name = 'VeritrailApiError';
  }
}

/** The event broke a rule of the event contract; found locally, before anything was sent. */
export class VeritrailValidationError extends VeritrailError {
  constructor(details: ErrorDetail[]) {
    const first = details[0];
    super('validation_failed', `The event is invalid${first ? `: ${first.field ? `${first.field}: ` : ''}${first.message}` : '.'}`, { details });
    this.name = 'VeritrailValidationError';
  }
}

/** No answer from the server: connection refused or reset, DNS failure, or the request timed out. */
export class VeritrailNetworkError extends VeritrailError {
  constructor(code: 'network_error' | 'timeout', message: string, cause?: unknown) {
    super(code, message, { retryable: true, cause });
    this.name = 'VeritrailNetworkError';
  }
}

/** The durable buffer refused an event (`buffer_full`, `buffer_locked`) or could not be written (`buffer_io`). */
export class VeritrailBufferError extends VeritrailError {
  constructor(code: 'buffer_full' | 'buffer_locked' | 'buffer_io', message: string, cause?: unknown) {
    super(code, message, { cause });
    this.name = 'VeritrailBufferError';
  }
}

/** One event the server refused for good, or that ran out of retries. */
export interface FailedEvent {
  idempotency_key: string;
  action: string;
  error: VeritrailError;
}

/**
 * `flush()` / `close()`: some events handed to `event()` were not delivered. `failures` says
 * which (by idempotency key) and why; `undelivered` counts events still waiting (timeouts).
 */
export class VeritrailDeliveryError extends VeritrailError {
  readonly failures: FailedEvent[];
  readonly undelivered: number;

  constructor(code: 'delivery_failed' | 'flush_timeout', message: string, failures: FailedEvent[], undelivered = 0) {
    const first = failures[0]?.error;
    super(code, message, { status: first?.status, requestId: first?.requestId, details: first?.details });
    this.name = 'VeritrailDeliveryError';
    this.failures = failures;
    this.undelivered = undelivered;
  }
}

/** `Veritrail.webhooks.verify` refused a delivery: missing headers, bad signature, or a timestamp outside the tolerance. */
export class VeritrailWebhookError extends VeritrailError {
  constructor(message: string) {
    super('webhook_verification_failed', message);
    this.name = 'VeritrailWebhookError';
  }
}

export function isRetryableStatus(status: number, code?: string): boolean {
  // 409 idempotency_key_in_use: an earlier attempt of this very request is still leased on the
  // server (e.g. the connection broke mid-request); the answer says to retry after Retry-After.
  return status === 408 || status === 429 || status >= 500 || (status === 409 && code === 'idempotency_key_in_use');
}
