import 'reflect-metadata';
import { STATUS_CODES } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { pino, type Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module.js';
import { toErrorResponse } from './common/error-response.js';
import { genRequestId, installHttpHooks } from './common/http.js';
import { fastifyTrustProxy } from './common/proxy.js';
import { VERSION } from './common/paths.js';
import { ERROR_SCHEMA, ERROR_STATUS_TEXT } from './common/api-errors.js';
import { getSchemaPath, loadSwagger } from './common/openapi-decorators.js';
import './common/error.schema.js';
import { componentSchemas } from './common/schema.js';
import type { AppConfig } from './config/config.js';
import { MetricsService } from './observability/metrics.service.js';
import { PinoNestLogger } from './observability/pino-nest-logger.js';

export { VERSION };

/** Application logs: JSON, never request bodies, credentials or query strings. */
export function createLogger(config: AppConfig): PinoLogger {
  // Readable lines on a terminal (LOG_FORMAT=auto|pretty); pino-pretty runs in pino's worker thread.
  const transport = config.log.format === 'pretty' ? { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,service,context', messageFormat: '{if context}[{context}] {end}{msg}', translateTime: 'SYS:HH:MM:ss.l' } } : undefined;
  return pino({
    transport,
    level: config.log.level,
    base: { service: 'veritrail' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.password', '*.token', '*.key'], censor: '[redacted]' },
    serializers: { req: () => undefined, res: () => undefined },
  });
}

/**
 * Builds the whole application (stores opened and migrated) without listening. Used by
 * main.ts, the test harness and the OpenAPI generator, so all three run the same wiring.
 */
export async function createApp(config: AppConfig, logger = createLogger(config)): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    genReqId: genRequestId,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: fastifyTrustProxy(config.http.trustProxy),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    // Errors of the router itself (a path parameter too long or badly percent-encoded) answer in
    // the one error shape too, instead of Fastify's own.
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const r = toErrorResponse(err, request.id);
      void reply.status(r.status).headers(r.headers).send(r.body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  // Request logs come from Fastify's own pino instance (one line per request); Nest's logger
  // writes through the same instance.
  app.useLogger(new PinoNestLogger(logger));
  installHttpHooks(app.getHttpAdapter().getInstance(), app.get(MetricsService), config.http.bodyLimitBytes);
  serveDocsOnDemand(app);
  await app.init();
  return app;
}

/**
 * Swagger UI at /docs and the document at /docs/openapi.json and /docs/openapi.yaml, served by
 * @nestjs/swagger as usual, but set up on the first request: until then neither the package nor
 * the document is in memory. The first request builds both (about a second); the rest are
 * answered from a Fastify instance of their own, which only /docs requests reach.
 */
function serveDocsOnDemand(app: NestFastifyApplication): void {
  let docs: Promise<FastifyInstance> | undefined;
  const setUp = async (): Promise<FastifyInstance> => {
    const { SwaggerModule } = await loadSwagger();
    const document = await buildOpenApiDocument(app);
    const adapter = new FastifyAdapter();
    // SwaggerModule.setup uses an application for its HTTP adapter and global prefix (none here).
    const host = { getHttpAdapter: () => adapter } as unknown as NestFastifyApplication;
    SwaggerModule.setup('docs', host, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
    const instance = adapter.getInstance() as unknown as FastifyInstance;
    await instance.ready();
    return instance;
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    docs ??= setUp().catch((err: unknown) => {
      docs = undefined; // the next request tries again
      throw err;
    });
    const res = await (await docs).inject({ method: request.method as 'GET' | 'HEAD', url: request.url, headers: request.headers });
    // Nothing there: the application's own 404 (route_not_found), not the inner instance's.
    if (res.statusCode === 404) return reply.callNotFound();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) void reply.header(name, value);
    }
    return reply.status(res.statusCode).send(res.rawPayload);
  };
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/docs', handler);
  fastify.get('/docs/*', handler);
}

/** Headers of the inner answer that belong to its own connection, not to the client's. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/** The OpenAPI document of the application's routes (loads @nestjs/swagger on first use). */
export async function buildOpenApiDocument(app: NestFastifyApplication): Promise<OpenAPIObject> {
  const { DocumentBuilder, SwaggerModule } = await loadSwagger();
  const config = new DocumentBuilder()
    .setTitle('Veritrail API')
    .setDescription(
      'Multi-tenant audit-log API. Every error has the shape {"error": {"code", "message", "details"?, "request_id"}} (schema Error); switch on code. ' +
        'Another tenant\'s objects answer 404, never 403.',
    )
    .setVersion(VERSION)
    .setOpenAPIVersion('3.1.0')
    .addServer('/', 'The server this document was fetched from (GET /docs/openapi.json)')
    // API keys and the operator token are opaque bearer strings, not JWTs; viewer tokens are JWTs.
    .addSecurity('api_key', { type: 'http', scheme: 'bearer', description: 'A tenant API key (vt_ and 38 base62 characters).' })
    .addSecurity('operator', { type: 'http', scheme: 'bearer', description: 'The operator token (ADMIN_TOKEN).' })
    .addSecurity('viewer_token', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A viewer token (POST /v1/viewer-tokens): read-only, one organization.' })
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  doc.components ??= {};
  doc.components.schemas = componentSchemas() as never;
  completeResponses(doc);
  return doc;
}

const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Adds the answers every route can give because of the HTTP layer (common/http.ts, Fastify),
 * whatever its controller declares: malformed bodies on methods that take one, path parameters
 * holding control characters, badly encoded or longer than the router's 256 characters, and
 * internal errors. The routes' own statuses come from their decorators (ApiErrors).
 */
function completeResponses(doc: OpenAPIObject): void {
  for (const item of Object.values(doc.paths)) {
    for (const [method, op] of Object.entries(item) as [string, OperationObject][]) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const pathParams = (op.parameters ?? []).some((p) => 'in' in p && p.in === 'path');
      if (pathParams) {
        ensureError(op, 400, '`invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.');
        ensureError(op, 414, '`uri_too_long`: a path parameter is longer than 256 characters.');
      }
      if (BODY_METHODS.has(method)) {
        ensureError(op, 400, 'A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.');
        ensureError(op, 413);
        ensureError(op, 415);
      }
      ensureError(op, 500);
      for (const [status, r] of Object.entries(op.responses) as [string, ResponseObject][]) {
        // Descriptions joined from several decorators: each paragraph once; a success without one says its status.
        r.description = r.description ? [...new Set(r.description.split('\n\n'))].join('\n\n') : (STATUS_CODES[Number(status)] ?? '');
      }
    }
  }
}

/** Declares `status` with the Error schema, or adds `text` to its description when it is declared. */
function ensureError(op: OperationObject, status: number, text?: string): void {
  const existing = op.responses[status] as ResponseObject | undefined;
  if (!existing) {
    op.responses[status] = { description: text ?? ERROR_STATUS_TEXT[status] ?? '', content: { 'application/json': { schema: { $ref: getSchemaPath(ERROR_SCHEMA) } } } };
  } else if (text && !existing.description.includes(text)) {
    existing.description = existing.description ? `${existing.description}\n\n${text}` : text;
  }
}

/** Recursively sorted object keys, for a committed spec with clean diffs. */
export function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}
