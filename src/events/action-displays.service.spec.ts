import { describe, expect, it } from 'vitest';
import { TenantScope } from '../tenancy/tenant-scope.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import type { ActionDisplaysRepository, DisplayRow } from './action-displays.repository.js';
import type { AuditTrailService } from './audit-trail.service.js';
import { ActionDisplaysService } from './action-displays.service.js';

/** A repository whose reads of all templates (while `blocking`) wait until released, answering the rows stored when they were asked. */
function fakeRepo() {
  const stored: DisplayRow[] = [];
  const pending: (() => void)[] = [];
  let reads = 0;
  const state = { blocking: true };
  const repo = {
    async all(): Promise<DisplayRow[]> {
      reads++;
      const rows = [...stored];
      if (state.blocking) await new Promise<void>((r) => pending.push(r));
      return rows;
    },
    async get(): Promise<DisplayRow | undefined> {
      return undefined;
    },
    async put(_scope: TenantScope, action: string, template: string, locales: Record<string, string>): Promise<DisplayRow> {
      const row = { action, template, locales, updatedAt: new Date(0) };
      stored.push(row);
      return row;
    },
  };
  /** Lets the waiting read answer; fails when no read is waiting (the caller was answered from the cache). */
  const release = async () => {
    for (let turn = 0; pending.length === 0; turn++) {
      if (turn > 100) throw new Error('no read of the templates is waiting');
      await new Promise((r) => setImmediate(r));
    }
    pending.shift()!();
  };
  return { repo: repo as unknown as ActionDisplaysRepository, release, reads: () => reads, state };
}

const trail = { record: async () => undefined } as unknown as AuditTrailService;
const scope = TenantScope.forTenant({ id: 'ten_a', retentionDays: 365 });
const principal = { tenant: { id: 'ten_a', retentionDays: 365 }, scopes: new Set(['admin']) } as unknown as ApiKeyPrincipal;

describe('ActionDisplaysService.forTenant', () => {
  it('calls arriving while the templates load share that load (a list starts it before its query)', async () => {
    const f = fakeRepo();
    const s = new ActionDisplaysService(f.repo, trail);
    const first = s.forTenant(scope);
    const second = s.forTenant(scope);
    await f.release();
    expect(await first).toBeUndefined();
    expect(await second).toBeUndefined();
    expect(f.reads()).toBe(1);
    // Cached now: no read at all.
    expect(await s.forTenant(scope)).toBeUndefined();
    expect(f.reads()).toBe(1);
  });

  it('a load overtaken by a template change on this replica is neither shared nor cached', async () => {
    const f = fakeRepo();
    const s = new ActionDisplaysService(f.repo, trail);
    const stale = s.forTenant(scope);
    f.state.blocking = false;
    await s.put(principal, 'user.login', { template: '{actor.id} signed in' }, {});
    f.state.blocking = true;
    const readsBefore = f.reads();
    await f.release(); // the load started before the change answers without the template…
    expect(await stale).toBeUndefined();
    // …and a read after the change neither shares nor reuses it: it loads again and sees the template.
    const fresh = s.forTenant(scope);
    await f.release();
    const displays = await fresh;
    expect(f.reads()).toBe(readsBefore + 1);
    const event: { action: string; actor: { id: string } } = { action: 'user.login', actor: { id: 'u1' } };
    expect(displays?.message(event)).toBe('u1 signed in');
  });
});
