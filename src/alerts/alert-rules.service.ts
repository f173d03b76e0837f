// Above ~400 lines on purpose: the alert-rule API (templates, CRUD, Sigma import and
// export, backtests) shares one draft validation, one organization confinement and one trail
// record of each change; split per endpoint, each part would re-import all three.
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { BadRequestError, NotFoundError, UnprocessableError, ValidationError, type ErrorDetail } from '../common/errors.js';
import { uuidv7 } from '../common/ids.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { parseRfc3339 } from '../common/time.js';
import { AuditTrailService, keyActor } from '../events/audit-trail.service.js';
import { MerkleLog } from '../integrity/merkle-log.service.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import { PlansService } from '../billing/plans.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertBacktest } from './alert-backtest.service.js';
import { ALERTS_JOB } from './alert-evaluator.service.js';
import { alertView } from './alerts.service.js';
import { ALERT_TEMPLATES, type AlertTemplate } from './alert-templates.js';
import { AlertsRepository, type RuleChanges, type RuleRecord } from './alerts.repository.js';
import {
  BACKTEST_MAX_DAYS,
  BACKTEST_MAX_EVENTS,
  type AlertRuleBacktest,
  type AlertRuleBacktestResult,
  type AlertRuleCreate,
  type AlertRuleDraftBacktest,
  type AlertRuleSigmaImport,
  type AlertRuleUpdate,
  type AlertRuleView,
  type ListQuery,
  type RuleKind,
  type Tier,
} from './alerts.schema.js';
import { definitionProblems, type RuleDefinition } from './rule-definition.js';
import { importSigma, SigmaError, type ImportedSigma } from './sigma.js';
import { exportSigma, SigmaExportError } from './sigma-export.js';
import { CheckedClock } from '../common/checked-clock.js';

/** Rules per tenant (plans may lower this later). */
export const MAX_RULES_PER_TENANT = 100;
/** Rules one organization may create for itself (self-service streams): one customer cannot use up the tenant's 100. */
export const MAX_RULES_PER_ORGANIZATION = 20;
const RULE_ID = /^ar_[0-9a-f]{32}$/;
/** The rule_id of a draft's backtest alerts. */
const DRAFT_RULE_ID = 'draft';
/** STAT: about one actionable alert per rule and week. */
const STAT_TARGET_PER_WEEK = 1;
/** Wall-clock bound of one backtest (the answer says when it stopped early). */
const BACKTEST_MAX_MS = 20_000;
const DAY_MS = 86_400_000;

/** Alert rules through the API: templates, CRUD, each change recorded in the trail. */
@Injectable()
export class AlertRulesService {
  constructor(
    private readonly repo: AlertsRepository,
    private readonly integrity: MerkleLog,
    private readonly trail: AuditTrailService,
    private readonly settings: SystemSettingsService,
    private readonly jobs: JobRunner,
    private readonly plans: PlansService,
    private readonly backtests: AlertBacktest,
    private readonly stamps: CheckedClock,
  ) {}

  templates(): { data: ReturnType<typeof templateView>[] } {
    return { data: Object.values(ALERT_TEMPLATES).map(templateView) };
  }

  async create(principal: ApiKeyPrincipal, body: AlertRuleCreate, meta: RequestMetaValue): Promise<AlertRuleView> {
    return this.createFrom(principal, body, draftOf(body), meta);
  }

  /** Imports a Sigma rule (YAML) as a rule of kind sigma: 400 with the precise code of what does not map. */
  async importSigma(principal: ApiKeyPrincipal, body: AlertRuleSigmaImport, meta: RequestMetaValue): Promise<AlertRuleView> {
    let imported: ImportedSigma;
    try {
      imported = importSigma(body.rule);
    } catch (err) {
      if (err instanceof SigmaError) throw new BadRequestError(err.code, err.message, [{ field: err.field, code: err.code, message: err.message }]);
      throw err;
    }
    const { rule, name, ...common } = body;
    return this.createFrom(principal, { ...common, description: imported.description }, { t: undefined, kind: 'sigma', name: name ?? imported.name, tier: body.tier ?? imported.tier, definition: imported.definition }, meta);
  }

