import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface SubjectKeyRow {
  subjectHash: string;
  keyId: string;
  wrappedKey: Buffer;
  masterKeyId: string;
}

/** Per-subject data keys (PostgreSQL `subject_keys`), always within one tenant. */
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
   * (statement snapshot); the caller reads those again.
   */
  async getOrCreate(scope: TenantScope, candidates: readonly SubjectKeyRow[]): Promise<SubjectKeyRow[]> {
    if (candidates.length === 0) return [];
    const rows = await this.prisma.$queryRawUnsafe<{ subject_hash: string; key_id: string; wrapped_key: Uint8Array; master_key_id: string }[]>(
      `WITH input AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS i(subject_hash, key_id, wrapped_b64, master_key_id)
), ins AS (
  INSERT INTO subject_keys (tenant_id, subject_hash, key_id, wrapped_key, master_key_id)
  SELECT $1, subject_hash, key_id, decode(wrapped_b64, 'base64'), master_key_id FROM input
  ON CONFLICT (tenant_id, subject_hash) DO NOTHING
  RETURNING subject_hash, key_id, wrapped_key, master_key_id
)
SELECT subject_hash, key_id, wrapped_key, master_key_id FROM ins
UNION ALL
SELECT k.subject_hash, k.key_id, k.wrapped_key, k.master_key_id FROM subject_keys k
WHERE k.tenant_id = $1 AND k.subject_hash IN (SELECT subject_hash FROM input) AND k.subject_hash NOT IN (SELECT subject_hash FROM ins)`,
      scope.tenantId,
      candidates.map((c) => c.subjectHash),
      candidates.map((c) => c.keyId),
      candidates.map((c) => c.wrappedKey.toString('base64')),
      candidates.map((c) => c.masterKeyId),
    );
    return rows.map((r) => ({ subjectHash: r.subject_hash, keyId: r.key_id, wrappedKey: Buffer.from(r.wrapped_key), masterKeyId: r.master_key_id }));
  }

  /** Destroys the subject's key (crypto-shredding); returns the id of the key destroyed, if any. */
  async destroy(scope: TenantScope, subjectHash: string): Promise<string | undefined> {
    const rows = await this.prisma.$queryRaw<{ key_id: string }[]>`DELETE FROM subject_keys WHERE tenant_id = ${scope.tenantId} AND subject_hash = ${subjectHash} RETURNING key_id`;
    return rows[0]?.key_id;
  }

  /** Destroys keys by id (re-applying erasures recorded in the trail, e.g. after a database restore). */
  async destroyKeyIds(scope: TenantScope, keyIds: readonly string[]): Promise<number> {
    if (keyIds.length === 0) return 0;
    const r = await this.prisma.subjectKey.deleteMany({ where: { tenantId: scope.tenantId, keyId: { in: [...keyIds] } } });
    return r.count;
  }
}

function toRow(r: { subjectHash: string; keyId: string; wrappedKey: Uint8Array; masterKeyId: string }): SubjectKeyRow {
  return { subjectHash: r.subjectHash, keyId: r.keyId, wrappedKey: Buffer.from(r.wrappedKey), masterKeyId: r.masterKeyId };
}
