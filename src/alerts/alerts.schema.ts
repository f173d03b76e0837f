// Above ~400 lines on purpose: the alerts API contract in one place (rule kinds, each kind's
// settings, rules, alerts, templates, backtests); the request and response schemas compose the
// same per-kind pieces, and the OpenAPI document is generated from them.
import { named$, StringEnum, Type, type Static, type TSchema } from '../common/schema.js';
import { ACTION_GLOB_PATTERN, MAX_PATTERN_WILDCARDS } from '../events/action-pattern.js';
import { ACTOR_TYPES } from '../events/event.schema.js';

export const RULE_KINDS = ['threshold', 'new_value', 'sequence', 'silence', 'volume', 'travel', 'hours', 'rarity', 'sigma'] as const;
export const TIERS = ['critical', 'high', 'medium', 'low'] as const;
/** `action` only for silence rules. */
export const GROUP_BY = ['actor', 'ip', 'organization', 'action'] as const;
export const DISTINCT_FIELDS = ['target', 'ip', 'actor'] as const;
export const VALUE_FIELDS = ['country', 'ip', 'user_agent', 'client'] as const;
export const ALERT_STATUSES = ['open', 'acknowledged', 'closed'] as const;
/** active: evaluated; disabled: turned off through the API; poisoned: disabled by the evaluator (see disabled_reason). */
export const RULE_STATUSES = ['active', 'disabled', 'poisoned'] as const;
/** Why the evaluator disabled a rule. */
export const RULE_DISABLED_REASONS = ['evaluation_budget_exceeded'] as const;
export const RESOLUTIONS = ['true_positive', 'false_positive', 'benign'] as const;
export const TEMPLATE_NAMES = [
  'brute_force_sign_in',
  'bulk_export',
  'privilege_change',
  'new_api_key',
  'new_country_sign_in',
  'many_targets_read',
  'sign_in_after_failures',
  'source_silent',
  'unusual_volume',
  'impossible_travel',
  'unusual_hour',
  'rare_action',
] as const;


export type RuleKind = (typeof RULE_KINDS)[number];
export type Tier = (typeof TIERS)[number];
export type GroupBy = (typeof GROUP_BY)[number];
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type RuleStatus = (typeof RULE_STATUSES)[number];
export type RuleDisabledReason = (typeof RULE_DISABLED_REASONS)[number];

const FilterSchema = Type.Object(
  {
    actions: Type.Array(Type.String({ minLength: 1, maxLength: 128, pattern: ACTION_GLOB_PATTERN }), {
      minItems: 1,
      maxItems: 30,
      description: `Actions that count: exact (user.login), \`prefix.*\`, \`*.suffix\`, \`*.middle.*\` (\`*\` stands for one or more segments) or \`*\` for every action; at most ${MAX_PATTERN_WILDCARDS} \`*\` per pattern (400 pattern_too_complex). veritrail.alert.* entries never count.`,
    }),
    outcome: Type.Optional(StringEnum(['success', 'failure', 'unknown'] as const, { description: 'Only events with this outcome (not for sequence rules: they use failures and successes).' })),
    actor_types: Type.Optional(Type.Array(StringEnum(ACTOR_TYPES), { minItems: 1, maxItems: ACTOR_TYPES.length, uniqueItems: true })),
    organizations: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 50, uniqueItems: true, description: 'Only events of these organizations.' })),
  },
  { additionalProperties: false },
);
export type RuleFilter = Static<typeof FilterSchema>;

const ThresholdSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Fire when at least this many matching events (or distinct values) fall in one window for a key.' }),
    window_seconds: Type.Integer({ minimum: 1, maximum: 7 * 86_400 }),
    distinct: Type.Optional(StringEnum(DISTINCT_FIELDS, { description: 'Count distinct targets, IPs or actors instead of events (e.g. many distinct documents read by one actor).' })),
  },
  { additionalProperties: false },
);

