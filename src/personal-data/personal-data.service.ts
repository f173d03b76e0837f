// Above ~400 lines on purpose: protect (ingest), reveal (every read path) and blind (search
// filters) are the three uses of one per-subject key cache and one HMAC key; apart, each would
// need the cache's invalidation rules. The value codecs are already in field-crypto.ts and
// classification.ts.
import { createHmac } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { getOrCompute, setBounded } from '../common/bounded-map.js';
import { canonicalJson } from '../common/canonical.js';
import { SharedLoads } from '../common/shared-loads.js';
import { InjectConfig } from '../config/config.module.js';
import { isEmbeddedPostgres, type AppConfig } from '../config/config.js';
import type { ValidEvent } from '../events/event-rules.js';
import type { EventFilters } from '../events/event-reads.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { classifyEvent, replaceSlots, searchWords, type Slot } from './classification.js';
import { decryptValue, encryptCanonical, encryptValue, ENCRYPTED_PREFIX, ENCRYPTED_VALUE, ERASED, keyIdsIn, MASKED, RESTRICTED, UNREADABLE } from './field-crypto.js';
import { noticeKindFor, ScrubPolicyService } from './scrub-policy.service.js';
import { openSecretValue, sealSecretValue } from './secret-seal.js';
import { blankErasedContext, type ContextErasures } from './context-erasure.js';
import { ErasuresRepository } from './erasures.repository.js';
import { SubjectKeyringService } from './subject-keyring.service.js';
import { SubjectKeysRepository } from './subject-keys.repository.js';

/** Derived filter columns of a protected event (never part of the hashed payload). */
export interface PersonalIndex {
  /** Blind-index tokens: `t:<hmac>` per word of a sensitive value, `ip:<hmac>` for a protected IP. */
  piiTokens: string[];
  /** Tag of the data subject each token belongs to (erasure removes a subject's tokens). */
  piiSubjects: string[];
  /** Replaces the plain `ip` column when context.ip is protected. */
  ip?: string;
}

export interface ProtectedEvent {
  event: ValidEvent;
  index: PersonalIndex;
}

/** Who reads: restricted values only for the privacy scope; an access export masks other subjects. */
export interface Audience {
  restricted: boolean;
  /** When set, only values encrypted with these key ids are decrypted; others read [masked]. */
  onlyKeys?: ReadonlySet<string>;
}

export const PRIVACY_NOTICE_FLAG = 'privacy_notice';

interface SubjectKey {
  keyId: string;
  key: Buffer;
}

interface KeyBatch {
  scope: TenantScope;
  waiters: Map<string, { resolve: (k: SubjectKey) => void; reject: (err: unknown) => void }>;
}

const MAX_CACHE = 50_000;
/** {@link PersonalDataService.keyTtlMs} with embedded PostgreSQL. */
const EMBEDDED_KEY_TTL_MS = 3_600_000;
const MAX_HASHES = 100_000;

/**
 * Per-data-subject encryption of classified fields (crypto-shredding). At ingest, classified
 * values are replaced by ciphertext under the subject's data key before the event is hashed and
 * stored; on every read path the values are put back — or read [erased] once the key is gone,
 * [restricted] for credentials without the privacy scope. Data keys live in PostgreSQL wrapped
 * by a key-encryption key of their bucket (SubjectKeyringService); unwrapped keys are cached for AUTH_CACHE_TTL_MS (an erasure on another
 * replica is seen within that time; on this replica at once).
 */
