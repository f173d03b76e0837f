import { Injectable } from '@nestjs/common';
import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RE2JS } from 're2js';
import { getOrCompute } from '../common/bounded-map.js';
import { NotFoundError, UnprocessableError, ValidationError, type ErrorDetail } from '../common/errors.js';
import { formatPath } from '../common/json-body.js';
import { MetricsService } from '../observability/metrics.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { ActionSchemasRepository, type SchemaMode, type SchemaVersionRow } from './action-schemas.repository.js';
import { AuditTrailService, keyActor, type RequestMeta } from './audit-trail.service.js';
import type { ValidEvent } from './event-rules.js';

/** Bounds on a registered schema: size, nesting, versions per action. */
export const SCHEMA_LIMITS = { bytes: 32 * 1024, depth: 24, versionsPerAction: 100 } as const;
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
/** How long a process trusts its index of a tenant's schemas (a version added on another replica shows after this). */
export const SCHEMA_INDEX_TTL_MS = 5_000;
const MAX_DETAILS = 20;

/**
 * JSON Schema patterns run on RE2 semantics (linear time, no backtracking): a schema from a
 * tenant can name any pattern, and a backtracking engine would let it freeze ingest (the same
 * reason alert patterns and scrub patterns use RE2). Patterns RE2 does not support
 * (backreferences, lookaround) are refused when the schema is registered.
 */
const re2Engine = Object.assign((pattern: string) => RE2JS.compile(pattern), { code: 're2js' });

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    // No $data references, no remote loading: a schema is self-contained.
    $data: false,
    code: { regExp: re2Engine as never },
    loadSchema: undefined,
    messages: true,
    validateFormats: true,
  });
  addFormats(ajv);
  return ajv;
}

type Entry = { mode: SchemaMode; createdAt: Date };
interface TenantIndex {
  fetchedAt: number;
  /** action → version → entry */
  actions: Map<string, Map<number, Entry>>;
}

export interface SchemaCheckOutcome {
  /** Events with the schema_mismatch flag added where a warn-mode schema did not match. */
  events: ValidEvent[];
  warned: number;
}

/**
 * Per-action metadata schemas (JSON Schema draft 2020-12): immutable versions per (tenant,
 * action); on ingest an event's `metadata` is validated against the version it names
 * (`schema_version`) or the latest one. `enforce` refuses the request (400, every failing path
 * named, nothing stored — a batch is all or nothing), `warn` stores the event with the flag
 * `schema_mismatch` and counts it. Validators are compiled once per version and cached.
 */
@Injectable()
export class ActionSchemasService {
  private readonly ajv = newAjv();
  private readonly indexes = new Map<string, TenantIndex>();
  private readonly validators = new Map<string, Promise<ValidateFunction>>();

  constructor(
    private readonly repo: ActionSchemasRepository,
    private readonly trail: AuditTrailService,
    private readonly metrics: MetricsService,
  ) {}

  /** PUT /v1/actions/{action}/schema: checks the schema and stores it as the next version. */
  async register(principal: ApiKeyPrincipal, action: string, body: { schema: unknown; mode: SchemaMode }, meta: RequestMeta): Promise<{ action: string; version: number; mode: SchemaMode }> {
    const scope = TenantScope.of(principal);
    checkSchemaShape(body.schema);
    try {
      this.ajv.compile(body.schema as object);
    } catch (err) {
      throw new ValidationError([{ field: 'schema', code: 'invalid_schema', message: `Not a usable JSON Schema (draft 2020-12): ${(err as Error).message}`.slice(0, 500) }]);
    } finally {
      // Compiled only to check it: do not keep it under its $id (two versions may share one).
      this.ajv.removeSchema(body.schema as object);
    }
    const added = await this.repo.addVersion(scope, action, body.mode, body.schema, SCHEMA_LIMITS.versionsPerAction);
    if (added === 'too_many_versions') {
      throw new UnprocessableError('schema_version_limit', `An action keeps at most ${SCHEMA_LIMITS.versionsPerAction} schema versions.`);
    }
    this.indexes.delete(scope.tenantId);
    await this.trail.record(
      scope,
      { action: 'veritrail.action_schema.created', actor: keyActor(principal), targets: [{ type: 'action', id: action }], metadata: { version: added.version, mode: added.mode } },
      meta,
    );
    return { action, version: added.version, mode: added.mode };
  }

