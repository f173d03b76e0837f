import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from './openapi-decorators.js';

/** `#/components/schemas/Error` (error.schema.ts): the one error shape, referenced by every error response. */
export const ERROR_SCHEMA = 'Error';

/** What each status means wherever it appears; routes add the codes particular to them. */
export const ERROR_STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'The request breaks a rule (`validation_failed`; `details` names each field) or is malformed. Nothing was changed.',
  401: 'Missing or invalid credentials.',
  402: 'The payment was declined.',
  403: 'The credential is valid but not allowed to do this.',
  404: 'Not found in your tenant (another tenant\'s objects answer the same).',
  409: 'Conflicts with the current state; nothing was changed.',
  410: 'Gone.',
  413: 'The request body is too large (`payload_too_large`, 5 MB by default).',
  414: 'The URL is too long.',
  415: 'The body is not `application/json` (`unsupported_media_type`).',
  422: 'Understood, but not allowed in the current state; nothing was changed.',
  429: 'Too many requests (`Retry-After` says when to retry).',
  500: '`internal_error`: a fault on our side; quote the request id.',
  502: 'An upstream provider refused the request; nothing was changed.',
  503: 'A store or provider did not answer (`storage_unavailable`); nothing was stored or changed. Retry after `Retry-After`.',
  504: '`query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters.',
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } } };
/** IETF draft-ietf-httpapi-ratelimit-headers-09 fields, sent with per-tenant rate limits (docs/operations.md). */
const RATE_LIMIT = {
  'RateLimit-Policy': {
    description: 'On `rate_limited` (and on every answer to a rate-limited request class): the tenant\'s policies as a structured-field list, e.g. `"reads";q=1000;w=1`.',
    schema: { type: 'string' },
  },
  RateLimit: { description: 'What is left of each policy in the current window, e.g. `"reads";r=0;t=1`.', schema: { type: 'string' } },
};

/** One error response: the Error schema, a description (status text unless given), Retry-After where it applies. */
export function errorResponse(status: number, description: string | undefined): MethodDecorator & ClassDecorator {
  return ApiResponse({
    status,
    description: description ?? ERROR_STATUS_TEXT[status] ?? '',
    schema: { $ref: getSchemaPath(ERROR_SCHEMA) },
    ...(status === 429 ? { headers: { ...RETRY_AFTER, ...RATE_LIMIT } } : status === 503 ? { headers: RETRY_AFTER } : {}),
  }) as MethodDecorator & ClassDecorator;
}

/**
 * Declares the error statuses a route answers, all with the one Error schema:
 *   @ApiErrors(404, { 409: '`legal_hold`: deferred until the hold is lifted.' })
 * A number uses the status's general text; an object gives the route's own description (its
 * codes). Descriptions given for the same status by several decorators (auth, body, route) are
 * joined. Statuses every route shares (500, malformed bodies, path parameters) are added by
 * buildOpenApiDocument.
 */
export function ApiErrors(...entries: (number | Readonly<Record<number, string>>)[]): MethodDecorator & ClassDecorator {
  const decorators: (MethodDecorator & ClassDecorator)[] = [];
  for (const entry of entries) {
    if (typeof entry === 'number') decorators.push(errorResponse(entry, undefined));
    else for (const [status, text] of Object.entries(entry)) decorators.push(errorResponse(Number(status), text));
  }
  return applyDecorators(...decorators);
}
