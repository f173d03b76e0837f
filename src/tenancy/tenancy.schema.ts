import { named$, StringEnum, Type, type Static } from '../common/schema.js';
import { RateLimitOverridesSchema } from './rate-limits.js';
import { SCOPES } from './principal.js';

const Scopes = Type.Array(StringEnum(SCOPES), { minItems: 1, maxItems: SCOPES.length, uniqueItems: true });

export const ApiKeyCreateSchema = named$(
  'ApiKeyCreate',
  Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 128, description: 'What the key is for, shown in listings.' }),
      scopes: Scopes,
      organization_id: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 256,
          description: 'Mint the key for one of your customers: it reads and writes only this organization (scopes events:read, events:write, exports, and streams: self-service destinations and alert rules confined to it).',
        }),
      ),
      expires_at: Type.Optional(Type.String({ maxLength: 64, format: 'date-time', description: 'RFC 3339; the key stops working at this time.' })),
    },
    {
      additionalProperties: false,
      examples: [
        { name: 'billing-service ingest', scopes: ['events:write'] },
        { name: 'Acme SIEM', scopes: ['events:read', 'exports'], organization_id: 'org_42', expires_at: '2027-12-31T23:59:59Z' },
      ],
    },
  ),
);
export type ApiKeyCreate = Static<typeof ApiKeyCreateSchema>;

export const ApiKeySchema = named$(
  'ApiKey',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    prefix: Type.String({ description: 'First characters of the key, to tell keys apart.' }),
    scopes: Type.Array(StringEnum(SCOPES)),
    organization_id: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
);

export const ApiKeyCreatedSchema = named$(
  'ApiKeyCreated',
  Type.Object({
    id: Type.String(),
    key: Type.String({ description: 'The secret. Shown only in this response; store it now.' }),
    name: Type.String(),
    prefix: Type.String(),
    scopes: Type.Array(StringEnum(SCOPES)),
    organization_id: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
);

export const ApiKeyListSchema = named$(
  'ApiKeyList',
  Type.Object({ data: Type.Array(ApiKeySchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
);

export const ApiKeyListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    include_revoked: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type ApiKeyListQuery = Static<typeof ApiKeyListQuerySchema>;

export const TenantSchema = named$(
  'Tenant',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    status: StringEnum(['active', 'suspended'] as const),
    retention_days: Type.Integer(),
    read_auditing: Type.Boolean(),
    rate_limits: { ...RateLimitOverridesSchema, description: 'The operator\'s per-tenant rate limits (per second, per replica; 0 = none); an absent field inherits the plan\'s, then the server default (RATE_LIMIT_*).' },
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  }),
);

export const TenantCreateSchema = named$(
  'TenantCreate',
  Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 200 }),
      retention_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500, description: 'Default: DEFAULT_RETENTION_DAYS (365).' })),
    },
    { additionalProperties: false, examples: [{ name: 'Acme Corp (production)', retention_days: 400 }] },
  ),
);
export type TenantCreate = Static<typeof TenantCreateSchema>;

export const TenantCreatedSchema = named$('TenantCreated', Type.Object({ tenant: TenantSchema, api_key: ApiKeyCreatedSchema }));

export const TenantUpdateSchema = named$(
  'TenantUpdate',
  Type.Object(
    {
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      status: Type.Optional(StringEnum(['active', 'suspended'] as const, { description: 'A suspended tenant\'s keys get 403 tenant_suspended.' })),
      retention_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500 })),
      read_auditing: Type.Optional(Type.Boolean()),
      rate_limits: Type.Optional({
        ...RateLimitOverridesSchema,
        description: 'Replaces the tenant\'s rate-limit overrides (per second, per replica; 0 = no limit); a field left out inherits the plan\'s, then RATE_LIMIT_*; {} removes every override.',
      }),
    },
    { additionalProperties: false, minProperties: 1, examples: [{ name: 'Acme Corporation (production)', read_auditing: false }, { rate_limits: { ingest_events_per_second: 2000, read_requests_per_second: 50 } }] },
  ),
);
export type TenantUpdate = Static<typeof TenantUpdateSchema>;

export const TenantListSchema = named$(
  'TenantList',
  Type.Object({ data: Type.Array(TenantSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
);

export const TenantListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type TenantListQuery = Static<typeof TenantListQuerySchema>;

export const AuditSettingsSchema = named$(
  'AuditSettings',
  Type.Object(
    { read_auditing: Type.Boolean({ description: 'Record searches and reads of the trail as veritrail.* events (default true).' }) },
    { additionalProperties: false, examples: [{ read_auditing: true }] },
  ),
);
export type AuditSettings = Static<typeof AuditSettingsSchema>;
