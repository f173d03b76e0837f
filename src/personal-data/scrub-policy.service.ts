import { createHmac } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { setBounded } from '../common/bounded-map.js';
import { SharedLoads } from '../common/shared-loads.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { classificationPolicy, DEFAULT_FIELD_TIERS, DEFAULT_SUBJECT_TARGET_TYPES, type ClassificationPolicy, type ClassificationSettings } from './classification.js';
import type { NoticeSettings, PrivacySettings, ScrubbingSettings } from './privacy-settings.schema.js';
import { PrivacySettingsRepository } from './privacy-settings.repository.js';
import { compileCustomPatterns, type ScrubPolicy } from './scrubber.js';

/** Notice rules: action pattern → kind, most specific first. */
export interface NoticeRules {
  actions: readonly { action: string; prefix: boolean; kind: string }[];
}

export function noticeKindFor(rules: NoticeRules, action: string): string | undefined {
  for (const r of rules.actions) if (r.prefix ? action.startsWith(r.action) : action === r.action) return r.kind;
  return undefined;
}

interface Loaded {
  policy: ScrubPolicy;
  settings: PrivacySettings;
  classification: ClassificationPolicy;
  notices: NoticeRules;
  at: number;
}

/**
 * Each tenant's scrubbing policy, read on the ingest path: cached for AUTH_CACHE_TTL_MS (like
 * keys), dropped at once on this replica when the tenant changes it. Built-in detectors always
 * run; the settings choose redaction or keyed pseudonyms and add patterns and minimisation.
 */
@Injectable()
export class ScrubPolicyService implements OnModuleInit {
  private readonly logger = new Logger('ScrubPolicy');
  private readonly cache = new Map<string, Loaded>();
  /** Requests that miss together share one read; a save detaches the running read, which is then used once, never cached. */
  private readonly loading = new SharedLoads<string, Loaded>();
  private hmacRoot: Buffer | undefined;

  constructor(
    private readonly repo: PrivacySettingsRepository,
    private readonly system: SystemSettingsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.hmacRoot = await this.system.secret('scrub_hmac_key', 32);
  }

  /** The stored settings document (classification and notices as the tenant set them). */
  async settings(scope: TenantScope): Promise<PrivacySettings> {
    return (await this.load(scope.tenantId)).settings;
  }

  /** The settings with the defaults filled in, as GET /v1/settings/privacy shows them. */
  async effectiveSettings(scope: TenantScope): Promise<PrivacySettings> {
    const s = await this.settings(scope);
    return {
      scrubbing: s.scrubbing,
      classification: {
        fields: { ...DEFAULT_FIELD_TIERS, ...(s.classification?.fields ?? {}) },
        actions: s.classification?.actions ?? {},
        subject_target_types: s.classification?.subject_target_types ?? [...DEFAULT_SUBJECT_TARGET_TYPES],
      },
      notices: { actions: s.notices?.actions ?? {} },
    };
  }

  async policy(scope: TenantScope): Promise<ScrubPolicy> {
    return (await this.load(scope.tenantId)).policy;
  }

  async classification(scope: TenantScope): Promise<ClassificationPolicy> {
    return (await this.load(scope.tenantId)).classification;
  }

  async notices(scope: TenantScope): Promise<NoticeRules> {
    return (await this.load(scope.tenantId)).notices;
  }

  async save(scope: TenantScope, settings: PrivacySettings): Promise<PrivacySettings> {
    await this.repo.savePrivacySettings(scope.tenantId, settings as object);
    this.cache.delete(scope.tenantId);
    this.loading.forget(scope.tenantId);
    return settings;
  }

  private load(tenantId: string): Promise<Loaded> | Loaded {
    const hit = this.cache.get(tenantId);
    if (hit && performance.now() - hit.at < this.config.auth.cacheTtlMs) return hit;
    // Requests that miss together share one read (at concurrency 64 a TTL expiry otherwise
    // sent 64 identical statements).
    return this.loading.get(tenantId, (isCurrent) => this.read(tenantId, isCurrent));
  }

  private async read(tenantId: string, isCurrent: () => boolean): Promise<Loaded> {
    const now = performance.now();
    const stored = ((await this.repo.privacySettings(tenantId)) ?? {}) as Partial<PrivacySettings>;
    const settings: PrivacySettings = { scrubbing: (stored.scrubbing ?? {}) as ScrubbingSettings };
    if (stored.classification) settings.classification = stored.classification as ClassificationSettings;
    if (stored.notices) settings.notices = stored.notices as NoticeSettings;
    const entry: Loaded = {
      policy: this.toPolicy(tenantId, settings.scrubbing),
      settings,
      classification: classificationPolicy(settings.classification),
      notices: noticeRules(settings.notices),
      at: now,
    };
    if (!isCurrent()) return entry;
    return setBounded(this.cache, tenantId, entry, 10_000);
  }

  /**
   * Patterns saved before custom patterns moved to the RE2 engine may use syntax it cannot run
   * (lookaround, backreferences). They are left out, with a warning, instead of failing every
   * ingest of the tenant; PUT /v1/settings/privacy refuses them from now on.
   */
  private runnablePatterns(tenantId: string, patterns: { name: string; pattern: string }[]): { name: string; pattern: string }[] {
    if (patterns.length === 0 || compileCustomPatterns(patterns).ok) return patterns;
    const kept = patterns.filter((p) => compileCustomPatterns([p]).ok).slice(0, 20);
    const dropped = patterns.filter((p) => !kept.includes(p)).map((p) => p.name);
    this.logger.warn({ tenant_id: tenantId, patterns: dropped }, 'custom scrubbing patterns the RE2 engine cannot run are not applied; replace them in the privacy settings');
    return kept;
  }

  private toPolicy(tenantId: string, s: ScrubbingSettings): ScrubPolicy {
    if (!this.hmacRoot) throw new Error('ScrubPolicyService not initialised');
    return {
      mode: s.mode ?? 'redact',
      // Per-tenant key: one tenant's pseudonyms cannot be correlated with another's.
      hmacKey: createHmac('sha256', this.hmacRoot).update(`scrub\n${tenantId}`).digest(),
      customPatterns: this.runnablePatterns(tenantId, s.custom_patterns ?? []),
      truncateIp: s.truncate_ip ?? false,
      denyFields: s.deny_fields ?? [],
      allowMetadataKeys: s.allow_metadata_keys ?? undefined,
    };
  }
}

function noticeRules(s: NoticeSettings | undefined): NoticeRules {
  const actions = Object.entries(s?.actions ?? {})
    .map(([a, kind]) => (a.endsWith('.*') ? { action: a.slice(0, -1), prefix: true, kind } : { action: a, prefix: false, kind }))
    .sort((x, y) => Number(x.prefix) - Number(y.prefix) || y.action.length - x.action.length);
  return { actions };
}
