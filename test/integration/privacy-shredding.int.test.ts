import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { decryptValue } from '../../src/personal-data/field-crypto.js';
import { KekStore } from '../../src/personal-data/kek-store.js';
import { unwrapDataKey, wrapDataKey } from '../../src/personal-data/master-key.js';
import { PersonalDataService } from '../../src/personal-data/personal-data.service.js';
import { SubjectKeyringService } from '../../src/personal-data/subject-keyring.service.js';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { TenantScope } from '../../src/tenancy/tenant-scope.js';
import { event, useApp, type TestTenant } from '../support/harness.js';

/**
 * PEN-03: erasure by key destruction must hold against the data directory itself. The attacker
 * here has what a stolen copy gives: every file of PostgreSQL (heap and WAL), the KEK directory,
 * the ciphertext in ClickHouse, and the master key (in embedded mode it sits in DATA_DIR too).
 * They look for the erased key id in the raw files, try every 60-byte window around each hit as
 * a wrapped key, with the master key and with every KEK they can unwrap from the copy.
 */
describe('PEN-03: erasure cannot be undone from a copy of the data directory', () => {
  const ctx = useApp({ JOBS: 'none' });
  const ch = () => ctx.app.app.get(ClickHouseService);
  const prisma = () => ctx.app.app.get(PrismaService);
  const masterKey = () => Buffer.from(ctx.env.vars.PRIVACY_MASTER_KEY!, 'base64');

  /** The sealed actor.email of an event (what ClickHouse holds): key id and ciphertext. */
  const sealedEmail = async (t: TestTenant, id: string) => {
    const rows = await ch().query<{ payload: string }>(`SELECT payload FROM ${ch().tables.events} WHERE tenant_id = {t:String} AND id = {id:UUID}`, { t: t.id, id });
    const m = /^vt-enc:v1:s:([a-z2-7]{16}):([A-Za-z0-9_-]+)$/.exec(JSON.parse(rows[0]!.payload).actor.email);
    if (!m) throw new Error('actor.email is not sealed');
    return { keyId: m[1]!, b64: m[2]! };
  };

  /** A snapshot of the PostgreSQL files and the KEK directory, as an attacker who copied them has it. */
  interface Snapshot {
    pgFiles: Buffer[];
    kekDir: string;
  }

  const snapshot = async (label: string): Promise<Snapshot> => {
    const dir = await mkdtemp(join(tmpdir(), `vt-pen03-${label}-`));
    const kekDir = join(dir, 'privacy-keks');
    await cp(ctx.app.config.privacy.kekDir, kekDir, { recursive: true });
    if (ctx.env.postgresMode === 'embedded') {
      // Flush shared buffers to the heap files first: what a copy taken a while later holds.
      await prisma().$executeRawUnsafe('CHECKPOINT');
      await cp(join(ctx.env.dataDir, 'postgres'), join(dir, 'postgres'), { recursive: true });
      return { pgFiles: await readTree(join(dir, 'postgres')), kekDir };
    }
    // Server mode: the same bytes through the server (the test user is a superuser): the heap
    // file of subject_keys and the newest WAL segments.
    const c = new pg.Client(ctx.env.databaseUrl);
    await c.connect();
    try {
      await c.query('CHECKPOINT');
      const files: Buffer[] = [];
      const heap = (await c.query<{ p: string }>("SELECT pg_relation_filepath('subject_keys') AS p")).rows[0]!.p;
      files.push((await c.query<{ b: Buffer }>('SELECT pg_read_binary_file($1) AS b', [heap])).rows[0]!.b);
      const wal = await c.query<{ name: string }>('SELECT name FROM pg_ls_waldir() ORDER BY modification DESC LIMIT 3');
      for (const w of wal.rows) files.push((await c.query<{ b: Buffer }>('SELECT pg_read_binary_file($1) AS b', [`pg_wal/${w.name}`])).rows[0]!.b);
      return { pgFiles: files, kekDir };
    } finally {
      await c.end();
    }
  };

  /** What the attacker recovers for a sealed value from a snapshot: the plaintext, or undefined. */
  const attack = async (snap: Snapshot, tenantId: string, sealed: { keyId: string; b64: string }): Promise<string | undefined> => {
    const master = masterKey();
    const wrapping: Buffer[] = [master];
    const store = new KekStore(snap.kekDir, { id: 'attacker', key: master });
    for (const f of await store.list()) {
      const kek = await store.read(tenantId, f.kekId);
      if (kek) wrapping.push(kek);
    }
    const needle = Buffer.from(sealed.keyId, 'latin1');
    for (const file of snap.pgFiles) {
      for (let at = file.indexOf(needle); at >= 0; at = file.indexOf(needle, at + 1)) {
        for (let off = Math.max(0, at - 256); off <= Math.min(file.length - 60, at + 256); off++) {
          const candidate = file.subarray(off, off + 60);
          for (const w of wrapping) {
            const dataKey = unwrapDataKey(w, tenantId, sealed.keyId, candidate);
            const plain = dataKey && decryptValue(dataKey, tenantId, sealed.keyId, 's', sealed.b64);
            if (plain !== undefined && plain !== null) return JSON.parse(plain) as string;
          }
        }
      }
    }
    return undefined;
  };

  it('PEN-03: a copy taken after the erasure decrypts nothing of the erased subject; the rest of the bucket still decrypts', async () => {
    const t = await ctx.tenant('Shred');
    const scope = TenantScope.forTenant({ id: t.id, retentionDays: 365 });
    const personal = ctx.app.app.get(PersonalDataService);
    const keyring = ctx.app.app.get(SubjectKeyringService);
    const bucketOf = (subject: string) => keyring.bucketOf(personal.subjectHash(scope, subject));
    // A neighbour in the erased subject's bucket: its key is re-wrapped by the rotation.
    const target = 'u_erased';
    let neighbour = '';
    for (let i = 0; !neighbour; i++) if (bucketOf(`u_n${i}`) === bucketOf(target)) neighbour = `u_n${i}`;
    const other = [0, 1, 2, 3, 4, 5].map((i) => `u_o${i}`).find((s) => bucketOf(s) !== bucketOf(target))!;
    const people = [target, neighbour, other];
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: { events: people.map((id) => event({ actor: { type: 'user', id, name: `Name of ${id}`, email: `${id}@example.com` } })) },
    });
    expect(r.status, r.text).toBe(201);
    const ids = r.body.ids as string[];
    const sealed = await Promise.all(ids.map((id) => sealedEmail(t, id)));

    // Control: before the erasure the attack works, so a failure afterwards means something.
    const before = await snapshot('before');
    expect(await attack(before, t.id, sealed[0]!)).toBe(`${target}@example.com`);

    const e = await ctx.api.post(`/v1/privacy/subjects/${target}/erasure`, { token: t.key });
    expect(e.status, e.text).toBe(200);
    expect(e.body.erasure.key_ids).toEqual([sealed[0]!.keyId]);

    const after = await snapshot('after');
    expect(await attack(after, t.id, sealed[0]!)).toBeUndefined();
    // The same attack on the same copy still opens the neighbour's key (re-wrapped under the new
    // KEK) and the other bucket's: the copy is complete, only the erased key is beyond reach.
    expect(await attack(after, t.id, sealed[1]!)).toBe(`${neighbour}@example.com`);
    expect(await attack(after, t.id, sealed[2]!)).toBe(`${other}@example.com`);
    // Through the API: erased for the subject, intact for everyone else; integrity unaffected.
    const read = async (id: string) => (await ctx.api.get(`/v1/events/${id}`, { token: t.key })).body.actor;
    expect(await read(ids[0]!)).toMatchObject({ name: '[erased]', email: '[erased]' });
    expect(await read(ids[1]!)).toMatchObject({ name: `Name of ${neighbour}`, email: `${neighbour}@example.com` });
    expect(await read(ids[2]!)).toMatchObject({ email: `${other}@example.com` });
    await ctx.api.post('/v1/integrity/seal', { token: t.key });
    expect((await ctx.api.post('/v1/integrity/verify', { token: t.key, body: {} })).body.status).toBe('ok');
    // The old KEK file is gone from the live directory, and nothing is left queued for deletion.
    expect(await prisma().privacyKekShred.count()).toBe(0);
    const liveFiles = (await readdir(ctx.app.config.privacy.kekDir)).map((f) => f.replace(/\.kek$/, ''));
    const liveRows = (await prisma().privacyKek.findMany({ where: { tenantId: t.id } })).map((k) => k.kekId);
    expect(liveRows.every((k) => liveFiles.includes(k))).toBe(true);
    for (const dir of [before.kekDir, after.kekDir]) await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('PEN-03: a rotation interrupted after its commit leaves the old KEK queued; start-up or reconcile destroys it, and no remaining key is lost', async () => {
    const t = await ctx.tenant('Shred crash');
    const scope = TenantScope.forTenant({ id: t.id, retentionDays: 365 });
    const personal = ctx.app.app.get(PersonalDataService);
    const keyring = ctx.app.app.get(SubjectKeyringService);
    const bucketOf = (subject: string) => keyring.bucketOf(personal.subjectHash(scope, subject));
    let neighbour = '';
    for (let i = 0; !neighbour; i++) if (bucketOf(`c_n${i}`) === bucketOf('c_gone')) neighbour = `c_n${i}`;
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: { events: ['c_gone', neighbour].map((id) => event({ actor: { type: 'user', id, name: 'X', email: `${id}@example.com` } })) },
    });
    expect(r.status, r.text).toBe(201);
    // The state a crash between the commit and the file deletion leaves: a retired KEK still on disk.
    const kekDir = ctx.app.config.privacy.kekDir;
    const live = (await prisma().privacyKek.findMany({ where: { tenantId: t.id } }))[0]!;
    const kept = await readFile(join(kekDir, `${live.kekId}.kek`));
    expect((await ctx.api.post('/v1/privacy/subjects/c_gone/erasure', { token: t.key })).status).toBe(200);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(kekDir, `${live.kekId}.kek`), kept, { mode: 0o600 });
    await prisma().privacyKekShred.create({ data: { kekId: live.kekId, tenantId: t.id } });
    const counts = await ctx.app.app.get(JobRunner).runNow('privacy-reconcile');
    expect(counts).toMatchObject({ kek_files_shredded: 1 });
    await expect(stat(join(kekDir, `${live.kekId}.kek`))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await prisma().privacyKekShred.count()).toBe(0);
    expect((await ctx.api.get(`/v1/events/${r.body.ids[1]}`, { token: t.key })).body.actor.email).toBe(`${neighbour}@example.com`);
  });

  it('PEN-03: two erasures in one bucket at once both complete, and the bucket keeps one live KEK', async () => {
    const t = await ctx.tenant('Shred concurrent');
    const scope = TenantScope.forTenant({ id: t.id, retentionDays: 365 });
    const personal = ctx.app.app.get(PersonalDataService);
    const keyring = ctx.app.app.get(SubjectKeyringService);
    const bucketOf = (subject: string) => keyring.bucketOf(personal.subjectHash(scope, subject));
    const same: string[] = [];
    for (let i = 0; same.length < 3; i++) if (bucketOf(`k_${i}`) === bucketOf('k_0')) same.push(`k_${i}`);
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: { events: same.map((id) => event({ actor: { type: 'user', id, name: 'Y', email: `${id}@example.com` } })) },
    });
    expect(r.status, r.text).toBe(201);
    const [a, b] = await Promise.all(same.slice(0, 2).map((s) => ctx.api.post(`/v1/privacy/subjects/${s}/erasure`, { token: t.key })));
    expect([a!.status, b!.status]).toEqual([200, 200]);
    const ids = r.body.ids as string[];
    const email = async (id: string) => (await ctx.api.get(`/v1/events/${id}`, { token: t.key })).body.actor.email;
    expect([await email(ids[0]!), await email(ids[1]!), await email(ids[2]!)]).toEqual(['[erased]', '[erased]', `${same[2]}@example.com`]);
    const keks = await prisma().privacyKek.findMany({ where: { tenantId: t.id, bucket: bucketOf('k_0') } });
    expect(keks).toHaveLength(1);
    expect(keks[0]!.generation).toBe(2);
  });

  it('PEN-03: keys wrapped by the master key alone (made before KEKs) are put under KEKs at start-up and stay readable', async () => {
    const t = await ctx.tenant('Shred legacy');
    const r = await ctx.api.post('/v1/events', { token: t.key, body: event({ actor: { type: 'user', id: 'l_1', name: 'Lee', email: 'l_1@example.com' } }) });
    expect(r.status, r.text).toBe(201);
    const scope = TenantScope.forTenant({ id: t.id, retentionDays: 365 });
    const keyring = ctx.app.app.get(SubjectKeyringService);
    const row = (await prisma().subjectKey.findMany({ where: { tenantId: t.id } }))[0]!;
    const dataKey = await keyring.unwrap(scope, { ...row, wrappedKey: Buffer.from(row.wrappedKey) });
    // The state an older version left: wrapped by the master key, no KEK.
    await prisma().subjectKey.update({
      where: { tenantId_subjectHash: { tenantId: t.id, subjectHash: row.subjectHash } },
      data: { kekId: null, wrappedKey: new Uint8Array(wrapDataKey(masterKey(), t.id, row.keyId, dataKey!)) },
    });
    await keyring.onModuleInit();
    const adopted = await prisma().subjectKey.findFirstOrThrow({ where: { tenantId: t.id, keyId: row.keyId } });
    expect(adopted.kekId).toEqual(expect.any(String));
    expect(unwrapDataKey(masterKey(), t.id, row.keyId, Buffer.from(adopted.wrappedKey))).toBeUndefined();
    expect(await keyring.unwrap(scope, { ...adopted, wrappedKey: Buffer.from(adopted.wrappedKey) })).toEqual(dataKey);
    expect((await ctx.api.get(`/v1/events/${r.body.id}`, { token: t.key })).body.actor.email).toBe('l_1@example.com');
  });
});

async function readTree(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return out;
}