  /** A rule as Sigma YAML, where it maps (422 sigma_export_unsupported otherwise). */
  async exportSigma(principal: ApiKeyPrincipal, id: string): Promise<{ rule_id: string; sigma: string }> {
    const r = await this.find(TenantScope.of(principal), id);
    try {
      return { rule_id: r.id, sigma: exportSigma({ id: r.id, name: r.name, description: r.description ?? undefined, kind: r.kind, tier: r.tier, definition: r.definition }) };
    } catch (err) {
      if (err instanceof SigmaExportError) throw new UnprocessableError('sigma_export_unsupported', err.message);
      throw err;
    }
  }

  private async createFrom(
    principal: ApiKeyPrincipal,
    body: Omit<AlertRuleCreate, 'template' | 'kind' | 'name' | 'tier'>,
    draft: ReturnType<typeof draftOf>,
    meta: RequestMetaValue,
  ): Promise<AlertRuleView> {
    const scope = TenantScope.of(principal);
    const { t, kind, name, tier } = draft;
    const definition = confined(draft.definition, scope.organizationId);
    const rules = await this.repo.countRules(scope);
    await this.plans.assertWithinLimit(scope.tenantId, 'alerts', rules);
    if (rules >= MAX_RULES_PER_TENANT) {
      throw new UnprocessableError('alert_rule_limit_reached', `A tenant may have at most ${MAX_RULES_PER_TENANT} alert rules.`);
    }
    if (scope.organizationId !== undefined && (await this.repo.countOrganizationRules(scope)) >= MAX_RULES_PER_ORGANIZATION) {
      throw new UnprocessableError('alert_rule_limit_reached', `An organization may have at most ${MAX_RULES_PER_ORGANIZATION} alert rules of its own.`);
    }
    const enabled = body.enabled ?? true;
    const rule = await this.repo.createRule(scope, {
      id: `ar_${uuidv7().id.replaceAll('-', '')}`,
      name,
      description: body.description ?? t?.description,
      template: t?.template,
      kind,
      enabled,
      tier,
      owner: body.owner,
      createClosed: body.create_closed ?? false,
      suppressionSeconds: body.suppression_seconds ?? t?.suppressionSeconds ?? 3600,
      definition,
      // A rule fires on events received from now on (history still counts in its windows).
      cursorIdx: await this.logEnd(scope),
    });
    await this.trail.record(
      scope,
      {
        action: 'veritrail.alert_rule.created',
        actor: keyActor(principal),
        targets: [{ type: 'alert_rule', id: rule.id, name: rule.name }],
        metadata: { kind, template: t?.template ?? null, tier, enabled, definition: trailDefinition(definition) },
        organizationId: scope.organizationId,
      },
      meta,
    );
    if (enabled) this.jobs.kick(ALERTS_JOB);
    return this.view(rule, rule.cursorIdx);
  }

  async get(principal: ApiKeyPrincipal, id: string): Promise<AlertRuleView> {
    const scope = TenantScope.of(principal);
    return this.view(await this.find(scope, id), await this.logEnd(scope));
  }

  async list(principal: ApiKeyPrincipal, q: ListQuery): Promise<{ data: AlertRuleView[]; next_cursor: string | null }> {
    const scope = TenantScope.of(principal);
    const limit = q.limit ?? 50;
    const binding = bindingOf({});
    const after = this.settings.cursors.decodeKeyset(q.cursor, 'alert-rules', scope.tenantId, binding);
    const rows = await this.repo.listRules(scope, limit + 1, after);
    const { page, next } = this.settings.cursors.keysetPage(rows, limit, 'alert-rules', scope.tenantId, binding);
    const end = await this.logEnd(scope);
    return { data: page.map((r) => this.view(r, end)), next_cursor: next };
  }

