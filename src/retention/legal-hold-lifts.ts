import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/**
 * What must happen when a legal hold is lifted (PUT /v1/settings/retention), for modules above
 * retention: privacy runs the erasures that waited for the hold. Retention owns the holds and
 * calls the listeners after the change is committed; it does not know who listens, so it does
 * not import privacy (which imports retention for the holds).
 */
@Injectable()
export class LegalHoldLifts {
  private readonly listeners: ((scope: TenantScope) => Promise<unknown>)[] = [];

  /** Registers `fn`, called (and awaited) after every change that lifts at least one hold. */
  onLifted(fn: (scope: TenantScope) => Promise<unknown>): void {
    this.listeners.push(fn);
  }

  async lifted(scope: TenantScope): Promise<void> {
    for (const fn of this.listeners) await fn(scope);
  }
}
