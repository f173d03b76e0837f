import { ERROR_SCHEMA } from './api-errors.js';
import { named$, Type } from './schema.js';

/**
 * The one error shape of the API (see toErrorResponse), published as
 * `#/components/schemas/Error` and referenced by every error response of the OpenAPI document.
 */
export const ErrorDetailSchema = named$(
  'ErrorDetail',
  Type.Object(
    {
      field: Type.Optional(Type.String({ description: 'Path of the offending field: actor.id, events[3].action, a query parameter, a path parameter.', examples: ['actor.id'] })),
      index: Type.Optional(Type.Integer({ minimum: 0, description: 'Index of the item in a batch.' })),
      code: Type.String({ description: 'What is wrong with this field (required, invalid_format, unknown_field, …).', examples: ['required'] }),
      message: Type.String({ examples: ['This field is required.'] }),
    },
    { additionalProperties: false },
  ),
);

export const ErrorSchema = named$(
  ERROR_SCHEMA,
  Type.Object(
    {
      error: Type.Object(
        {
          code: Type.String({ description: 'Stable code to switch on (docs/api.md lists them).', examples: ['validation_failed'] }),
          message: Type.String({ description: 'For people; may change.', examples: ['The event is invalid.'] }),
          details: Type.Optional(Type.Array(ErrorDetailSchema, { description: 'Present when there is something to point at.' })),
          request_id: Type.String({ description: 'Also in the X-Request-Id header; quote it when reporting a problem.', examples: ['req_4k2b9x0c00000001'] }),
        },
        {
          // Some errors add public fields next to code: reset_at, limit, used, plan (quota_exceeded), max (plan_limit_reached), decline_code (payment_failed).
          additionalProperties: true,
          description: 'Some codes add fields of their own, e.g. reset_at and limit of quota_exceeded.',
        },
      ),
    },
    {
      additionalProperties: false,
      examples: [
        {
          error: {
            code: 'validation_failed',
            message: 'The event is invalid.',
            details: [{ field: 'actor.id', code: 'required', message: 'This field is required.' }],
            request_id: 'req_4k2b9x0c00000001',
          },
        },
      ],
    },
  ),
);