const NewValueSchema = Type.Object(
  {
    field: StringEnum(VALUE_FIELDS, {
      description: 'country (from the IP, offline GeoLite2 data), ip, user_agent (the raw string), or client (browser and OS family parsed from the user agent, versions dropped: "Chrome on Windows").',
    }),
    lookback_days: Type.Integer({ minimum: 1, maximum: 365, description: 'Fire when the actor was not seen with this value in this many days before the event.' }),
    require_history: Type.Optional(Type.Boolean({ default: true, description: 'Only for actors with at least one earlier matching event in the look-back (a brand-new actor is not an anomaly).' })),
    min_history_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, description: 'Only for actors with matching events (with a value) on at least this many UTC days of the look-back: enough history to know their usual values. At most lookback_days.' }),
    ),
  },
  { additionalProperties: false },
);

const SequenceSchema = Type.Object(
  {
    failures: Type.Integer({ minimum: 1, maximum: 100_000, description: 'At least this many failures …' }),
    window_seconds: Type.Integer({ minimum: 1, maximum: 86_400, description: '… followed by a success for the same key, all within this window.' }),
  },
  { additionalProperties: false },
);

const SilenceSchema = Type.Object(
  {
    interval_minutes: Type.Integer({ minimum: 5, maximum: 1440, description: 'Length of one interval (intervals are aligned to UTC multiples of it).' }),
    silent_intervals: Type.Integer({ minimum: 1, maximum: 168, description: 'Fire when a key that history says should be sending has sent nothing for this many whole intervals.' }),
    lookback_intervals: Type.Integer({ minimum: 1, maximum: 2016, description: 'History: the intervals before the silence that are looked at.' }),
    min_events: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'An interval of the look-back counts as active with at least this many matching events.' }),
    min_active_intervals: Type.Integer({ minimum: 1, maximum: 2016, description: 'The key should be sending when at least this many intervals of the look-back were active (at most lookback_intervals).' }),
  },
  { additionalProperties: false },
);

const VolumeSchema = Type.Object(
  {
    lookback_days: Type.Integer({ minimum: 1, maximum: 90, description: 'History: the hours of this many days before the hour judged.' }),
    min_history_hours: Type.Integer({ minimum: 1, maximum: 2160, description: 'The key needs at least this many active hours (one matching event or more) in the look-back before the rule can fire for it.' }),
    z_threshold: Type.Number({ minimum: 1, maximum: 100, description: 'Fire when the hour\'s count is at least this many robust standard deviations (1.4826 × MAD, at least 1) above the median of the active hours.' }),
    min_count: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'And at least this many matching events in the hour.' }),
  },
  { additionalProperties: false },
);

const TravelSchema = Type.Object(
  {
    max_speed_kmh: Type.Integer({ minimum: 100, maximum: 20_000, description: 'Fire when the distance between a sign-in and the actor\'s previous one, over the time between them, is faster than this (an airliner flies about 900 km/h).' }),
    min_distance_km: Type.Integer({ minimum: 0, maximum: 20_000, description: 'And the two locations are at least this far apart (country reference points are approximate: neighbours are close).' }),
    lookback_hours: Type.Integer({ minimum: 1, maximum: 720, description: 'The previous sign-in is looked for this many hours back.' }),
  },
  { additionalProperties: false },
);

const HoursSchema = Type.Object(
  {
    lookback_days: Type.Integer({ minimum: 7, maximum: 90, description: 'History: the matching events of this many days before the event\'s hour.' }),
    min_history_days: Type.Integer({ minimum: 1, maximum: 90, description: 'The key needs matching events on at least this many days of the look-back before the rule can fire for it.' }),
    tolerance_hours: Type.Integer({ minimum: 0, maximum: 6, description: 'Hours of the day within this many hours of the event\'s (circularly) count as the same time of day.' }),
    max_share: Type.Number({ minimum: 0, maximum: 0.5, description: 'Fire when at most this share of the history fell at this time of day (± tolerance_hours), or on this weekday (UTC).' }),
  },
  { additionalProperties: false },
);

const RaritySchema = Type.Object(
  {
    lookback_days: Type.Integer({ minimum: 1, maximum: 90, description: 'History: the actor\'s matching events of this many days before the event.' }),
    min_history_hours: Type.Integer({ minimum: 1, maximum: 2160, description: 'The actor needs at least this many active hours (any matching action) in the look-back before the rule can fire for them.' }),
    max_hours: Type.Integer({ minimum: 0, maximum: 100, description: 'Fire when the actor did this action in at most this many distinct hours of the look-back (0: never).' }),
  },
  { additionalProperties: false },
);

const nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

const SigmaViewSchema = Type.Object(
  {
    title: Type.String(),
    sigma_id: nullable(Type.String({ description: 'The Sigma rule\'s id (or name).' })),
    level: nullable(Type.String()),
    rules: Type.Array(Type.Object({ ref: Type.String(), title: Type.String() }), { description: 'The detection rules (those a correlation refers to, in its order).' }),
    correlation: nullable(
      Type.Object({
        type: StringEnum(['event_count', 'value_count', 'temporal_ordered'] as const),
        group_by: nullable(Type.String({ description: 'The Veritrail field the correlation groups by.' })),
        timespan_seconds: Type.Integer(),
        gte: Type.Integer({ description: 'Fires when the count (events, distinct values, or rules matched in order) reaches this.' }),
        field: nullable(Type.String({ description: 'value_count: the Veritrail field whose distinct values are counted.' })),
      }),
    ),
  },
  { description: 'Sigma rules only (kind sigma): what was imported; GET /v1/alert-rules/{id}/sigma gives the YAML.' },
);

const RuleCommon = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 2000 }),
  enabled: Type.Boolean(),
  tier: StringEnum(TIERS),
  owner: Type.String({ minLength: 1, maxLength: 200, description: 'Who looks after alerts of this rule (a person, a team, an on-call alias).' }),
  create_closed: Type.Boolean({ description: 'Create alerts already closed: kept for investigations, never delivered as alert.triggered.' }),
  suppression_seconds: Type.Integer({ minimum: 0, maximum: 30 * 86_400, description: 'After an alert for a key, further firings for that key within this period are counted on it instead of raising new alerts (never shorter than the rule window).' }),
  filter: FilterSchema,
  group_by: StringEnum(GROUP_BY, { description: 'The key alerts are counted and suppressed per: actor, ip or organization (new_value rules: actor; silence rules also action).' }),
  threshold: ThresholdSchema,
  new_value: NewValueSchema,
  sequence: SequenceSchema,
  silence: SilenceSchema,
  volume: VolumeSchema,
  travel: TravelSchema,
  hours: HoursSchema,
  rarity: RaritySchema,
};

export const AlertRuleCreateSchema = named$(
  'AlertRuleCreate',
  Type.Object(
    {
      template: Type.Optional(StringEnum(TEMPLATE_NAMES, { description: 'Start from a template; any other field given overrides it.' })),
      kind: Type.Optional(StringEnum(RULE_KINDS, { description: 'Required without a template.' })),
      name: Type.Optional(RuleCommon.name),
      description: Type.Optional(RuleCommon.description),
      enabled: Type.Optional(RuleCommon.enabled),
      tier: Type.Optional(RuleCommon.tier),
      owner: Type.Optional(RuleCommon.owner),
      create_closed: Type.Optional(RuleCommon.create_closed),
      suppression_seconds: Type.Optional(RuleCommon.suppression_seconds),
      filter: Type.Optional(RuleCommon.filter),
      group_by: Type.Optional(RuleCommon.group_by),
      threshold: Type.Optional(RuleCommon.threshold),
      new_value: Type.Optional(RuleCommon.new_value),
      sequence: Type.Optional(RuleCommon.sequence),
      silence: Type.Optional(RuleCommon.silence),
      volume: Type.Optional(RuleCommon.volume),
      travel: Type.Optional(RuleCommon.travel),
      hours: Type.Optional(RuleCommon.hours),
      rarity: Type.Optional(RuleCommon.rarity),
    },
    {
      additionalProperties: false,
      examples: [
        { template: 'brute_force_sign_in', owner: 'security-oncall' },
        {
          kind: 'threshold',
          name: 'Mass document download',
          tier: 'high',
          owner: 'security-oncall',
          filter: { actions: ['document.downloaded'] },
          group_by: 'actor',
          threshold: { count: 50, window_seconds: 600, distinct: 'target' },
        },
      ],
    },
  ),
);
export type AlertRuleCreate = Static<typeof AlertRuleCreateSchema>;

