import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CheckedClock } from '../common/checked-clock.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { consistencyPlan, evaluate, fromHex, hex, inclusionPlan, neededNodes, type RangeSpec } from './merkle.js';
import { NoteKeyService } from './note-keys.service.js';
import { RootLogRepository, type RootCheckpointRecord, type RootLeaf } from './root-log.repository.js';
import { checkpointText, parseNote } from './signed-note.js';
import { timestampRequest, tokenOfResponse } from './timestamp.js';
import { formatTlogProof } from './tlog-proof.js';
import { parseCosignerKey, witnessCheckpoint, type Witness } from './witness-client.js';

/** Tenant checkpoints appended per catch-up batch. */
const CATCH_UP_BATCH = 1_000;
/**
 * How far back a run looks for checkpoints the sealer did not append: a missed append is found
 * within this window (runs are every ROOT_CHECKPOINT_INTERVAL). Checkpoints sealed before the
 * root log existed are not appended; a tenant's next checkpoint is, and it extends them.
 */
const CATCH_UP_WINDOW_MS = 86_400_000;

export interface WitnessOutcome {
  witness: string;
  status: 'cosigned' | 'refused' | 'error' | 'already';
  reason?: string;
}

/**
 * One deployment-wide root log. Witnesses accept few, slow logs; a deployment has thousands of
 * tenant logs. So every signed tenant checkpoint — its C2SP note, as signed — is a leaf of one
 * RFC 6962 log whose checkpoints (origin `<note key name>/root`, signed with the note key) are
 * signed at most once per ROOT_CHECKPOINT_INTERVAL and sent to the configured witnesses
 * (c2sp.org/tlog-witness). A tenant's proof that its checkpoint is in a witnessed root is a
 * tlog-proof file: extra = the tenant note (the leaf's data), the audit path, the root note with
 * its cosignatures.
 */
@Injectable()
export class RootLogService implements OnModuleInit {
  private readonly logger = new Logger('RootLog');
  readonly witnesses: Witness[];

  constructor(
    private readonly repo: RootLogRepository,
    private readonly notes: NoteKeyService,
    private readonly jobs: JobRunner,
    private readonly clock: CheckedClock,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.witnesses = config.integrity.witnesses.map((w) => {
      const key = parseCosignerKey(w.vkey);
      if (!key) throw new Error(`WITNESSES: ${w.vkey} is not a well-formed Ed25519 cosigner key (type 0x04, key id matching its name and key)`);
      return { url: w.url, key };
    });
  }

  onModuleInit(): void {
    this.jobs.register({ kind: 'root-checkpoint', intervalMs: this.config.integrity.rootCheckpointIntervalMs, run: (ctx) => this.run(ctx) });
  }

  /** The root log's origin line: unique per deployment (tenant origins are `<name>/<tenant id>`). */
  get origin(): string {
    return `${this.notes.name}/root`;
  }

  /**
   * Appends a freshly signed tenant checkpoint (called by the sealer once it is committed). A
   * failure is logged, not thrown: the next root-checkpoint run appends what is missing.
   */
  async appendTenantCheckpoint(tenantId: string, treeSize: number, rootHex: string): Promise<void> {
    try {
      await this.repo.append([{ tenantId, treeSize, note: this.notes.checkpointNote(tenantId, treeSize, rootHex) }]);
    } catch (err) {
      this.logger.warn({ tenant_id: tenantId, tree_size: treeSize, err: (err as Error).message }, 'root log append failed; the next root checkpoint run appends it');
    }
  }

  /** One job run: append missed tenant checkpoints, sign a root checkpoint when due, send it to the witnesses. */
  async run(ctx: JobContext): Promise<JobCounts> {
    const r = await ctx.withLease('root-checkpoint', Math.max(60_000, 3 * this.config.integrity.rootCheckpointIntervalMs), () => this.runHeld());
    return r.acquired ? r.value : { busy: 1 };
  }

