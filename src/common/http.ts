import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBase62 } from './secrets.js';

// Request ids: a random per-process prefix plus a counter — unique across replicas and
// restarts without a random draw per request (which showed up in profiles).
const BOOT = randomBase62(8);
let requestCounter = 0;
import { BadRequestError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import type { MetricsService } from '../observability/metrics.service.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Honours a caller's X-Request-Id when it is short and harmless; otherwise makes one. */
export function genRequestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && REQUEST_ID.test(h) ? h : `req_${BOOT}${(++requestCounter).toString(36).padStart(8, '0')}`;
}

/** Only the URL path is logged: query strings carry filter values (emails, names) and tokens. */
export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Fastify-level wiring that must exist before Nest's routes run: the hardened JSON parser,
 * request ids on every response, metrics and one access-log line per request.
 */
export function installHttpHooks(fastify: FastifyInstance, metrics: MetricsService, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    // Routes that verify a signature over the exact bytes (@RouteConfig({ rawBody: true })) get the Buffer.
    if ((req.routeOptions.config as { rawBody?: boolean } | undefined)?.rawBody === true) return done(null, body);
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  // Path parameters (ids, subjects) are checked once here for every route, before any guard or
  // store sees them: PostgreSQL cannot hold NUL in text (DELETE /v1/api-keys/%00 was a 500).
  fastify.addHook('onRequest', async (request) => {
    const bad = invalidPathParameter(request.params);
    if (bad !== undefined) {
      throw new BadRequestError('invalid_path_parameter', 'A path parameter contains control characters.', [
        { field: bad, code: 'invalid_characters', message: 'Control characters (including NUL) are not allowed in paths.' },
      ]);
    }
  });

  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const status = reply.statusCode;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: `${Math.floor(status / 100)}xx` }, reply.elapsedTime / 1000);
    const line = { method: request.method, path: pathOnly(request.url), route, status, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (status >= 500) request.log.error(line, 'request failed');
    else if (status >= 400) request.log.info(line, 'request rejected');
    else request.log.info(line, 'request completed');
  });
  // Errors raised by Fastify itself (body too large, bad media type, parser errors) reach
  // Nest's exception layer, i.e. AllExceptionsFilter, through the error handler Nest installs.
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** The name of the first path parameter holding a C0 control character or DEL, if any: no id, subject or name of ours can. */
export function invalidPathParameter(params: unknown): string | undefined {
  if (!params || typeof params !== 'object') return undefined;
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    if (typeof value === 'string' && CONTROL.test(value)) return name;
  }
  return undefined;
}
