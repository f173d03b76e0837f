import { applyDecorators, createParamDecorator, Injectable, Logger, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiSecurity } from '../../common/openapi-decorators.js';
import { ApiErrors } from '../../common/api-errors.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../../common/errors.js';
import { requestMeta } from '../../common/request-meta.js';
import { constantTimeEqual } from '../../common/secrets.js';
import { InjectConfig } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { ApiKeyAuthService } from '../api-key-auth.service.js';
import { streamsAllowed, StreamsPolicyRegistry } from '../streams-policy.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { TenantRateLimiter } from './tenant-rate-limiter.js';
import type { ApiKeyPrincipal, Scope } from '../principal.js';
import { bearerTokenIfAny, TokenVerifierRegistry, type AuthedRequest, type TokenVerifier } from './token-verifiers.js';

const SCOPES_KEY = 'veritrail:scopes';
const VIEWER_KEY = 'veritrail:viewer';
const LINK_KEY = 'veritrail:signed-link';
const STREAMS_KEY = 'veritrail:streams';

/** `Authorization: Bearer <token>`; the token is never logged. */
export function bearerToken(req: FastifyRequest): string {
  if (!req.headers.authorization) throw new UnauthorizedError('missing_credentials', 'no authorization header');
  const token = bearerTokenIfAny(req);
  if (token === undefined) throw new UnauthorizedError('invalid_credentials', 'authorization header is not a bearer token');
  return token;
}

/**
 * Authenticates a tenant API key and checks the route's scopes. A plain Nest guard bound to
 * this application's ApiKeyAuthService (passport keeps strategies in a process-global
 * registry, so two app instances in one process — replica tests — authenticated through
 * whichever registered last).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly auth: ApiKeyAuthService,
    private readonly verifiers: TokenVerifierRegistry,
    private readonly reflector: Reflector,
    private readonly limiter: AuthFailureLimiter,
    private readonly rateLimiter: TenantRateLimiter,
    private readonly streamsPolicies: StreamsPolicyRegistry,
  ) {}

  /**
   * A token of a registered verifier (a viewer token) is accepted only on routes marked
   * @ViewerAccess (reads of its scope and export requests), and a cross-origin page may use it
   * only when the verifier allows its origin (the tenant's allow-list, GET/PUT
   * /v1/settings/viewer). Admitted cross-origin requests get CORS headers on their response
   * (src/viewer/viewer-http.ts reads `admittedOrigin`).
   */
  private async admitViewer(ctx: ExecutionContext, req: AuthedRequest, principal: ApiKeyPrincipal, verifier: TokenVerifier): Promise<void> {
    const readRoute = this.reflector.get<boolean | undefined>(VIEWER_KEY, ctx.getHandler()) === true;
    if (!readRoute && !(this.isStreamsRoute(ctx) && principal.scopes.has('streams'))) {
      this.logger.warn({ request_id: req.id, tenant_id: principal.tenant.id, route: req.routeOptions.url }, 'viewer token refused on a route it cannot use');
      throw new ForbiddenError('insufficient_scope', 'A viewer token can only read events and request exports.');
    }
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || isSameOrigin(origin, req)) return;
    if (!(await verifier.originAllowed(principal, origin))) {
      this.logger.warn({ request_id: req.id, tenant_id: principal.tenant.id }, 'viewer token used from an origin not on the allow-list');
      throw new ForbiddenError('origin_not_allowed', 'This page\'s origin is not on the tenant\'s viewer allow-list.');
    }
    req.admittedOrigin = origin;
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    // A signed link is the credential itself (verified by the handler); everything else is a key.
    if (this.reflector.get<boolean | undefined>(LINK_KEY, ctx.getHandler()) && hasLinkParameters(req)) return true;
    const token = bearerToken(req);
    const viewer = this.verifiers.find(token);
    if (viewer || !this.auth.isRecentlyVerified(token)) this.limiter.check(req.ip);
    let principal: ApiKeyPrincipal;
    try {
      principal = viewer ? await viewer.authenticate(token) : await this.auth.authenticate(token);
    } catch (err) {
      if (err instanceof UnauthorizedError) this.limiter.recordFailure(req.ip);
      throw err;
    }
    req.user = principal;
    if (viewer) await this.admitViewer(ctx, req, principal, viewer);
    // On a @StreamsAccess route an organization-scoped credential needs `streams` instead of the
    // route's tenant-wide scopes (which it can never hold), and the tenant's leave for its organization.
    const selfService = principal.organizationId !== undefined && this.isStreamsRoute(ctx);
    const required = selfService ? (['streams'] as Scope[]) : (this.reflector.get<Scope[] | undefined>(SCOPES_KEY, ctx.getHandler()) ?? []);
    const missing = required.filter((s) => !principal.scopes.has(s));
    if (missing.length > 0) throw new ForbiddenError('insufficient_scope', `This key lacks the scope(s): ${missing.join(', ')}.`);
    if (selfService) await this.admitStreams(req, principal);
    // Per-tenant rate limits (LD-01): refused before the handler runs, so nothing is stored.
    const headers = await this.rateLimiter.admit(principal, { method: req.method, route: req.routeOptions.url, body: req.body });
    if (Object.keys(headers).length > 0) ctx.switchToHttp().getResponse<FastifyReply>().headers(headers);
    // A viewer session's reads are recorded once, in the tenant's trail, at its first admitted request.
    if (viewer) await viewer.noteUse(principal, requestMeta(req));
    return true;
  }

  private isStreamsRoute(ctx: ExecutionContext): boolean {
    return this.reflector.get<boolean | undefined>(STREAMS_KEY, ctx.getHandler()) === true;
  }

  /**
   * Self-service streams for an organization-scoped credential: refused when the tenant forbids
   * it for the organization (403 streams_forbidden), and for a viewer token narrowed to one actor
   * or some actions (a destination of the organization would deliver more than the token reads).
   */
  private async admitStreams(req: AuthedRequest, principal: ApiKeyPrincipal): Promise<void> {
    const v = principal.viewer;
    if (v && (v.actorId !== undefined || (v.actions?.length ?? 0) > 0)) {
      throw new ForbiddenError('insufficient_scope', 'A viewer token narrowed to an actor or to actions cannot manage streams.');
    }
    if (!streamsAllowed(await this.streamsPolicies.get(principal.tenant.id), principal.organizationId!)) {
      this.logger.warn({ request_id: req.id, tenant_id: principal.tenant.id }, 'self-service streams refused by the tenant\'s policy');
      throw new ForbiddenError('streams_forbidden', 'The tenant does not allow this organization to manage its own streams and alert rules.');
    }
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
    ApiErrors({
      401: '`missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`.',
      403: `\`insufficient_scope\`: the key lacks a scope the route needs${scopes.length ? ` (${scopes.join(', ')})` : ''} or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); \`tenant_suspended\`: the operator suspended the tenant.`,
      422: '`query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.',
      429: '`too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running.',
      503: '`storage_unavailable`: a store did not answer; nothing was stored or changed.',
    }),
  );
}

