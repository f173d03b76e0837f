import { Module } from '@nestjs/common';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { RetentionCeilingRegistry } from './retention-ceiling.js';
import { EventsModule } from '../events/events.module.js';
import { LegalHoldLifts } from './legal-hold-lifts.js';
import { RetentionPolicyRepository } from './retention-policy.repository.js';
import { RetentionPolicyService } from './retention-policy.service.js';
import { RetentionSweepService } from './retention-sweep.service.js';
import { RetentionSettingsController } from './retention.controller.js';
import { JobsModule } from '../jobs/jobs.module.js';

/**
 * Retention: the policy per tenant (retention_policies: default, per-action overrides, legal
 * holds, the floor that only goes down), GET/PUT /v1/settings/retention, the `retention` sweep
 * job, and clampTo for billing. Tenancy reads the rules through TenantRetentionRegistry, which
 * RetentionPolicyService plugs itself into; the plan's ceiling comes in through RetentionCeilingRegistry (billing feeds it),
 * and privacy hears of lifted legal holds through LegalHoldLifts.
 */
@Module({
  imports: [AuthModule, EventsModule, JobsModule],
  controllers: [RetentionSettingsController],
  providers: [LegalHoldLifts, RetentionCeilingRegistry, RetentionPolicyRepository, RetentionPolicyService, RetentionSweepService],
  exports: [LegalHoldLifts, RetentionCeilingRegistry, RetentionPolicyService],
})
export class RetentionModule {}
