import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';

/**
 * The one write of the in-process wake-up (WebhookDeliveryService.onHeadMoved): destinations
 * that found nothing new in their tenant's log become due now instead of after their batch
 * interval. Kept apart from WebhooksRepository (the delivery engine's claims and cursors): it
 * only ever moves `next_attempt_at` earlier, never a cursor, a lease or a pending batch.
 */
@Injectable()
export class WebhookWakeRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Makes these destinations due now when they are active, idle (no pending batch, no failure
   * being retried), not claimed, and not due already. Returns how many were woken.
   */
  async wake(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.prisma.$executeRawUnsafe(
      `UPDATE webhooks SET next_attempt_at = now()
       WHERE id = ANY($1::text[]) AND status = 'active' AND next_attempt_at > now()
         AND pending_message_id IS NULL AND consecutive_failures = 0
         AND (lease_until IS NULL OR lease_until < now())`,
      ids,
    );
  }
}
