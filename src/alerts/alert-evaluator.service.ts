import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { LogWalk, upToHold } from '../events/log-walk.service.js';
import { MerkleLog } from '../integrity/merkle-log.service.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertWindowsRepository } from './alert-windows.repository.js';
import { AlertsRepository, type NewAlert, type RuleRecord } from './alerts.repository.js';
import { parseEvalEvent, SILENCE_GRACE_MS, silenceFirings, silenceHorizon, silenceRange, type SilenceFiring } from './rule-definition.js';
import { silenceAlert } from './alert-builder.js';
import { AlertOutbox } from './alert-outbox.service.js';
import { ChunkEvaluator } from './chunk-evaluator.service.js';
import { Clock } from '../common/clock.js';

export const ALERTS_JOB = 'alerts';
/** One tenant's evaluation per run stops after this long (the lease lasts longer); the next run continues from the cursor. */
const TENANT_BUDGET_MS = 20_000;
const LEASE_MS = 120_000;

export interface TenantOutcome {
  events: number;
  alerts: number;
  suppressed: number;
  chunks: number;
  poisoned: number;
}

/**
 * The alert evaluator (job `alerts`). Each rule keeps a cursor over its tenant's Merkle log —
 * the order in which the SIEM feed and webhooks deliver every event exactly once — so after
 * downtime it resumes where it stopped, and each event is evaluated once per rule. Windows are
 * computed in ClickHouse on occurred_at around the new events (history included), so events
 * that arrive late or out of order count in the windows they belong to. One replica evaluates
 * a tenant at a time (a lease); the alerts of a chunk and the cursors past it are committed
 * together, fenced by that lease, and each alert is then written to the trail as
 * veritrail.alert.triggered (outbox: re-written after a crash, never twice).
 *
 * No rule can hold the process: action patterns match in linear time, each rule's processing
 * on a step is charged against ALERTS_RULE_BUDGET in slices that let the event loop turn, and a
 * rule over budget is disabled (status "poisoned") in the same commit that moves the other
 * rules past the step — so after a restart it is not evaluated again on those events.
 */
@Injectable()
export class AlertEvaluatorService implements OnModuleInit {
  private readonly logger = new Logger('Alerts');
  /** Silence rule id → the horizon (and rule version) last judged by this process. */
  private readonly silenceJudged = new Map<string, string>();

