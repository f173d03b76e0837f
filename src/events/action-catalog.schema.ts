import { named$, Type, type Static } from '../common/schema.js';
import { ACTION_PREFIX_PATTERN } from './action-pattern.js';

export const ActionCatalogQuerySchema = Type.Object(
  {
    action: Type.Optional(
      Type.String({ maxLength: 128, pattern: ACTION_PREFIX_PATTERN, description: 'Exact action (user.login) or a prefix ending in .* (user.*).', examples: ['user.*'] }),
    ),
    organization_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Only actions used in this organization, with its counts.' })),
    include_system: Type.Optional(Type.Boolean({ default: false, description: 'Also list the trail\'s own veritrail.* entries.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'next_cursor of the previous page (same filters).' })),
  },
  { additionalProperties: false },
);
export type ActionCatalogQuery = Static<typeof ActionCatalogQuerySchema>;

export const ActionCatalogEntrySchema = named$(
  'ActionCatalogEntry',
  Type.Object({
    action: Type.String(),
    events: Type.Integer({ minimum: 1, description: 'Events received with this action since it was first seen (retention and erasure do not lower it).' }),
    first_seen_at: Type.String({ format: 'date-time', description: 'received_at of the first such event.' }),
    last_seen_at: Type.String({ format: 'date-time', description: 'received_at of the latest such event.' }),
  }),
);

export const ActionCatalogResponseSchema = named$(
  'ActionCatalog',
  Type.Object({
    data: Type.Array(ActionCatalogEntrySchema, { description: 'In action order.' }),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor to get the next page; null on the last page.' }),
  }),
);
export type ActionCatalogResponse = Static<typeof ActionCatalogResponseSchema>;