  async update(principal: ApiKeyPrincipal, id: string, body: AlertRuleUpdate, meta: RequestMetaValue): Promise<AlertRuleView> {
    const scope = TenantScope.of(principal);
    const before = await this.find(scope, id);
    const changes: RuleChanges = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.description !== undefined) changes.description = body.description;
    if (body.tier !== undefined) changes.tier = body.tier;
    if (body.owner !== undefined) changes.owner = body.owner;
    if (body.create_closed !== undefined) changes.createClosed = body.create_closed;
    if (body.suppression_seconds !== undefined) changes.suppressionSeconds = body.suppression_seconds;
    if (body.filter !== undefined || body.group_by !== undefined || body.threshold !== undefined || body.new_value !== undefined || body.sequence !== undefined || body.silence !== undefined || body.volume !== undefined || body.travel !== undefined || body.hours !== undefined || body.rarity !== undefined) {
      // An organization's own rule stays confined to it, whoever edits it (its tenant's keys too).
      changes.definition = confined(definitionOf(before.kind, {
        filter: body.filter ?? before.definition.filter,
        group_by: body.group_by ?? before.definition.group_by,
        threshold: body.threshold ?? before.definition.threshold,
        new_value: body.new_value ?? before.definition.new_value,
        sequence: body.sequence ?? before.definition.sequence,
        silence: body.silence ?? before.definition.silence,
        volume: body.volume ?? before.definition.volume,
        travel: body.travel ?? before.definition.travel,
        hours: body.hours ?? before.definition.hours,
        rarity: body.rarity ?? before.definition.rarity,
        sigma: before.definition.sigma,
      }), before.organizationId);
    }
    if (body.enabled !== undefined) {
      changes.enabled = body.enabled;
      // Enabled again: it looks at what is sealed from now on, not at what happened while it was off
      // (for a poisoned rule: never again at the events that exhausted its budget).
      if (body.enabled && !before.enabled) {
        changes.cursorIdx = await this.logEnd(scope);
        // Compared with the events' receipt times: the stamping clock.
        changes.activeSince = this.stamps.date();
        changes.disabledReason = null;
        changes.disabledMessage = null;
        changes.disabledAt = null;
      }
      if (!body.enabled && before.enabled) changes.disabledAt = new Date();
    }
    const after = await this.repo.updateRule(scope, id, changes);
    if (!after) throw new NotFoundError('alert rule');
    const fields = Object.keys(body);
    if (fields.length > 0) {
      await this.trail.record(
        scope,
        {
          action: body.enabled === false && before.enabled ? 'veritrail.alert_rule.disabled' : body.enabled === true && !before.enabled ? 'veritrail.alert_rule.enabled' : 'veritrail.alert_rule.updated',
          actor: keyActor(principal),
          targets: [{ type: 'alert_rule', id, name: after.name }],
          metadata: { fields },
          changes: fields.map((f) => ({ field: f, before: ruleField(before, f), after: ruleField(after, f) })),
          organizationId: after.organizationId,
        },
        meta,
      );
    }
    if (after.enabled) this.jobs.kick(ALERTS_JOB);
    return this.view(after, await this.logEnd(scope));
  }

  async remove(principal: ApiKeyPrincipal, id: string, meta: RequestMetaValue): Promise<void> {
    const scope = TenantScope.of(principal);
    const rule = await this.find(scope, id);
    if (!(await this.repo.deleteRule(scope, id))) throw new NotFoundError('alert rule');
    await this.trail.record(
      scope,
      { action: 'veritrail.alert_rule.deleted', actor: keyActor(principal), targets: [{ type: 'alert_rule', id, name: rule.name }], organizationId: rule.organizationId },
      meta,
    );
  }

  /** Replays a stored rule (enabled or not) over [from, to): nothing is stored, recorded or sent. */
  async backtest(principal: ApiKeyPrincipal, id: string, body: AlertRuleBacktest): Promise<AlertRuleBacktestResult> {
    const scope = TenantScope.of(principal);
    const range = backtestRange(body);
    const rule = await this.find(scope, id);
    return this.replay(scope, rule, range, body.max_events, rule.id);
  }

  /** Replays a draft rule (the body of a create, validated the same way) over [from, to): nothing is stored, recorded or sent. */
  async backtestDraft(principal: ApiKeyPrincipal, body: AlertRuleDraftBacktest): Promise<AlertRuleBacktestResult> {
    const scope = TenantScope.of(principal);
    const { from, to, max_events, ...create } = body;
    const { t, kind, name, tier, definition: draft } = draftOf(create);
    const definition = confined(draft, scope.organizationId);
    const range = backtestRange({ from, to });
    const now = new Date();
    const rule: RuleRecord = {
      id: DRAFT_RULE_ID,
      tenantId: scope.tenantId,
      name,
      description: create.description ?? t?.description,
      template: t?.template,
      kind,
      enabled: true,
      tier,
      owner: create.owner,
      createClosed: create.create_closed ?? false,
      suppressionSeconds: create.suppression_seconds ?? t?.suppressionSeconds ?? 3600,
      definition,
      organizationId: scope.organizationId,
      cursorIdx: -1,
      activeSince: new Date(0),
      lastEvaluatedAt: undefined,
      disabledReason: undefined,
      disabledMessage: undefined,
      disabledAt: undefined,
      createdAt: now,
      updatedAt: now,
    };
    return this.replay(scope, rule, range, max_events, null);
  }

  private async replay(scope: TenantScope, rule: RuleRecord, r: { fromMs: number; toMs: number }, maxEvents: number | undefined, ruleId: string | null): Promise<AlertRuleBacktestResult> {
    const out = await this.backtests.backtest(scope, rule, r.fromMs, r.toMs, { maxEvents: maxEvents ?? BACKTEST_MAX_EVENTS, maxMs: BACKTEST_MAX_MS });
    const now = new Date();
    const alerts = out.alerts.map((a) =>
      alertView({ ...a, tenantId: scope.tenantId, resolution: undefined, notes: [], acknowledgedAt: undefined, acknowledgedBy: undefined, trailRecorded: false, createdAt: now, updatedAt: now }),
    );
    const perDay = new Map<string, number>();
    for (let d = Math.floor(r.fromMs / DAY_MS) * DAY_MS; d < r.toMs; d += DAY_MS) perDay.set(new Date(d).toISOString().slice(0, 10), 0);
    for (const a of alerts) {
      const day = a.triggered_at.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const weeks = (r.toMs - r.fromMs) / (7 * DAY_MS);
    return {
      rule_id: ruleId,
      from: new Date(r.fromMs).toISOString(),
      to: new Date(r.toMs).toISOString(),
      alerts,
      per_day: [...perDay].map(([day, count]) => ({ day, count })),
      total: alerts.length,
      stat_target_per_week: STAT_TARGET_PER_WEEK,
      ratio_to_target: Math.round((alerts.length / weeks / STAT_TARGET_PER_WEEK) * 100) / 100,
      events_scanned: out.eventsScanned,
      truncated: out.truncated !== undefined,
      truncated_reason: out.truncated?.reason ?? null,
      evaluated_to: new Date(out.truncated?.evaluatedToMs ?? r.toMs).toISOString(),
    };
  }

  private async find(scope: TenantScope, id: string): Promise<RuleRecord> {
    if (!RULE_ID.test(id)) throw new NotFoundError('alert rule');
    const r = await this.repo.getRule(scope, id);
    if (!r) throw new NotFoundError('alert rule');
    return r;
  }

  /** Position of the newest logged event of the tenant's log (-1 when nothing is logged yet). */
  private async logEnd(scope: TenantScope): Promise<number> {
    const latest = await this.integrity.head(scope.tenantWide());
    return latest ? latest.treeSize - 1 : -1;
  }

  private view(r: RuleRecord, logEnd: number): AlertRuleView {
    return {
      id: r.id,
      name: r.name,
      description: r.description ?? null,
      template: r.template ?? null,
      kind: r.kind,
      enabled: r.enabled,
      status: r.enabled ? 'active' : r.disabledReason ? 'poisoned' : 'disabled',
      disabled_reason: r.enabled ? null : (r.disabledReason ?? null),
      disabled_message: r.enabled ? null : (r.disabledMessage ?? null),
      disabled_at: r.enabled ? null : (r.disabledAt?.toISOString() ?? null),
      tier: r.tier,
      owner: r.owner ?? null,
      create_closed: r.createClosed,
      suppression_seconds: r.suppressionSeconds,
      organization_id: r.organizationId ?? null,
      filter: r.definition.filter,
      group_by: r.definition.group_by,
      threshold: r.definition.threshold ?? null,
      new_value: r.definition.new_value ?? null,
      sequence: r.definition.sequence ?? null,
      silence: r.definition.silence ?? null,
      volume: r.definition.volume ?? null,
      travel: r.definition.travel ?? null,
      hours: r.definition.hours ?? null,
      rarity: r.definition.rarity ?? null,
      sigma: r.definition.sigma ? { title: r.definition.sigma.title, sigma_id: r.definition.sigma.sigma_id, level: r.definition.sigma.level, rules: r.definition.sigma.rules.map((x) => ({ ref: x.ref, title: x.title })), correlation: r.definition.sigma.correlation } : null,
      evaluation: {
        last_evaluated_at: r.lastEvaluatedAt?.toISOString() ?? null,
        // Silence rules judge intervals on a schedule, not the log: never behind it.
        lag_events: r.enabled && r.kind !== 'silence' ? Math.max(0, logEnd - r.cursorIdx) : 0,
      },
      created_at: r.createdAt.toISOString(),
      updated_at: r.updatedAt.toISOString(),
    };
  }
}

