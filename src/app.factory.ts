import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { pino, type Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module.js';
import { genRequestId, installHttpHooks } from './common/http.js';
import { fastifyTrustProxy } from './common/proxy.js';
import { VERSION } from './common/paths.js';
import { registeredSchemas } from './common/schema.js';
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
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
  await app.init();
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Veritrail API')
    .setDescription(
      'Multi-tenant audit-log API. Every error has the shape {"error": {"code", "message", "details"?, "request_id"}}; switch on code. ' +
        'Another tenant\'s objects answer 404, never 403.',
    )
    .setVersion(VERSION)
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A tenant API key (vt_…).' }, 'api_key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The operator token (ADMIN_TOKEN).' }, 'operator')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A viewer token (POST /v1/viewer-tokens): read-only, one organization.' }, 'viewer_token')
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  doc.components ??= {};
  doc.components.schemas ??= {};
  for (const [name, schema] of registeredSchemas()) {
    doc.components.schemas[name] = JSON.parse(JSON.stringify(schema)) as never;
  }
  return doc;
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
