import { named$, StringEnum, Type, type Static } from '../common/schema.js';
import { ACTION_PREFIX_PATTERN } from './action-pattern.js';
import { LOCALE_PATTERN } from './display-template.js';
import { ACTOR_TYPES, EventSchema, OUTCOMES } from './event.schema.js';

export const filterProps = {
  organization_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Only events of this organization.' })),
  actor_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  actor_type: Type.Optional(StringEnum(ACTOR_TYPES)),
  on_behalf_of: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Only events whose actor acted on behalf of this id (actor.on_behalf_of.id).' })),
  impersonator: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Only events done in a session this id impersonated (actor.impersonator.id).' })),
  involving: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'Events this id did, had done on its behalf or did while impersonating someone (actor.id, actor.on_behalf_of.id or actor.impersonator.id): a user\'s "my activity" view.',
    }),
  ),
  action: Type.Optional(
    Type.String({
      maxLength: 128,
      pattern: ACTION_PREFIX_PATTERN,
      description: 'Exact action (user.login) or a prefix ending in .* (user.*).',
      examples: ['user.*'],
    }),
  ),
  exclude_action: Type.Optional(
    Type.String({
      maxLength: 128,
      pattern: '^[a-z0-9_]+(\\.[a-z0-9_-]+)*(\\.\\*)?$',
      description: 'Leave out this action (exact) or these actions (a prefix ending in .*): veritrail.* hides the trail\'s own entries, as the embedded viewer does by default.',
      examples: ['veritrail.*'],
    }),
  ),
  target_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  target_type: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  outcome: Type.Optional(StringEnum(OUTCOMES)),
  ip: Type.Optional(Type.String({ minLength: 2, maxLength: 64, description: 'Exact client IP address.' })),
  from: Type.Optional(Type.String({ maxLength: 64, format: 'date-time', description: 'occurred_at ≥ this RFC 3339 time.' })),
  to: Type.Optional(Type.String({ maxLength: 64, format: 'date-time', description: 'occurred_at < this RFC 3339 time.' })),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'Free text: every whitespace-separated term (at most 8, each at least 2 characters with a letter or digit) must appear, case-insensitively, in the event text.',
    }),
  ),
};

/** What `data` of a page of events holds: the events as stored (json), or the export mappings. */
export const EVENT_PAGE_FORMATS = ['json', 'ocsf', 'ecs', 'cef'] as const;
export type EventPageFormat = (typeof EVENT_PAGE_FORMATS)[number];
export const eventPageFormatProp = Type.Optional(
  StringEnum(EVENT_PAGE_FORMATS, {
    description:
      'json (default): the events as stored. ocsf: OCSF 1.1.0 objects (the tenant\'s mapping, PUT /v1/settings/ocsf); ecs: Elastic Common Schema 8.17 documents; cef: ArcSight CEF lines as strings. The same mappings as exports (docs/export-formats.md); the cursor does not depend on the format.',
  }),
);

export const localeProp = Type.Optional(
  Type.String({ maxLength: 35, pattern: LOCALE_PATTERN, description: 'Language of display.message (de, pt-BR): the template\'s locale of that tag, else of its language, else the default template.' }),
);

export const includeProp = Type.Optional(
  StringEnum(['client'] as const, {
    description:
      'client: add `client` to each event with a context — the country of context.ip (offline GeoLite2 data) and the browser and OS of context.user_agent, derived when read (not stored, not sealed). What the embedded viewer shows.',
  }),
);

export const EventGetQuerySchema = Type.Object({ locale: localeProp, include: includeProp }, { additionalProperties: false });
export type EventGetQuery = Static<typeof EventGetQuerySchema>;

export const EventListQuerySchema = Type.Object(
  {
    ...filterProps,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    order: Type.Optional(StringEnum(['desc', 'asc'] as const, { description: 'By occurred_at, then id. Default desc (newest first).' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'next_cursor of the previous page (same filters).' })),
    format: eventPageFormatProp,
    locale: localeProp,
    include: includeProp,
  },
  { additionalProperties: false },
);
export type EventListQuery = Static<typeof EventListQuerySchema>;

export const EventStatsQuerySchema = Type.Object(filterProps, { additionalProperties: false });
export type EventStatsQuery = Static<typeof EventStatsQuerySchema>;

/** Histogram bucket widths: the smallest that gives at most `buckets` buckets over the range is used. */
export const HISTOGRAM_WIDTHS_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000] as const;
/** Without `from`, a histogram covers this much before `to`. */
export const HISTOGRAM_DEFAULT_RANGE_MS = 30 * 86_400_000;

export const EventHistogramQuerySchema = Type.Object(
  {
    ...filterProps,
    buckets: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 60, description: 'At most this many buckets over [from, to): the width is rounded up to 1, 5, 15 or 30 minutes, 1, 3, 6 or 12 hours, 1, 7 or 30 days.' })),
  },
  { additionalProperties: false },
);
export type EventHistogramQuery = Static<typeof EventHistogramQuerySchema>;