@Injectable()
export class PersonalDataService implements OnModuleInit {
  private indexRoot: Buffer | undefined;
  private readonly indexKeys = new Map<string, Buffer>();
  /**
   * Recent keyed hashes (tokens, subject hashes) by tenant and message: names and addresses
   * repeat from event to event, and one HMAC per word was the largest cost of ingest. Bounded;
   * emptied on every erasure so no erased subject's words stay in memory.
   */
  private readonly hashes = new Map<string, string>();
  /** Tokens of recent sensitive values, and their recent ciphertexts (see encryptSensitive); emptied on erasure too. */
  private readonly valueTokens = new Map<string, readonly string[]>();
  private readonly sealedValues = new Map<string, string>();
  private readonly byId = new Map<string, { key: Buffer | null; at: number }>();
  /** Per tenant: subjects erased with blank_context, and when. */
  private readonly blanked = new Map<string, { erasures: ContextErasures; at: number }>();
  /** Loads of {@link blanked} in flight, per tenant. */
  private readonly blanking = new SharedLoads<string, ContextErasures>();
  private readonly bySubject = new Map<string, { keyId: string; key: Buffer; at: number }>();
  /** Subject keys being loaded (tenant + subject hash), and the batch of the current turn per tenant. */
  private readonly loadingKeys = new Map<string, Promise<SubjectKey>>();
  private readonly keyBatches = new Map<string, KeyBatch>();

  /**
   * How long a subject's data key, once unwrapped, is trusted for reads. With a PostgreSQL server
   * another replica may destroy it (an erasure): AUTH_CACHE_TTL_MS. With embedded PostgreSQL this
   * process alone opens the database and every key it destroys is dropped from these caches at
   * once (destroyKey, destroyKeyIds), so the time only bounds how long an unused key stays in
   * memory. Keys were reloaded every 5 s before: one PostgreSQL statement per page or webhook
   * message, on the main thread.
   */
  private readonly keyTtlMs: number;

  constructor(
    private readonly repo: SubjectKeysRepository,
    private readonly keyring: SubjectKeyringService,
    private readonly erasures: ErasuresRepository,
    private readonly system: SystemSettingsService,
    private readonly policies: ScrubPolicyService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.keyTtlMs = config.auth.cacheTtlMs <= 0 ? 0 : isEmbeddedPostgres(config) ? EMBEDDED_KEY_TTL_MS : config.auth.cacheTtlMs;
  }

  async onModuleInit(): Promise<void> {
    this.indexRoot = await this.system.secret('privacy_index_key', 32);
  }

  /** Keyed hash of a subject id within the tenant: how keys, erasures and tokens name a subject. */
  subjectHash(scope: TenantScope, subject: string): string {
    return this.hmac(scope.tenantId, `subject\n${subject}`);
  }

  subjectTag(scope: TenantScope, subject: string): string {
    return this.subjectHash(scope, subject).slice(0, 16);
  }

  /** Blind-index token of one search word (lower-cased) of a sensitive value. */
  textToken(scope: TenantScope, word: string): string {
    return `t:${this.hmac(scope.tenantId, `t\n${word}`).slice(0, 24)}`;
  }

  ipToken(scope: TenantScope, ip: string): string {
    return `ip:${this.hmac(scope.tenantId, `ip\n${ip.toLowerCase()}`).slice(0, 24)}`;
  }

  /** Blind-index tokens of every search word of a sensitive value (cached per value). */
  private wordTokens(scope: TenantScope, value: unknown): readonly string[] {
    if (typeof value !== 'string' && typeof value !== 'number') return [];
    return getOrCompute(this.valueTokens, `${scope.tenantId}\n${typeof value}\n${value}`, MAX_HASHES, () =>
      searchWords(value).map((w) => this.textToken(scope, w)),
    );
  }

  /**
   * The sealed form of a sensitive value. The same value of the same subject, under the same
   * key, reuses its recent ciphertext: names and addresses repeat from event to event and the
   * whole-value blind token already shows that two such values are equal, so nothing new is
   * revealed. Restricted values have no blind token and are always encrypted afresh.
   */
  private encryptSensitive(scope: TenantScope, key: SubjectKey, value: unknown): string {
    const plain = canonicalJson(value);
    return getOrCompute(this.sealedValues, `${scope.tenantId}\n${key.keyId}\n${plain}`, MAX_HASHES, () =>
      encryptCanonical(key.key, scope.tenantId, key.keyId, 'sensitive', plain),
    );
  }

