import { named$, StringEnum, Type, type Static } from '../common/schema.js';
import { EventSchema } from '../events/event.schema.js';

const ErasureSchema = named$(
  'Erasure',
  Type.Object({
    id: Type.String(),
    subject: Type.String(),
    status: StringEnum(['pending', 'completed'] as const),
    held_by: Type.Array(Type.String(), { description: 'Organizations under legal hold that keep a pending erasure waiting.' }),
    key_ids: Type.Array(Type.String(), { description: 'Data keys destroyed.' }),
    events_affected: Type.Integer(),
    blank_context: Type.Boolean({ description: "The context (IP address, user agent, session and request ids, location) of the subject's own events was blanked too." }),
    requested_at: Type.String({ format: 'date-time' }),
    completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
);

export const ErasureRequestSchema = named$(
  'ErasureRequest',
  Type.Object(
    {
      blank_context: Type.Optional(
        Type.Boolean({
          description:
            "Also blank the context of the subject's own events received until now: their IP address, user agent, session and request ids and location read [erased] in every output, " +
            'and ip= / q= no longer find them. IP-based alerts lose that history. Default false.',
        }),
      ),
    },
    { additionalProperties: false, examples: [{ blank_context: true }] },
  ),
);
export type ErasureRequest = Static<typeof ErasureRequestSchema>;

const RecipientSchema = named$('Recipient', Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), host: Type.String(), status: Type.String() }));

export const ErasureResultSchema = named$(
  'ErasureResult',
  Type.Object({
    erasure: ErasureSchema,
    receipt: Type.String({ description: 'JWS (EdDSA, typ veritrail-erasure-receipt+jws) signed with the checkpoint key; verify with /.well-known/jwks.json.' }),
    recipients: Type.Array(RecipientSchema, { description: 'Webhook destinations that were sent the subject’s events; each is sent a privacy.notice.' }),
  }),
);

export const ErasureListSchema = named$('ErasureList', Type.Object({ data: Type.Array(Type.Intersect([ErasureSchema, Type.Object({ receipt: Type.Union([Type.String(), Type.Null()]) })])) }));

export const NoticeSchema = named$(
  'PrivacyNotice',
  Type.Object({
    id: Type.String(),
    kind: StringEnum(['rectification', 'deletion', 'restriction', 'erasure'] as const),
    subject: Type.String({ description: 'The data subject (an actor or target id).' }),
    fields: Type.Array(Type.String(), { description: 'Names of the fields concerned, never their values.' }),
    event_id: Type.Union([Type.String(), Type.Null()]),
    action: Type.Union([Type.String(), Type.Null()]),
    organization_id: Type.Union([Type.String(), Type.Null()]),
    occurred_at: Type.String({ format: 'date-time' }),
    by: Type.Union([Type.Object({ type: Type.Union([Type.String(), Type.Null()]), id: Type.String() }), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    announced_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When it was recorded in the trail (and so queued for webhooks).' }),
  }),
);

export const NoticeListSchema = named$('PrivacyNoticeList', Type.Object({ data: Type.Array(NoticeSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }));

export const NoticeListQuerySchema = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    kind: Type.Optional(StringEnum(['rectification', 'deletion', 'restriction', 'erasure'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type NoticeListQuery = Static<typeof NoticeListQuerySchema>;

/** POST /v1/privacy/subjects/{subject}/access: one JSON document (Art. 15 and 20). */
export const SubjectAccessSchema = named$(
  'SubjectAccess',
  Type.Object({
    format: Type.Literal('veritrail-subject-access-v1'),
    subject: Type.String(),
    tenant: Type.String(),
    generated_at: Type.String({ format: 'date-time' }),
    events: Type.Array(EventSchema, {
      description: 'Every retained event where the subject is actor or target, decrypted; other people\'s data in them reads [masked].',
    }),
    notices: Type.Array(NoticeSchema),
    erasures: Type.Array(ErasureSchema),
    recipients: Type.Array(RecipientSchema, { description: 'Webhook destinations the subject\'s events were sent to.' }),
  }),
);