export const AlertRuleUpdateSchema = named$(
  'AlertRuleUpdate',
  Type.Object(
    {
      name: Type.Optional(RuleCommon.name),
      description: Type.Optional(Type.Union([RuleCommon.description, Type.Null()])),
      enabled: Type.Optional(RuleCommon.enabled),
      tier: Type.Optional(RuleCommon.tier),
      owner: Type.Optional(Type.Union([RuleCommon.owner, Type.Null()])),
      create_closed: Type.Optional(RuleCommon.create_closed),
      suppression_seconds: Type.Optional(RuleCommon.suppression_seconds),
      filter: Type.Optional(RuleCommon.filter),
      group_by: Type.Optional(RuleCommon.group_by),
      threshold: Type.Optional(RuleCommon.threshold),
      new_value: Type.Optional(RuleCommon.new_value),
      sequence: Type.Optional(RuleCommon.sequence),
      silence: Type.Optional(RuleCommon.silence),
      volume: Type.Optional(RuleCommon.volume),
      travel: Type.Optional(RuleCommon.travel),
      hours: Type.Optional(RuleCommon.hours),
      rarity: Type.Optional(RuleCommon.rarity),
    },
    { additionalProperties: false, examples: [{ tier: 'critical', owner: 'identity-team', suppression_seconds: 3600 }] },
  ),
);
export type AlertRuleUpdate = Static<typeof AlertRuleUpdateSchema>;


export const AlertRuleSchema = named$(
  'AlertRule',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    description: nullable(Type.String()),
    template: nullable(StringEnum(TEMPLATE_NAMES)),
    kind: StringEnum(RULE_KINDS),
    enabled: Type.Boolean(),
    status: StringEnum(RULE_STATUSES, {
      description: 'active: evaluated. disabled: turned off through the API. poisoned: disabled by the evaluator because evaluating it took longer than its budget (see disabled_reason and disabled_message); enable it again with PATCH {"enabled": true} (it resumes from then on).',
    }),
    disabled_reason: nullable(StringEnum(RULE_DISABLED_REASONS, { description: 'Set when status is poisoned: why the evaluator disabled the rule.' })),
    disabled_message: nullable(Type.String({ description: 'Set when status is poisoned: what the evaluator measured.' })),
    disabled_at: nullable(Type.String({ format: 'date-time', description: 'When the rule was disabled (through the API or by the evaluator); null while enabled.' })),
    tier: StringEnum(TIERS),
    owner: nullable(Type.String()),
    create_closed: Type.Boolean(),
    suppression_seconds: Type.Integer(),
    organization_id: nullable(
      Type.String({ description: 'Set for an organization\'s own rule (created with an organization-scoped key or viewer token holding streams): it reads only that organization\'s events (filter.organizations is pinned to it).' }),
    ),
    filter: FilterSchema,
    group_by: StringEnum(GROUP_BY),
    threshold: nullable(ThresholdSchema),
    new_value: nullable(NewValueSchema),
    sequence: nullable(SequenceSchema),
    silence: nullable(SilenceSchema),
    volume: nullable(VolumeSchema),
    travel: nullable(TravelSchema),
    hours: nullable(HoursSchema),
    rarity: nullable(RaritySchema),
    sigma: nullable(SigmaViewSchema),
    evaluation: Type.Object({
      last_evaluated_at: nullable(Type.String({ format: 'date-time' })),
      lag_events: Type.Integer({ description: 'Sealed events of the trail not evaluated yet.' }),
    }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  }),
);
export type AlertRuleView = Static<typeof AlertRuleSchema>;

export const ListQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })), cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })) },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuerySchema>;

export const AlertRuleListSchema = named$('AlertRuleList', Type.Object({ data: Type.Array(AlertRuleSchema), next_cursor: nullable(Type.String()) }));

export const AlertTemplateSchema = named$(
  'AlertRuleTemplate',
  Type.Object({
    template: StringEnum(TEMPLATE_NAMES),
    name: Type.String(),
    description: Type.String(),
    kind: StringEnum(RULE_KINDS),
    tier: StringEnum(TIERS),
    suppression_seconds: Type.Integer(),
    filter: FilterSchema,
    group_by: StringEnum(GROUP_BY),
    threshold: nullable(ThresholdSchema),
    new_value: nullable(NewValueSchema),
    sequence: nullable(SequenceSchema),
    silence: nullable(SilenceSchema),
    volume: nullable(VolumeSchema),
    travel: nullable(TravelSchema),
    hours: nullable(HoursSchema),
    rarity: nullable(RaritySchema),
  }),
);
export const AlertTemplateListSchema = named$('AlertRuleTemplateList', Type.Object({ data: Type.Array(AlertTemplateSchema) }));

