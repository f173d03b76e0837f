import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Api, ApiResponse } from './harness.js';

/**
 * Checks real answers of the app against openapi/openapi.json with validators we did not write:
 * Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) with ajv-formats for date-time, uuid,
 * email. Every call names an operationId; the request is built from that operation's path and
 * method, so a call cannot reach another route than the one it checks.
 */
export interface Operation {
  id: string;
  method: string;
  path: string;
  op: OperationObject;
}

interface MediaType {
  schema?: unknown;
}
interface OperationObject {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema: unknown }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
  security?: Record<string, string[]>[];
}

export interface CallOptions {
  params?: Record<string, string>;
  /** Put path parameters in the URL as given (to send malformed percent-encoding). */
  rawParams?: boolean;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  raw?: string | Buffer;
  token?: string;
  headers?: Record<string, string>;
}

const SPEC_ID = 'https://veritrail.invalid/openapi.json';

export class OpenApiContract {
  readonly spec: { paths: Record<string, Record<string, OperationObject>>; components: { schemas: Record<string, unknown> } };
  readonly operations = new Map<string, Operation>();
  /** operationId → statuses seen. */
  readonly exercised = new Map<string, Set<number>>();
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly api: Api) {
    this.spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url)), 'utf8'));
    for (const [path, item] of Object.entries(this.spec.paths)) {
      for (const [method, op] of Object.entries(item)) this.operations.set(op.operationId, { id: op.operationId, method: method.toUpperCase(), path, op });
    }
    // strict: unknown keywords, formats or types in a schema are errors, not silently ignored.
    this.ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
    addFormats.default(this.ajv);
    // The document itself is added as one schema so that `#/components/schemas/…` references
    // resolve; its top-level OpenAPI fields are annotations to Ajv, not schema keywords.
    this.ajv.addVocabulary(Object.keys(this.spec));
    this.ajv.addSchema(this.spec as never, SPEC_ID);
  }

  /** A validator for the schema at a JSON pointer of the document. */
  validator(pointer: string[]): ValidateFunction {
    const ref = `${SPEC_ID}#/${pointer.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
    let v = this.validators.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, v);
    }
    return v;
  }

  /** Validates a value against a schema of the document; returns Ajv's errors as text ('' when valid). */
  errors(pointer: string[], value: unknown): string {
    const v = this.validator(pointer);
    return v(value) ? '' : this.ajv.errorsText(v.errors, { separator: '; ' });
  }

  /** The first example of the operation's request body schema (what /docs shows). */
  example(operationId: string): unknown {
    const op = this.operation(operationId).op;
    let schema = op.requestBody?.content['application/json']?.schema as { $ref?: string; examples?: unknown[] } | undefined;
    if (schema?.$ref) schema = this.spec.components.schemas[schema.$ref.split('/').pop()!] as typeof schema;
    if (!schema?.examples?.length) throw new Error(`${operationId} has no request example`);
    return structuredClone(schema.examples[0]);
  }

  operation(operationId: string): Operation {
    const o = this.operations.get(operationId);
    if (!o) throw new Error(`no operation ${operationId} in openapi.json`);
    return o;
  }

  /**
   * Sends one request to the operation and checks the answer against the document: the status
   * is declared, the content type is one declared for it, the body validates against its schema.
   * A request the test expects to succeed is also checked against the declared request schemas.
   */
  async call(operationId: string, opts: CallOptions = {}, expectStatus?: number): Promise<ApiResponse> {
    const { method, path, op } = this.operation(operationId);
    const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const v = opts.params?.[name];
      if (v === undefined) throw new Error(`${operationId}: path parameter ${name} missing`);
      return opts.rawParams ? v : encodeURIComponent(v);
    });
    const res = await this.send(method, url, opts);
    if (expectStatus !== undefined && res.status !== expectStatus) throw new Error(`expected ${expectStatus}; ${operationId} answered ${res.status}: ${res.text.slice(0, 500)}`);
    this.checkResponse(operationId, res);
    if (res.status < 300) this.checkRequest(operationId, opts);
    let seen = this.exercised.get(operationId);
    if (!seen) this.exercised.set(operationId, (seen = new Set()));
    seen.add(res.status);
    return res;
  }

  /** Like Api.request, but a body is parsed only when it is application/json (not x-ndjson). */
  private async send(method: string, path: string, opts: CallOptions): Promise<ApiResponse> {
    const url = new URL(path, this.api.baseUrl);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Buffer | undefined = opts.raw;
    if (body === undefined && opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').split(';')[0]!.trim() === 'application/json' && text !== '';
    return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text, text };
  }

  /** Throws unless the answer is one the document declares for the operation (status, content type, body). */
  checkResponse(operationId: string, res: ApiResponse): void {
    const { method, path, op } = this.operation(operationId);
    const where = `${operationId} (${method} ${path}) answered ${res.status}: ${res.text.slice(0, 500)}`;
    const declared = op.responses[String(res.status)];
    if (!declared) throw new Error(`status not declared (declared: ${Object.keys(op.responses).join(', ')}); ${where}`);
    if (!declared.content) {
      if (res.text !== '') throw new Error(`no content declared but a body was sent; ${where}`);
      return;
    }
    const media = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const type = declared.content[media];
    if (!type) throw new Error(`content type ${media} not declared (declared: ${Object.keys(declared.content).join(', ')}); ${where}`);
    if (type.schema === undefined) return;
    const body = media === 'application/json' ? JSON.parse(res.text) : res.text;
    const problems = this.errors(['paths', path, method.toLowerCase(), 'responses', String(res.status), 'content', media, 'schema'], body);
    if (problems) throw new Error(`body does not match the declared schema: ${problems}; ${where}`);
  }

  private checkRequest(operationId: string, opts: CallOptions): void {
    const { method, path, op } = this.operation(operationId);
    const base = ['paths', path, method.toLowerCase()];
    const params = op.parameters ?? [];
    for (const [name, value] of Object.entries(opts.query ?? {})) {
      if (value === undefined) continue;
      const i = params.findIndex((p) => p.in === 'query' && p.name === name);
      if (i === -1) throw new Error(`${operationId}: query parameter ${name} accepted but not declared`);
      const problems = this.errors([...base, 'parameters', String(i), 'schema'], value);
      if (problems) throw new Error(`${operationId}: accepted query ${name}=${String(value)} breaks its declared schema: ${problems}`);
    }
    for (const p of params) {
      if (p.required && p.in === 'query' && opts.query?.[p.name] === undefined) throw new Error(`${operationId}: required query parameter ${p.name} was not needed`);
    }
    if (opts.body !== undefined) {
      if (!op.requestBody) throw new Error(`${operationId}: a body was accepted but none is declared`);
      const problems = this.errors([...base, 'requestBody', 'content', 'application/json', 'schema'], opts.body);
      if (problems) throw new Error(`${operationId}: accepted body breaks its declared schema: ${problems}`);
    }
  }

  /** Operations never called, and operations never answered with a success status. */
  missing(): { notCalled: string[]; noSuccess: string[] } {
    const all = [...this.operations.keys()].sort();
    return {
      notCalled: all.filter((id) => !this.exercised.has(id)),
      noSuccess: all.filter((id) => this.exercised.has(id) && ![...this.exercised.get(id)!].some((s) => s < 300)),
    };
  }
}
