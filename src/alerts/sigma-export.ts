import { stringify } from 'yaml';
import type { Tier } from './alerts.schema.js';
import type { RuleDefinition } from './rule-definition.js';

/**
 * A sequence rule as Sigma: a temporal_ordered correlation over `failures` failure rules and
 * then a success rule, grouped by the rule's key, within its window. temporal_ordered needs
 * each rule matched in order by its own event, and the rules of a correlation are distinct
 * (the specification's schema: uniqueItems), so "at least N failures, then a success" is N
 * copies of the failure detection (named -failure-1 … -failure-N) followed by the success
 * detection: N failure events in order, then the success, all within the timespan — what the
 * sequence rule looks for, and what the import evaluates.
 */
export function exportSequence(
  rule: { id: string; name: string; description?: string; tier: Tier; definition: RuleDefinition },
  filter: { selections: Record<string, unknown>; condition: string[] },
  groupField: string,
): string {
  const s = rule.definition.sequence!;
  const base = `veritrail-${rule.id}`;
  const detection = (outcome: 'failure' | 'success') => {
    const selections = structuredClone(filter.selections);
    selections.selection_outcome = { outcome };
    return { ...selections, condition: [...filter.condition, 'selection_outcome'].join(' and ') };
  };
  const doc = (name: string, title: string, outcome: 'failure' | 'success') => ({
    title,
    name,
    ...(rule.description ? { description: rule.description } : {}),
    logsource: { product: 'veritrail', service: 'audit' },
    detection: detection(outcome),
    level: rule.tier,
  });
  const failures = Array.from({ length: s.failures }, (_, i) => doc(`${base}-failure-${i + 1}`, `${rule.name}: failure ${i + 1}`, 'failure'));
  const success = doc(`${base}-success`, `${rule.name}: success`, 'success');
  const correlation = {
    title: rule.name,
    correlation: { type: 'temporal_ordered', rules: [...failures.map((f) => f.name), success.name], 'group-by': [groupField], timespan: `${s.window_seconds}s` },
    level: rule.tier,
  };
  return [correlation, ...failures, success].map((d) => stringify(d)).join('---\n');
}
