import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from './errors.js';
import { toErrorResponse } from './error-response.js';

/** The one place thrown errors become responses (see toErrorResponse for the mapping). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const r = toErrorResponse(exception, request.id);
    if (r.internal) {
      this.logger.error({ err: exception, request_id: request.id }, 'unhandled error');
    } else if (exception instanceof UnauthorizedError) {
      // Authentication failures are security events: the reason is logged, never the credential.
      this.logger.warn({ request_id: request.id, reason: exception.reason, ip: request.ip }, 'authentication failed');
    } else if (r.status === 503) {
      this.logger.warn({ request_id: request.id, code: r.body.error.code, cause: describeCause(exception) }, 'storage unavailable');
    }
    void reply.status(r.status).headers(r.headers).send(r.body);
  }
}

function describeCause(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown })?.cause;
  if (!cause) return undefined;
  return (cause as Error).name ?? 'unknown';
}
