import { Injectable } from '@nestjs/common';
import { canonicalMembers } from '../common/canonical.js';
import type { ValidEvent } from '../events/event-rules.js';
import type { EventInput } from '../events/event.schema.js';
import { MetricsService } from '../observability/metrics.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { ScrubPolicyService } from './scrub-policy.service.js';
import { scrubEvent } from './scrubber.js';

/**
 * The scrub stage of ingest (src/ingest): secrets and card numbers are replaced before anything
 * is hashed, deduplicated or stored, so a raw secret never reaches ClickHouse, the idempotency
 * store or a Merkle leaf. A scrubbed event carries the flag `scrubbed`; what was found (kinds and
 * paths, never values) is counted in metrics.
 */
@Injectable()
export class EventScrubber {
  constructor(
    private readonly policies: ScrubPolicyService,
    private readonly metrics: MetricsService,
  ) {}

  async scrub(scope: TenantScope, events: ValidEvent[]): Promise<ValidEvent[]> {
    const policy = await this.policies.policy(scope);
    return events.map((e) => {
      const { event, findings } = scrubEvent(e.input as unknown as Record<string, unknown>, policy);
      const changed = findings.length > 0 || policy.truncateIp || (policy.denyFields?.length ?? 0) > 0 || policy.allowMetadataKeys !== undefined;
      if (!changed) return e;
      for (const f of findings) this.metrics.scrubbed.inc({ kind: f.kind });
      const input = event as unknown as EventInput;
      const flags = findings.length > 0 && !e.flags.includes('scrubbed') ? [...e.flags, 'scrubbed'] : e.flags;
      return { ...e, input, flags, members: canonicalMembers(input as unknown as Record<string, unknown>) };
    });
  }
}
