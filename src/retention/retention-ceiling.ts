import { Injectable } from '@nestjs/common';

/**
 * The longest retention a tenant may set besides the install's RETENTION_MAX_DAYS: the billing
 * module's plan maximum. Defined here, plugged in by billing (which calls down into retention for
 * clampTo) through {@link RetentionCeilingRegistry}, so retention does not import billing.
 */
export interface RetentionCeiling {
  maxDaysFor(tenantId: string): Promise<number>;
}

/** Where billing plugs its {@link RetentionCeiling} in (provided by RetentionModule). */
@Injectable()
export class RetentionCeilingRegistry implements RetentionCeiling {
  private ceiling: RetentionCeiling | undefined;

  use(ceiling: RetentionCeiling): void {
    this.ceiling = ceiling;
  }

  maxDaysFor(tenantId: string): Promise<number> {
    if (!this.ceiling) throw new Error('no retention ceiling registered (BillingModule is not loaded)');
    return this.ceiling.maxDaysFor(tenantId);
  }
}
