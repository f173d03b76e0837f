import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { Frontier, frontierLevels, fromHex, hashLeaf, hex, nodeKey, type NodeRef } from './merkle.js';

/** A tenant checkpoint to append: its note is the leaf's data. */
export interface RootLeafInput {
  tenantId: string;
  treeSize: number;
  note: string;
}

export interface RootLeaf extends RootLeafInput {
  idx: number;
}

export interface RootCheckpointRecord {
  treeSize: number;
  root: string;
  note: string;
  final: boolean;
  signedAt: Date;
  /** RFC 3161 token (DER) over the checkpoint text, when a TSA timestamped it. */
  timestampToken?: Uint8Array;
}

export interface RootCosignatureRecord {
  treeSize: number;
  witness: string;
  line: string;
  timestamp: number;
}

/** Serializes appends to the one root log across replicas (transaction-scoped advisory lock). */
const ROOT_LOG_LOCK = 0x76_72_6c_67; // "vrlg"

type Tx = Parameters<Parameters<PrismaService['$transaction']>[0]>[0];

/**
 * The deployment-wide root log (PostgreSQL): leaves (tenant checkpoint notes), every complete
 * subtree hash, signed root checkpoints and witness cosignatures. Not tenant-scoped: the root
 * log is the deployment's; what a tenant may read of it is decided by RootLogService.
 */
