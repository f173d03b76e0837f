import { named$, StringEnum, Type, type Static } from '../common/schema.js';
import { filterProps } from '../events/event-query.schema.js';

export const EXPORT_FORMATS = ['ndjson', 'csv', 'ocsf', 'ecs', 'cef', 'bundle'] as const;
/** Formats GET /v1/events/export streams directly (a bundle needs a seal and temporary files: use POST /v1/exports). */
export const DIRECT_FORMATS = ['ndjson', 'csv', 'ocsf', 'ecs', 'cef'] as const;
export const EXPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

const formatDoc =
  'ndjson: stored events, one JSON object per line. csv: flat columns, formula-injection safe. ocsf: OCSF 1.1.0 (3002/3001/6003, see PUT /v1/settings/ocsf). ecs: Elastic Common Schema 8.17 documents, one per line. ' +
  'cef: ArcSight CEF:0 lines. bundle: a tar of events.ndjson + checkpoints + inclusion proofs + JWKS, checked offline by `veritrail verify`.';

export const ExportCreateSchema = named$(
  'ExportCreate',
  Type.Object(
    {
      format: StringEnum(EXPORT_FORMATS, { description: formatDoc }),
      gzip: Type.Optional(Type.Boolean({ default: false, description: 'Compress the file with gzip.' })),
      ...filterProps,
    },
    {
      additionalProperties: false,
      examples: [{ format: 'csv', gzip: true, organization_id: 'org_42', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', exclude_action: 'veritrail.*' }],
    },
  ),
);
export type ExportCreate = Static<typeof ExportCreateSchema>;

/** The filters of an export as requested (query-parameter names of GET /v1/events). */
export type ExportFilters = Omit<ExportCreate, 'format' | 'gzip'>;

export const DirectExportQuerySchema = Type.Object(
  {
    format: StringEnum(DIRECT_FORMATS, { description: 'ndjson, csv, ocsf or cef (bundle: POST /v1/exports).' }),
    gzip: Type.Optional(Type.Boolean({ default: false })),
    ...filterProps,
  },
  { additionalProperties: false },
);
export type DirectExportQuery = Static<typeof DirectExportQuerySchema>;

export const ExportSchema = named$(
  'Export',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    status: StringEnum(EXPORT_STATUSES),
    format: StringEnum(EXPORT_FORMATS),
    gzip: Type.Boolean(),
    filters: Type.Record(Type.String(), Type.String(), { description: 'The filters as requested.' }),
    organization_id: Type.Union([Type.String(), Type.Null()], { description: 'Set when an organization-scoped key requested it: only that organization is exported.' }),
    snapshot_at: Type.String({ format: 'date-time', description: 'Events received after this instant are not part of the export.' }),
    row_count: Type.Integer({ description: 'Events written so far (final once succeeded).' }),
    bytes: Type.Integer({ description: 'File size so far (final once succeeded), as downloaded (after gzip).' }),
    sha256: Type.Union([Type.String(), Type.Null()], { description: 'Hex SHA-256 of the file as downloaded; set once succeeded.' }),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the file is deleted (EXPORT_RETENTION after success).' }),
    download_link: Type.Union(
      [
        Type.Object({
          url: Type.String({ description: 'Works without the API key until expires_at; bound to this tenant and export.' }),
          expires_at: Type.String({ format: 'date-time' }),
        }),
        Type.Null(),
      ],
      { description: 'A signed link valid 15 minutes, present while the file can be downloaded. Fetch the export again for a fresh one.' },
    ),
  }),
);
export type ExportView = Static<typeof ExportSchema>;

export const ExportListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type ExportListQuery = Static<typeof ExportListQuerySchema>;

export const ExportListSchema = named$(
  'ExportList',
  Type.Object({ data: Type.Array(ExportSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
);

export const DownloadQuerySchema = Type.Object(
  {
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Signed link only.' })),
    expires: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'Signed link only: Unix seconds.' })),
    signature: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Signed link only.' })),
  },
  { additionalProperties: false },
);
export type DownloadQuery = Static<typeof DownloadQuerySchema>;

const OCSF_KEY = '^[a-z0-9_]+(\\.[a-z0-9_-]+)*(\\.\\*)?$';

export const OcsfSettingsSchema = named$(
  'OcsfSettings',
  Type.Object(
    {
      mapping: Type.Record(Type.String({ pattern: OCSF_KEY, maxLength: 128 }), Type.Union([Type.Literal(3001), Type.Literal(3002), Type.Literal(6003)]), {
        maxProperties: 500,
        description:
          'Action (user.login) or prefix (billing.*) → OCSF class: 3002 Authentication, 3001 Account Change, 6003 API Activity. ' +
          'An exact action wins over a prefix, a longer prefix over a shorter one; unmapped actions keep the built-in classification.',
      }),
    },
    { additionalProperties: false, examples: [{ mapping: { 'user.mfa.verified': 3002, 'user.role.*': 3001, 'billing.*': 6003 } }] },
  ),
);
export type OcsfSettings = Static<typeof OcsfSettingsSchema>;
