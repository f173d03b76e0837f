import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/config.js';
import type { SystemSettingsService } from '../storage/system-settings.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import type { PrivacySettingsRepository } from './privacy-settings.repository.js';
import { ScrubPolicyService } from './scrub-policy.service.js';

/** A settings table whose reads wait until released, counting them. */
function slowRepo() {
  let stored: object = { scrubbing: { mode: 'redact' } };
  const waiting: (() => void)[] = [];
  const repo = {
    reads: 0,
    async privacySettings() {
      repo.reads++;
      const value = stored;
      await new Promise<void>((r) => waiting.push(r));
      return value;
    },
    async savePrivacySettings(_tenantId: string, settings: object) {
      stored = settings;
    },
    release() {
      for (const r of waiting.splice(0)) r();
    },
  };
  return repo;
}

async function service(repo: ReturnType<typeof slowRepo>) {
  const system = { secret: async () => Buffer.alloc(32, 7) } as unknown as SystemSettingsService;
  const s = new ScrubPolicyService(repo as unknown as PrivacySettingsRepository, system, { auth: { cacheTtlMs: 60_000 } } as AppConfig);
  await s.onModuleInit();
  return s;
}

const scope = TenantScope.forTenant({ id: 'ten_a', retentionDays: 30 });

describe('ScrubPolicyService loads', () => {
  it('requests that miss together share one read, and the result is cached', async () => {
    const repo = slowRepo();
    const s = await service(repo);
    const both = Promise.all([s.settings(scope), s.settings(scope)]);
    await new Promise((r) => setImmediate(r));
    repo.release();
    const [a, b] = await both;
    expect(a).toBe(b);
    expect(repo.reads).toBe(1);
    await s.settings(scope);
    expect(repo.reads).toBe(1);
  });

  it('a read overtaken by a save is used by its callers but never cached: the next request reads the saved settings', async () => {
    const repo = slowRepo();
    const s = await service(repo);
    const stale = s.settings(scope);
    await new Promise((r) => setImmediate(r));
    await s.save(scope, { scrubbing: { mode: 'pseudonymize' } } as never);
    repo.release();
    expect((await stale).scrubbing).toEqual({ mode: 'redact' });
    const next = s.settings(scope);
    await new Promise((r) => setImmediate(r));
    repo.release();
    expect((await next).scrubbing).toEqual({ mode: 'pseudonymize' });
    expect(repo.reads).toBe(2);
  });
});
