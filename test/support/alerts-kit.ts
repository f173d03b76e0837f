import { expect } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import type { AppContext, TestTenant } from './harness.js';

/**
 * What the alert suites share: a tenant with read auditing off (so reads add nothing to the log),
 * events sent in batches of 500, and one evaluation by the real jobs (seal, then alerts).
 */
export function alertsKit(ctx: AppContext) {
  return {
    async evaluate(): Promise<void> {
      const jobs = ctx.app.app.get(JobRunner);
      await jobs.runNow('seal');
      await jobs.runNow('alerts');
    },
    async tenant(name: string): Promise<TestTenant> {
      const t = await ctx.tenant(name);
      await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
      return t;
    },
    async send(t: TestTenant, events: Record<string, unknown>[]): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < events.length; i += 500) {
        const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: events.slice(i, i + 500) } });
        expect(r.status, r.text).toBe(201);
        ids.push(...r.body.ids);
      }
      return ids;
    },
  };
}