  /** Adds the blind-index tokens to search filters, so `q` and `ip` also find encrypted values. */
  blind(scope: TenantScope, filters: EventFilters): EventFilters {
    const out = { ...filters };
    if (filters.terms) out.termTokens = filters.terms.map((t) => this.textToken(scope, t));
    if (filters.ip !== undefined) out.ipToken = this.ipToken(scope, filters.ip);
    return out;
  }

  /**
   * Encrypts every classified value of the events with its subject's key (created on first
   * use), and computes the blind-index tokens and the notice flag.
   */
  async protect(scope: TenantScope, events: readonly ValidEvent[]): Promise<ProtectedEvent[]> {
    const classification = await this.policies.classification(scope);
    const notices = await this.policies.notices(scope);
    const classified = events.map((e) => classifyEvent(e.input, classification));
    const subjects = new Set<string>();
    for (const c of classified) for (const s of c.slots) subjects.add(s.subject);
    const keys = await this.keysForSubjects(scope, [...subjects]);
    // Per request: each subject's tag once, and each value's tokens and sealed form once (names
    // and addresses repeat across the events of a batch; the caches below are keyed by tenant).
    const tags = new Map<string, string>();
    const tagOf = (subject: string) => {
      let t = tags.get(subject);
      if (t === undefined) tags.set(subject, (t = this.subjectTag(scope, subject)));
      return t;
    };
    const tokensOf = new Map<string, readonly string[]>();
    const sealedOf = new Map<SubjectKey, Map<string, string>>();
    const sensitive = (key: SubjectKey, value: unknown, slot: Slot, addToken: (token: string, slot: Slot) => void): string => {
      if (typeof value !== 'string') {
        for (const token of this.wordTokens(scope, value)) addToken(token, slot);
        return this.encryptSensitive(scope, key, value);
      }
      let tokens = tokensOf.get(value);
      if (tokens === undefined) tokensOf.set(value, (tokens = this.wordTokens(scope, value)));
      for (const token of tokens) addToken(token, slot);
      let sealed = sealedOf.get(key);
      if (sealed === undefined) sealedOf.set(key, (sealed = new Map()));
      let text = sealed.get(value);
      if (text === undefined) sealed.set(value, (text = this.encryptSensitive(scope, key, value)));
      return text;
    };
    return events.map((e, i) => {
      const c = classified[i]!;
      const index: PersonalIndex = { piiTokens: [], piiSubjects: [] };
      let flags = e.flags;
      if ((c.classifiedChanges.length > 0 || noticeKindFor(notices, e.input.action) !== undefined) && !flags.includes(PRIVACY_NOTICE_FLAG)) {
        flags = [...flags, PRIVACY_NOTICE_FLAG].sort();
      }
      if (c.slots.length === 0) return { event: flags === e.flags ? e : { ...e, flags }, index };
      const addToken = (token: string, slot: Slot) => {
        if (index.piiTokens.length >= 256) return;
        index.piiTokens.push(token);
        index.piiSubjects.push(tagOf(slot.subject));
      };
      const input = replaceSlots(e.input, c.slots, (slot, value) => {
        const key = keys.get(slot.subject)!;
        if (slot.field === 'context.ip') index.ip = '';
        if (slot.tier !== 'sensitive') return encryptValue(key.key, scope.tenantId, key.keyId, slot.tier, value);
        if (slot.field === 'context.ip' && typeof value === 'string') {
          addToken(this.ipToken(scope, value), slot);
          return this.encryptSensitive(scope, key, value);
        }
        return sensitive(key, value, slot, addToken);
      });
      // Only the top-level members holding a slot changed; the others keep their canonical text.
      const touched = new Set(c.slots.map((s) => s.path[0] as string));
      const record = input as unknown as Record<string, unknown>;
      const members = e.members.map(([k, v]) => (touched.has(k) ? ([k, canonicalJson(record[k])] as const) : ([k, v] as const)));
      return { event: { ...e, input, flags, members }, index };
    });
  }

