import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { BillingRepository } from './billing.repository.js';
import { EventLog } from '../events/event-log.service.js';

/**
 * Exact usage of a period, derived from stored events: closed hours as counted in ClickHouse by
 * the billing job (kept in billing_usage_hours, so retention removing events does not lower a
 * month's usage), plus a live ClickHouse count of the hours not counted yet.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly repo: BillingRepository,
    private readonly eventLog: EventLog,
  ) {}

  async events(scope: TenantScope, from: Date, to: Date, meteredThrough?: Date): Promise<number> {
    const through = meteredThrough ?? (await this.repo.account(scope.tenantId))?.meteredThrough ?? from;
    const split = Math.min(Math.max(through.getTime(), from.getTime()), to.getTime());
    const [counted, live] = await Promise.all([
      split > from.getTime() ? this.repo.countedEvents(scope.tenantId, from, new Date(split)) : Promise.resolve(0),
      this.eventLog.customerEventCount(scope, split, to.getTime()),
    ]);
    return counted + live;
  }
}
