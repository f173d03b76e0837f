import { named$, Type, type Static } from '../common/schema.js';

const Days = (description: string) => Type.Integer({ minimum: 1, maximum: 36_500, description });
const ActionPattern = Type.String({ maxLength: 128, pattern: '^[a-z0-9_]+(\\.[a-z0-9_-]+)*(\\.\\*)?$', description: 'An action (user.login) or a prefix (billing.*).' });

export const RetentionSettingsInputSchema = named$(
  'RetentionSettingsInput',
  Type.Object(
    {
      default_days: Days('Retention of every event without an override, counted from received_at.'),
      actions: Type.Optional(
        Type.Array(Type.Object({ action: ActionPattern, days: Days('Retention of these events.') }, { additionalProperties: false }), {
          maxItems: 100,
          description: 'Per-action overrides; the most specific wins (an exact action over a prefix, a longer prefix over a shorter one).',
        }),
      ),
      legal_holds: Type.Optional(
        Type.Array(
          Type.Object(
            {
              organization_id: Type.String({ minLength: 1, maxLength: 256 }),
              reason: Type.String({ minLength: 1, maxLength: 1000, description: 'Why (case or matter reference); recorded in the trail.' }),
            },
            { additionalProperties: false },
          ),
          { maxItems: 1000, description: 'Organizations whose events never expire and whose data subjects cannot be erased while the hold lasts.' },
        ),
      ),
      pci_dss: Type.Optional(Type.Boolean({ description: 'Keep at least 365 days (PCI DSS 10.5.1): shorter retention needs override_reason.' })),
      override_reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Required to go below a compliance minimum; recorded in the trail.' })),
    },
    {
      additionalProperties: false,
      examples: [
        {
          default_days: 365,
          actions: [{ action: 'document.viewed', days: 90 }],
          legal_holds: [{ organization_id: 'org_42', reason: 'Litigation hold, matter 2026-114' }],
        },
      ],
    },
  ),
);
export type RetentionSettingsInput = Static<typeof RetentionSettingsInputSchema>;

export const RetentionSettingsSchema = named$(
  'RetentionSettings',
  Type.Object({
    default_days: Type.Integer(),
    actions: Type.Array(Type.Object({ action: Type.String(), days: Type.Integer() })),
    legal_holds: Type.Array(Type.Object({ organization_id: Type.String(), reason: Type.String(), since: Type.String({ format: 'date-time' }) })),
    pci_dss: Type.Boolean(),
    max_days: Type.Integer({ description: 'The longest retention this tenant may set.' }),
    floor_days: Type.Integer({ description: 'The shortest retention ever in force: verification reports events older than this as expired, not deleted.' }),
  }),
);
export type RetentionSettings = Static<typeof RetentionSettingsSchema>;
