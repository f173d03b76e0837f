import { named$, Type, type Static } from '../common/schema.js';
import { ACTION_PREFIX_PATTERN } from './action-pattern.js';
import { TEMPLATE_LIMITS } from './display-template.js';

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
    schema_versions: Type.Array(
      Type.Object({ version: Type.Integer({ minimum: 1 }), mode: Type.Union([Type.Literal('enforce'), Type.Literal('warn')]), created_at: Type.String({ format: 'date-time' }) }),
      { description: 'The metadata schema versions registered for the action, oldest first (empty without a schema).' },
    ),
    display_template: Type.Union([Type.String(), Type.Null()], { description: 'The action\'s display template (default language); null without one.' }),
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

export const ActionSchemaPutSchema = named$(
  'ActionSchemaPut',
  Type.Object(
    {
      schema: Type.Object({}, { additionalProperties: true, description: 'JSON Schema draft 2020-12 for the event\'s metadata object. At most 32 KB, nesting ≤ 24, references only inside the schema ("#…"), patterns in RE2 syntax (no backreferences or lookaround).' }),
      mode: Type.Union([Type.Literal('enforce'), Type.Literal('warn')], { description: 'enforce: a mismatching event is refused (400 validation_failed, the batch all or nothing); warn: it is stored with the flag schema_mismatch and counted.' }),
    },
    {
      additionalProperties: false,
      examples: [{ mode: 'enforce', schema: { type: 'object', required: ['role'], properties: { role: { enum: ['admin', 'member', 'viewer'] }, previous_role: { type: 'string' } }, additionalProperties: false } }],
    },
  ),
);
export type ActionSchemaPut = Static<typeof ActionSchemaPutSchema>;

export const ActionSchemaCreatedSchema = named$(
  'ActionSchemaCreated',
  Type.Object({ action: Type.String(), version: Type.Integer({ minimum: 1 }), mode: Type.Union([Type.Literal('enforce'), Type.Literal('warn')]) }),
);

export const ActionSchemaSchema = named$(
  'ActionSchema',
  Type.Object({
    action: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    mode: Type.Union([Type.Literal('enforce'), Type.Literal('warn')]),
    schema: Type.Object({}, { additionalProperties: true }),
    created_at: Type.String({ format: 'date-time' }),
  }),
);

export const ActionSchemaQuerySchema = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'A version; the latest when omitted.' })) },
  { additionalProperties: false },
);
export type ActionSchemaQuery = Static<typeof ActionSchemaQuerySchema>;

const templateProp = (description: string) => Type.String({ minLength: 1, maxLength: TEMPLATE_LIMITS.chars, description });

export const ActionDisplayPutSchema = named$(
  'ActionDisplayPut',
  Type.Object(
    {
      template: templateProp(
        'Plain text with placeholders naming paths into the event: {actor.name}, {actor.id}, {targets[0].name}, {metadata.role}, {context.location}, {organization_id}, {outcome}. {{ and }} write a literal brace. A missing or non-text value renders as "—". At most 1000 characters and 32 placeholders.',
      ),
      locales: Type.Optional(
        Type.Record(Type.String(), templateProp('The same template in another language.'), { maxProperties: TEMPLATE_LIMITS.locales, description: 'BCP 47 tag (de, pt-BR) → template; at most 32.' }),
      ),
    },
    { additionalProperties: false, examples: [{ template: '{actor.name} shared {targets[0].name} with {targets[1].name}', locales: { de: '{actor.name} hat {targets[0].name} mit {targets[1].name} geteilt' } }] },
  ),
);
export type ActionDisplayPut = Static<typeof ActionDisplayPutSchema>;

export const ActionDisplaySchema = named$(
  'ActionDisplay',
  Type.Object({
    action: Type.String(),
    template: Type.String(),
    locales: Type.Record(Type.String(), Type.String()),
    updated_at: Type.String({ format: 'date-time' }),
  }),
);
