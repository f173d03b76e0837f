import { named$, StringEnum, Type, type Static } from '../common/schema.js';

/** Limits of the event contract (PRODUCT.md "Event"); docs/api.md lists them for users. */
export const LIMITS = {
  batchEvents: 1000,
  actionLength: 128,
  idLength: 256,
  nameLength: 1024,
  targets: 100,
  changes: 100,
  metadataBytes: 16 * 1024,
  metadataDepth: 8,
  /** The whole stored event (canonical JSON). */
  eventBytes: 256 * 1024,
  futureSkewMs: 5 * 60_000,
  idempotencyKeyLength: 255,
} as const;

export const ACTION_PATTERN = '^[a-z0-9_]+(\\.[a-z0-9_-]+)+$';
export const ACTOR_TYPES = ['user', 'service', 'api_key', 'system', 'agent'] as const;
export const OUTCOMES = ['success', 'failure', 'unknown'] as const;
/** Fields the server sets; a body that carries them is refused (never stored as sent). */
export const SERVER_OWNED_FIELDS = ['id', 'received_at', 'tenant', 'tenant_id', 'seq', 'leaf_hash', 'checkpoint', 'flags', 'display', 'client'] as const;

const Id = (description: string, example?: string) => Type.String({ minLength: 1, maxLength: LIMITS.idLength, description, ...(example ? { examples: [example] } : {}) });
const Text = (description: string, maxLength: number = LIMITS.nameLength, example?: string) => Type.String({ maxLength, description, ...(example ? { examples: [example] } : {}) });
const Metadata = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  additionalProperties: true,
  description: `Free-form JSON object, at most ${LIMITS.metadataBytes} bytes serialised and ${LIMITS.metadataDepth} levels deep. Keys __proto__, constructor and prototype are rejected.`,
});