  /** GET /v1/actions/{action}/schema: one version (the latest without `version`). */
  async get(principal: ApiKeyPrincipal, action: string, version: number | undefined) {
    const row = await this.repo.get(TenantScope.of(principal), action, version);
    if (!row) throw new NotFoundError(version === undefined ? `schema of ${action}` : `schema version ${version} of ${action}`);
    return { action: row.action, version: row.version, mode: row.mode, schema: row.schema, created_at: row.createdAt.toISOString() };
  }

  /** Versions per action, for the action catalog. */
  async versionsOf(scope: TenantScope, actions: string[]): Promise<Map<string, SchemaVersionRow[]>> {
    const out = new Map<string, SchemaVersionRow[]>();
    for (const r of await this.repo.versionsOf(scope, actions)) {
      const list = out.get(r.action) ?? [];
      list.push(r);
      out.set(r.action, list);
    }
    return out;
  }

  /**
   * Validates the metadata of each event against its action's schema. `indexOf(i)` gives the
   * position to name in error details (a batch's index). Throws 400 for enforce-mode mismatches
   * and unknown versions; flags warn-mode mismatches.
   */
  async check(scope: TenantScope, events: ValidEvent[], batch: boolean, now: number): Promise<SchemaCheckOutcome> {
    const index = await this.indexFor(scope, now);
    if (index.actions.size === 0) {
      if (events.some((e) => e.input.schema_version !== undefined)) this.refuseUnknownVersions(events, batch);
      return { events, warned: 0 };
    }
    const details: ErrorDetail[] = [];
    let warned = 0;
    const out: ValidEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const versions = index.actions.get(e.input.action);
      const requested = e.input.schema_version;
      const path = batch ? ['events', i] : [];
      if (!versions) {
        if (requested !== undefined) details.push(unknownVersion(path, batch ? i : undefined, e.input.action, requested));
        out.push(e);
        continue;
      }
      const version = requested ?? Math.max(...versions.keys());
      const entry = versions.get(version);
      if (!entry) {
        details.push(unknownVersion(path, batch ? i : undefined, e.input.action, version));
        out.push(e);
        continue;
      }
      const validate = await this.validator(scope, e.input.action, version);
      if (validate(e.input.metadata ?? {})) {
        out.push(e);
        continue;
      }
      if (entry.mode === 'enforce') {
        for (const err of (validate.errors ?? []).slice(0, MAX_DETAILS)) details.push(mismatch(path, batch ? i : undefined, e.input.action, version, err));
      } else {
        warned++;
        out.push(e.flags.includes('schema_mismatch') ? e : { ...e, flags: [...e.flags, 'schema_mismatch'].sort() });
      }
      if (details.length >= 200) break;
    }
    if (details.length > 0) {
      this.metrics.schemaMismatches.inc({ mode: 'enforce' }, 1);
      throw new ValidationError(details, batch ? 'The batch was rejected; nothing was stored. Every event whose metadata does not match its action\'s schema is listed by index.' : 'The event\'s metadata does not match its action\'s schema.');
    }
    if (warned > 0) this.metrics.schemaMismatches.inc({ mode: 'warn' }, warned);
    return { events: out, warned };
  }

  private refuseUnknownVersions(events: ValidEvent[], batch: boolean): never {
    const details = events.flatMap((e, i) => (e.input.schema_version !== undefined ? [unknownVersion(batch ? ['events', i] : [], batch ? i : undefined, e.input.action, e.input.schema_version)] : []));
    throw new ValidationError(details.slice(0, 200), 'An event names a schema version that does not exist.');
  }

  private async indexFor(scope: TenantScope, now: number): Promise<TenantIndex> {
    const hit = this.indexes.get(scope.tenantId);
    if (hit && now - hit.fetchedAt < SCHEMA_INDEX_TTL_MS) return hit;
    const actions = new Map<string, Map<number, Entry>>();
    for (const r of await this.repo.index(scope)) {
      const versions = actions.get(r.action) ?? new Map<number, Entry>();
      versions.set(r.version, { mode: r.mode, createdAt: r.createdAt });
      actions.set(r.action, versions);
    }
    const index = { fetchedAt: now, actions };
    if (!this.indexes.has(scope.tenantId) && this.indexes.size >= 10_000) this.indexes.delete(this.indexes.keys().next().value as string);
    this.indexes.set(scope.tenantId, index);
    return index;
  }

  /** Versions never change, so a compiled validator is valid for the life of the process. */
  private validator(scope: TenantScope, action: string, version: number): Promise<ValidateFunction> {
    const key = `${scope.tenantId}\u0000${action}\u0000${version}`;
    const pending = getOrCompute(this.validators, key, 2_000, async () => {
      const row = await this.repo.get(scope, action, version);
      if (!row) throw new Error(`schema ${action} v${version} vanished`);
      // A fresh instance per validator: schemas of different tenants never share $id space.
      return newAjv().compile(row.schema as object);
    });
    pending.catch(() => this.validators.delete(key));
    return pending;
  }
}

