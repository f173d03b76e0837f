import { named$, StringEnum, Type, type Static } from '../common/schema.js';
import { ACTION_PREFIX_PATTERN } from '../events/action-pattern.js';
import { VIEWER_MAX_TTL_SECONDS } from './viewer-tokens.service.js';

const ActionPattern = Type.String({ minLength: 3, maxLength: 128, pattern: ACTION_PREFIX_PATTERN });

export const ViewerTokenCreateSchema = named$(
  'ViewerTokenCreate',
  Type.Object(
    {
      organization_id: Type.String({ minLength: 1, maxLength: 256, description: 'The organization (your customer) whose trail the viewer shows.' }),
      actor_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Show only events by this actor or done on their behalf (actor.on_behalf_of): an end user\'s "my activity" page.' })),
      user_id: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 256,
          description: 'Who will look at the viewer: the actor of its recorded reads, and what DELETE /v1/viewer-sessions?actor_id= matches. Defaults to actor_id.',
        }),
      ),
      actions: Type.Optional(Type.Array(ActionPattern, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'Show only these actions: exact (user.login) or prefixes (user.*).' })),
      proofs: Type.Optional(
        Type.Boolean({
          default: false,
          description:
            'Let the viewer fetch each event\'s inclusion proof and signed checkpoint (GET /v1/events/{id}/proof) and check them in the browser against the keys pinned on the page. A proof reveals the size of your whole log (all organizations), so this is off unless you set it.',
        }),
      ),
      ttl_seconds: Type.Optional(Type.Integer({ minimum: 5, maximum: VIEWER_MAX_TTL_SECONDS, default: 900, description: 'Lifetime of the token (default 15 minutes).' })),
      scopes: Type.Optional(
        Type.Array(StringEnum(['events:read', 'exports', 'streams'] as const), {
          minItems: 1,
          maxItems: 3,
          uniqueItems: true,
          description:
            'Default events:read and exports: search and export. events:read is always required. streams adds the Streams tab: the organization\'s own destinations and alert rules (not with actor_id or actions; the tenant may forbid it per organization, PUT /v1/settings/streams).',
        }),
      ),
    },
    { additionalProperties: false, examples: [{ organization_id: 'org_42' }, { organization_id: 'org_42', actor_id: 'u_1', ttl_seconds: 900, scopes: ['events:read'] }, { organization_id: 'org_42', user_id: 'admin_7', scopes: ['events:read', 'streams'] }] },
  ),
);
export type ViewerTokenCreate = Static<typeof ViewerTokenCreateSchema>;

export const ViewerTokenSchema = named$(
  'ViewerToken',
  Type.Object({
    token: Type.String({ description: 'EdDSA JWT; pass it to <veritrail-viewer token="…">. Send it to the browser only, never log it.' }),
    expires_at: Type.String({ format: 'date-time' }),
    session_id: Type.String(),
    organization_id: Type.String(),
  }),
);

export const ViewerSessionsRevokeQuerySchema = Type.Object(
  {
    organization_id: Type.String({ minLength: 1, maxLength: 256 }),
    actor_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Only this user\'s sessions (the token\'s user_id, which defaults to its actor_id).' })),
  },
  { additionalProperties: false },
);
export type ViewerSessionsRevokeQuery = Static<typeof ViewerSessionsRevokeQuerySchema>;

export const ViewerSessionsRevokedSchema = named$(
  'ViewerSessionsRevoked',
  Type.Object({
    organization_id: Type.String(),
    actor_id: Type.Union([Type.String(), Type.Null()]),
    revoked_at: Type.String({ format: 'date-time', description: 'Tokens issued up to this second are refused, on every replica within 60 s.' }),
  }),
);

export const ViewerSettingsSchema = named$(
  'ViewerSettings',
  Type.Object(
    {
      allowed_origins: Type.Array(Type.String({ minLength: 8, maxLength: 256, pattern: '^https?://[^/?#\\s]+$' }), {
        maxItems: 50,
        uniqueItems: true,
        description: 'Origins (https://app.example.com, http://localhost:3000) whose pages may use this tenant\'s viewer tokens.',
      }),
    },
    { additionalProperties: false, examples: [{ allowed_origins: ['https://app.example.com'] }] },
  ),
);
export type ViewerSettings = Static<typeof ViewerSettingsSchema>;