  private async runHeld(): Promise<JobCounts> {
    let appended = 0;
    for (;;) {
      const missing = await this.repo.missingCheckpoints(this.clock.now() - CATCH_UP_WINDOW_MS, CATCH_UP_BATCH);
      if (missing.length === 0) break;
      appended += (await this.repo.append(missing.map((m) => ({ tenantId: m.tenantId, treeSize: m.treeSize, note: this.notes.checkpointNote(m.tenantId, m.treeSize, m.root) })))).length;
      if (missing.length < CATCH_UP_BATCH) break;
    }
    const signed = await this.signIfDue();
    const latest = await this.repo.latestCheckpoint();
    let timestamped = 0;
    if (latest && this.config.integrity.tsaUrl && !latest.timestampToken) {
      const token = await this.timestamp(latest);
      if (token) {
        latest.timestampToken = token;
        timestamped++;
      }
    }
    let cosigned = 0;
    let refused = 0;
    if (latest) {
      for (const o of await this.witness(latest)) {
        if (o.status === 'cosigned') cosigned++;
        if (o.status === 'refused' || o.status === 'error') refused++;
      }
    }
    return { appended, signed: signed ? 1 : 0, timestamped, cosigned, refused };
  }

  /**
   * RFC 3161: asks TSA_URL to timestamp the root checkpoint's text (origin, size, root) and
   * stores the token. A refusal or an unreachable TSA is logged; the next run tries again.
   */
  async timestamp(c: RootCheckpointRecord): Promise<Uint8Array | undefined> {
    const url = this.config.integrity.tsaUrl;
    if (!url) return undefined;
    const text = checkpointTextOf(c.note);
    try {
      const res = await fetch(url, {
        method: 'POST',
        body: timestampRequest(text),
        headers: { 'content-type': 'application/timestamp-query' },
        signal: AbortSignal.timeout(10_000),
        redirect: 'error',
      });
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const token = tokenOfResponse(body);
      if (typeof token === 'string') throw new Error(token);
      await this.repo.setTimestamp(c.treeSize, token);
      return token;
    } catch (err) {
      this.logger.warn({ tree_size: c.treeSize, err: (err as Error).message }, 'the time-stamping authority did not timestamp the root checkpoint');
      return undefined;
    }
  }

  /** Signs a root checkpoint of the log as it is now, unless nothing was appended or the last one is younger than the interval. */
  async signIfDue(): Promise<RootCheckpointRecord | undefined> {
    const last = await this.repo.latestCheckpoint();
    const now = this.clock.now();
    if (last && now - last.signedAt.getTime() < this.config.integrity.rootCheckpointIntervalMs) return undefined;
    const head = await this.repo.head();
    if (head.size === 0 || (last && head.size <= last.treeSize)) return undefined;
    const record: RootCheckpointRecord = {
      treeSize: head.size,
      root: hex(head.root),
      note: this.notes.signNote(checkpointText(this.origin, head.size, head.root)),
      final: this.config.integrity.witnessThreshold === 0,
      signedAt: new Date(Math.max(now, last?.signedAt.getTime() ?? 0)),
    };
    if (!(await this.repo.insertCheckpoint(record))) return undefined;
    this.logger.log({ tree_size: record.treeSize, root: record.root }, 'signed a root checkpoint');
    return record;
  }

  /**
   * Sends a root checkpoint to every witness that has not cosigned it (add-checkpoint with a
   * consistency proof from the size it last cosigned; a 409 is retried from the witness's size),
   * stores the cosignatures, and marks it final once WITNESS_THRESHOLD witnesses cosigned.
   */
  async witness(c: RootCheckpointRecord): Promise<WitnessOutcome[]> {
    const have = new Set((await this.repo.cosignatures(c.treeSize)).map((s) => s.witness));
    const out: WitnessOutcome[] = [];
    for (const w of this.witnesses) {
      const name = w.key.name;
      if (have.has(name)) {
        out.push({ witness: name, status: 'already' });
        continue;
      }
      try {
        const known = await this.repo.witnessedSize(name);
        if (known > c.treeSize) {
          out.push({ witness: name, status: 'refused', reason: `it cosigned a larger root (${known}) already` });
          continue;
        }
        const r = await witnessCheckpoint(w, c.note, known, (from) => this.consistency(from, c.treeSize));
        if (r.status === 'cosigned') {
          for (const s of r.cosignatures) await this.repo.addCosignature({ treeSize: c.treeSize, witness: name, line: s.line, timestamp: s.timestamp });
          have.add(name);
          out.push({ witness: name, status: 'cosigned' });
        } else {
          const reason = r.status === 'conflict' ? `the witness holds size ${r.witnessSize}` : `HTTP ${r.http}: ${r.reason}`;
          this.logger.warn({ witness: name, tree_size: c.treeSize, reason }, 'a witness refused the root checkpoint');
          out.push({ witness: name, status: 'refused', reason });
        }
      } catch (err) {
        this.logger.warn({ witness: name, tree_size: c.treeSize, err: (err as Error).message }, 'witness unreachable');
        out.push({ witness: name, status: 'error', reason: (err as Error).message });
      }
    }
    if (!c.final && have.size >= this.config.integrity.witnessThreshold) await this.repo.markFinal(c.treeSize);
    return out;
  }

