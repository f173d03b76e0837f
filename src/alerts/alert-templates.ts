import type { RuleDefinition } from './rule-definition.js';
import type { RuleKind, TemplateName, Tier } from './alerts.schema.js';

export interface AlertTemplate {
  template: TemplateName;
  name: string;
  description: string;
  kind: RuleKind;
  tier: Tier;
  suppressionSeconds: number;
  definition: RuleDefinition;
}

/** Sign-in actions as applications commonly name them (user.login, member.signed_in, …). */
const SIGN_IN = ['*.login', '*.logged_in', '*.log_in', '*.signin', '*.sign_in', '*.signed_in', '*.authenticated'];
const PEOPLE = ['user', 'api_key', 'service'] as ('user' | 'api_key' | 'service')[];

/**
 * Built-in rules, ready to enable. Thresholds aim at about one actionable alert per rule and
 * week on ordinary traffic (docs/alerts.md explains each one and how to tune it).
 */
export const ALERT_TEMPLATES: Readonly<Record<TemplateName, AlertTemplate>> = {
  brute_force_sign_in: {
    template: 'brute_force_sign_in',
    name: 'Brute-force sign-in',
    description: 'Many failed sign-ins from one IP address within minutes: credential stuffing or password spraying.',
    kind: 'threshold',
    tier: 'high',
    suppressionSeconds: 3600,
    definition: { filter: { actions: SIGN_IN, outcome: 'failure' }, group_by: 'ip', threshold: { count: 20, window_seconds: 300 } },
  },
  bulk_export: {
    template: 'bulk_export',
    name: 'Bulk export or download',
    description: 'One actor exports or downloads many things in a short time: a common precursor of data exfiltration.',
    kind: 'threshold',
    tier: 'high',
    suppressionSeconds: 3600,
    definition: {
      filter: {
        actions: ['*.export', '*.exported', '*.download', '*.downloaded', 'veritrail.export.requested', 'veritrail.export.streamed'],
        actor_types: PEOPLE,
      },
      group_by: 'actor',
      threshold: { count: 20, window_seconds: 600 },
    },
  },
  privilege_change: {
    template: 'privilege_change',
    name: 'Privilege or role change',
    description: 'A role, permission or privilege was granted or changed.',
    kind: 'threshold',
    tier: 'medium',
    suppressionSeconds: 3600,
    definition: {
      filter: { actions: ['*.role.*', '*.roles.*', '*.role_changed', '*.role_updated', '*.permission.*', '*.permissions.*', '*.privilege.*', '*.privileges.*', '*.promoted'] },
      group_by: 'actor',
      threshold: { count: 1, window_seconds: 60 },
    },
  },
  new_api_key: {
    template: 'new_api_key',
    name: 'New API key',
    description: 'An API key or access token was created (also Veritrail keys of this tenant: veritrail.api_key.created).',
    kind: 'threshold',
    tier: 'medium',
    suppressionSeconds: 3600,
    definition: {
      filter: { actions: ['api_key.created', '*.api_key.created', 'apikey.created', '*.apikey.created', '*.access_token.created', '*.personal_access_token.created'] },
      group_by: 'actor',
      threshold: { count: 1, window_seconds: 60 },
    },
  },
  new_country_sign_in: {
    template: 'new_country_sign_in',
    name: 'Sign-in from a new country',
    description: 'A successful sign-in from a country this actor has not signed in from in the last 30 days.',
    kind: 'new_value',
    tier: 'high',
    suppressionSeconds: 86_400,
    definition: { filter: { actions: SIGN_IN, outcome: 'success' }, group_by: 'actor', new_value: { field: 'country', lookback_days: 30, require_history: true } },
  },
  many_targets_read: {
    template: 'many_targets_read',
    name: 'Many distinct targets read by one actor',
    description: 'One actor reads, views or downloads an unusual number of distinct objects within an hour: scraping or collection.',
    kind: 'threshold',
    tier: 'medium',
    suppressionSeconds: 21_600,
    definition: {
      filter: { actions: ['*.read', '*.viewed', '*.view', '*.accessed', '*.opened', '*.downloaded'], actor_types: PEOPLE },
      group_by: 'actor',
      threshold: { count: 100, window_seconds: 3600, distinct: 'target' },
    },
  },
  sign_in_after_failures: {
    template: 'sign_in_after_failures',
    name: 'Successful sign-in after repeated failures',
    description: 'Several failed sign-ins followed by a successful one for the same account: a guessed or stuffed password may have worked.',
    kind: 'sequence',
    tier: 'high',
    suppressionSeconds: 3600,
    definition: { filter: { actions: SIGN_IN }, group_by: 'actor', sequence: { failures: 5, window_seconds: 900 } },
  },
  source_silent: {
    template: 'source_silent',
    name: 'Source gone silent',
    description: 'An organization that sent events in most hours of the last week has sent nothing for 4 hours: a broken logging pipeline, found before the incident that needs it.',
    kind: 'silence',
    tier: 'medium',
    suppressionSeconds: 86_400,
    definition: {
      filter: { actions: ['*'] },
      group_by: 'organization',
      silence: { interval_minutes: 60, silent_intervals: 4, lookback_intervals: 168, min_events: 1, min_active_intervals: 120 },
    },
  },
  unusual_volume: {
    template: 'unusual_volume',
    name: 'Unusual volume for this actor',
    description: 'An actor does far more in one hour than their own history says they usually do (robust z-score over their active hours of the last 30 days): a bulk export, a script on a stolen session.',
    kind: 'volume',
    tier: 'high',
    suppressionSeconds: 21_600,
    definition: {
      filter: { actions: ['*'], actor_types: PEOPLE },
      group_by: 'actor',
      volume: { lookback_days: 30, min_history_hours: 40, z_threshold: 10, min_count: 50 },
    },
  },
  impossible_travel: {
    template: 'impossible_travel',
    name: 'Impossible travel',
    description: 'Two successful sign-ins by the same actor from countries too far apart for the time between them (faster than 1000 km/h): a shared or stolen credential.',
    kind: 'travel',
    tier: 'high',
    suppressionSeconds: 86_400,
    definition: { filter: { actions: SIGN_IN, outcome: 'success' }, group_by: 'actor', travel: { max_speed_kmh: 1000, min_distance_km: 500, lookback_hours: 72 } },
  },
  unusual_hour: {
    template: 'unusual_hour',
    name: 'Sign-in at an unusual hour',
    description: 'A successful sign-in at a time of day (± 1 h) or on a weekday that holds at most 1 % of the actor\'s sign-ins of the last 30 days (with sign-ins on 10 days or more).',
    kind: 'hours',
    tier: 'medium',
    suppressionSeconds: 86_400,
    definition: { filter: { actions: SIGN_IN, outcome: 'success' }, group_by: 'actor', hours: { lookback_days: 30, min_history_days: 10, tolerance_hours: 1, max_share: 0.01 } },
  },
  rare_action: {
    template: 'rare_action',
    name: 'Rare action for this actor',
    description: 'A person does a sensitive action (export, deletion, role, key, setting) they have not done in the last 30 days, after at least 40 active hours of history.',
    kind: 'rarity',
    tier: 'medium',
    suppressionSeconds: 86_400,
    definition: {
      filter: {
        actions: ['*.export', '*.exported', '*.download', '*.downloaded', '*.deleted', '*.role.*', '*.roles.*', '*.permission.*', '*.api_key.created', '*.settings.*', '*.setting.*', '*.disabled', '*.impersonated'],
        actor_types: PEOPLE,
      },
      group_by: 'actor',
      rarity: { lookback_days: 30, min_history_hours: 40, max_hours: 0 },
    },
  },
};
