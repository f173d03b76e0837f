import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { runInLane, tenantLane } from './clickhouse/engine-scheduler.js';

/**
 * Puts every ClickHouse statement of an authenticated request into its tenant's lane of the
 * engine scheduler (PEN-06). Interceptors run after the guards, so the principal the API-key
 * guard attached is known here; Nest runs the handler inside the async context this call
 * establishes, and AsyncLocalStorage carries it into every service and repository the handler
 * calls. Unauthenticated requests (health, operator API) stay in the shared system lane.
 */
@Injectable()
export class EngineLaneInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const tenantId = ctx.switchToHttp().getRequest<{ user?: { tenant?: { id?: unknown } } }>().user?.tenant?.id;
    if (typeof tenantId !== 'string' || tenantId === '') return next.handle();
    return runInLane(tenantLane(tenantId), () => next.handle());
  }
}
