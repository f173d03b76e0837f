import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface SubjectKeyRow {
  subjectHash: string;
  keyId: string;
  wrappedKey: Buffer;
  masterKeyId: string;
  /** The KEK wrapping the key; null for keys wrapped by the master key (made before KEKs existed). */
  kekId: string | null;
}

export interface KekRow {
  kekId: string;
  bucket: number;
  generation: number;
}

/** A subject key re-wrapped under the new KEK of a rotation. */
export interface Rewrapped {
  subjectHash: string;
  wrappedKey: Buffer;
}

interface RawKeyRow {
  subject_hash: string;
  key_id: string;
  wrapped_key: Uint8Array;
  master_key_id: string;
  kek_id: string | null;
}

/** A foreign-key violation: a key was being created under a KEK that a rotation just retired. */
export function isKekRetired(err: unknown): boolean {
  const e = err as { code?: string; meta?: unknown; message?: string };
  return e?.code === 'P2003' || /23503|foreign key/i.test(`${JSON.stringify(e?.meta ?? '')} ${e?.message ?? ''}`);
}

/**
 * Per-subject data keys (PostgreSQL `subject_keys`) and the bookkeeping of the key-encryption
 * keys that wrap them (`privacy_keks`, `privacy_kek_shred`; the KEKs themselves are files, see
 * kek-store.ts). Always within one tenant, except the start-up and reconcile housekeeping.
 */