  /**
   * Puts the personal data back into stored event text (one payload, many, or NDJSON): each
   * encrypted value becomes its plaintext JSON, or [erased] / [restricted] / [masked].
   */
  async reveal(scope: TenantScope, stored: readonly string[], audience: Audience): Promise<{ texts: string[]; restrictedShown: number }> {
    const erasures = await this.contextErasures(scope);
    const texts = erasures.size === 0 ? stored : stored.map((t) => blankErasedContext(t, erasures));
    const ids = keyIdsIn(texts);
    if (ids.size === 0) return { texts: [...texts], restrictedShown: 0 };
    const keys = await this.keysById(scope, [...ids]);
    let restrictedShown = 0;
    const out = texts.map((text) => {
      if (!text.includes(ENCRYPTED_PREFIX)) return text;
      return text.replace(ENCRYPTED_VALUE, (_m, tier: 's' | 'r', keyId: string, b64: string) => {
        const key = keys.get(keyId);
        if (key === null || key === undefined) return ERASED;
        if (audience.onlyKeys && !audience.onlyKeys.has(keyId)) return MASKED;
        if (tier === 'r' && !audience.restricted) return RESTRICTED;
        const plain = key === 'unreadable' ? undefined : decryptValue(key, scope.tenantId, keyId, tier, b64);
        if (plain === undefined) return UNREADABLE;
        if (tier === 'r') restrictedShown++;
        return plain;
      });
    });
    return { texts: out, restrictedShown };
  }

  /**
   * Loads the tenant's erased subjects into the cache while the caller reads the events (a list
   * then pays one round trip less after its query). Without a cache there is nothing to load ahead.
   */
  async prepareReveal(scope: TenantScope): Promise<void> {
    if (this.config.auth.cacheTtlMs <= 0) return;
    await this.contextErasures(scope).catch(() => undefined);
  }

  /**
   * Subjects erased with blank_context (cached like keys; dropped at once on the replica that
   * erased). Callers arriving while the list loads share that load; one dropped by
   * {@link forgetContextErasures} meanwhile is neither shared nor cached.
   */
  private contextErasures(scope: TenantScope): Promise<ContextErasures> {
    const hit = this.blanked.get(scope.tenantId);
    if (hit && performance.now() - hit.at < this.config.auth.cacheTtlMs) return Promise.resolve(hit.erasures);
    const startedAt = performance.now();
    return this.blanking.get(scope.tenantId, (isCurrent) =>
      this.erasures.contextErasures(scope).then((rows) => {
        const erasures = new Map<string, number>();
        for (const r of rows) erasures.set(r.subjectId, Math.max(erasures.get(r.subjectId) ?? 0, r.completedAt.getTime()));
        if (isCurrent()) this.remember(this.blanked, scope.tenantId, { erasures, at: startedAt });
        return erasures;
      }),
    );
  }

  /**
   * The same, read fresh (no cache): integrity verification accepts a blanked context only for
   * the rows these completed erasures blanked, so it must not see a stale list.
   */
  async contextErasureBounds(scope: TenantScope): Promise<ReadonlyMap<string, number>> {
    const erasures = new Map<string, number>();
    for (const r of await this.erasures.contextErasures(scope)) erasures.set(r.subjectId, Math.max(erasures.get(r.subjectId) ?? 0, r.completedAt.getTime()));
    return erasures;
  }

  forgetContextErasures(scope: TenantScope): void {
    this.blanked.delete(scope.tenantId);
    this.blanking.forget(scope.tenantId);
  }

  /** The key id currently protecting a subject's data, if the subject has a key. */
  async currentKeyId(scope: TenantScope, subject: string): Promise<string | undefined> {
    const rows = await this.repo.bySubjects(scope, [this.subjectHash(scope, subject)]);
    return rows[0]?.keyId;
  }

  /**
   * Crypto-shredding: destroys the subject's key, and with it the KEK of its bucket (the other
   * keys of the bucket are re-wrapped under a new one), so no copy of PostgreSQL made from now on
   * can unwrap it. Returns the destroyed key id, if there was one.
   */
  async destroyKey(scope: TenantScope, subject: string): Promise<string | undefined> {
    const hash = this.subjectHash(scope, subject);
    const rows = await this.repo.bySubjects(scope, [hash]);
    const destroyed = rows.length > 0 ? await this.keyring.destroy(scope, rows) : [];
    this.bySubject.delete(`${scope.tenantId}\n${hash}`);
    this.forgetValues();
    for (const keyId of destroyed) this.byId.set(`${scope.tenantId}\n${keyId}`, { key: null, at: performance.now() });
    return destroyed[0];
  }