export const EventHistogramResponseSchema = named$(
  'EventHistogram',
  Type.Object({
    from: Type.String({ format: 'date-time', description: 'Start of the range: `from`, else 30 days before `to`.' }),
    to: Type.String({ format: 'date-time', description: 'End of the range (exclusive): `to`, else now.' }),
    bucket_ms: Type.Integer({ description: 'Width of a bucket; buckets are aligned to the Unix epoch in UTC.' }),
    buckets: Type.Array(
      Type.Object({ start: Type.String({ format: 'date-time' }), success: Type.Integer(), failure: Type.Integer(), unknown: Type.Integer() }),
      { description: 'Buckets with at least one event, oldest first (empty buckets are left out).' },
    ),
  }),
);

export const EventListResponseSchema = named$(
  'EventList',
  Type.Object({
    data: Type.Array(EventSchema),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor to get the next page; null on the last page.' }),
  }),
);

const NEXT_CURSOR = () => Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor to get the next page; null on the last page.' });
const open = { additionalProperties: true };

/** format=ocsf: OCSF 1.1.0 event objects (docs/export-formats.md "OCSF"); the attributes every class shares are required, the rest is OCSF's. */
export const OcsfEventPageSchema = named$(
  'OcsfEventPage',
  Type.Object({
    data: Type.Array(
      Type.Object(
        {
          class_uid: Type.Integer({ description: '3002 Authentication, 3001 Account Change or 6003 API Activity (the tenant mapping applies).' }),
          category_uid: Type.Integer(),
          activity_id: Type.Integer(),
          type_uid: Type.Integer(),
          time: Type.Integer({ description: 'occurred_at, epoch milliseconds.' }),
          severity_id: Type.Integer(),
          status_id: Type.Integer(),
          message: Type.String({ description: 'The display message (docs/api.md "Display templates"), else the action.' }),
          metadata: Type.Object(
            {
              uid: Type.String({ description: 'The event id.' }),
              version: Type.Literal('1.1.0'),
              product: Type.Object({ name: Type.String(), vendor_name: Type.String(), version: Type.String() }, open),
            },
            open,
          ),
          actor: Type.Object({}, open),
        },
        { ...open, description: 'An OCSF 1.1.0 event (schema.ocsf.io); validated against the OCSF schema in the test suite.' },
      ),
    ),
    next_cursor: NEXT_CURSOR(),
  }),
);

/** format=ecs: Elastic Common Schema 8.17 documents (docs/export-formats.md "ECS"). */
export const EcsEventPageSchema = named$(
  'EcsEventPage',
  Type.Object({
    data: Type.Array(
      Type.Object(
        {
          '@timestamp': Type.String({ format: 'date-time', description: 'occurred_at.' }),
          message: Type.String({ description: 'The display message, else the action.' }),
          ecs: Type.Object({ version: Type.Literal('8.17.0') }, open),
          event: Type.Object(
            {
              id: Type.String(),
              kind: Type.Literal('event'),
              category: Type.Array(Type.String()),
              type: Type.Array(Type.String()),
              action: Type.String(),
              outcome: Type.String(),
            },
            open,
          ),
          user: Type.Object({ id: Type.String() }, { ...open, description: 'The actor (the impersonator in an impersonated session); user.effective for delegation.' }),
        },
        { ...open, description: 'An ECS 8.17 document; every field outside veritrail.* is an ECS field of its ECS type.' },
      ),
    ),
    next_cursor: NEXT_CURSOR(),
  }),
);

/** format=cef: ArcSight CEF lines as JSON strings (docs/export-formats.md "CEF"). */
export const CefEventPageSchema = named$(
  'CefEventPage',
  Type.Object({
    data: Type.Array(Type.String({ pattern: '^CEF:0\\|', description: 'One CEF line, without its line end.' })),
    next_cursor: NEXT_CURSOR(),
  }),
);

/**
 * The 200 answer of GET /v1/events and GET /v1/events/feed: the same envelope and cursor for
 * every format; `data` holds what `format` asks for. anyOf, not oneOf: an empty page is every
 * one of them.
 */
export const EventPageResponseSchema = named$(
  'EventPage',
  Type.Union([EventListResponseSchema, OcsfEventPageSchema, EcsEventPageSchema, CefEventPageSchema], {
    description: 'format=json (default): EventList; format=ocsf: OcsfEventPage; format=ecs: EcsEventPage; format=cef: CefEventPage.',
  }),
);

export const EventStatsResponseSchema = named$(
  'EventStats',
  Type.Object({
    total: Type.Integer(),
    by_action: Type.Array(Type.Object({ action: Type.String(), count: Type.Integer() }), { description: 'Top 100 actions.' }),
    by_outcome: Type.Array(Type.Object({ outcome: StringEnum(OUTCOMES), count: Type.Integer() })),
    by_day: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), count: Type.Integer() }), { description: 'UTC days of occurred_at.' }),
  }),
);

export const EventCreatedSchema = named$(
  'EventCreated',
  Type.Object({ id: Type.String({ format: 'uuid' }), received_at: Type.String({ format: 'date-time' }) }),
);

export const EventBatchCreatedSchema = named$(
  'EventBatchCreated',
  Type.Object({ ids: Type.Array(Type.String({ format: 'uuid' }), { description: 'In request order.' }) }),
);
