import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { RetentionPolicyRepository } from './retention-policy.repository.js';
import { RetentionPolicyService } from './retention-policy.service.js';
import { RetentionSweepService } from './retention-sweep.service.js';
import { RetentionSettingsController } from './retention.controller.js';
import { JobsModule } from '../jobs/jobs.module.js';

/**
 * Retention: the policy per tenant (retention_policies: default, per-action overrides, legal
 * holds, the floor that only goes down), GET/PUT /v1/settings/retention, the `retention` sweep
 * job, and clampTo for billing. Tenancy reads the rules through TenantRetentionRegistry, which
 * RetentionPolicyService plugs itself into; the plan's ceiling comes in through RETENTION_CEILING.
 */
@Module({
  imports: [EventsModule, JobsModule, PrivacyModule],
  controllers: [RetentionSettingsController],
  providers: [RetentionPolicyRepository, RetentionPolicyService, RetentionSweepService],
  exports: [RetentionPolicyService],
})
export class RetentionModule {}
