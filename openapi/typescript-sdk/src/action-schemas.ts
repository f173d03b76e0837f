import { VeritrailError, type ErrorDetail } from './errors.js';
import { formatPath } from './json-schema.js';
import type { RetryPolicy, Transport } from './transport.js';

/**
 * Local validation of an event's metadata with its action's schema (`PUT /v1/actions/{action}/schema`),
 * with the server's verdict: the same validator (Ajv, JSON Schema draft 2020-12, formats from
 * ajv-formats, patterns on RE2 semantics through re2js), the same options, the same error
 * details. Ajv, ajv-formats and re2js are optional peer dependencies: the SDK has no runtime
 * dependency unless this is turned on (`actionSchemas`).
 */
export interface ActionSchemaOptions {
  /**
   * How long the latest schema of an action (and "this action has no schema") is trusted before
   * it is fetched again. Default 60 000 ms. A version named by `schema_version` never changes
   * and is kept for the life of the client.
   */
  ttlMs?: number;
}

type Mode = 'enforce' | 'warn';

interface AjvError {
  instancePath: string;
  schemaPath: string;
  message?: string;
}

type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
type Compile = (schema: object) => ValidateFn;

interface Known {
  /** undefined: the action has no schema (or not that version, when one was named). */
  schema?: { version: number; mode: Mode; validate: ValidateFn };
  fetchedAt: number;
}

const MAX_DETAILS = 20;
const MAX_CACHED = 1_000;

let compiler: Promise<Compile> | undefined;

// A module name in a variable: TypeScript neither resolves nor types it, and the build without
// these packages still compiles. CommonJS builds turn import() into require().
const load = (name: string): Promise<Record<string, unknown>> => import(name) as Promise<Record<string, unknown>>;

/** Ajv 2020 configured as the server configures it (src/events/action-schemas.service.ts). */
async function loadCompiler(): Promise<Compile> {
  let ajvMod: Record<string, unknown>, formatsMod: Record<string, unknown>, re2Mod: Record<string, unknown>;
  try {
    [ajvMod, formatsMod, re2Mod] = await Promise.all([load('ajv/dist/2020.js'), load('ajv-formats'), load('re2js')]);
  } catch (err) {
    throw new VeritrailError('invalid_configuration', 'actionSchemas needs the optional peer dependencies ajv (8), ajv-formats (3) and re2js (2): npm install ajv ajv-formats re2js.', { cause: err });
  }
  // Each is CommonJS or dual: reached as a named export, or through `default` when imported from ES modules.
  const inner = (m: Record<string, unknown>) => (m.default ?? {}) as Record<string, unknown>;
  const Ajv2020 = (ajvMod.Ajv2020 ?? inner(ajvMod).Ajv2020 ?? ajvMod.default) as new (o: object) => { compile: Compile };
  const addFormats = (typeof formatsMod.default === 'function' ? formatsMod.default : inner(formatsMod).default) as (ajv: unknown) => void;
  const RE2JS = (re2Mod.RE2JS ?? inner(re2Mod).RE2JS) as { compile(p: string): unknown };
  if (typeof Ajv2020 !== 'function' || typeof addFormats !== 'function' || typeof RE2JS?.compile !== 'function') {
    throw new VeritrailError('invalid_configuration', 'actionSchemas: ajv, ajv-formats or re2js is not a supported version (ajv 8, ajv-formats 3, re2js 2).');
  }
  const re2Engine = Object.assign((pattern: string) => RE2JS.compile(pattern), { code: 're2js' });
  return (schema) => {
    // A fresh instance per schema, as on the server: schemas never share an $id space.
    const ajv = new Ajv2020({ strict: true, allErrors: true, $data: false, code: { regExp: re2Engine }, loadSchema: undefined, messages: true, validateFormats: true });
    addFormats(ajv);
    return ajv.compile(schema);
  };
}

/** The fetched, compiled schemas of a client's tenant: one fetch per action (and per named version), shared by concurrent events. */
export class ActionSchemas {
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Promise<Known>>();
  private readonly ttlMs: number;

