import { named$, StringEnum, Type, type Static } from '../common/schema.js';
import { FIELD_PATH_PATTERN, TIERS } from './classification.js';

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

const TierSchema = StringEnum(TIERS, { description: 'sensitive: encrypted with the data subject\'s key; restricted: also encrypted, shown only to credentials with the privacy scope; unrestricted: stored as sent.' });
const FieldTiers = Type.Record(Type.String({ pattern: FIELD_PATH_PATTERN }), TierSchema, {
  maxProperties: 200,
  additionalProperties: false,
  description:
    'Field → tier. Fields: actor.name, actor.email, actor.metadata.<key>, targets.name, targets.metadata.<key> (targets whose type is a data-subject type), context.ip|user_agent|location|session_id|request_id, metadata.<key>, changes.<field> (the before/after values of that change).',
});

export const ClassificationSettingsSchema = Type.Object(
  {
    fields: Type.Optional(FieldTiers),
    actions: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z0-9_]+(\\.[a-z0-9_-]+)*(\\.\\*)?$', maxLength: 128 }), FieldTiers, {
        maxProperties: 100,
        additionalProperties: false,
        description: 'Per-action overrides (`user.email.updated` or `user.*`), applied over `fields`; the most specific wins.',
      }),
    ),
    subject_target_types: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 20, description: 'Target types that are data subjects. Default ["user"].' }),
    ),
  },
  { additionalProperties: false },
);

export const NOTICE_KINDS = ['rectification', 'deletion', 'restriction'] as const;
export const NoticeSettingsSchema = Type.Object(
  {
    actions: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z0-9_]+(\\.[a-z0-9_-]+)*(\\.\\*)?$', maxLength: 128 }), StringEnum(NOTICE_KINDS), {
        maxProperties: 100,
        additionalProperties: false,
        description: 'Actions that change or delete a data subject\'s personal data, with the kind of notice they raise, e.g. {"user.deleted": "deletion", "user.email.updated": "rectification"}.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const PrivacySettingsSchema = named$(
  'PrivacySettings',
  Type.Object(
    {
      scrubbing: ScrubbingSettingsSchema,
      classification: Type.Optional(ClassificationSettingsSchema),
      notices: Type.Optional(NoticeSettingsSchema),
    },
    {
      additionalProperties: false,
      examples: [
        {
          scrubbing: { mode: 'redact', custom_patterns: [{ name: 'employee_id', pattern: 'EMP-[0-9]{6}' }], truncate_ip: false, deny_fields: ['metadata.ssn'] },
          classification: { fields: { 'actor.email': 'sensitive', 'context.ip': 'restricted' }, subject_target_types: ['user', 'member'] },
          notices: { actions: { 'user.deleted': 'deletion', 'user.email.updated': 'rectification' } },
        },
      ],
    },
  ),
);
export type PrivacySettings = Static<typeof PrivacySettingsSchema>;
export type NoticeSettings = Static<typeof NoticeSettingsSchema>;
export type ScrubbingSettings = Static<typeof ScrubbingSettingsSchema>;
