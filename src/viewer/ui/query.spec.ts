import { describe, expect, it } from 'vitest';
import { checkFilter, listFilters, parseSearch } from './query.js';

describe('viewer search box', () => {
  it('reads actor:, action:, outcome:, ip:, target: and org: qualifiers and keeps the rest as free text', () => {
    expect(parseSearch('actor:usr_ann action:user.* outcome:Failure quarterly plan')).toEqual({
      ok: true,
      query: { actor_id: 'usr_ann', action: 'user.*', outcome: 'failure', q: 'quarterly plan' },
    });
    expect(parseSearch('ip:203.0.113.5 target:doc_9 org:org_1 ip6')).toEqual({ ok: true, query: { ip: '203.0.113.5', target_id: 'doc_9', organization_id: 'org_1', q: 'ip6' } });
    expect(parseSearch('ip:2001:db8::1')).toEqual({ ok: true, query: { ip: '2001:db8::1' } });
    expect(parseSearch('  ')).toEqual({ ok: true, query: {} });
    expect(parseSearch('actor:"Ann Lee" "Q3 plan"')).toEqual({ ok: true, query: { actor_id: 'Ann Lee', q: 'Q3 plan' } });
    expect(parseSearch('actor: lone')).toEqual({ ok: true, query: { q: 'actor: lone' } });
    expect(parseSearch('note:kept')).toEqual({ ok: true, query: { q: 'note:kept' } });
  });

  it('refuses what the API would refuse, before sending it', () => {
    expect(parseSearch("action:x' OR 1=1")).toEqual({ ok: false, problem: 'bad_action' });
    expect(parseSearch('action:User.Login')).toEqual({ ok: true, query: { action: 'user.login' } });
    expect(parseSearch('outcome:maybe')).toEqual({ ok: false, problem: 'bad_outcome' });
    expect(parseSearch('ip:300.1.1.1')).toEqual({ ok: false, problem: 'bad_ip' });
    expect(parseSearch('ip:localhost')).toEqual({ ok: false, problem: 'bad_ip' });
    expect(checkFilter('target_id', 'x'.repeat(300))).toEqual({ ok: true, value: 'x'.repeat(256) });
  });

  it('PROMISE-06: hides veritrail.* entries unless the toggle is on or the action filter asks for them', () => {
    expect(listFilters({}, false)).toEqual({ exclude_action: 'veritrail.*' });
    expect(listFilters({ q: 'plan', action: 'user.*' }, false)).toEqual({ q: 'plan', action: 'user.*', exclude_action: 'veritrail.*' });
    expect(listFilters({ q: 'plan' }, true)).toEqual({ q: 'plan' });
    expect(listFilters({ action: 'veritrail.export.*' }, false)).toEqual({ action: 'veritrail.export.*' });
  });
});
