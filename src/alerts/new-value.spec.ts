import { describe, expect, it } from 'vitest';
import type { RuleRecord } from './alerts.repository.js';
import { GeoService } from './geo.service.js';
import type { RuleDefinition, EvalEvent } from './rule-definition.js';
import { RuleFirings } from './rule-firings.service.js';
import type { AlertWindowsRepository } from './alert-windows.repository.js';

const H = 3_600_000;
const D = 24 * H;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const chrome = (v: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;

function rule(nv: NonNullable<RuleDefinition['new_value']>): RuleRecord {
  return { id: 'ar_1', kind: 'new_value', definition: { filter: { actions: ['*'] }, group_by: 'actor', new_value: nv } } as RuleRecord;
}

function ev(id: string, t: number, userAgent: string): EvalEvent {
  return { idx: 0, id, t, receivedAt: t, action: 'user.login', outcome: 'success', actorType: 'user', actorId: 'alice', ip: '', organizationId: '', userAgent, targets: [] };
}

describe('new value of a client family (user agents parsed, versions dropped), with minimum history', () => {
  const firings = new RuleFirings(undefined as unknown as AlertWindowsRepository, new GeoService());
  const t = Date.UTC(2026, 10, 20, 12);
  // Alice signed in with Chrome on Windows on 5 days, one Chrome update in between (history rows as the windows read them: raw user agents per hour).
  const history = { values: [1, 2, 3, 4, 5].map((d) => ({ actor: 'alice', value: chrome(d < 3 ? 126 : 131), lo: t - d * D, hi: t - d * D + 60_000 })) };

  it('a browser update is not new; another browser is, with the usual ones and the raw agent as evidence', () => {
    const out = firings.judgeBaseline(rule({ field: 'client', lookback_days: 30 }), [ev('e1', t, chrome(132)), ev('e2', t + H, FIREFOX)], history);
    expect(out.map((f) => f.eventId)).toEqual(['e2']);
    expect(out[0]!.details).toMatchObject({ field: 'client', value: 'Firefox on Linux', previous_values: ['Chrome on Windows'], user_agent: FIREFOX });
    // The raw field: every version is a new value.
    expect(firings.judgeBaseline(rule({ field: 'user_agent', lookback_days: 30 }), [ev('e1', t, chrome(132))], history).map((f) => f.eventId)).toEqual(['e1']);
  });

  it('min_history_days: no alert before the actor has matching events on that many days of the look-back', () => {
    expect(firings.judgeBaseline(rule({ field: 'client', lookback_days: 30, min_history_days: 5 }), [ev('e2', t, FIREFOX)], history)).toHaveLength(1);
    expect(firings.judgeBaseline(rule({ field: 'client', lookback_days: 30, min_history_days: 6 }), [ev('e2', t, FIREFOX)], history)).toHaveLength(0);
    // Only days within the look-back count: 2 of them in 2 days.
    expect(firings.judgeBaseline(rule({ field: 'client', lookback_days: 2, min_history_days: 2 }), [ev('e2', t, FIREFOX)], history)).toHaveLength(1);
    expect(firings.judgeBaseline(rule({ field: 'client', lookback_days: 3, min_history_days: 3 }), [ev('e2', t + 1.5 * D, FIREFOX)], history)).toHaveLength(0);
  });
});
