import { HttpException } from '@nestjs/common';
import { isStoreUnavailable } from './store-errors.js';
import { AppError, StorageUnavailableError, type ErrorDetail } from './errors.js';

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string; details?: ErrorDetail[]; request_id: string; [extra: string]: unknown } };
  /** True when the cause is ours (5xx): log it with its stack. */
  internal: boolean;
}

const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'The Content-Type is not supported; send application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The request body is empty; a JSON document is required.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request', message: 'The Content-Length does not match the body.' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'unsupported_media_type', message: 'The Content-Type header is invalid.' },
  // Raised by the router before any route runs (Fastify's frameworkErrors, see createApp).
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url', message: 'A path parameter is not valid percent-encoding.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', message: 'A path parameter is longer than 256 characters.' },
};

const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_credentials',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
};

/** Maps any thrown value to the one public error shape. Never leaks internal messages for 5xx. */
export function toErrorResponse(err: unknown, requestId: string): ErrorResponse {
  if (err instanceof AppError) {
    const r = build(err.status, err.code, err.publicMessage, requestId, err.details, err.headers, err.status >= 500 && err.status !== 503);
    if (err.info) r.body.error = { ...err.info, ...r.body.error };
    return r;
  }
  const fastifyCode = (err as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) {
    const m = FASTIFY_CODES[fastifyCode];
    return build(m.status, m.code, m.message, requestId);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status < 500) {
      const code = STATUS_CODES[status] ?? 'invalid_request';
      const message = status === 404 ? 'No such route.' : publicHttpMessage(err);
      return build(status, status === 404 ? 'route_not_found' : code, message, requestId);
    }
  }
  if (isStoreUnavailable(err)) {
    const e = new StorageUnavailableError();
    return build(e.status, e.code, e.publicMessage, requestId, undefined, e.headers);
  }
  const statusCode = (err as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return build(statusCode, STATUS_CODES[statusCode] ?? 'invalid_request', 'The request could not be processed.', requestId);
  }
  return build(500, 'internal_error', 'An internal error occurred. Quote the request id when reporting it.', requestId, undefined, undefined, true);
}

function publicHttpMessage(err: HttpException): string {
  const res = err.getResponse();
  if (typeof res === 'string') return res;
  const m = (res as { message?: unknown }).message;
  return typeof m === 'string' ? m : 'The request could not be processed.';
}

function build(
  status: number,
  code: string,
  message: string,
  requestId: string,
  details?: ErrorDetail[],
  headers?: Record<string, string>,
  internal = false,
): ErrorResponse {
  const error: ErrorResponse['body']['error'] = { code, message, request_id: requestId };
  if (details && details.length > 0) error.details = details;
  return { status, headers: headers ?? {}, body: { error }, internal };
}
