import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface RequestMetaValue {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** The caller facts of one request. */
export function requestMeta(req: FastifyRequest): RequestMetaValue {
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof ua === 'string' ? ua : undefined, requestId: req.id };
}

/** Caller facts recorded in meta-audit events: client IP, User-Agent, request id. */
export const Meta = createParamDecorator((_d: unknown, ctx: ExecutionContext): RequestMetaValue => requestMeta(ctx.switchToHttp().getRequest<FastifyRequest>()));
