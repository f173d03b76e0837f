import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { BillingRepository, type BillingAccount } from './billing.repository.js';
import { ExportLimitError, PlanLimitError } from './billing.errors.js';
import { effectivePlan, FREE_PLAN, limitsOf, SELF_HOSTED_LIMITS, type LimitName, type Plan, type PlanLimits } from './plans.js';
import { Clock } from '../common/clock.js';

const LIMIT_NAMES: Record<LimitName, string> = { webhooks: 'webhooks', exportsPerDay: 'exports_per_day', alerts: 'alerts' };

/**
 * What each tenant's plan allows. The public surface other features use:
 * - `limitsFor(tenantId)` → {@link PlanLimits} (retention settings bound the tenant's retention by
 *   `maxRetentionDays`);
 * - `assertWithinLimit` / `assertDailyLimit`: one call before creating a webhook, alert rule or export.
 * With billing off every tenant has {@link SELF_HOSTED_LIMITS} and nothing is read from storage.
 * Plans and accounts are cached for AUTH_CACHE_TTL_MS; changes made through this process are seen at once.
 */
@Injectable()
export class PlansService {
  readonly enabled: boolean;
  private readonly ttlMs: number;
  private planCache: { at: number; plans: Map<string, Plan> } | undefined;
  private readonly accounts = new Map<string, { at: number; account: BillingAccount | undefined }>();

  constructor(
    private readonly repo: BillingRepository,
    @InjectConfig() config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.enabled = config.billing.stripe !== undefined;
    this.ttlMs = config.auth.cacheTtlMs;
  }

  async plans(now = this.clock.now(), fresh = false): Promise<Map<string, Plan>> {
    if (!fresh && this.planCache && now - this.planCache.at < this.ttlMs) return this.planCache.plans;
    const plans = new Map((await this.repo.plans()).map((p) => [p.id, p]));
    this.planCache = { at: now, plans };
    return plans;
  }

  async plan(id: string): Promise<Plan | undefined> {
    return (await this.plans()).get(id);
  }

  /** The limits of the plan in force for the tenant (a lapsed grace period counts at once). */
  async limitsFor(tenantId: string, now = this.clock.now()): Promise<PlanLimits> {
    if (!this.enabled) return SELF_HOSTED_LIMITS;
    const account = await this.account(tenantId, now);
    const planId = account ? effectivePlan(account, now).planId : FREE_PLAN;
    const plans = await this.plans(now);
    const plan = plans.get(planId) ?? plans.get(FREE_PLAN);
    if (!plan) throw new Error(`plan ${planId} is missing from billing_plans`);
    return limitsOf(plan);
  }

  /**
   * Throws 422 plan_limit_reached when the tenant already has `count` of `limit` and its plan
   * allows no more. (Callers count anyway, for their own hard cap; nothing applies with billing off.)
   */
  async assertWithinLimit(tenantId: string, limit: Exclude<LimitName, 'exportsPerDay'>, count: number): Promise<void> {
    if (!this.enabled) return;
    const l = await this.limitsFor(tenantId);
    const max = l[limit];
    if (max === null) return;
    if (count >= max) throw new PlanLimitError({ planId: l.planId, limit: LIMIT_NAMES[limit], max });
  }

  /** Throws 429 export_limit_reached when the tenant used its plan's exports of the current UTC day. */
  async assertDailyLimit(tenantId: string, limit: 'exportsPerDay', countSince: (since: Date) => Promise<number>, now = this.clock.now()): Promise<void> {
    if (!this.enabled) return;
    const l = await this.limitsFor(tenantId, now);
    const max = l[limit];
    if (max === null) return;
    const d = new Date(now);
    const dayStart = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    if ((await countSince(dayStart)) >= max) {
      throw new ExportLimitError({ planId: l.planId, max, resetAt: new Date(dayStart.getTime() + 86_400_000), now });
    }
  }

  /** Forget cached state after a change (this process sees it at once; others within the TTL). */
  invalidate(tenantId?: string): void {
    if (tenantId === undefined) {
      this.planCache = undefined;
      this.accounts.clear();
    } else this.accounts.delete(tenantId);
  }

  private async account(tenantId: string, now: number): Promise<BillingAccount | undefined> {
    const hit = this.accounts.get(tenantId);
    if (hit && now - hit.at < this.ttlMs) return hit.account;
    const account = await this.repo.account(tenantId);
    if (this.accounts.size > 10_000) this.accounts.clear();
    this.accounts.set(tenantId, { at: now, account });
    return account;
  }
}