// ------------------------------------------------------------------ alerts

export const AlertListQuerySchema = Type.Object(
  {
    status: Type.Optional(StringEnum(ALERT_STATUSES)),
    tier: Type.Optional(StringEnum(TIERS)),
    rule_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    group_value: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'The actor id, IP or organization the alert is about.' })),
    from: Type.Optional(Type.String({ maxLength: 64, format: 'date-time', description: 'RFC 3339: alerts triggered at or after.' })),
    to: Type.Optional(Type.String({ maxLength: 64, format: 'date-time', description: 'RFC 3339: alerts triggered before.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type AlertListQuery = Static<typeof AlertListQuerySchema>;

export const AlertUpdateSchema = named$(
  'AlertUpdate',
  Type.Object(
    {
      status: Type.Optional(StringEnum(ALERT_STATUSES, { description: 'acknowledged, closed, or open again.' })),
      resolution: Type.Optional(StringEnum(RESOLUTIONS, { description: 'With status closed (or on a closed alert): how it turned out. Feeds rule tuning.' })),
      owner: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
      note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description: 'Appended to the alert\'s notes (at most 100).' })),
    },
    { additionalProperties: false, examples: [{ status: 'closed', resolution: 'false_positive', note: 'Load test from the QA team, agreed in advance.' }] },
  ),
);
export type AlertUpdate = Static<typeof AlertUpdateSchema>;

export const AlertSchema = named$(
  'Alert',
  Type.Object({
    id: Type.String(),
    rule_id: Type.String(),
    rule_name: Type.String(),
    kind: StringEnum(RULE_KINDS),
    tier: StringEnum(TIERS),
    owner: nullable(Type.String()),
    status: StringEnum(ALERT_STATUSES),
    resolution: nullable(StringEnum(RESOLUTIONS)),
    group_by: StringEnum(GROUP_BY),
    group_value: Type.String(),
    summary: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown(), { description: 'Kind-specific: threshold and window, the new value and the values seen before, failures before the success, the baseline a volume, travel, hours or rarity alert deviated from (with its numbers), a silence.' }),
    triggered_at: Type.String({ format: 'date-time', description: 'occurred_at of the event that made the rule fire.' }),
    first_seen_at: Type.String({ format: 'date-time' }),
    last_seen_at: Type.String({ format: 'date-time' }),
    event_count: Type.Integer(),
    event_ids: Type.Array(Type.String(), { description: 'Evidence: up to 20 event ids, newest first (GET /v1/events/{id}).' }),
    suppressed_count: Type.Integer({ description: 'Further firings for this key during the suppression period.' }),
    last_suppressed_at: nullable(Type.String({ format: 'date-time' })),
    notes: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), by: Type.String(), text: Type.String() })),
    acknowledged_at: nullable(Type.String({ format: 'date-time' })),
    acknowledged_by: nullable(Type.String()),
    closed_at: nullable(Type.String({ format: 'date-time' })),
    closed_by: nullable(Type.String()),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  }),
);
export type AlertView = Static<typeof AlertSchema>;

export const AlertListSchema = named$('AlertList', Type.Object({ data: Type.Array(AlertSchema), next_cursor: nullable(Type.String()) }));

// ------------------------------------------------------------ backtest

/** Longest range a backtest replays. */
export const BACKTEST_MAX_DAYS = 90;
/** Most events a backtest reads (its `max_events` may lower it). */
export const BACKTEST_MAX_EVENTS = 1_000_000;
export const BACKTEST_TRUNCATION_REASONS = ['max_events', 'time_budget', 'evaluation_budget_exceeded'] as const;

