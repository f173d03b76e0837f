import { createHmac } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { ScrubbingSettings } from './privacy.schema.js';
import type { ScrubPolicy } from './scrubber.js';

/**
 * Each tenant's scrubbing policy, read on the ingest path: cached for AUTH_CACHE_TTL_MS (like
 * keys), dropped at once on this replica when the tenant changes it. Built-in detectors always
 * run; the settings choose redaction or keyed pseudonyms and add patterns and minimisation.
 */
@Injectable()
export class ScrubPolicyService implements OnModuleInit {
  private readonly cache = new Map<string, { policy: ScrubPolicy; settings: ScrubbingSettings; at: number }>();
  private hmacRoot: Buffer | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly system: SystemSettingsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.hmacRoot = await this.system.secret('scrub_hmac_key', 32);
  }

  async settings(scope: TenantScope): Promise<ScrubbingSettings> {
    return (await this.load(scope.tenantId)).settings;
  }

  async policy(scope: TenantScope): Promise<ScrubPolicy> {
    return (await this.load(scope.tenantId)).policy;
  }

  async save(scope: TenantScope, settings: ScrubbingSettings): Promise<ScrubbingSettings> {
    const t = await this.prisma.tenant.findUnique({ where: { id: scope.tenantId }, select: { privacySettings: true } });
    const current = (t?.privacySettings ?? {}) as Record<string, unknown>;
    await this.prisma.tenant.update({ where: { id: scope.tenantId }, data: { privacySettings: { ...current, scrubbing: settings } as object } });
    this.cache.delete(scope.tenantId);
    return settings;
  }

  private async load(tenantId: string): Promise<{ policy: ScrubPolicy; settings: ScrubbingSettings }> {
    const hit = this.cache.get(tenantId);
    const now = Date.now();
    if (hit && now - hit.at < this.config.auth.cacheTtlMs) return hit;
    const t = await this.prisma.tenant.findUnique({ where: { id: tenantId }, select: { privacySettings: true } });
    const settings = (((t?.privacySettings ?? {}) as { scrubbing?: ScrubbingSettings }).scrubbing ?? {}) as ScrubbingSettings;
    const entry = { policy: this.toPolicy(tenantId, settings), settings, at: now };
    this.cache.set(tenantId, entry);
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  private toPolicy(tenantId: string, s: ScrubbingSettings): ScrubPolicy {
    if (!this.hmacRoot) throw new Error('ScrubPolicyService not initialised');
    return {
      mode: s.mode ?? 'redact',
      // Per-tenant key: one tenant's pseudonyms cannot be correlated with another's.
      hmacKey: createHmac('sha256', this.hmacRoot).update(`scrub\n${tenantId}`).digest(),
      customPatterns: s.custom_patterns ?? [],
      truncateIp: s.truncate_ip ?? false,
      denyFields: s.deny_fields ?? [],
      allowMetadataKeys: s.allow_metadata_keys ?? undefined,
    };
  }
}
