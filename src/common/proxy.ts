import type { FastifyRequest } from 'fastify';
import type { AppConfig, TrustProxy } from '../config/config.js';

/**
 * TRUST_PROXY as Fastify's `trustProxy` (proxy-addr semantics: request.ip is the address the
 * last trusted proxy appended to X-Forwarded-For, never an entry the client wrote before it;
 * X-Forwarded-Proto/-Host count only when the peer is trusted). Fastify treats a bare hop count
 * as "trust nothing", so hops become proxy-addr's hop predicate: the nearest `hops` peers.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((addr: string, hop: number) => boolean) {
  if (trust === false) return false;
  if ('addresses' in trust) return trust.addresses;
  const { hops } = trust;
  return (_addr, hop) => hop < hops;
}

/**
 * The base every absolute link the server generates starts with: PUBLIC_URL when set (behind a
 * TLS-terminating proxy the request itself says http://internal-host), else the scheme and host
 * the request arrived with, as far as a trusted proxy vouches for them.
 */
export function publicBaseUrl(config: AppConfig, req: FastifyRequest): string {
  return config.http.publicUrl ?? `${req.protocol}://${req.host}`;
}