/** Size, depth, $schema and local-only references, checked before the schema is compiled. */
function checkSchemaShape(schema: unknown): void {
  const fail = (code: string, message: string): never => {
    throw new ValidationError([{ field: 'schema', code, message }]);
  };
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) fail('invalid_schema', 'The schema must be a JSON object.');
  if (Buffer.byteLength(JSON.stringify(schema)) > SCHEMA_LIMITS.bytes) fail('schema_too_large', `A schema is at most ${SCHEMA_LIMITS.bytes} bytes of JSON.`);
  const declared = (schema as { $schema?: unknown }).$schema;
  if (declared !== undefined && declared !== DRAFT_2020_12) fail('unsupported_schema_version', `Only JSON Schema draft 2020-12 ("${DRAFT_2020_12}") is supported.`);
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth > SCHEMA_LIMITS.depth) fail('schema_too_deep', `A schema nests at most ${SCHEMA_LIMITS.depth} levels.`);
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, depth + 1, `${path}/${i}`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if ((k === '$ref' || k === '$dynamicRef') && !(typeof v === 'string' && v.startsWith('#'))) {
        fail('remote_ref_not_allowed', `${path}/${k}: only references inside the schema ("#…") are allowed.`);
      }
      if (k === '$schema' && path !== '') fail('invalid_schema', `${path}/$schema: only the top level may declare $schema.`);
      walk(v, depth + 1, `${path}/${k}`);
    }
  };
  walk(schema, 0, '');
}

function unknownVersion(path: (string | number)[], index: number | undefined, action: string, version: number): ErrorDetail {
  return { field: formatPath([...path, 'schema_version']), code: 'unknown_schema_version', message: `${action} has no schema version ${version}.`, ...(index !== undefined ? { index } : {}) };
}

function mismatch(path: (string | number)[], index: number | undefined, action: string, version: number, err: ErrorObject): ErrorDetail {
  // instancePath is a JSON Pointer into the metadata ("/items/0/id").
  const inside = err.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^(0|[1-9][0-9]*)$/.test(p) ? Number(p) : p));
  const field = formatPath([...path, 'metadata', ...inside]);
  return {
    field,
    code: 'schema_mismatch',
    message: `${field} ${err.message ?? 'does not match'} (${action} schema v${version}, ${err.schemaPath}).`.slice(0, 300),
    ...(index !== undefined ? { index } : {}),
  };
}
