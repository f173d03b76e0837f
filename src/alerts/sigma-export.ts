import { stringify } from 'yaml';
import { actionPatternsRe2 } from '../events/action-pattern.js';
import type { RuleKind, Tier } from './alerts.schema.js';
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

const OUR_SIGMA_FIELD: Record<string, string> = { actor: 'actor.id', ip: 'context.ip', organization: 'organization_id' };

export class SigmaExportError extends Error {}

/** Failures of a sequence rule that still export (one detection rule each). */
const MAX_EXPORTED_FAILURES = 20;

/** An action glob as a Sigma selection item. */
function actionItem(patterns: string[]): Record<string, unknown> {
  if (patterns.includes('*')) return {};
  const exact: string[] = [];
  const re: string[] = [];
  for (const p of patterns) {
    if (!p.includes('*')) exact.push(p);
    else re.push(actionPatternsRe2([p]));
  }
  if (re.length === 0) return { action: exact };
  if (exact.length === 0) return { 'action|re': re.length === 1 ? re[0] : re };
  return { __mixed: { exact, re } };
}

/** A rule filter as Sigma selections and the condition joining them (the outcome left to the caller). */
export function sequenceSelections(f: RuleDefinition['filter']): { selections: Record<string, unknown>; condition: string[] } {
  return filterSelections(f, false);
}

/** A rule filter as Sigma selections and their condition, with or without its outcome. */
function filterSelections(f: RuleDefinition['filter'], withOutcome: boolean): { selections: Record<string, unknown>; condition: string[] } {
  const selections: Record<string, unknown> = {};
  const act = actionItem(f.actions);
  const main: Record<string, unknown> = {};
  const condition: string[] = [];
  if ('__mixed' in act) {
    const m = act.__mixed as { exact: string[]; re: string[] };
    selections.selection_action_exact = { action: m.exact };
    selections.selection_action_pattern = { 'action|re': m.re };
    condition.push('1 of selection_action_*');
  } else Object.assign(main, act);
  if (withOutcome && f.outcome) main.outcome = f.outcome;
  if (f.actor_types) main['actor.type'] = f.actor_types;
  if (f.organizations) main.organization_id = f.organizations;
  if (Object.keys(main).length > 0 || condition.length === 0) {
    selections.selection = Object.keys(main).length > 0 ? main : { 'action|re': '.+' };
    condition.unshift('selection');
  }
  return { selections, condition };
}

/**
 * Our rule as Sigma YAML, where it maps: a sigma rule is its source; a threshold rule is a
 * detection rule (count 1) or a detection plus an event_count / value_count correlation. Other
 * kinds (history baselines, new values, silences) have no Sigma equivalent; sequences become
 * temporal_ordered correlations (exportSequence).
 */
export function exportSigma(rule: { id: string; name: string; description?: string; kind: RuleKind; tier: Tier; definition: RuleDefinition }): string {
  const d = rule.definition;
  if (rule.kind === 'sigma') return d.sigma!.source;
  if (rule.kind === 'sequence' && d.sequence!.failures > MAX_EXPORTED_FAILURES) {
    throw new SigmaExportError(`A sequence exports as one Sigma rule per failure (temporal_ordered); at most ${MAX_EXPORTED_FAILURES} failures, not ${d.sequence!.failures}.`);
  }
  if (rule.kind === 'sequence') return exportSequence(rule, sequenceSelections(rule.definition.filter), OUR_SIGMA_FIELD[d.group_by]!);
  if (rule.kind !== 'threshold') throw new SigmaExportError(`${rule.kind} rules compare with history or judge silence; Sigma has no equivalent.`);
  const { selections, condition } = filterSelections(d.filter, true);
  const level = rule.tier;
  const ruleId = `veritrail-${rule.id}`;
  const detectionRule: Record<string, unknown> = {
    title: rule.name,
    name: ruleId,
    ...(rule.description ? { description: rule.description } : {}),
    logsource: { product: 'veritrail', service: 'audit' },
    detection: { ...selections, condition: condition.join(' and ') },
    level,
  };
  const t = d.threshold!;
  if (t.count === 1) return stringify(detectionRule);
  const correlation: Record<string, unknown> = {
    type: t.distinct ? 'value_count' : 'event_count',
    rules: [ruleId],
    'group-by': [OUR_SIGMA_FIELD[d.group_by]],
    timespan: `${t.window_seconds}s`,
    condition: t.distinct ? { field: { target: 'target.id', ip: 'context.ip', actor: 'actor.id' }[t.distinct], gte: t.count } : { gte: t.count },
  };
  const corr = { title: rule.name, correlation, level };
  return `${stringify(corr)}---\n${stringify(detectionRule)}`;
}