  constructor(
    private readonly repo: AlertsRepository,
    private readonly windows: AlertWindowsRepository,
    private readonly walk: LogWalk,
    private readonly merkle: MerkleLog,
    private readonly tenants: TenantDirectory,
    private readonly chunks: ChunkEvaluator,
    private readonly outbox: AlertOutbox,
    private readonly jobs: JobRunner,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ kind: ALERTS_JOB, intervalMs: this.config.alerts.intervalMs, run: (ctx) => this.evaluateAll(ctx) });
  }

  /** One job run: every tenant with enabled rules behind its log, or with alerts to write to the trail. */
  async evaluateAll(ctx: JobContext): Promise<JobCounts> {
    const counts = { tenants: 0, events: 0, alerts: 0, suppressed: 0, poisoned: 0, busy: 0 };
    for (const w of await this.repo.tenantsWithWork()) {
      if (this.jobs.stopping) break;
      const tenant = await this.tenants.get(w.tenantId);
      if (!tenant || tenant.status !== 'active') continue;
      const scope = TenantScope.forTenant(tenant);
      if (!w.unrecorded && !w.silence) {
        const latest = await this.merkle.head(scope);
        if (!latest || w.minCursor === undefined || latest.treeSize - 1 <= w.minCursor) continue;
      }
      const r = await ctx.withLease(`${ALERTS_JOB}:${w.tenantId}`, LEASE_MS, (holder) => this.evaluateTenant(scope, holder));
      if (!r.acquired) {
        counts.busy++;
        continue;
      }
      counts.tenants++;
      counts.events += r.value.events;
      counts.alerts += r.value.alerts;
      counts.suppressed += r.value.suppressed;
      counts.poisoned += r.value.poisoned;
    }
    return counts;
  }

  private async evaluateTenant(scope: TenantScope, holder: string): Promise<TenantOutcome> {
    const out: TenantOutcome = { events: 0, alerts: 0, suppressed: 0, chunks: 0, poisoned: 0 };
    await this.outbox.recordInterrupted(scope);
    const enabled = await this.repo.enabledRules(scope);
    const silence = enabled.filter((r) => r.kind === 'silence');
    if (silence.length > 0) {
      const s = await this.evaluateSilence(scope, holder, silence);
      out.alerts += s.alerts;
      out.suppressed += s.suppressed;
    }
    // Silence rules judge intervals on a schedule, not the log's new events.
    let rules = enabled.filter((r) => r.kind !== 'silence');
    if (rules.length === 0) return out;
    const latest = await this.merkle.head(scope);
    if (!latest) return out;
    const end = latest.treeSize - 1;
    const deadline = performance.now() + TENANT_BUDGET_MS;
    let from = Math.min(...rules.map((r) => r.cursorIdx));
    while (from < end && performance.now() < deadline && !this.jobs.stopping) {
      const now = this.clock.now();
      const leaves = await this.chunk(scope, from, end, latest.number, now);
      // A sealed event not readable yet (replica lag) ends the chunk before it, and this run.
      const { rows: usable, held } = upToHold(leaves, now);
      if (usable.length === 0) break;
      const chunkEnd = usable[usable.length - 1]!.idx;
      const receivedUpTo = Math.max(...usable.map((l) => l.receivedAtMs));
      const evs = usable.flatMap((l) => (l.payload === undefined ? [] : [parseEvalEvent(l.idx, l.payload)]));
      const active = rules.filter((r) => r.cursorIdx < chunkEnd);
      const result = await this.chunks.evaluateChunk(scope, active, evs, receivedUpTo, now, { from: usable[0]!.idx, to: chunkEnd });
      const poisonedIds = new Set(result.poisoned.map((p) => p.id));
      const committed = await this.repo.commitChunk(
        scope,
        { key: `${ALERTS_JOB}:${scope.tenantId}`, holder },
        { alerts: result.alerts, bumps: result.bumps, ruleIds: active.filter((r) => !poisonedIds.has(r.id)).map((r) => r.id), cursorIdx: chunkEnd, poisoned: result.poisoned },
      );
      if (!committed) throw new Error(`lost the alerts lease of ${scope.tenantId} before committing; another worker evaluates it`);
      await this.outbox.record(scope, result.alerts);
      if (result.poisoned.length > 0) {
        const byId = new Map(rules.map((r) => [r.id, r]));
        for (const p of result.poisoned) this.logger.warn({ tenant_id: scope.tenantId, rule_id: p.id, log_from: usable[0]!.idx, log_to: chunkEnd }, `alert rule disabled: ${p.message}`);
        await this.outbox.recordDisabled(scope, result.poisoned.map((p) => ({ rule: byId.get(p.id)!, reason: p.reason, message: p.message })));
      }
      rules = rules.filter((r) => !poisonedIds.has(r.id)).map((r) => (r.cursorIdx < chunkEnd ? { ...r, cursorIdx: chunkEnd } : r));
      out.events += usable.length;
      out.alerts += result.alerts.length;
      out.suppressed += result.suppressed;
      out.poisoned += result.poisoned.length;
      out.chunks++;
      if (rules.length === 0) break;
      from = chunkEnd;
      if (held) break;
    }
    return out;
  }

  /**
   * Silence rules, on a schedule rather than on new events (a silent source sends none): once
   * per whole interval (and after each change of a rule), the keys gone silent at the horizon
   * (see {@link silenceFirings}). A silence already alerted (same key and firing time) is not
   * alerted again; a new silence of a key within the rule's suppression period after its last
   * silence alert is folded into that one (not counted: it would be found again at every
   * interval). Committed fenced by the lease, then written to the trail like any alert.
   */
  private async evaluateSilence(scope: TenantScope, holder: string, rules: RuleRecord[]): Promise<{ alerts: number; suppressed: number }> {
    const now = this.clock.now();
    const due = rules.filter((r) => this.silenceJudged.get(r.id) !== `${silenceHorizon(r.definition.silence!, now, SILENCE_GRACE_MS)}:${r.updatedAt.getTime()}`);
    if (due.length === 0) return { alerts: 0, suppressed: 0 };
    const alerts: NewAlert[] = [];
    let suppressed = 0;
    for (const rule of due) {
      const s = rule.definition.silence!;
      const end = silenceHorizon(s, now, SILENCE_GRACE_MS);
      const rows = await this.windows.intervalCounts(scope, { filter: rule.definition.filter, groupBy: rule.definition.group_by, ...silenceRange(s, end) }, now);
      const firings = silenceFirings(s, rows, end);
      if (firings.length === 0) continue;
      const period = rule.suppressionSeconds * 1000;
      const times = firings.map((f) => f.atMs);
      const recent =
        (await this.repo.recentAlerts(scope, [{ ruleId: rule.id, keys: [...new Set(firings.map((f) => f.key))], fromMs: Math.min(...times) - period, toMs: Math.max(...times) + period }])).get(rule.id) ?? [];
      const created: SilenceFiring[] = [];
      for (const f of firings) {
        if (recent.some((a) => a.key === f.key && a.atMs === f.atMs)) continue;
        const near = [...recent, ...created].some((a) => a.key === f.key && Math.abs(a.atMs - f.atMs) < period);
        if (near) {
          suppressed++;
          continue;
        }
        created.push(f);
      }
      for (const f of created) alerts.push(silenceAlert(rule, { ...f, suppressed: 0, lastSuppressedMs: undefined }, now));
    }
    const committed = await this.repo.commitChunk(scope, { key: `${ALERTS_JOB}:${scope.tenantId}`, holder }, { alerts, bumps: new Map(), ruleIds: due.map((r) => r.id), cursorIdx: -1 });
    if (!committed) throw new Error(`lost the alerts lease of ${scope.tenantId} before committing; another worker evaluates it`);
    for (const r of due) this.silenceJudged.set(r.id, `${silenceHorizon(r.definition.silence!, now, SILENCE_GRACE_MS)}:${r.updatedAt.getTime()}`);
    await this.outbox.record(scope, alerts);
    return { alerts: alerts.length, suppressed };
  }

  /**
   * The next leaves of the log after `from`: up to ALERTS_BATCH_EVENTS, never splitting events
   * received at the same instant (one request, one group commit). Windows count only events
   * received up to the chunk's last one, so the rest of such a group must be in the same chunk.
   */
  private async chunk(scope: TenantScope, from: number, end: number, committed: number, now: number) {
    const size = this.config.alerts.batchEvents;
    const leaves = await this.walk.window(scope, from, committed, {}, Math.min(size, end - from), now);
    if (leaves.length < size || leaves[leaves.length - 1]!.idx >= end) return leaves;
    const last = leaves[leaves.length - 1]!.receivedAtMs;
    let cut = leaves.length;
    while (cut > 0 && leaves[cut - 1]!.receivedAtMs === last) cut--;
    if (cut > 0) return leaves.slice(0, cut);
    // One group larger than a chunk: read on to its end.
    for (let i = 0; i < 100; i++) {
      const more = await this.walk.window(scope, leaves[leaves.length - 1]!.idx, committed, {}, Math.min(size, end - leaves[leaves.length - 1]!.idx), now);
      let k = 0;
      while (k < more.length && more[k]!.receivedAtMs === last) k++;
      leaves.push(...more.slice(0, k));
      if (k < more.length || more.length === 0) break;
    }
    return leaves;
  }
}
