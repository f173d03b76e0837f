import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pathOnly } from '../common/http.js';
import { PROJECT_ROOT } from '../common/paths.js';
import { admittedOrigin, bearerTokenIfAny } from '../tenancy/auth/token-verifiers.js';
import { looksLikeViewerToken } from './viewer-tokens.service.js';

/** Where `npm run build` (Vite) puts the web component. */
export const VIEWER_ASSETS_DIR = join(PROJECT_ROOT, 'dist', 'public', 'viewer');

function carriesViewerToken(req: FastifyRequest): boolean {
  const token = bearerTokenIfAny(req);
  return token !== undefined && looksLikeViewerToken(token);
}

/**
 * CORS for the embedded viewer. A preflight carries no credentials, so it cannot tell whose
 * token will follow: preflights of the API's GET/POST routes (and PATCH/DELETE, which the Streams
 * tab of a token holding `streams` uses) are answered for any origin, and
 * the decision is made on the real request, whose viewer token names the tenant. The guard
 * refuses an origin that is not on that tenant's allow-list (403 origin_not_allowed: nothing is
 * read or written) and marks admitted requests (`admittedOrigin`: origins are allowed per
 * tenant, so the guard, which knows the token's tenant, decides); only those responses grant the origin. Error
 * answers to viewer-token requests also grant it, so the component can tell "expired" or
 * "not allowed" from a network failure — they carry no event data.
 */
export function installViewerCors(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'OPTIONS') return;
    const origin = req.headers.origin;
    const method = req.headers['access-control-request-method'];
    if (typeof origin !== 'string' || typeof method !== 'string' || !pathOnly(req.url).startsWith('/v1/')) return;
    return reply
      .code(204)
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', 'GET, POST, PATCH, DELETE')
      .header('access-control-allow-headers', 'authorization, content-type, x-request-id')
      .header('access-control-max-age', '600')
      .header('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers')
      .send();
  });
  fastify.addHook('onSend', async (req, reply, payload) => {
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || req.method === 'OPTIONS') return payload;
    if (admittedOrigin(req) === origin || (reply.statusCode >= 400 && carriesViewerToken(req))) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', 'x-request-id, retry-after');
      reply.header('vary', 'Origin');
    }
    return payload;
  });
}

/**
 * The built web component under /viewer/: public, immutable per build, loadable as a module
 * script from any page (module scripts are fetched in CORS mode).
 */
export function registerViewerAssets(fastify: FastifyInstance): boolean {
  if (!existsSync(join(VIEWER_ASSETS_DIR, 'veritrail-viewer.js'))) return false;
  void fastify.register(fastifyStatic, {
    root: VIEWER_ASSETS_DIR,
    prefix: '/viewer/',
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    cacheControl: false,
    setHeaders: (res) => {
      res.header('access-control-allow-origin', '*');
      res.header('cross-origin-resource-policy', 'cross-origin');
      res.header('cache-control', 'public, max-age=300');
      res.header('x-content-type-options', 'nosniff');
    },
  });
  return true;
}