@Injectable()
export class RootLogRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Appends the leaves that are not in the log yet (by tenant and tree size), in order, under
   * one lock: the leaf rows and every subtree they complete are written in one transaction.
   */
  async append(leaves: readonly RootLeafInput[]): Promise<RootLeaf[]> {
    if (leaves.length === 0) return [];
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROOT_LOG_LOCK})`;
      const present = await tx.rootLogLeaf.findMany({
        where: { OR: leaves.map((l) => ({ tenantId: l.tenantId, treeSize: BigInt(l.treeSize) })) },
        select: { tenantId: true, treeSize: true },
      });
      const seen = new Set(present.map((p) => `${p.tenantId}:${p.treeSize}`));
      const size = await this.sizeIn(tx);
      const frontier = Frontier.of(size, await this.frontierHashes(tx, size));
      const out: RootLeaf[] = [];
      const nodes: { level: number; idx: bigint; hash: string }[] = [];
      for (const l of leaves) {
        const key = `${l.tenantId}:${l.treeSize}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const idx = frontier.size;
        for (const n of frontier.append(hashLeaf(l.note))) nodes.push({ level: n.level, idx: BigInt(n.index), hash: hex(n.hash) });
        out.push({ ...l, idx });
      }
      if (out.length === 0) return out;
      await tx.rootLogLeaf.createMany({ data: out.map((l) => ({ idx: BigInt(l.idx), tenantId: l.tenantId, treeSize: BigInt(l.treeSize), note: l.note })) });
      await tx.rootLogNode.createMany({ data: nodes });
      return out;
    });
  }

  private async sizeIn(tx: Tx | PrismaService): Promise<number> {
    const r = await tx.rootLogLeaf.aggregate({ _max: { idx: true } });
    return r._max.idx === null ? 0 : Number(r._max.idx) + 1;
  }

  private async frontierHashes(tx: Tx | PrismaService, size: number): Promise<Buffer[]> {
    const refs: NodeRef[] = [];
    let offset = 0;
    for (const level of frontierLevels(size)) {
      refs.push({ level, index: offset / 2 ** level });
      offset += 2 ** level;
    }
    const found = await this.nodesIn(tx, refs);
    return refs.map((r) => {
      const h = found.get(nodeKey(r));
      if (!h) throw new Error(`root log node ${nodeKey(r)} is missing`);
      return fromHex(h)!;
    });
  }

  /** Size and root of the log as it is now. */
  async head(): Promise<{ size: number; root: Buffer }> {
    const size = await this.sizeIn(this.prisma);
    return { size, root: Frontier.of(size, await this.frontierHashes(this.prisma, size)).root() };
  }

  async nodes(refs: readonly NodeRef[]): Promise<Map<string, string>> {
    return this.nodesIn(this.prisma, refs);
  }

  private async nodesIn(tx: Tx | PrismaService, refs: readonly NodeRef[]): Promise<Map<string, string>> {
    if (refs.length === 0) return new Map();
    const rows = await tx.rootLogNode.findMany({ where: { OR: refs.map((r) => ({ level: r.level, idx: BigInt(r.index) })) } });
    return new Map(rows.map((r) => [`${r.level}:${Number(r.idx)}`, r.hash]));
  }

  /** The leaves of these tenant checkpoints (by tree size) that are in the log. */
  async leavesOf(tenantId: string, treeSizes: readonly number[]): Promise<Map<number, RootLeaf>> {
    if (treeSizes.length === 0) return new Map();
    const rows = await this.prisma.rootLogLeaf.findMany({ where: { tenantId, treeSize: { in: treeSizes.map((s) => BigInt(s)) } } });
    return new Map(rows.map((r) => [Number(r.treeSize), { idx: Number(r.idx), tenantId: r.tenantId, treeSize: Number(r.treeSize), note: r.note }]));
  }

  /** The largest tenant tree size among the tenant's leaves below root size `rootSize`. */
  async newestLeafSize(tenantId: string, rootSize: number): Promise<number | undefined> {
    const r = await this.prisma.rootLogLeaf.aggregate({ where: { tenantId, idx: { lt: BigInt(rootSize) } }, _max: { treeSize: true } });
    return r._max.treeSize === null ? undefined : Number(r._max.treeSize);
  }

  /**
   * Tenant checkpoints (oldest first, at most `limit`) that are not leaves of the root log:
   * appends that did not happen after a seal (a crash between the commit and the append).
   * Only those sealed since `sinceMs` (the index on sealed_at keeps this cheap every run).
   */
  async missingCheckpoints(sinceMs: number, limit: number): Promise<{ tenantId: string; treeSize: number; root: string; sealedAt: Date }[]> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string; tree_size: bigint; root_hash: string; sealed_at: Date }[]>`
      SELECT c.tenant_id, c.tree_size, c.root_hash, c.sealed_at FROM checkpoints c
      WHERE c.sealed_at >= ${new Date(sinceMs)} AND NOT EXISTS (SELECT 1 FROM root_log_leaves r WHERE r.tenant_id = c.tenant_id AND r.tree_size = c.tree_size)
      ORDER BY c.sealed_at, c.tenant_id, c.number LIMIT ${limit}`;
    return rows.map((r) => ({ tenantId: r.tenant_id, treeSize: Number(r.tree_size), root: r.root_hash, sealedAt: r.sealed_at }));
  }

  // ------------------------------------------------------------ root checkpoints

  async latestCheckpoint(opts: { final?: boolean } = {}): Promise<RootCheckpointRecord | undefined> {
    const row = await this.prisma.rootCheckpoint.findFirst({ where: opts.final ? { final: true } : {}, orderBy: { treeSize: 'desc' } });
    return row ? toCheckpoint(row) : undefined;
  }

  async checkpoint(treeSize: number): Promise<RootCheckpointRecord | undefined> {
    const row = await this.prisma.rootCheckpoint.findUnique({ where: { treeSize: BigInt(treeSize) } });
    return row ? toCheckpoint(row) : undefined;
  }

  /** Stores a signed root checkpoint; false when one of that size exists already. */
  async insertCheckpoint(c: RootCheckpointRecord): Promise<boolean> {
    const r = await this.prisma.rootCheckpoint.createMany({
      data: [{ treeSize: BigInt(c.treeSize), rootHash: c.root, note: c.note, final: c.final, signedAt: c.signedAt }],
      skipDuplicates: true,
    });
    return r.count === 1;
  }

  async setTimestamp(treeSize: number, token: Uint8Array): Promise<void> {
    await this.prisma.rootCheckpoint.update({ where: { treeSize: BigInt(treeSize) }, data: { timestampToken: Buffer.from(token) } });
  }

  async markFinal(treeSize: number): Promise<void> {
    await this.prisma.rootCheckpoint.update({ where: { treeSize: BigInt(treeSize) }, data: { final: true } });
  }

  async addCosignature(c: RootCosignatureRecord): Promise<void> {
    await this.prisma.rootCosignature.createMany({
      data: [{ treeSize: BigInt(c.treeSize), witness: c.witness, line: c.line, timestamp: BigInt(c.timestamp) }],
      skipDuplicates: true,
    });
  }

  async cosignatures(treeSize: number): Promise<RootCosignatureRecord[]> {
    const rows = await this.prisma.rootCosignature.findMany({ where: { treeSize: BigInt(treeSize) }, orderBy: { witness: 'asc' } });
    return rows.map((r) => ({ treeSize: Number(r.treeSize), witness: r.witness, line: r.line, timestamp: Number(r.timestamp) }));
  }

  /** The largest root size this witness has cosigned (0 if none). */
  async witnessedSize(witness: string): Promise<number> {
    const r = await this.prisma.rootCosignature.aggregate({ where: { witness }, _max: { treeSize: true } });
    return r._max.treeSize === null ? 0 : Number(r._max.treeSize);
  }
}

function toCheckpoint(r: { treeSize: bigint; rootHash: string; note: string; final: boolean; signedAt: Date; timestampToken: Uint8Array | null }): RootCheckpointRecord {
  return { treeSize: Number(r.treeSize), root: r.rootHash, note: r.note, final: r.final, signedAt: r.signedAt, ...(r.timestampToken ? { timestampToken: new Uint8Array(r.timestampToken) } : {}) };
}