  /** Destroys keys by id (erasures re-applied from the trail, e.g. after a restore) and forgets them here. */
  async destroyKeyIds(scope: TenantScope, keyIds: readonly string[]): Promise<number> {
    const rows = await this.repo.byKeyIds(scope, keyIds);
    // The reconciler passes every key ever erased, hourly: only a key that was still there
    // (brought back by a restore) can be in this replica's caches.
    if (rows.length === 0) return 0;
    const destroyed = await this.keyring.destroy(scope, rows);
    const ids = new Set(destroyed);
    this.forgetValues();
    for (const id of ids) this.byId.set(`${scope.tenantId}\n${id}`, { key: null, at: performance.now() });
    for (const [k, v] of this.bySubject) if (k.startsWith(`${scope.tenantId}\n`) && ids.has(v.keyId)) this.bySubject.delete(k);
    return destroyed.length;
  }

  /** KEK files left by interrupted rotations are destroyed (reconcile job). */
  keyHousekeeping(): Promise<{ shredded: number; orphans: number }> {
    return this.keyring.housekeeping();
  }

  private async keysForSubjects(scope: TenantScope, subjects: readonly string[]): Promise<Map<string, SubjectKey>> {
    const out = new Map<string, SubjectKey>();
    if (subjects.length === 0) return out;
    const now = performance.now();
    // Ingest may use a subject's key a little longer than reads trust it: an erasure made on
    // another replica within this time leaves the new events' values unreadable, never exposed.
    const ttl = this.keyTtlMs > 0 ? Math.max(this.keyTtlMs, 60_000) : 0;
    const wanted = new Map<string, string>(); // hash → subject
    for (const s of subjects) {
      const hash = this.subjectHash(scope, s);
      const hit = this.bySubject.get(`${scope.tenantId}\n${hash}`);
      if (hit && now - hit.at < ttl) out.set(s, hit);
      else wanted.set(hash, s);
    }
    if (wanted.size === 0) return out;
    const loaded = await Promise.all([...wanted.keys()].map((hash) => this.loadSubjectKey(scope, hash)));
    [...wanted.values()].forEach((subject, i) => out.set(subject, loaded[i]!));
    return out;
  }

  /**
   * A subject's key from PostgreSQL, created when missing. Requests arriving together share the
   * work: a hash already being loaded is awaited, not asked for again, and the hashes asked for
   * in the same turn of the event loop go in one statement per tenant (single-event ingest at
   * concurrency 64 otherwise sent one statement per request while subjects were new).
   */
  private loadSubjectKey(scope: TenantScope, hash: string): Promise<SubjectKey> {
    const id = `${scope.tenantId}\n${hash}`;
    const inflight = this.loadingKeys.get(id);
    if (inflight) return inflight;
    let batch = this.keyBatches.get(scope.tenantId);
    if (!batch) {
      const created: KeyBatch = { scope, waiters: new Map() };
      this.keyBatches.set(scope.tenantId, (batch = created));
      setImmediate(() => {
        this.keyBatches.delete(scope.tenantId);
        void this.runKeyBatch(created);
      });
    }
    const waiters = batch.waiters;
    const p = new Promise<SubjectKey>((resolve, reject) => waiters.set(hash, { resolve, reject }));
    this.loadingKeys.set(id, p);
    void p.then(
      () => this.loadingKeys.delete(id),
      () => this.loadingKeys.delete(id),
    );
    return p;
  }

