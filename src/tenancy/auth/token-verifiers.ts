import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RequestMetaValue } from '../../common/request-meta.js';
import type { ApiKeyPrincipal, Principal } from '../principal.js';

/**
 * A kind of bearer token other than an API key (the embedded viewer's tokens, src/viewer).
 * The module that mints such tokens registers a verifier in {@link TokenVerifierRegistry}; the
 * auth guard asks the registry, so authentication does not depend on the modules above it.
 * Principals it returns carry `viewer` (a delegated grant): the guard admits them only on routes
 * marked @ViewerAccess or @StreamsAccess.
 */
export interface TokenVerifier {
  /** Whether `token` has this verifier's format; decided without any lookup. */
  recognizes(token: string): boolean;
  /** The principal of the token; throws UnauthorizedError (counted by the failure limiter) when it is refused. */
  authenticate(token: string): Promise<ApiKeyPrincipal>;
  /** Whether a cross-origin page at `origin` may use the principal's token. */
  originAllowed(principal: ApiKeyPrincipal, origin: string): Promise<boolean>;
  /** Called for every admitted request authenticated by this verifier. */
  noteUse(principal: ApiKeyPrincipal, meta: RequestMetaValue): Promise<void>;
}

/** Where modules plug their {@link TokenVerifier}s in (provided by AuthModule). */
@Injectable()
export class TokenVerifierRegistry {
  private readonly verifiers: TokenVerifier[] = [];

  register(verifier: TokenVerifier): void {
    if (!this.verifiers.includes(verifier)) this.verifiers.push(verifier);
  }

  /** The verifier that recognizes `token`, or undefined for an API key. */
  find(token: string): TokenVerifier | undefined {
    return this.verifiers.find((v) => v.recognizes(token));
  }
}

/** A request as the auth guard leaves it. */
export type AuthedRequest = FastifyRequest & {
  user?: Principal;
  /**
   * The cross-origin page (`Origin`) the guard admitted a registered token from, after checking
   * it against the verifier's allow-list; responses to it grant that origin (viewer CORS).
   */
  admittedOrigin?: string;
};

/** The origin the guard admitted for this request's token, if any. */
export function admittedOrigin(req: FastifyRequest): string | undefined {
  return (req as AuthedRequest).admittedOrigin;
}

/** The bearer token of the request, undefined when the header is absent or not a bearer token. */
export function bearerTokenIfAny(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  // 4 KB: viewer tokens (JWTs) are longer than API keys.
  return /^Bearer[ ]+(\S{1,4096})\s*$/i.exec(h)?.[1];
}
