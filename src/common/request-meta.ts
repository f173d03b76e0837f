import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface RequestMetaValue {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** Caller facts recorded in meta-audit events: client IP, User-Agent, request id. */
export const Meta = createParamDecorator((_d: unknown, ctx: ExecutionContext): RequestMetaValue => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof ua === 'string' ? ua : undefined, requestId: req.id };
});
