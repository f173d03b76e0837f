import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { BillingCoreModule } from '../billing/billing-core.module.js';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PersonalDataModule } from '../personal-data/personal-data.module.js';
import { StreamsPolicyRepository } from './streams-policy.repository.js';
import { StreamsSettingsController } from './streams-settings.controller.js';
import { StreamsSettingsService } from './streams-settings.service.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookSender } from './webhook-sender.js';
import { WebhookWakeRepository } from './webhook-wake.repository.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Webhooks and log streams: destinations, the delivery engine (job webhooks), the SSRF-guarded
 * sender, and which organizations may run their own streams (streams_policies).
 */
@Module({
  imports: [AuthModule, BillingCoreModule, EventsModule, IntegrityModule, JobsModule, PersonalDataModule],
  controllers: [WebhooksController, StreamsSettingsController],
  providers: [StreamsPolicyRepository, StreamsSettingsService, WebhooksRepository, WebhookSender, WebhookSecrets, WebhookDeliveryService, WebhookWakeRepository, WebhooksService],
  exports: [WebhooksService, WebhookDeliveryService],
})
export class WebhooksModule implements OnApplicationShutdown {
  constructor(private readonly sender: WebhookSender) {}

  onApplicationShutdown(): void {
    this.sender.close();
  }
}