/**
 * A definition as the trail records it: a Sigma rule's YAML (up to 16 KB, the size of a whole
 * trail entry's metadata) stands as its SHA-256 and size; the export gives it back.
 */
function trailDefinition(d: RuleDefinition): unknown {
  if (!d.sigma) return d;
  const { source, ...sigma } = d.sigma;
  return { ...d, sigma: { ...sigma, rules: sigma.rules.map((r) => ({ ref: r.ref, title: r.title })), source_sha256: createHash('sha256').update(source).digest('hex'), source_bytes: Buffer.byteLength(source) } };
}

/** What a create body (or a draft to backtest) asks for, validated the same way: 400 listing what is wrong. */
function draftOf(body: AlertRuleCreate): { t: AlertTemplate | undefined; kind: RuleKind; name: string; tier: Tier; definition: RuleDefinition } {
  const t: AlertTemplate | undefined = body.template ? ALERT_TEMPLATES[body.template] : undefined;
  const kind: RuleKind | undefined = body.kind ?? t?.kind;
  if (!kind) throw new ValidationError([{ field: 'kind', code: 'required', message: 'Give a template or a kind.' }]);
  if (kind === 'sigma') throw new ValidationError([{ field: 'kind', code: 'use_sigma_import', message: 'Sigma rules are imported as YAML at POST /v1/alert-rules/sigma.' }]);
  if (t && body.kind !== undefined && body.kind !== t.kind) {
    throw new ValidationError([{ field: 'kind', code: 'invalid_value', message: `The ${t.template} template is a ${t.kind} rule.` }]);
  }
  const name = body.name ?? t?.name;
  if (!name) throw new ValidationError([{ field: 'name', code: 'required', message: 'This field is required.' }]);
  const tier = body.tier ?? t?.tier;
  if (!tier) throw new ValidationError([{ field: 'tier', code: 'required', message: 'This field is required.' }]);
  const base: Partial<RuleDefinition> = t ? structuredClone(t.definition) : {};
  const definition = definitionOf(kind, {
    filter: body.filter ?? base.filter,
    group_by: body.group_by ?? base.group_by,
    threshold: body.threshold ?? (kind === 'threshold' ? base.threshold : undefined),
    new_value: body.new_value ?? (kind === 'new_value' ? base.new_value : undefined),
    sequence: body.sequence ?? (kind === 'sequence' ? base.sequence : undefined),
    silence: body.silence ?? (kind === 'silence' ? base.silence : undefined),
    volume: body.volume ?? (kind === 'volume' ? base.volume : undefined),
    travel: body.travel ?? (kind === 'travel' ? base.travel : undefined),
    hours: body.hours ?? (kind === 'hours' ? base.hours : undefined),
    rarity: body.rarity ?? (kind === 'rarity' ? base.rarity : undefined),
  });
  return { t, kind, name, tier, definition };
}