const BacktestRange = {
  from: Type.String({ maxLength: 64, format: 'date-time', description: 'RFC 3339: replay events that occurred at or after.' }),
  to: Type.String({ maxLength: 64, format: 'date-time', description: `RFC 3339: … and before (at most ${BACKTEST_MAX_DAYS} days after \`from\`).` }),
  max_events: Type.Optional(Type.Integer({ minimum: 1, maximum: BACKTEST_MAX_EVENTS, description: `Stop after reading this many events (default and most: ${BACKTEST_MAX_EVENTS}).` })),
};

export const AlertRuleBacktestSchema = named$(
  'AlertRuleBacktest',
  Type.Object(BacktestRange, { additionalProperties: false, examples: [{ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }] }),
);
export type AlertRuleBacktest = Static<typeof AlertRuleBacktestSchema>;

export const AlertRuleDraftBacktestSchema = named$(
  'AlertRuleDraftBacktest',
  Type.Object(
    { ...AlertRuleCreateSchema.properties, ...BacktestRange },
    {
      additionalProperties: false,
      examples: [{ template: 'brute_force_sign_in', threshold: { count: 10, window_seconds: 300 }, from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }],
    },
  ),
);
export type AlertRuleDraftBacktest = Static<typeof AlertRuleDraftBacktestSchema>;

export const AlertRuleBacktestResultSchema = named$(
  'AlertRuleBacktestResult',
  Type.Object({
    rule_id: nullable(Type.String({ description: 'The stored rule replayed; null for a draft.' })),
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    alerts: Type.Array(AlertSchema, { description: 'The alerts the rule would have raised, oldest first (nothing was stored; ids are not stored alerts; a draft\'s rule_id is "draft").' }),
    per_day: Type.Array(Type.Object({ day: Type.String({ format: 'date', description: 'UTC day.' }), count: Type.Integer() }), { description: 'Alerts per UTC day of triggered_at, every day of the range.' }),
    total: Type.Integer(),
    stat_target_per_week: Type.Number({ description: 'The STAT target: about one actionable alert per rule and week.' }),
    ratio_to_target: Type.Number({ description: 'Alerts per week over the replayed range divided by the target (1 is on target; above: tune the rule).' }),
    events_scanned: Type.Integer(),
    truncated: Type.Boolean({ description: 'The replay stopped before `to` (see truncated_reason and evaluated_to).' }),
    truncated_reason: nullable(StringEnum(BACKTEST_TRUNCATION_REASONS)),
    evaluated_to: Type.String({ format: 'date-time', description: 'Events that occurred before this were replayed (`to` unless truncated).' }),
  }),
);
export type AlertRuleBacktestResult = Static<typeof AlertRuleBacktestResultSchema>;

export const AlertRuleSigmaImportSchema = named$(
  'AlertRuleSigmaImport',
  Type.Object(
    {
      rule: Type.String({
        minLength: 1,
        maxLength: 16_384,
        description:
          'A Sigma rule as YAML: one detection rule, or a correlation rule (event_count, value_count, temporal_ordered) followed by the detection rules it refers to, separated by ---. Fields are mapped onto event fields as docs/alerts.md#sigma lists; anything else is a 400 with a precise code.',
      }),
      name: Type.Optional(RuleCommon.name),
      enabled: Type.Optional(RuleCommon.enabled),
      tier: Type.Optional({ ...RuleCommon.tier, description: 'Default: from the rule\'s level (informational → low).' }),
      owner: Type.Optional(RuleCommon.owner),
      create_closed: Type.Optional(RuleCommon.create_closed),
      suppression_seconds: Type.Optional(RuleCommon.suppression_seconds),
    },
    {
      additionalProperties: false,
      examples: [{ rule: 'title: Okta API Token Created\nlogsource:\n  product: okta\n  service: okta\ndetection:\n  selection:\n    eventType: system.api_token.create\n  condition: selection\nlevel: medium\n', owner: 'identity-team' }],
    },
  ),
);
export type AlertRuleSigmaImport = Static<typeof AlertRuleSigmaImportSchema>;

export const AlertRuleSigmaExportSchema = named$(
  'AlertRuleSigmaExport',
  Type.Object({
    rule_id: Type.String(),
    sigma: Type.String({ description: 'The rule as Sigma YAML (a correlation rule first, then its detection rule, separated by ---), logsource product veritrail.' }),
  }),
);
