/**
 * The longest retention a tenant may set besides the install's RETENTION_MAX_DAYS: the billing
 * module's plan maximum. Defined here, provided by billing (which calls down into retention for
 * clampTo), so retention does not import billing.
 */
export interface RetentionCeiling {
  maxDaysFor(tenantId: string): Promise<number>;
}

export const RETENTION_CEILING = Symbol('RETENTION_CEILING');
