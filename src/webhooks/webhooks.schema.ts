import { named$, StringEnum, Type, type Static } from '../common/schema.js';
import { ACTION_FILTER_PATTERN } from '../events/action-pattern.js';

export const WEBHOOK_KINDS = ['https', 'splunk_hec', 'datadog', 's3', 'syslog', 'sentinel'] as const;
export const SYSLOG_FORMATS = ['cef', 'leef'] as const;
/** The shortest batch interval: the API refuses less, and the dispatcher never waits less (rows stored before the bound). */
export const MIN_BATCH_INTERVAL_MS = 50;
/**
 * Trail entries delivered as message kinds of their own: a destination whose `filters.kinds`
 * holds a kind here receives those veritrail.* entries of its tenant's trail as messages of that
 * kind (one entry per message, in log order with the rest, signed like every delivery), whatever
 * its `actions` and `organizations` filters say. Adding a kind is one line.
 */
export const TRAIL_MESSAGE_KINDS = {
  'alert.triggered': 'veritrail.alert.triggered',
  'privacy.notice': 'veritrail.privacy.notice',
} as const satisfies Record<string, `veritrail.${string}`>;
export type TrailMessageKind = keyof typeof TRAIL_MESSAGE_KINDS;
const TRAIL_KINDS = Object.keys(TRAIL_MESSAGE_KINDS) as TrailMessageKind[];
export const MESSAGE_KINDS = ['event', 'checkpoint.sealed', ...TRAIL_KINDS] as const;
export type FilterKind = (typeof MESSAGE_KINDS)[number];

export function isTrailMessageKind(kind: string): kind is TrailMessageKind {
  return Object.hasOwn(TRAIL_MESSAGE_KINDS, kind);
}

/** The message kind a trail entry is delivered as to a destination wanting `kinds`, if any. */
export function trailKindOf(action: string, kinds: readonly string[]): TrailMessageKind | undefined {
  for (const k of TRAIL_KINDS) if (TRAIL_MESSAGE_KINDS[k] === action && kinds.includes(k)) return k;
  return undefined;
}
const PATH_PATTERN = '^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*){0,4}$';

const FiltersSchema = Type.Object(
  {
    actions: Type.Optional(Type.Array(Type.String({ maxLength: 128, pattern: ACTION_FILTER_PATTERN }), { maxItems: 50, description: 'Exact actions or prefixes (user.*); empty = every action.' })),
    organizations: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100, description: 'Only these organizations; empty = all.' })),
    kinds: Type.Optional(
      Type.Array(StringEnum(MESSAGE_KINDS), {
        minItems: 1,
        maxItems: MESSAGE_KINDS.length,
        description: 'What to deliver. Default ["event"]. event: the trail\'s events (filtered by actions and organizations); checkpoint.sealed: signed checkpoints; alert.triggered: alerts as they fire (veritrail.alert.triggered entries); privacy.notice: data-subject notices (veritrail.privacy.notice entries). These two are not subject to the other filters.',
      }),
    ),
  },
  { additionalProperties: false },
);

const MaskingSchema = Type.Object(
  {
    drop: Type.Optional(Type.Array(Type.String({ pattern: PATH_PATTERN }), { maxItems: 50, description: 'Dotted event paths removed before sending (actor.email, context.ip, targets.name).' })),
    hash: Type.Optional(Type.Array(Type.String({ pattern: PATH_PATTERN }), { maxItems: 50, description: 'Dotted event paths replaced by hmac-sha256:<hex> under a per-destination key.' })),
  },
  { additionalProperties: false },
);

const BatchSchema = Type.Object(
  {
    max_events: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    max_bytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 5 * 1024 * 1024, default: 256 * 1024 })),
    interval_ms: Type.Optional(
      Type.Integer({ minimum: MIN_BATCH_INTERVAL_MS, maximum: 300_000, default: 1000, description: `Wait after a batch that was not full, and between looks at an idle log (at least ${MIN_BATCH_INTERVAL_MS} ms).` }),
    ),
  },
  { additionalProperties: false },
);

const CredentialsSchema = Type.Object(
  {
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'splunk_hec: the HEC token.' })),
    api_key: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'datadog: the API key.' })),
    access_key_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 's3 (required): access key id of a key pair for this bucket; the server\'s own AWS identity is never used.' })),
    secret_access_key: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 's3 (required): secret access key.' })),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$', description: 's3: region (default us-east-1).' })),
    endpoint: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 's3: endpoint of an S3-compatible service (MinIO, R2, …); unset: AWS.' })),
    force_path_style: Type.Optional(Type.Boolean({ description: 's3: bucket in the path (default: true when endpoint is set).' })),
    tenant_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9.-]+$', description: 'sentinel (required): the Entra (Azure AD) tenant id or domain of the app registration.' })),
    client_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'sentinel (required): the app registration\'s client (application) id.' })),
    client_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'sentinel (required): its client secret; sealed at rest, never returned.' })),
    dcr_immutable_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^dcr-[0-9a-f]{32}$', description: 'sentinel (required): the data collection rule\'s immutable id (dcr-…).' })),
    stream_name: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^(Custom|Microsoft)-[A-Za-z0-9_]+$', description: 'sentinel (required): the rule\'s input stream (Custom-…, or Microsoft-ASimAuditEventLogs).' })),
    authority_host: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'sentinel: the Entra authority (default https://login.microsoftonline.com; sovereign clouds differ); SSRF rules as for any URL.' })),
  },
  { additionalProperties: false },
);

