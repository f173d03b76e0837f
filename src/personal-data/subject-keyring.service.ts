import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { groupBy } from '../common/group-by.js';
import { SharedLoads } from '../common/shared-loads.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { newKeyId } from './field-crypto.js';
import { KekStore } from './kek-store.js';
import { loadMasterKey, unwrapDataKey, wrapDataKey, type MasterKey } from './master-key.js';
import { isKekRetired, SubjectKeysRepository, type KekRow, type SubjectKeyRow } from './subject-keys.repository.js';

/**
 * Subjects of a tenant are spread over this many buckets (by their keyed hash), each with its
 * own KEK: an erasure re-wraps the keys of one bucket, not the whole tenant. 64 buckets put
 * ~1 600 keys in a bucket of a tenant with 100 000 subjects (docs/privacy.md has the figures).
 */
export const KEK_BUCKETS = 64;
/** A KEK file no row names, older than this, is a leftover of a crash (never one being set up). */
const ORPHAN_GRACE_MS = 3_600_000;
const ROTATION_ATTEMPTS = 5;

/** A subject key as the ingest path needs it. */
export interface LoadedKey {
  subjectHash: string;
  keyId: string;
  /** The unwrapped data key, or undefined when it does not unwrap. */
  key: Buffer | undefined;
}

/**
 * The key hierarchy behind per-subject encryption: master key (outside the databases) → one KEK
 * per (tenant, bucket), each a file in PRIVACY_KEK_DIR → subject data keys in PostgreSQL.
 * Erasure rotates the bucket's KEK: a new KEK file, the bucket's other keys re-wrapped under it
 * and committed, then the old KEK file destroyed. A crash at any point loses no remaining key: the
 * old KEK stays until the commit that stops needing it, and a retired KEK whose file survived a
 * crash is destroyed at the next start or reconcile (privacy_kek_shred).
 */
@Injectable()
export class SubjectKeyringService implements OnModuleInit {
  private readonly logger = new Logger('SubjectKeyring');
  private master: MasterKey | undefined;
  private store: KekStore | undefined;
  /** Unwrapped KEKs by id (undefined: the file is gone). */
  private readonly keks = new Map<string, { key: Buffer | undefined; at: number }>();
  /** KEK files being read, by tenant and KEK id. */
  private readonly kekReads = new SharedLoads<string, Buffer | undefined>();
  /** Live KEK per bucket, per tenant. */
  private readonly live = new Map<string, { byBucket: Map<number, KekRow>; at: number }>();

  constructor(
    private readonly repo: SubjectKeysRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.master = await loadMasterKey(this.config.privacy);
    this.store = new KekStore(this.config.privacy.kekDir, this.master);
    await this.shredRetired();
    await this.adoptLegacyKeys();
  }

  bucketOf(subjectHash: string): number {
    return parseInt(subjectHash.slice(0, 2), 16) % KEK_BUCKETS;
  }