  constructor(
    private readonly transport: Transport,
    private readonly retry: RetryPolicy,
    options: ActionSchemaOptions = {},
  ) {
    const ttl = options.ttlMs ?? 60_000;
    if (typeof ttl !== 'number' || Number.isNaN(ttl) || ttl < 0) throw new VeritrailError('invalid_configuration', 'actionSchemas.ttlMs must be a non-negative number.');
    this.ttlMs = ttl;
  }

  /**
   * The problems the server would name for this event's metadata (`schema_mismatch` per failing
   * path in enforce mode, `unknown_schema_version`), for an event sent alone. Empty: the server
   * accepts it (in warn mode it stores it with the `schema_mismatch` flag). When the schema cannot
   * be fetched for a reason other than the key (network, 5xx), the check is left to the server.
   */
  async errors(event: { action?: unknown; schema_version?: unknown; metadata?: unknown }, now = Date.now()): Promise<ErrorDetail[]> {
    if (typeof event.action !== 'string') return [];
    const requested = typeof event.schema_version === 'number' ? event.schema_version : undefined;
    let known: Known;
    try {
      known = await this.get(event.action, requested, now);
    } catch (err) {
      // A key without events:read or revoked, the peer dependencies missing: configuration
      // problems the caller must see. Anything else (network, 5xx): the server still checks.
      if (err instanceof VeritrailError && (err.status === 401 || err.status === 403 || err.code === 'invalid_configuration')) throw err;
      return [];
    }
    if (!known.schema) {
      return requested === undefined ? [] : [{ field: 'schema_version', code: 'unknown_schema_version', message: `${event.action} has no schema version ${requested}.` }];
    }
    const { version, mode, validate } = known.schema;
    if (validate(event.metadata ?? {}) || mode === 'warn') return [];
    return (validate.errors ?? []).slice(0, MAX_DETAILS).map((err) => mismatch(event.action as string, version, err));
  }

  private async get(action: string, version: number | undefined, now: number): Promise<Known> {
    const key = `${action}\u0000${version ?? 'latest'}`;
    const hit = this.known.get(key);
    if (hit && (version !== undefined ? hit.schema !== undefined || now - hit.fetchedAt < this.ttlMs : now - hit.fetchedAt < this.ttlMs)) return hit;
    let p = this.pending.get(key);
    if (!p) {
      p = this.fetch(action, version, now).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    const known = await p;
    if (!this.known.has(key) && this.known.size >= MAX_CACHED) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, known);
    return known;
  }

  private async fetch(action: string, version: number | undefined, now: number): Promise<Known> {
    let body: { version: number; mode: Mode; schema: object };
    try {
      const r = await this.transport.requestWithRetry<typeof body>('GET', `/v1/actions/${encodeURIComponent(action)}/schema`, { query: version === undefined ? {} : { version } }, this.retry);
      body = r.body;
    } catch (err) {
      if (err instanceof VeritrailError && err.status === 404) return { fetchedAt: now };
      throw err;
    }
    compiler ??= loadCompiler();
    let compile: Compile;
    try {
      compile = await compiler;
    } catch (err) {
      compiler = undefined;
      throw err;
    }
    return { schema: { version: body.version, mode: body.mode, validate: compile(body.schema) }, fetchedAt: now };
  }
}

/** The detail the server writes for one failing path (src/events/action-schemas.service.ts). */
function mismatch(action: string, version: number, err: AjvError): ErrorDetail {
  // instancePath is a JSON Pointer into the metadata ("/items/0/id").
  const inside = err.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^(0|[1-9][0-9]*)$/.test(p) ? Number(p) : p));
  const field = formatPath(['metadata', ...inside]);
  return { field, code: 'schema_mismatch', message: `${field} ${err.message ?? 'does not match'} (${action} schema v${version}, ${err.schemaPath}).`.slice(0, 300) };
}