const PEM = (what: string) => Type.String({ minLength: 1, maxLength: 65_536, description: what });
const SyslogTlsSchema = Type.Object(
  {
    ca: Type.Optional(PEM('PEM CA certificate(s) the receiver\'s certificate must chain to; unset: the system\'s trusted CAs.')),
    cert: Type.Optional(PEM('PEM client certificate (mutual TLS); needs key.')),
    key: Type.Optional(PEM('PEM private key of the client certificate (unencrypted); sealed at rest like other credentials, never returned.')),
  },
  { additionalProperties: false, description: 'syslog+tls only. The receiver\'s certificate must also name the URL\'s host.' },
);
const SyslogFormatSchema = StringEnum(SYSLOG_FORMATS, { description: 'syslog only: the payload of each message, cef (ArcSight CEF, default) or leef (IBM LEEF 2.0, TAB-delimited).' });
const CloudEventsSchema = Type.Boolean({ description: 'https only: add CloudEvents 1.0 binary-mode headers (ce-specversion, ce-id, ce-type, ce-source, ce-time) beside the signature; the body is unchanged.' });

export const WebhookCreateSchema = named$(
  'WebhookCreate',
  Type.Object(
    {
      url: Type.String({
        minLength: 1,
        maxLength: 2048,
        description: 'http(s) only (private, loopback and link-local addresses are refused); for kind s3: s3://<bucket>/<prefix>; for kind syslog: syslog+tls://<host>[:6514] or syslog+tcp://<host>[:601].',
      }),
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      kind: Type.Optional(
        StringEnum(WEBHOOK_KINDS, {
          description: 'https (Standard Webhooks, default), splunk_hec (HTTP Event Collector), datadog (logs intake v2), s3 (gzip NDJSON objects YYYY/MM/DD/HH/<id>.ndjson.gz), syslog (RFC 5424 over TLS or TCP, octet-counted, CEF or LEEF), sentinel (Microsoft Sentinel through the Logs Ingestion API; url: the data collection endpoint).',
        }),
      ),
      format: Type.Optional(SyslogFormatSchema),
      tls: Type.Optional(SyslogTlsSchema),
      cloudevents: Type.Optional(CloudEventsSchema),
      credentials: Type.Optional(CredentialsSchema),
      filters: Type.Optional(FiltersSchema),
      masking: Type.Optional(MaskingSchema),
      batch: Type.Optional(BatchSchema),
      start: Type.Optional(StringEnum(['now', 'beginning'] as const, { description: 'now (default): events sealed from now on; beginning: the whole retained trail.' })),
    },
    {
      additionalProperties: false,
      examples: [
        { url: 'https://hooks.example.com/veritrail', name: 'Security team', filters: { actions: ['user.*', 'api_key.*'], kinds: ['event', 'alert.triggered'] }, masking: { drop: ['context.ip'] } },
        { url: 'https://splunk.example.com:8088/services/collector/event', kind: 'splunk_hec', credentials: { token: 'f1d2d2f9-24e7-4e4c-9c3a-1b2c3d4e5f60' }, start: 'beginning' },
        { url: 'syslog+tls://siem.example.com:6514', kind: 'syslog', format: 'leef', tls: { ca: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n' } },
      ],
    },
  ),
);
export type WebhookCreate = Static<typeof WebhookCreateSchema>;

export const WebhookUpdateSchema = named$(
  'WebhookUpdate',
  Type.Object(
    {
      url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      format: Type.Optional(SyslogFormatSchema),
      tls: Type.Optional(SyslogTlsSchema),
      cloudevents: Type.Optional(CloudEventsSchema),
      credentials: Type.Optional(CredentialsSchema),
      filters: Type.Optional(FiltersSchema),
      masking: Type.Optional(MaskingSchema),
      batch: Type.Optional(BatchSchema),
      status: Type.Optional(StringEnum(['active', 'paused'] as const, { description: 'paused stops deliveries (the cursor waits); active resumes, also a disabled destination.' })),
    },
    { additionalProperties: false, examples: [{ status: 'paused' }, { filters: { actions: ['user.*'], organizations: ['org_42'] } }] },
  ),
);
export type WebhookUpdate = Static<typeof WebhookUpdateSchema>;

export const WebhookSchema = named$(
  'Webhook',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    kind: StringEnum(WEBHOOK_KINDS),
    url: Type.String(),
    format: Type.Union([StringEnum(SYSLOG_FORMATS), Type.Null()], { description: 'syslog: cef or leef; null for other kinds.' }),
    tls: Type.Union([Type.Object({ ca: Type.Boolean(), client_certificate: Type.Boolean() }, { description: 'Which TLS material is set (never the material).' }), Type.Null()], { description: 'syslog+tls only.' }),
    cloudevents: Type.Boolean({ description: 'https: CloudEvents binary-mode headers are added.' }),
    organization_id: Type.Union([Type.String(), Type.Null()]),
    filters: Type.Object({ actions: Type.Array(Type.String()), organizations: Type.Array(Type.String()), kinds: Type.Array(StringEnum(MESSAGE_KINDS)) }),
    masking: Type.Object({ drop: Type.Array(Type.String()), hash: Type.Array(Type.String()) }),
    batch: Type.Object({ max_events: Type.Integer(), max_bytes: Type.Integer(), interval_ms: Type.Integer() }),
    status: StringEnum(['active', 'paused', 'disabled'] as const),
    disabled_reason: Type.Union([Type.String({ description: 'gone (the receiver answered 410) or failing (no success for WEBHOOK_DISABLE_AFTER)' }), Type.Null()]),
    health: Type.Object({
      last_success_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      last_failure_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      last_error: Type.Union([Type.String(), Type.Null()]),
      consecutive_failures: Type.Integer(),
      next_attempt_at: Type.String({ format: 'date-time' }),
      lag_events: Type.Integer({
        description:
          'Sealed events after the cursor (not all may match the filters). For an organization-scoped caller (self-service streams) 0 or 1, behind or not: the exact count is the whole tenant\'s volume.',
      }),
      lag_seconds: Type.Number({ description: 'Age of the oldest event not yet delivered (0 when caught up).' }),
    }),
    previous_secret_valid_until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  }),
);
export type WebhookView = Static<typeof WebhookSchema>;