  /** The root checkpoint note with its cosignature lines appended (newest final one, or of `size`). */
  async checkpointWithCosignatures(size?: number): Promise<{ checkpoint: RootCheckpointRecord; note: string } | undefined> {
    const c = size === undefined ? await this.repo.latestCheckpoint({ final: true }) : await this.repo.checkpoint(size);
    if (!c) return undefined;
    const lines = (await this.repo.cosignatures(c.treeSize)).map((s) => s.line).join('');
    return { checkpoint: c, note: `${c.note}${lines}` };
  }

  /** Tree size of the tenant's newest checkpoint that the newest final root checkpoint holds. */
  async newestRootedSize(tenantId: string): Promise<number | undefined> {
    const root = await this.repo.latestCheckpoint({ final: true });
    return root ? this.repo.newestLeafSize(tenantId, root.treeSize) : undefined;
  }

  /** RFC 6962 consistency proof between two root log sizes. */
  async consistency(from: number, to: number): Promise<Buffer[]> {
    return this.evaluateAll(consistencyPlan(from, to));
  }

  /**
   * C2SP tlog-proof files proving that these checkpoints of a tenant (tree sizes) are leaves of
   * the newest final root checkpoint; checkpoints appended after it have none yet.
   */
  async proofsFor(tenantId: string, treeSizes: readonly number[]): Promise<{ treeSize: number; proof: string }[]> {
    return (await this.rootEvidence(tenantId, treeSizes)).proofs;
  }

  /** Root-log proofs of these tenant checkpoints and the RFC 3161 token of the root checkpoint they lead to. */
  async rootEvidence(tenantId: string, treeSizes: readonly number[]): Promise<{ proofs: { treeSize: number; proof: string }[]; timestamp?: { treeSize: number; token: Uint8Array } }> {
    const root = await this.checkpointWithCosignatures();
    if (!root) return { proofs: [] };
    const leaves = [...(await this.repo.leavesOf(tenantId, treeSizes)).values()].filter((l) => l.idx < root.checkpoint.treeSize).sort((a, b) => a.treeSize - b.treeSize);
    const out: { treeSize: number; proof: string }[] = [];
    for (const leaf of leaves) out.push({ treeSize: leaf.treeSize, proof: await this.proofFile(leaf, root.checkpoint.treeSize, root.note) });
    const token = root.checkpoint.timestampToken;
    return { proofs: out, ...(out.length > 0 && token ? { timestamp: { treeSize: root.checkpoint.treeSize, token } } : {}) };
  }

  private async proofFile(leaf: RootLeaf, size: number, note: string): Promise<string> {
    const path = await this.evaluateAll(inclusionPlan(leaf.idx, size));
    return formatTlogProof({ extra: Buffer.from(leaf.note, 'utf8'), index: leaf.idx, path, note });
  }

  private async evaluateAll(specs: RangeSpec[]): Promise<Buffer[]> {
    const stored = await this.repo.nodes(neededNodes(specs));
    const nodes = new Map([...stored].map(([k, v]) => [k, fromHex(v)!]));
    return specs.map((s) => evaluate(s, nodes));
  }
}

/** The checkpoint text (body) of a signed note. */
export function checkpointTextOf(note: string): string {
  const parsed = parseNote(note);
  if (typeof parsed === 'string') throw new Error(`not a signed note: ${parsed}`);
  return parsed.text;
}