  /**
   * The keys of these subjects, created (random, wrapped under the bucket's live KEK) for those
   * that have none. A key created under a KEK that a rotation on another replica retired
   * meanwhile fails in PostgreSQL (foreign key) and is made again under the new KEK.
   */
  async getOrCreate(scope: TenantScope, hashes: readonly string[]): Promise<LoadedKey[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const byBucket = groupBy(hashes, (h) => this.bucketOf(h));
        const candidates: SubjectKeyRow[] = [];
        for (const [bucket, list] of byBucket) {
          const kek = await this.liveKek(scope, bucket);
          for (const subjectHash of list) {
            const keyId = newKeyId();
            candidates.push({ subjectHash, keyId, wrappedKey: wrapDataKey(kek.key, scope.tenantId, keyId, randomBytes(32)), masterKeyId: this.masterKey().id, kekId: kek.row.kekId });
          }
        }
        let rows = await this.repo.getOrCreate(scope, candidates);
        if (rows.length < hashes.length) {
          // Created concurrently by another replica after this statement's snapshot: read them now.
          const have = new Set(rows.map((r) => r.subjectHash));
          rows = [...rows, ...(await this.repo.bySubjects(scope, hashes.filter((h) => !have.has(h))))];
        }
        return Promise.all(rows.map(async (r) => ({ subjectHash: r.subjectHash, keyId: r.keyId, key: await this.unwrap(scope, r) })));
      } catch (err) {
        if (!isKekRetired(err) || attempt >= ROTATION_ATTEMPTS) throw err;
        this.live.delete(scope.tenantId);
      }
    }
  }

  /** A stored key unwrapped, or undefined (logged) when its KEK is gone or it does not unwrap. */
  async unwrap(scope: TenantScope, row: SubjectKeyRow): Promise<Buffer | undefined> {
    const wrapping = row.kekId === null ? this.masterKey().key : await this.kekKey(scope, row.kekId);
    const key = wrapping && unwrapDataKey(wrapping, scope.tenantId, row.keyId, row.wrappedKey);
    if (!key) {
      this.logger.error(
        { tenant_id: scope.tenantId, key_id: row.keyId, kek_id: row.kekId },
        wrapping ? 'a subject key does not unwrap with the configured master key' : 'the KEK of a subject key is missing from PRIVACY_KEK_DIR (is it the same directory on every replica?)',
      );
    }
    return key;
  }

  /**
   * Destroys these keys for good: each bucket concerned gets a new KEK, its other keys are
   * re-wrapped under it, and the old KEK file is deleted. Returns the ids of the keys destroyed.
   */
  async destroy(scope: TenantScope, rows: readonly SubjectKeyRow[]): Promise<string[]> {
    const destroyed: string[] = [];
    let pending = [...rows];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > ROTATION_ATTEMPTS) throw new Error('subject keys could not be destroyed: their buckets kept rotating');
      const legacy = pending.filter((r) => r.kekId === null);
      if (legacy.length > 0) await this.adopt(scope, legacy);
      if (legacy.length > 0) pending = await this.repo.byKeyIds(scope, pending.map((r) => r.keyId));
      const stale: string[] = [];
      for (const [kekId, list] of groupBy(pending.filter((r) => r.kekId !== null), (r) => r.kekId!)) {
        const r = await this.rotate(scope, kekId, list.map((x) => x.keyId));
        if (r === 'stale') stale.push(...list.map((x) => x.keyId));
        else destroyed.push(...r);
      }
      pending = stale.length > 0 ? await this.repo.byKeyIds(scope, stale) : [];
    }
    return destroyed;
  }

  /**
   * Hourly and at start: deletes the files of KEKs whose rotation committed (a crash may have
   * left them), and KEK files no row names that are older than an hour (a crash between writing
   * a new KEK and committing it).
   */
  async housekeeping(): Promise<{ shredded: number; orphans: number }> {
    const shredded = await this.shredRetired();
    const live = await this.repo.allLiveKekIds();
    let orphans = 0;
    for (const f of await this.kekStore().list()) {
      if (live.has(f.kekId) || f.ageMs < ORPHAN_GRACE_MS) continue;
      await this.kekStore().destroy(f.kekId);
      orphans++;
    }
    return { shredded, orphans };
  }

  private async shredRetired(): Promise<number> {
    const retired = await this.repo.retiredKeks();
    for (const id of retired) {
      this.forgetKek(id);
      await this.kekStore().destroy(id);
      this.keks.delete(id);
    }
    await this.repo.retiredKeksGone(retired);
    return retired.length;
  }

  private async rotate(scope: TenantScope, kekId: string, keyIds: readonly string[]): Promise<string[] | 'stale'> {
    const rows = await this.liveRows(scope, true);
    const old = rows.find((k) => k.kekId === kekId);
    if (!old) return 'stale';
    const oldKey = await this.kekKey(scope, kekId);
    if (!oldKey) {
      // The KEK file is gone (e.g. PostgreSQL restored without its KEK directory): nobody can
      // unwrap these keys any more; dropping the rows is all that is left to do.
      this.logger.error({ tenant_id: scope.tenantId, kek_id: kekId }, 'the KEK of keys being destroyed is missing from PRIVACY_KEK_DIR; the keys are deleted, other keys under it stay unreadable');
      return this.repo.deleteKeys(scope, keyIds);
    }
    // A restored older KEK can sit beside the live one of its bucket: the new one comes after both.
    const generation = Math.max(...rows.filter((k) => k.bucket === old.bucket).map((k) => k.generation)) + 1;
    const next: KekRow = { kekId: newKeyId(), bucket: old.bucket, generation };
    const nextKey = await this.kekStore().create(scope.tenantId, next.kekId);
    let result: Awaited<ReturnType<SubjectKeysRepository['rotateKek']>>;
    try {
      result = await this.repo.rotateKek(scope, old, next, { keyIds }, (rows) =>
        rows.map((r) => {
          const dataKey = unwrapDataKey(oldKey, scope.tenantId, r.keyId, r.wrappedKey);
          if (!dataKey) throw new Error(`subject key ${r.keyId} does not unwrap with its KEK; rotation aborted`);
          return { subjectHash: r.subjectHash, wrappedKey: wrapDataKey(nextKey, scope.tenantId, r.keyId, dataKey) };
        }),
      );
    } catch (err) {
      // Whether it committed is unknown: the new KEK file stays (housekeeping removes it if no row names it).
      this.live.delete(scope.tenantId);
      throw err;
    }
    this.live.delete(scope.tenantId);
    if (result === 'stale') {
      await this.kekStore().destroy(next.kekId);
      return 'stale';
    }
    this.keks.set(next.kekId, { key: nextKey, at: performance.now() });
    this.forgetKek(kekId);
    await this.kekStore().destroy(kekId);
    await this.repo.retiredKeksGone([kekId]);
    this.logger.log({ tenant_id: scope.tenantId, bucket: old.bucket, destroyed: result.destroyed.length, rewrapped: result.rewrapped }, 'KEK rotated');
    return result.destroyed;
  }

  /** Puts keys wrapped by the master key alone under their bucket's KEK. */
  private async adopt(scope: TenantScope, rows: readonly SubjectKeyRow[]): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const out: { subjectHash: string; wrappedKey: Buffer; kekId: string }[] = [];
        for (const [bucket, list] of groupBy(rows, (r) => this.bucketOf(r.subjectHash))) {
          const kek = await this.liveKek(scope, bucket);
          for (const r of list) {
            const dataKey = unwrapDataKey(this.masterKey().key, scope.tenantId, r.keyId, r.wrappedKey);
            if (!dataKey) continue; // logged when read; left as it is
            out.push({ subjectHash: r.subjectHash, wrappedKey: wrapDataKey(kek.key, scope.tenantId, r.keyId, dataKey), kekId: kek.row.kekId });
          }
        }
        return await this.repo.adoptLegacy(scope, out);
      } catch (err) {
        if (!isKekRetired(err) || attempt >= ROTATION_ATTEMPTS) throw err;
        this.live.delete(scope.tenantId);
      }
    }
  }

  /** Start-up: keys made before KEKs existed are put under KEKs, then the table is rewritten so their old form is gone from its files. */
  private async adoptLegacyKeys(): Promise<void> {
    let adopted = 0;
    let skipped = new Set<string>();
    for (;;) {
      const rows = (await this.repo.legacyKeysAllTenants(1_000 + skipped.size)).filter((r) => !skipped.has(r.keyId));
      if (rows.length === 0) break;
      for (const [tenantId, list] of groupBy(rows, (r) => r.tenantId)) {
        const n = await this.adopt(TenantScope.forTenant({ id: tenantId, retentionDays: 1 }), list);
        adopted += n;
        if (n < list.length) skipped = new Set([...skipped, ...list.map((r) => r.keyId)]);
      }
      if (rows.length < 1_000) break;
    }
    if (adopted > 0) {
      await this.repo.compact();
      this.logger.warn({ keys: adopted }, 'subject keys wrapped by the master key alone were re-wrapped under key-encryption keys');
    }
  }

  private async liveKek(scope: TenantScope, bucket: number): Promise<{ row: KekRow; key: Buffer }> {
    let row = (await this.liveRows(scope, false)).filter((k) => k.bucket === bucket).pop();
    if (!row) row = await this.createFirstKek(scope, bucket);
    const key = await this.kekKey(scope, row.kekId);
    if (!key) throw new Error(`KEK ${row.kekId} is missing from PRIVACY_KEK_DIR (is it the same directory on every replica?)`);
    return { row, key };
  }

  private async createFirstKek(scope: TenantScope, bucket: number): Promise<KekRow> {
    const row: KekRow = { kekId: newKeyId(), bucket, generation: 0 };
    const key = await this.kekStore().create(scope.tenantId, row.kekId);
    if (await this.repo.insertFirstKek(scope, row)) {
      this.keks.set(row.kekId, { key, at: performance.now() });
      this.live.delete(scope.tenantId);
      return row;
    }
    await this.kekStore().destroy(row.kekId);
    const winner = (await this.liveRows(scope, true)).filter((k) => k.bucket === bucket).pop();
    if (!winner) throw new Error('a bucket KEK could be neither created nor read');
    return winner;
  }

  /** The tenant's live KEKs, newest generation last within a bucket (cached; `fresh` re-reads). */
  private async liveRows(scope: TenantScope, fresh: boolean): Promise<KekRow[]> {
    const hit = this.live.get(scope.tenantId);
    if (!fresh && hit && performance.now() - hit.at < this.ttl()) return [...hit.byBucket.values()];
    const rows = await this.repo.liveKeks(scope);
    const byBucket = new Map<number, KekRow>();
    for (const r of rows) byBucket.set(r.bucket, r);
    if (this.live.size > 10_000) this.live.clear();
    this.live.set(scope.tenantId, { byBucket, at: performance.now() });
    return rows;
  }

  /** A KEK, from the cache or its file; keys of one bucket unwrapped together share one read. */
  private kekKey(scope: TenantScope, kekId: string): Promise<Buffer | undefined> {
    const hit = this.keks.get(kekId);
    if (hit && performance.now() - hit.at < this.ttl()) return Promise.resolve(hit.key);
    const id = `${scope.tenantId}\n${kekId}`;
    return this.kekReads.get(id, (isCurrent) =>
      this.kekStore()
        .read(scope.tenantId, kekId)
        .then((key) => {
          // Not cached when the KEK was destroyed (forgotten) while its file was being read.
          if (isCurrent()) {
            if (this.keks.size > 100_000) this.keks.clear();
            this.keks.set(kekId, { key, at: performance.now() });
          }
          return key;
        }),
    );
  }

  /** Forgets a KEK (and any read of it in flight) before its file is destroyed. */
  private forgetKek(kekId: string): void {
    this.keks.delete(kekId);
    this.kekReads.forgetMatching((id) => id.endsWith(`\n${kekId}`));
  }

  private ttl(): number {
    return Math.max(this.config.auth.cacheTtlMs, 1_000);
  }

  /** The master key (outside the databases); also seals other modules' secrets through PersonalDataService. */
  masterKey(): MasterKey {
    if (!this.master) throw new Error('SubjectKeyringService not initialised');
    return this.master;
  }

  private kekStore(): KekStore {
    if (!this.store) throw new Error('SubjectKeyringService not initialised');
    return this.store;
  }
}
