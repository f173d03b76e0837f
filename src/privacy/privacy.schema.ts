import { named$, StringEnum, Type, type Static } from '../common/schema.js';

export const ScrubbingSettingsSchema = Type.Object(
  {
    mode: Type.Optional(
      StringEnum(['redact', 'hmac'] as const, {
        description: 'redact (default): secrets become [REDACTED:<kind>]; hmac: [HMAC:<kind>:<16 hex>], a keyed pseudonym per tenant (equal secrets stay joinable, never reversible).',
      }),
    ),
    custom_patterns: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ pattern: '^[a-z0-9_]{1,32}$' }),
            pattern: Type.String({ minLength: 1, maxLength: 512, description: 'JavaScript regular expression; no backreferences, no nested quantifiers, must not match the empty string.' }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    truncate_ip: Type.Optional(Type.Boolean({ description: 'Store context.ip truncated: IPv4 /24, IPv6 /48.' })),
    deny_fields: Type.Optional(Type.Array(Type.String({ pattern: '^metadata(\\.[^.]{1,128}){1,8}$' }), { maxItems: 100, description: 'metadata paths never stored (metadata.ssn).' })),
    allow_metadata_keys: Type.Optional(
      Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 200 }), Type.Null()], { description: 'When set, only these top-level metadata keys are stored.' }),
    ),
  },
  { additionalProperties: false },
);

export const PrivacySettingsSchema = named$(
  'PrivacySettings',
  Type.Object(
    {
      scrubbing: ScrubbingSettingsSchema,
    },
    { additionalProperties: false },
  ),
);
export type PrivacySettings = Static<typeof PrivacySettingsSchema>;
export type ScrubbingSettings = Static<typeof ScrubbingSettingsSchema>;