/** The range of a backtest: both RFC 3339, from before to, at most BACKTEST_MAX_DAYS; 400 with a stable code otherwise. */
function backtestRange(body: { from: string; to: string }): { fromMs: number; toMs: number } {
  const from = parseRfc3339(body.from);
  const to = parseRfc3339(body.to);
  const bad: ErrorDetail[] = [];
  if (!from.ok) bad.push({ field: 'from', code: 'invalid_format', message: 'Must be an RFC 3339 date-time with an offset.' });
  if (!to.ok) bad.push({ field: 'to', code: 'invalid_format', message: 'Must be an RFC 3339 date-time with an offset.' });
  if (!from.ok || !to.ok) throw new ValidationError(bad);
  if (to.ms <= from.ms) throw new ValidationError([{ field: 'to', code: 'invalid_range', message: '`to` must be after `from`.' }]);
  if (to.ms - from.ms > BACKTEST_MAX_DAYS * DAY_MS) {
    throw new ValidationError([{ field: 'to', code: 'range_too_long', message: `A backtest replays at most ${BACKTEST_MAX_DAYS} days.` }]);
  }
  return { fromMs: from.ms, toMs: to.ms };
}

/**
 * The definition of an organization's own rule: its filter reads that organization only. A filter
 * naming another organization is refused (400 alert_rule_organization_not_allowed) rather than
 * silently narrowed, so the caller learns it cannot widen it. The filter is the one the evaluator
 * applies in SQL and in JavaScript (alert-windows.repository.ts, rule-definition.ts).
 */
