import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';

/** Each tenant's privacy settings document (PostgreSQL `privacy_settings`); read through ScrubPolicyService. */
@Injectable()
export class PrivacySettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The tenant's privacy settings document as saved ({} when never set). */
  async privacySettings(tenantId: string): Promise<unknown> {
    const r = await this.prisma.privacySetting.findUnique({ where: { tenantId }, select: { settings: true } });
    return r?.settings ?? {};
  }

  async savePrivacySettings(tenantId: string, settings: object): Promise<void> {
    await this.prisma.privacySetting.upsert({ where: { tenantId }, create: { tenantId, settings }, update: { settings, updatedAt: new Date() } });
  }
}
