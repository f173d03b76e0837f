import { Injectable } from '@nestjs/common';
import { named$, StringEnum, Type, type Static } from '../common/schema.js';

/**
 * Which organizations may use self-service streams (keys and viewer tokens holding the
 * `streams` scope manage destinations and alert rules confined to their organization). The
 * tenant's admin sets it (PUT /v1/settings/streams); `forbidden_organizations` always wins, then
 * `allowed_organizations`, then `default`. Stored by src/webhooks (streams_policies); `{}` allows all.
 */
export const StreamsPolicySchema = named$(
  'StreamsSettings',
  Type.Object(
    {
      default: StringEnum(['allowed', 'forbidden'] as const, { description: 'For organizations in neither list.' }),
      allowed_organizations: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000, uniqueItems: true, description: 'Allowed even when default is forbidden.' }),
      forbidden_organizations: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000, uniqueItems: true, description: 'Forbidden whatever else says (wins over allowed_organizations).' }),
    },
    {
      additionalProperties: false,
      examples: [
        { default: 'allowed', allowed_organizations: [], forbidden_organizations: ['org_trial_7'] },
        { default: 'forbidden', allowed_organizations: ['org_42'], forbidden_organizations: [] },
      ],
    },
  ),
);
export type StreamsPolicy = Static<typeof StreamsPolicySchema>;

/** The stored policy, whatever shape the column holds (anything unexpected reads as the default). */
export function parseStreamsPolicy(raw: unknown): StreamsPolicy {
  const o = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    default: o.default === 'forbidden' ? 'forbidden' : 'allowed',
    allowed_organizations: list(o.allowed_organizations),
    forbidden_organizations: list(o.forbidden_organizations),
  };
}

export function streamsAllowed(policy: StreamsPolicy, organizationId: string): boolean {
  if (policy.forbidden_organizations.includes(organizationId)) return false;
  if (policy.allowed_organizations.includes(organizationId)) return true;
  return policy.default === 'allowed';
}

/**
 * Where the module that stores the policy (src/webhooks, streams_policies) plugs its reader in,
 * so the auth guard can apply it without tenancy importing the module above it. Provided by
 * AuthModule.
 */
@Injectable()
export class StreamsPolicyRegistry {
  private source: ((tenantId: string) => Promise<StreamsPolicy>) | undefined;

  use(source: (tenantId: string) => Promise<StreamsPolicy>): void {
    this.source = source;
  }

  /** The tenant's policy, read fresh on every call (a forbid applies to the next request). */
  get(tenantId: string): Promise<StreamsPolicy> {
    if (!this.source) throw new Error('no streams policy source registered (WebhooksModule is not loaded)');
    return this.source(tenantId);
  }
}