function confined(d: RuleDefinition, organizationId: string | undefined): RuleDefinition {
  if (organizationId === undefined) return d;
  const others = (d.filter.organizations ?? []).filter((o) => o !== organizationId);
  if (others.length > 0) {
    const message = 'An organization\'s own alert rule reads only that organization\'s events; filter.organizations may name only it.';
    throw new BadRequestError('alert_rule_organization_not_allowed', message, [{ field: 'filter.organizations', code: 'alert_rule_organization_not_allowed', message }]);
  }
  return { ...d, filter: { ...d.filter, organizations: [organizationId] } };
}

/** A complete, consistent definition, or 400 listing what is wrong. */
function definitionOf(kind: RuleKind, d: Partial<RuleDefinition>): RuleDefinition {
  const problems = definitionProblems(kind, d);
  if (problems.length > 0) throw new ValidationError(problems);
  const out: RuleDefinition = { filter: d.filter!, group_by: d.group_by! };
  if (kind === 'threshold') out.threshold = d.threshold;
  if (kind === 'new_value') out.new_value = { ...d.new_value!, require_history: d.new_value!.require_history ?? true };
  if (kind === 'sequence') out.sequence = d.sequence;
  if (kind === 'silence') out.silence = d.silence;
  if (kind === 'volume') out.volume = d.volume;
  if (kind === 'travel') out.travel = d.travel;
  if (kind === 'hours') out.hours = d.hours;
  if (kind === 'rarity') out.rarity = d.rarity;
  if (kind === 'sigma') out.sigma = d.sigma;
  return out;
}

function ruleField(r: RuleRecord, field: string): unknown {
  switch (field) {
    case 'create_closed':
      return r.createClosed;
    case 'suppression_seconds':
      return r.suppressionSeconds;
    case 'filter':
    case 'group_by':
    case 'threshold':
    case 'new_value':
    case 'sequence':
    case 'silence':
    case 'volume':
    case 'travel':
    case 'hours':
    case 'rarity':
      return r.definition[field] ?? null;
    default:
      return (r as unknown as Record<string, unknown>)[field] ?? null;
  }
}

function templateView(t: AlertTemplate) {
  return {
    template: t.template,
    name: t.name,
    description: t.description,
    kind: t.kind,
    tier: t.tier,
    suppression_seconds: t.suppressionSeconds,
    filter: t.definition.filter,
    group_by: t.definition.group_by,
    threshold: t.definition.threshold ?? null,
    new_value: t.definition.new_value ?? null,
    sequence: t.definition.sequence ?? null,
    silence: t.definition.silence ?? null,
    volume: t.definition.volume ?? null,
    travel: t.definition.travel ?? null,
    hours: t.definition.hours ?? null,
    rarity: t.definition.rarity ?? null,
  };
}