  private async runKeyBatch(batch: KeyBatch): Promise<void> {
    const { scope, waiters } = batch;
    try {
      const hashes = [...waiters.keys()];
      const now = performance.now();
      for (let i = 0; i < hashes.length; i += 1000) {
        // One statement creates the missing keys and returns every key (new or existing).
        for (const r of await this.keyring.getOrCreate(scope, hashes.slice(i, i + 1000))) {
          const waiter = waiters.get(r.subjectHash);
          if (!waiter) continue;
          if (!r.key) {
            waiter.reject(new Error(`subject key ${r.keyId} does not unwrap`));
          } else {
            const entry = { keyId: r.keyId, key: r.key, at: now };
            this.remember(this.bySubject, `${scope.tenantId}\n${r.subjectHash}`, entry);
            this.remember(this.byId, `${scope.tenantId}\n${r.keyId}`, { key: r.key, at: now });
            waiter.resolve(entry);
          }
          waiters.delete(r.subjectHash);
        }
      }
      for (const w of waiters.values()) w.reject(new Error('a subject key could be neither created nor read'));
    } catch (err) {
      for (const w of waiters.values()) w.reject(err);
    }
  }

  /** Data keys by id: a Buffer, null when destroyed (or never of this tenant), 'unreadable' when it does not unwrap. */
  private async keysById(scope: TenantScope, ids: readonly string[]): Promise<Map<string, Buffer | null | 'unreadable'>> {
    const out = new Map<string, Buffer | null | 'unreadable'>();
    const now = performance.now();
    const ttl = this.keyTtlMs;
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.byId.get(`${scope.tenantId}\n${id}`);
      if (hit && now - hit.at < ttl) out.set(id, hit.key);
      else missing.push(id);
    }
    for (let i = 0; i < missing.length; i += 1000) {
      const chunk = missing.slice(i, i + 1000);
      const rows = await this.repo.byKeyIds(scope, chunk);
      const found = new Map(rows.map((r) => [r.keyId, r]));
      // Unwrapped together: the KEK files of their buckets (a page's keys span many) are read at once.
      const keys = await Promise.all(chunk.map((id) => (found.has(id) ? this.keyring.unwrap(scope, found.get(id)!) : undefined)));
      chunk.forEach((id, j) => {
        if (!found.has(id)) {
          out.set(id, null);
          this.remember(this.byId, `${scope.tenantId}\n${id}`, { key: null, at: now });
          return;
        }
        const key = keys[j];
        out.set(id, key ?? 'unreadable');
        if (key) this.remember(this.byId, `${scope.tenantId}\n${id}`, { key, at: now });
      });
    }
    return out;
  }

  private remember<V>(map: Map<string, V>, k: string, v: V): void {
    if (this.config.auth.cacheTtlMs > 0) setBounded(map, k, v, MAX_CACHE);
  }

  /**
   * Seals a secret another module keeps in PostgreSQL (a webhook's signing secret, a
   * destination's credentials) under the master key, bound to `purpose` and `context`: like
   * personal data, it is then unreadable from a database dump alone (see secret-seal.ts).
   */
  sealSecret(purpose: string, context: string, plaintext: string): string {
    return sealSecretValue(this.masterKey(), purpose, context, plaintext);
  }

  /** Inverse of {@link sealSecret}; undefined when the value does not open with this master key, purpose and context. */
  openSecret(purpose: string, context: string, sealed: string): string | undefined {
    return openSecretValue(this.masterKey(), purpose, context, sealed);
  }

  private masterKey() {
    return this.keyring.masterKey();
  }

  /** Drops every cached plaintext-derived entry (after an erasure: no erased value stays in memory). */
  private forgetValues(): void {
    this.hashes.clear();
    this.valueTokens.clear();
    this.sealedValues.clear();
  }

  private hmac(tenantId: string, message: string): string {
    return getOrCompute(this.hashes, `${tenantId}\n${message}`, MAX_HASHES, () =>
      createHmac('sha256', this.indexKey(tenantId)).update(message).digest('hex'),
    );
  }

  /** Per-tenant index key: tokens of one tenant cannot be matched against another's. */
  private indexKey(tenantId: string): Buffer {
    return getOrCompute(this.indexKeys, tenantId, 10_000, () => {
      if (!this.indexRoot) throw new Error('PersonalDataService not initialised');
      return createHmac('sha256', this.indexRoot).update(`index\n${tenantId}`).digest();
    });
  }
}