/** The event of PRODUCT.md, as a client sends it (the request examples of the OpenAPI document). */
const EVENT_EXAMPLE = {
  action: 'user.email.updated',
  occurred_at: '2026-11-22T10:00:00.123Z',
  organization_id: 'org_42',
  outcome: 'success',
  actor: { type: 'user', id: 'u_1', name: 'Ann Lee', email: 'ann@example.com' },
  targets: [{ type: 'user', id: 'u_1', name: 'Ann Lee' }],
  context: { ip: '203.0.113.5', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', request_id: 'req_1', session_id: 's_1', location: 'web' },
  changes: [{ field: 'email', before: 'ann@old.example', after: 'ann@example.com' }],
  metadata: { plan: 'pro' },
};

/**
 * A party of a delegated action (docs/api.md "Delegation"): the principal the actor acted for
 * (`on_behalf_of`, RFC 8693's `sub` when the actor is `act.sub`) or who really sat at the
 * keyboard of an impersonated session (`impersonator`). Same id and name rules as the actor.
 */
export const PrincipalSchema = named$(
  'Principal',
  Type.Object(
    {
      type: StringEnum(ACTOR_TYPES, { description: 'Kind of party.', examples: ['user'] }),
      id: Id('Stable identifier of the party in your system.', 'u_2'),
      name: Type.Optional(Text('Display name.', LIMITS.nameLength, 'Bob Stone')),
    },
    {
      additionalProperties: false,
      description:
        'A party of a delegated action. As actor.on_behalf_of: the principal the actor acted for (the user an AI agent or a support engineer acted for; RFC 8693: the token\'s sub). As actor.impersonator: who was really at the keyboard of the actor\'s impersonated session.',
    },
  ),
);

export const ActorSchema = named$(
  'Actor',
  Type.Object(
    {
      type: StringEnum(ACTOR_TYPES, { description: 'Kind of actor: agent is an automated assistant (e.g. an AI agent) acting for someone.', examples: ['user'] }),
      id: Id('Stable identifier of the actor in your system.', 'u_1'),
      name: Type.Optional(Text('Display name.', LIMITS.nameLength, 'Ann Lee')),
      email: Type.Optional(Type.String({ maxLength: 320, format: 'email', examples: ['ann@example.com'] })),
      metadata: Type.Optional(Metadata),
      on_behalf_of: Type.Optional(PrincipalSchema),
      impersonator: Type.Optional(PrincipalSchema),
    },
    { additionalProperties: false },
  ),
);

/** A delegation party as reads return it (its name may read [erased], [restricted] or [masked]). */
export const EventPrincipalSchema = named$(
  'EventPrincipal',
  Type.Object({ type: StringEnum(ACTOR_TYPES), id: Type.String(), name: Type.Optional(Type.String()) }),
);

/**
 * The actor as reads return it: a classified value reads `[erased]` after an erasure,
 * `[restricted]` to a key without `privacy`, `[masked]` in another subject's access document.
 */
export const EventActorSchema = named$(
  'EventActor',
  Type.Object({
    type: StringEnum(ACTOR_TYPES),
    id: Type.String(),
    name: Type.Optional(Type.String()),
    email: Type.Optional(Type.String({ description: 'An e-mail address, or [erased], [restricted] or [masked].' })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    on_behalf_of: Type.Optional(EventPrincipalSchema),
    impersonator: Type.Optional(EventPrincipalSchema),
  }),
);

export const TargetSchema = named$(
  'Target',
  Type.Object(
    {
      type: Type.String({ minLength: 1, maxLength: 128, description: 'Kind of object acted on, e.g. document.', examples: ['document'] }),
      id: Id('Identifier of the object.', 'doc_9'),
      name: Type.Optional(Text('Display name.', LIMITS.nameLength, 'Q3 plan')),
      metadata: Type.Optional(Metadata),
    },
    { additionalProperties: false },
  ),
);

export const ContextSchema = named$(
  'EventContext',
  Type.Object(
    {
      ip: Type.Optional(Type.String({ maxLength: 64, description: 'IPv4 or IPv6 address of the client.', examples: ['203.0.113.5'] })),
      user_agent: Type.Optional(Text('User-Agent of the client.', LIMITS.nameLength, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0')),
      request_id: Type.Optional(Id('Your request id, for correlation.', 'req_1')),
      session_id: Type.Optional(Id('Session identifier.', 's_1')),
      location: Type.Optional(Text('Free-text location or channel, e.g. web.', 256, 'web')),
    },
    { additionalProperties: false },
  ),
);

export const ChangeSchema = named$(
  'Change',
  Type.Object(
    {
      field: Type.String({ minLength: 1, maxLength: 256, description: 'Name of the changed field.', examples: ['email'] }),
      before: Type.Optional(Type.Unknown({ description: 'Value before the change (any JSON).' })),
      after: Type.Optional(Type.Unknown({ description: 'Value after the change (any JSON).' })),
    },
    { additionalProperties: false },
  ),
);

export const EventInputSchema = named$(
  'EventInput',
  Type.Object(
    {
      action: Type.String({
        maxLength: LIMITS.actionLength,
        pattern: ACTION_PATTERN,
        description: 'Dotted lower-case action, e.g. user.login. The veritrail.* namespace is reserved.',
        examples: ['user.login'],
      }),
      occurred_at: Type.String({
        maxLength: 64,
        format: 'date-time',
        description: 'RFC 3339 time with an offset (Z or ±hh:mm); at most 5 minutes in the future. Stored in UTC, millisecond precision.',
        examples: ['2026-11-22T10:00:00.123Z'],
      }),
      organization_id: Type.Optional(Id('Your customer (organization) the event belongs to.', 'org_42')),
      outcome: Type.Optional(StringEnum(OUTCOMES, { description: 'Defaults to unknown.', examples: ['success'] })),
      actor: ActorSchema,
      targets: Type.Optional(Type.Array(TargetSchema, { maxItems: LIMITS.targets })),
      context: Type.Optional(ContextSchema),
      changes: Type.Optional(Type.Array(ChangeSchema, { maxItems: LIMITS.changes })),
      metadata: Type.Optional(Metadata),
      schema_version: Type.Optional(
        Type.Integer({
          minimum: 1,
          maximum: 1000,
          description: 'Version of the action\'s metadata schema to validate against (PUT /v1/actions/{action}/schema); the latest when omitted. Only meaningful when the action has a schema.',
          examples: [2],
        }),
      ),
      idempotency_key: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: LIMITS.idempotencyKeyLength,
          pattern: '^[\\x21-\\x7E]+$',
          description: 'A retry with the same key within 24 h returns the original id and stores nothing new.',
          examples: ['7f1c2e9a-4b1d-4c55-9a3e-2b8f6d0c1a77'],
        }),
      ),
    },
    { additionalProperties: false, examples: [EVENT_EXAMPLE] },
  ),
);
export type EventInput = Static<typeof EventInputSchema>;

export const EventBatchSchema = named$(
  'EventBatch',
  Type.Object(
    { events: Type.Array(EventInputSchema, { minItems: 1, maxItems: LIMITS.batchEvents }) },
    {
      additionalProperties: false,
      examples: [{ events: [EVENT_EXAMPLE, { action: 'document.viewed', occurred_at: '2026-11-22T10:00:05.000Z', organization_id: 'org_42', actor: { type: 'user', id: 'u_1' }, targets: [{ type: 'document', id: 'doc_9' }] }] }],
    },
  ),
);

/** An event as returned by the API: every request field plus the server's. */
export const EventSchema = named$(
  'Event',
  Type.Object(
    {
      id: Type.String({ format: 'uuid', description: 'UUIDv7 assigned by the server.' }),
      received_at: Type.String({ format: 'date-time' }),
      action: Type.String(),
      occurred_at: Type.String({ format: 'date-time' }),
      organization_id: Type.Optional(Type.String()),
      outcome: StringEnum(OUTCOMES),
      actor: EventActorSchema,
      targets: Type.Optional(Type.Array(TargetSchema)),
      context: Type.Optional(ContextSchema),
      changes: Type.Optional(Type.Array(ChangeSchema)),
      metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      schema_version: Type.Optional(Type.Integer()),
      idempotency_key: Type.Optional(Type.String()),
      display: Type.Optional(
        Type.Object(
          { message: Type.String({ description: 'Plain text (never markup): the action\'s display template rendered for this event, or the action humanised when it has none.' }) },
          { description: 'Only when the tenant has display templates (PUT /v1/actions/{action}/display). Added when read, not part of the sealed event: remove it before hashing.' },
        ),
      ),
      client: Type.Optional(
        Type.Object(
          {
            country: Type.Optional(Type.String({ description: 'ISO 3166-1 alpha-2 country of context.ip (offline GeoLite2 data).' })),
            browser: Type.Optional(Type.String({ description: 'Browser and major version from context.user_agent (Chrome 131).' })),
            os: Type.Optional(Type.String({ description: 'Operating system from context.user_agent (Windows 10).' })),
          },
          { description: 'Only with include=client and a context that yields something. Derived when read, not part of the sealed event: remove it before hashing.' },
        ),
      ),
      flags: Type.Optional(
        Type.Array(Type.String(), {
          description: 'Server observations: suspicious_unicode (bidi or zero-width characters in free text), implausible_timestamp (occurred over a year before receipt), scrubbed (secrets were replaced before storage), schema_mismatch (the metadata did not match its action\'s warn-mode schema).',
        }),
      ),
    },
    { examples: [{ id: '0193a0c4-7a1e-7c3d-9f4e-2b6a8d0c1e5f', received_at: '2026-11-22T10:00:00.412Z', ...EVENT_EXAMPLE }] },
  ),
);
