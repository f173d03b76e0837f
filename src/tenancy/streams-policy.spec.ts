import { describe, expect, it } from 'vitest';
import { parseStreamsPolicy, streamsAllowed } from './streams-policy.js';

describe('self-service streams policy', () => {
  it('allows every organization when unset or unreadable', () => {
    for (const raw of [{}, null, 'x', { default: 'maybe' }]) expect(streamsAllowed(parseStreamsPolicy(raw), 'org_a')).toBe(true);
  });

  it('forbidden wins over allowed, which wins over the default', () => {
    const p = parseStreamsPolicy({ default: 'forbidden', allowed_organizations: ['org_a', 'org_b'], forbidden_organizations: ['org_b'] });
    expect(streamsAllowed(p, 'org_a')).toBe(true);
    expect(streamsAllowed(p, 'org_b')).toBe(false);
    expect(streamsAllowed(p, 'org_c')).toBe(false);
    const open = parseStreamsPolicy({ default: 'allowed', forbidden_organizations: ['org_c'] });
    expect(streamsAllowed(open, 'org_c')).toBe(false);
    expect(streamsAllowed(open, 'org_d')).toBe(true);
  });

  it('ignores entries that are not strings', () => {
    expect(parseStreamsPolicy({ default: 'forbidden', allowed_organizations: ['org_a', 7, null] })).toEqual({ default: 'forbidden', allowed_organizations: ['org_a'], forbidden_organizations: [] });
  });
});