@Injectable()
export class SubjectKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  async bySubjects(scope: TenantScope, hashes: readonly string[]): Promise<SubjectKeyRow[]> {
    if (hashes.length === 0) return [];
    const rows = await this.prisma.subjectKey.findMany({ where: { tenantId: scope.tenantId, subjectHash: { in: [...hashes] } } });
    return rows.map(toRow);
  }

  async byKeyIds(scope: TenantScope, keyIds: readonly string[]): Promise<SubjectKeyRow[]> {
    if (keyIds.length === 0) return [];
    const rows = await this.prisma.subjectKey.findMany({ where: { tenantId: scope.tenantId, keyId: { in: [...keyIds] } } });
    return rows.map(toRow);
  }

  /**
   * The keys of these subjects, creating the given candidate keys for those that have none — in
   * one statement (the ingest path pays one round trip for subjects it has not cached). A
   * subject whose key another request created concurrently may be missing from the answer
   * (statement snapshot); the caller reads those again. Fails with a foreign-key violation
   * ({@link isKekRetired}) when a candidate's KEK was retired meanwhile: nothing is inserted then.
   */
  async getOrCreate(scope: TenantScope, candidates: readonly SubjectKeyRow[]): Promise<SubjectKeyRow[]> {
    if (candidates.length === 0) return [];
    const rows = await this.prisma.$queryRawUnsafe<RawKeyRow[]>(
      `WITH input AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS i(subject_hash, key_id, wrapped_b64, master_key_id, kek_id)
), ins AS (
  INSERT INTO subject_keys (tenant_id, subject_hash, key_id, wrapped_key, master_key_id, kek_id)
  SELECT $1, subject_hash, key_id, decode(wrapped_b64, 'base64'), master_key_id, kek_id FROM input
  ON CONFLICT (tenant_id, subject_hash) DO NOTHING
  RETURNING subject_hash, key_id, wrapped_key, master_key_id, kek_id
)
SELECT subject_hash, key_id, wrapped_key, master_key_id, kek_id FROM ins
UNION ALL
SELECT k.subject_hash, k.key_id, k.wrapped_key, k.master_key_id, k.kek_id FROM subject_keys k
WHERE k.tenant_id = $1 AND k.subject_hash IN (SELECT subject_hash FROM input) AND k.subject_hash NOT IN (SELECT subject_hash FROM ins)`,
      scope.tenantId,
      candidates.map((c) => c.subjectHash),
      candidates.map((c) => c.keyId),
      candidates.map((c) => c.wrappedKey.toString('base64')),
      candidates.map((c) => c.masterKeyId),
      candidates.map((c) => c.kekId),
    );
    return rows.map(fromRaw);
  }

  /** The tenant's live KEKs (at most one per bucket outside a rotation; the newest generation wins). */
  async liveKeks(scope: TenantScope): Promise<KekRow[]> {
    const rows = await this.prisma.privacyKek.findMany({ where: { tenantId: scope.tenantId }, orderBy: [{ bucket: 'asc' }, { generation: 'asc' }] });
    return rows.map((r) => ({ kekId: r.kekId, bucket: r.bucket, generation: r.generation }));
  }

  /** Records the first KEK of a bucket; false when another process recorded one first. */
  async insertFirstKek(scope: TenantScope, kek: KekRow): Promise<boolean> {
    const n = await this.prisma.$executeRaw`INSERT INTO privacy_keks (kek_id, tenant_id, bucket, generation) VALUES (${kek.kekId}, ${scope.tenantId}, ${kek.bucket}, ${kek.generation})
ON CONFLICT (tenant_id, bucket, generation) DO NOTHING`;
    return n > 0;
  }

  /**
   * One rotation of a bucket's KEK, in one transaction: lock the old KEK row (waits for keys
   * being created under it; later ones fail and retry under the new KEK), delete the keys to
   * destroy, record the new KEK, re-wrap every other key of the bucket under it, retire the old
   * KEK (the foreign key proves no key still depends on it) and queue its file for deletion.
   * The new KEK's file must be durable before this runs; the old file is deleted after it
   * commits. 'stale' when the old KEK was already rotated away (run again with the live one).
   */
  async rotateKek(
    scope: TenantScope,
    old: KekRow,
    next: KekRow,
    destroy: { subjectHashes?: readonly string[]; keyIds?: readonly string[] },
    rewrap: (rows: SubjectKeyRow[]) => Rewrapped[],
  ): Promise<{ destroyed: string[]; rewrapped: number } | 'stale'> {
    const tenantId = scope.tenantId;
    return this.prisma.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ kek_id: string }[]>`SELECT kek_id FROM privacy_keks WHERE tenant_id = ${tenantId} AND kek_id = ${old.kekId} FOR UPDATE`;
        if (locked.length === 0) return 'stale' as const;
        const destroyed = await tx.$queryRaw<{ key_id: string }[]>`DELETE FROM subject_keys
WHERE tenant_id = ${tenantId} AND kek_id = ${old.kekId}
  AND (subject_hash = ANY(${[...(destroy.subjectHashes ?? [])]}::text[]) OR key_id = ANY(${[...(destroy.keyIds ?? [])]}::text[]))
RETURNING key_id`;
        await tx.$executeRaw`INSERT INTO privacy_keks (kek_id, tenant_id, bucket, generation) VALUES (${next.kekId}, ${tenantId}, ${next.bucket}, ${next.generation})`;
        const rows = await tx.$queryRaw<RawKeyRow[]>`SELECT subject_hash, key_id, wrapped_key, master_key_id, kek_id FROM subject_keys WHERE tenant_id = ${tenantId} AND kek_id = ${old.kekId}`;
        const rewrapped = rewrap(rows.map(fromRaw));
        if (rewrapped.length !== rows.length) throw new Error('every remaining key of the bucket must be re-wrapped');
        for (let i = 0; i < rewrapped.length; i += 5_000) {
          const chunk = rewrapped.slice(i, i + 5_000);
          await tx.$executeRaw`UPDATE subject_keys s SET wrapped_key = decode(u.w, 'base64'), kek_id = ${next.kekId}
FROM unnest(${chunk.map((r) => r.subjectHash)}::text[], ${chunk.map((r) => r.wrappedKey.toString('base64'))}::text[]) AS u(h, w)
WHERE s.tenant_id = ${tenantId} AND s.subject_hash = u.h AND s.kek_id = ${old.kekId}`;
        }
        await tx.$executeRaw`INSERT INTO privacy_kek_shred (kek_id, tenant_id) VALUES (${old.kekId}, ${tenantId}) ON CONFLICT (kek_id) DO NOTHING`;
        await tx.$executeRaw`DELETE FROM privacy_keks WHERE kek_id = ${old.kekId}`;
        return { destroyed: destroyed.map((d) => d.key_id), rewrapped: rewrapped.length };
      },
      { timeout: 300_000, maxWait: 30_000 },
    );
  }

  /** Deletes keys without a rotation (only for keys whose KEK no longer exists). */
  async deleteKeys(scope: TenantScope, keyIds: readonly string[]): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ key_id: string }[]>`DELETE FROM subject_keys WHERE tenant_id = ${scope.tenantId} AND key_id = ANY(${[...keyIds]}::text[]) RETURNING key_id`;
    return rows.map((r) => r.key_id);
  }

  /** Keys wrapped by the master key directly (made before KEKs existed), across tenants: start-up conversion. */
  async legacyKeysAllTenants(limit: number): Promise<(SubjectKeyRow & { tenantId: string })[]> {
    const rows = await this.prisma.subjectKey.findMany({ where: { kekId: null }, take: limit, orderBy: [{ tenantId: 'asc' }, { subjectHash: 'asc' }] });
    return rows.map((r) => ({ ...toRow(r), tenantId: r.tenantId }));
  }

  /** Puts legacy keys under their bucket's KEK (only rows still legacy; a concurrent rotation makes this fail and retry). */
  async adoptLegacy(scope: TenantScope, rows: readonly (Rewrapped & { kekId: string })[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.prisma.$executeRaw`UPDATE subject_keys s SET wrapped_key = decode(u.w, 'base64'), kek_id = u.k
FROM unnest(${rows.map((r) => r.subjectHash)}::text[], ${rows.map((r) => r.wrappedKey.toString('base64'))}::text[], ${rows.map((r) => r.kekId)}::text[]) AS u(h, w, k)
WHERE s.tenant_id = ${scope.tenantId} AND s.subject_hash = u.h AND s.kek_id IS NULL`;
  }

  /**
   * Rewrites the table into new files (the old ones are unlinked), so superseded tuples — keys
   * wrapped by the master key alone — do not linger in heap pages after the start-up conversion.
   */
  async compact(): Promise<void> {
    await this.prisma.$executeRawUnsafe('VACUUM FULL subject_keys');
  }

  /** KEKs retired by committed rotations whose file deletion is not confirmed yet. */
  async retiredKeks(): Promise<string[]> {
    return (await this.prisma.privacyKekShred.findMany({ select: { kekId: true } })).map((r) => r.kekId);
  }

  async retiredKeksGone(kekIds: readonly string[]): Promise<void> {
    if (kekIds.length > 0) await this.prisma.privacyKekShred.deleteMany({ where: { kekId: { in: [...kekIds] } } });
  }

  /** Every live KEK id of every tenant (files not among them are leftovers). */
  async allLiveKekIds(): Promise<Set<string>> {
    return new Set((await this.prisma.privacyKek.findMany({ select: { kekId: true } })).map((r) => r.kekId));
  }

  /** Whether any subject key depends on a KEK (a missing file for such a KEK is a misconfiguration, not a leftover). */
  async countByKek(kekId: string): Promise<number> {
    return this.prisma.subjectKey.count({ where: { kekId } });
  }
}

function fromRaw(r: RawKeyRow): SubjectKeyRow {
  return { subjectHash: r.subject_hash, keyId: r.key_id, wrappedKey: Buffer.from(r.wrapped_key), masterKeyId: r.master_key_id, kekId: r.kek_id };
}

function toRow(r: { subjectHash: string; keyId: string; wrappedKey: Uint8Array; masterKeyId: string; kekId: string | null }): SubjectKeyRow {
  return { subjectHash: r.subjectHash, keyId: r.keyId, wrappedKey: Buffer.from(r.wrappedKey), masterKeyId: r.masterKeyId, kekId: r.kekId };
}
