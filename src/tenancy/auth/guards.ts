import { applyDecorators, createParamDecorator, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../../common/errors.js';
import { constantTimeEqual } from '../../common/secrets.js';
import { InjectConfig } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { ApiKeyAuthService } from '../api-key-auth.service.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import type { ApiKeyPrincipal, Principal, Scope } from '../principal.js';

const SCOPES_KEY = 'veritrail:scopes';

type AuthedRequest = FastifyRequest & { user?: Principal };

/** `Authorization: Bearer <token>`; the token is never logged. */
export function bearerToken(req: FastifyRequest): string {
  const h = req.headers.authorization;
  if (!h) throw new UnauthorizedError('missing_credentials', 'no authorization header');
  const m = /^Bearer[ ]+(\S{1,512})\s*$/i.exec(h);
  if (!m) throw new UnauthorizedError('invalid_credentials', 'authorization header is not a bearer token');
  return m[1]!;
}

/**
 * Authenticates a tenant API key and checks the route's scopes. A plain Nest guard bound to
 * this application's ApiKeyAuthService (passport keeps strategies in a process-global
 * registry, so two app instances in one process — replica tests — authenticated through
 * whichever registered last).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly auth: ApiKeyAuthService,
    private readonly reflector: Reflector,
    private readonly limiter: AuthFailureLimiter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req);
    if (!this.auth.isRecentlyVerified(token)) this.limiter.check(req.ip);
    let principal: ApiKeyPrincipal;
    try {
      principal = await this.auth.authenticate(token);
    } catch (err) {
      if (err instanceof UnauthorizedError) this.limiter.recordFailure(req.ip);
      throw err;
    }
    req.user = principal;
    const required = this.reflector.get<Scope[] | undefined>(SCOPES_KEY, ctx.getHandler()) ?? [];
    const missing = required.filter((s) => !principal.scopes.has(s));
    if (missing.length > 0) throw new ForbiddenError('insufficient_scope', `This key lacks the scope(s): ${missing.join(', ')}.`);
    return true;
  }
}

/** The operator token (ADMIN_TOKEN), compared in constant time. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req);
    const expected = this.config.adminToken;
    if (!expected || !constantTimeEqual(token, expected)) throw new UnauthorizedError('invalid_credentials', 'operator token mismatch');
    req.user = { kind: 'operator' };
    return true;
  }
}

/** Tenant endpoints: a bearer API key holding every listed scope. */
export function ApiKeyAuth(...scopes: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(SCOPES_KEY, scopes),
    UseGuards(ApiKeyGuard),
    ApiBearerAuth('api_key'),
    ApiUnauthorizedResponse({ description: 'Missing, unknown, revoked or expired key (`invalid_credentials`).' }),
    ApiForbiddenResponse({ description: `Key lacks a required scope (\`insufficient_scope\`)${scopes.length ? `: ${scopes.join(', ')}` : ''}.` }),
  );
}

/** Operator endpoints: the ADMIN_TOKEN. */
export function OperatorAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(OperatorGuard), ApiBearerAuth('operator'), ApiUnauthorizedResponse({ description: 'Missing or wrong operator token.' }));
}

/** The authenticated API-key principal of the request. */
export const CurrentKey = createParamDecorator((_d: unknown, ctx: ExecutionContext): ApiKeyPrincipal => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user || user.kind !== 'api_key') throw new Error('CurrentKey used on a route without ApiKeyAuth');
  return user;
});