export const WebhookCreatedSchema = named$(
  'WebhookCreated',
  Type.Intersect([WebhookSchema, Type.Object({ secret: Type.String({ description: 'whsec_… signing secret: shown only now and on rotation.' }) })]),
);

export const WebhookListQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })), cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })) },
  { additionalProperties: false },
);
export type WebhookListQuery = Static<typeof WebhookListQuerySchema>;

export const WebhookListSchema = named$('WebhookList', Type.Object({ data: Type.Array(WebhookSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }));

export const RotateSecretSchema = named$(
  'WebhookSecretRotation',
  Type.Object(
    { overlap_hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 168, default: 24, description: 'How long the previous secret keeps signing too.' })) },
    { additionalProperties: false, examples: [{ overlap_hours: 24 }] },
  ),
);
export type RotateSecret = Static<typeof RotateSecretSchema>;

export const ReplaySchema = named$(
  'WebhookReplay',
  Type.Object(
    {
      from: Type.Optional(Type.String({ maxLength: 64, format: 'date-time', description: 'RFC 3339: redeliver events received from this instant on.' })),
      cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'A next_cursor of GET /v1/events/feed: redeliver what follows it.' })),
    },
    { additionalProperties: false, examples: [{ from: '2026-11-22T00:00:00Z' }] },
  ),
);
export type Replay = Static<typeof ReplaySchema>;

export const DeliverySchema = named$(
  'WebhookDelivery',
  Type.Object({
    id: Type.String(),
    webhook_id: Type.String(),
    message_id: Type.String({ description: 'The webhook-id header: the same for every attempt of one message.' }),
    kind: StringEnum(['events', 'checkpoint.sealed', 'webhook.test', ...TRAIL_KINDS] as const),
    event_count: Type.Integer(),
    attempt: Type.Integer(),
    succeeded: Type.Boolean(),
    response_status: Type.Union([Type.Integer(), Type.Null()]),
    response_body: Type.Union([Type.String({ description: 'First 1 KB of the answer (as UTF-8 text; a NUL byte reads U+FFFD); null for test messages and for answers from internal addresses (reachable only with WEBHOOKS_ALLOW_PRIVATE).' }), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    latency_ms: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
  }),
);
export type DeliveryView = Static<typeof DeliverySchema>;

export const DeliveryListSchema = named$('WebhookDeliveryList', Type.Object({ data: Type.Array(DeliverySchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }));

export const SecretSchema = named$('WebhookSecret', Type.Object({ secret: Type.String(), previous_secret_valid_until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) }));
