import { Type, type Static } from '../common/schema.js';
import { ACTION_PREFIX_PATTERN } from '../events/action-pattern.js';
import { eventPageFormatProp, localeProp } from '../events/event-query.schema.js';

export const FEED_MAX_LIMIT = 1000;

export const FeedQuerySchema = Type.Object(
  {
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'next_cursor of the previous page. Omit to start at the oldest retained event.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: FEED_MAX_LIMIT, default: 100 })),
    action: Type.Optional(
      Type.String({
        maxLength: 128,
        pattern: ACTION_PREFIX_PATTERN,
        description: 'Exact action (user.login) or a prefix ending in .* (user.*). Bound into the cursor.',
      }),
    ),
    organization_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Only events of this organization. Bound into the cursor.' })),
    format: eventPageFormatProp,
    locale: localeProp,
  },
  { additionalProperties: false },
);
export type FeedQuery = Static<typeof FeedQuerySchema>;