/**
 * Also accept viewer tokens (src/viewer) on this route. Their scopes are events:read and
 * exports at most, and TenantScope.of() narrows every read to the token's organization, actor
 * and actions; routes without this marker answer a viewer token 403 insufficient_scope.
 */
export function ViewerAccess(): MethodDecorator {
  return applyDecorators(
    SetMetadata(VIEWER_KEY, true),
    ApiBearerAuth('viewer_token'),
    ApiErrors({ 403: '`origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant\'s allow-list.' }),
  );
}

/**
 * Self-service streams (issue 22): besides tenant-wide keys holding the route's scopes, accept an
 * organization-scoped key or a viewer token holding `streams`, when the tenant allows it for
 * that organization (GET/PUT /v1/settings/streams). TenantScope.of() confines everything the
 * handler reads or writes to the credential's organization; the handler refuses filters naming
 * another one.
 */
export function StreamsAccess(): MethodDecorator {
  return applyDecorators(
    SetMetadata(STREAMS_KEY, true),
    ApiBearerAuth('viewer_token'),
    ApiErrors({
      403: '`streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.',
    }),
  );
}

/**
 * Also accept a signed link (`?tenant=&expires=&signature=`, e.g. export downloads): a request
 * carrying any link parameter is left to the handler, which verifies the link; every other
 * request is authenticated as a key by the same guard, failure limiter and scopes as any route.
 */
export function OrSignedLink(): MethodDecorator {
  // `{}` in OpenAPI: no Authorization header needed when the query carries the link.
  return applyDecorators(
    SetMetadata(LINK_KEY, true),
    ApiSecurity({}),
    ApiErrors({ 403: '`invalid_link`: the signed link was edited or belongs to another export; `link_expired`: it is older than 15 minutes.' }),
  );
}

function hasLinkParameters(req: FastifyRequest): boolean {
  const q = req.query as Record<string, unknown> | undefined;
  return q !== undefined && q !== null && (q.signature !== undefined || q.tenant !== undefined || q.expires !== undefined);
}

/** `Origin` names the host the request was sent to (the demo page, or a page served by us). */
function isSameOrigin(origin: string, req: FastifyRequest): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Operator endpoints: the ADMIN_TOKEN. */
export function OperatorAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(OperatorGuard),
    ApiBearerAuth('operator'),
    ApiErrors({
      401: '`missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN.',
      503: '`storage_unavailable`: a store did not answer; nothing was changed.',
    }),
  );
}

/** The API-key principal of the request, or undefined on an @OrSignedLink route reached with a link. */
export const CurrentKeyIfAny = createParamDecorator((_d: unknown, ctx: ExecutionContext): ApiKeyPrincipal | undefined => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  return user?.kind === 'api_key' ? user : undefined;
});

/** The authenticated API-key principal of the request. */
export const CurrentKey = createParamDecorator((_d: unknown, ctx: ExecutionContext): ApiKeyPrincipal => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user || user.kind !== 'api_key') throw new Error('CurrentKey used on a route without ApiKeyAuth');
  return user;
});
