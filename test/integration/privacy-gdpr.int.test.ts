import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { checkEvent } from '../../src/events/event-rules.js';
import { buildStoredEvent } from '../../src/events/stored-event.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { NoticeService } from '../../src/privacy/notices.service.js';
import { PersonalDataService } from '../../src/personal-data/personal-data.service.js';
import { SubjectKeysRepository } from '../../src/personal-data/subject-keys.repository.js';
import { TenantScope } from '../../src/tenancy/tenant-scope.js';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { createKey, customerEvents, event, listAll, useApp, type TestTenant } from '../support/harness.js';
import { testClock } from '../support/test-clock.js';

const DAY = 86_400_000;

/**
 * Privacy duties against real stores: classification and per-subject encryption, erasure with
 * legal hold, subject access, data-subject notices, retention (PR-01…PR-05, RT-01…RT-04).
 * The 1 000-event erasure across every output is test/e2e/privacy-erasure.e2e.test.ts.
 */
describe('privacy: classification, erasure, access, notices, retention', () => {
  const ctx = useApp({ JOBS: 'none' });
  const ch = () => ctx.app.app.get(ClickHouseService);
  const stored = async (t: TestTenant, id: string) =>
    (await ch().query<{ payload: string }>(`SELECT payload FROM ${ch().tables.events} WHERE tenant_id = {t:String} AND id = {id:UUID}`, { t: t.id, id }))[0]!.payload;
  const trail = async (t: TestTenant, action: string) => (await listAll(ctx.api, t.key, { action })).filter((e) => e.action === action);

  it('stores classified values encrypted per subject; reads decrypt them; restricted values only for the privacy scope, and that read is audited', async () => {
    const t = await ctx.tenant('Classify');
    const put = await ctx.api.put('/v1/settings/privacy', {
      token: t.key,
      body: {
        scrubbing: {},
        classification: { fields: { 'context.ip': 'restricted', 'metadata.phone': 'sensitive' }, actions: { 'hr.*': { 'metadata.salary': 'restricted' } } },
      },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.classification.fields).toMatchObject({ 'actor.email': 'sensitive', 'context.ip': 'restricted', 'metadata.phone': 'sensitive' });
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          event({ action: 'hr.salary.viewed', actor: { type: 'user', id: 'u_ann', name: 'Ann Lee', email: 'ann@example.com' }, metadata: { salary: 91000, phone: '+44 20 7946 0000', team: 'blue' } }),
          event({ action: 'doc.viewed', actor: { type: 'user', id: 'u_ann', name: 'Ann Lee', email: 'ann@example.com' }, metadata: { salary: 5 } }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    const [hrId, docId] = r.body.ids as string[];
    const raw = JSON.parse(await stored(t, hrId!));
    for (const v of [raw.actor.name, raw.actor.email, raw.metadata.phone]) expect(v).toMatch(/^vt-enc:v1:s:[a-z2-7]{16}:/);
    expect(raw.metadata.salary).toMatch(/^vt-enc:v1:r:/);
    expect(raw.context.ip).toMatch(/^vt-enc:v1:r:/);
    expect(raw.metadata.team).toBe('blue'); // unclassified
    expect(raw.actor.id).toBe('u_ann'); // identifiers stay: integrity and joins need them
    expect(JSON.parse(await stored(t, docId!)).metadata.salary).toBe(5); // the override applies to hr.* only

    // The admin key has every scope, privacy included: everything in clear, and the read is audited.
    const full = (await ctx.api.get(`/v1/events/${hrId}`, { token: t.key })).body;
    expect(full.actor).toEqual({ type: 'user', id: 'u_ann', name: 'Ann Lee', email: 'ann@example.com' });
    expect(full.metadata).toEqual({ salary: 91000, phone: '+44 20 7946 0000', team: 'blue' });
    expect(full.context.ip).toBe('203.0.113.5');
    const reader = await createKey(ctx.api, t.key, { scopes: ['events:read'] });
    const limited = (await ctx.api.get(`/v1/events/${hrId}`, { token: reader })).body;
    expect(limited.actor.email).toBe('ann@example.com');
    expect(limited.metadata.salary).toBe('[restricted]');
    expect(limited.context.ip).toBe('[restricted]');
    const listed = customerEvents((await ctx.api.get('/v1/events', { token: reader, query: { action: 'hr.*' } })).body.data);
    expect(listed[0].metadata).toEqual({ salary: '[restricted]', phone: '+44 20 7946 0000', team: 'blue' });
    await expect.poll(async () => (await trail(t, 'veritrail.privacy.restricted_read')).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const audit = (await trail(t, 'veritrail.privacy.restricted_read'))[0];
    expect(audit.actor.type).toBe('api_key');
    expect(audit.metadata).toMatchObject({ via: 'events.get', values: 2 });
    // Read through an export, restricted values are recorded too; without the privacy scope none are shown.
    const exported = await ctx.api.get('/v1/events/export', { token: t.key, query: { format: 'ndjson', action: 'hr.*' } });
    expect(exported.status, exported.text).toBe(200);
    expect(JSON.parse(exported.text.trim()).metadata.salary).toBe(91000);
    const viaExport = async () => (await trail(t, 'veritrail.privacy.restricted_read')).filter((e) => e.metadata.via === 'export');
    await expect.poll(async () => (await viaExport()).length, { timeout: 10_000 }).toBe(1);
    expect((await viaExport())[0].metadata).toMatchObject({ values: 2, events: 1 });
    // A sensitive value is sealed once per request: both events carry the same ciphertext for
    // Ann's e-mail, which a list showing both shows in clear in each. Restricted values are
    // counted one by one (a salary and two IPs).
    const rawDoc = JSON.parse(await stored(t, docId!));
    expect(rawDoc.actor.email).toBe(raw.actor.email);
    expect(rawDoc.actor.name).toBe(raw.actor.name);
    const viaList = async () => (await trail(t, 'veritrail.privacy.restricted_read')).filter((e) => e.metadata.via === 'events.list' && e.metadata.events === 2);
    const both = customerEvents((await ctx.api.get('/v1/events', { token: t.key, query: { actor_id: 'u_ann' } })).body.data);
    expect(both.map((e) => [e.actor.name, e.actor.email, e.context.ip])).toEqual([
      ['Ann Lee', 'ann@example.com', '203.0.113.5'],
      ['Ann Lee', 'ann@example.com', '203.0.113.5'],
    ]);
    await expect.poll(async () => (await viaList()).length, { timeout: 10_000 }).toBe(1);
    expect((await viaList())[0].metadata).toMatchObject({ values: 3 });
    const exporter = await createKey(ctx.api, t.key, { scopes: ['events:read', 'exports'] });
    const masked = await ctx.api.get('/v1/events/export', { token: exporter, query: { format: 'ndjson', action: 'hr.*' } });
    expect(JSON.parse(masked.text.trim()).metadata.salary).toBe('[restricted]');

    // Search still finds encrypted values through the blind index: whole value or a word of it.
    const byEmail = customerEvents(await listAll(ctx.api, t.key, { q: 'ann@example.com' }));
    expect(byEmail.map((e) => e.id).sort()).toEqual([hrId, docId].sort());
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'lee' }))).toHaveLength(2);
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'le' }))).toHaveLength(0); // no substring oracle on ciphertext
    // The search entry in the trail counts the terms instead of keeping them.
    const searched = (await trail(t, 'veritrail.events.searched')).map((e) => JSON.stringify(e.metadata));
    expect(searched.join('\n')).not.toContain('ann@example.com');
  });

  it('IN-02: a value that looks like ciphertext is refused (400 reserved_value), nothing stored', async () => {
    const t = await ctx.tenant('Reserved');
    const r = await ctx.api.post('/v1/events', { token: t.key, body: event({ metadata: { x: 'vt-enc:v1:s:aaaaaaaaaaaaaaaa:forged' } }) });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ field: 'metadata.x', code: 'reserved_value' })]);
    expect(customerEvents(await listAll(ctx.api, t.key))).toEqual([]);
  });

  it('refuses bad privacy and retention settings with stable codes and changes nothing', async () => {
    const t = await ctx.tenant('Bad settings');
    const before = (await ctx.api.get('/v1/settings/privacy', { token: t.key })).body;
    for (const body of [
      { scrubbing: {}, classification: { fields: { 'actor.password': 'sensitive' } } },
      { scrubbing: {}, classification: { fields: { 'actor.email': 'secret' } } },
      { scrubbing: {}, classification: { actions: { 'USER.*': {} } } },
      { scrubbing: {}, notices: { actions: { 'user.deleted': 'gone' } } },
    ]) {
      const r = await ctx.api.put('/v1/settings/privacy', { token: t.key, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    expect((await ctx.api.get('/v1/settings/privacy', { token: t.key })).body).toEqual(before);
    const ret = (body: unknown) => ctx.api.put('/v1/settings/retention', { token: t.key, body });
    expect((await ret({ default_days: 0 })).status).toBe(400);
    expect((await ret({ default_days: 99_999 })).status).toBe(400);
    expect((await ret({ default_days: 4000 })).body.error.details[0].code).toBe('above_maximum');
    expect((await ret({ default_days: 30, actions: [{ action: 'a.b', days: 1 }, { action: 'a.b', days: 2 }] })).body.error.details[0].code).toBe('duplicate');
    // RT-02: a PCI tenant cannot go below a year without a recorded reason.
    const pci = await ret({ default_days: 30, pci_dss: true });
    expect(pci.status).toBe(422);
    expect(pci.body.error.code).toBe('retention_below_minimum');
    expect((await ctx.api.get('/v1/settings/retention', { token: t.key })).body).toMatchObject({ default_days: 365, actions: [], legal_holds: [], pci_dss: false });
    const ok = await ret({ default_days: 30, pci_dss: true, override_reason: 'Sandbox tenant, no card data' });
    expect(ok.status, ok.text).toBe(200);
    const updated = (await trail(t, 'veritrail.retention.updated'))[0];
    expect(updated.metadata.override_reason).toBe('Sandbox tenant, no card data');
    expect(updated.changes).toEqual(expect.arrayContaining([{ field: 'default_days', before: 365, after: 30 }]));
    const reader = await createKey(ctx.api, t.key, { scopes: ['events:read'] });
    expect((await ctx.api.get('/v1/settings/retention', { token: reader })).status).toBe(403);
    expect((await ctx.api.post('/v1/privacy/subjects/u_1/erasure', { token: reader })).status).toBe(403);
  });

  it('PR-04: a legal hold blocks erasure (409 legal_hold, basis recorded); lifting the hold runs it', async () => {
    const t = await ctx.tenant('Hold');
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: { events: [event({ organization_id: 'org_held', actor: { type: 'user', id: 'u_bob', name: 'Bob Stone', email: 'bob@example.com' } })] },
    });
    expect(r.status).toBe(201);
    const hold = await ctx.api.put('/v1/settings/retention', { token: t.key, body: { default_days: 365, legal_holds: [{ organization_id: 'org_held', reason: 'Case 2026-17' }] } });
    expect(hold.status, hold.text).toBe(200);
    expect(hold.body.legal_holds[0]).toMatchObject({ organization_id: 'org_held', reason: 'Case 2026-17' });
    const refused = await ctx.api.post('/v1/privacy/subjects/u_bob/erasure', { token: t.key });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('legal_hold');
    expect(refused.body.error.details[0].message).toContain('Art. 17(3)(e)');
    const ev = (await ctx.api.get(`/v1/events/${r.body.ids[0]}`, { token: t.key })).body;
    expect(ev.actor.name).toBe('Bob Stone'); // nothing erased
    const pending = (await ctx.api.get('/v1/privacy/subjects/u_bob/erasures', { token: t.key })).body.data;
    expect(pending).toEqual([expect.objectContaining({ status: 'pending', held_by: ['org_held'] })]);
    expect(await trail(t, 'veritrail.privacy.erasure_deferred')).toHaveLength(1);

    await ctx.api.put('/v1/settings/retention', { token: t.key, body: { default_days: 365 } });
    const after = (await ctx.api.get(`/v1/events/${r.body.ids[0]}`, { token: t.key })).body;
    expect(after.actor).toMatchObject({ id: 'u_bob', name: '[erased]', email: '[erased]' });
    const done = (await ctx.api.get('/v1/privacy/subjects/u_bob/erasures', { token: t.key })).body.data;
    expect(done).toEqual([expect.objectContaining({ id: pending[0].id, status: 'completed', events_affected: 1 })]);
    expect(await trail(t, 'veritrail.retention.legal_hold_lifted')).toHaveLength(1);
  });

  it('an unwrapped key is read again after AUTH_CACHE_TTL_MS only where another replica could destroy it; an erasure shows at once either way', async () => {
    const t = await ctx.tenant('Key cache');
    const r = await ctx.api.post('/v1/events', { token: t.key, body: event({ actor: { type: 'user', id: 'u_kc', name: 'Kim Cole', email: 'kim@example.com' } }) });
    expect(r.status, r.text).toBe(201);
    const email = async () => (await ctx.api.get(`/v1/events/${r.body.id}`, { token: t.key })).body.actor.email;
    expect(await email()).toBe('kim@example.com');
    const reads = vi.spyOn(ctx.app.app.get(SubjectKeysRepository), 'byKeyIds');
    try {
      await new Promise((resolve) => setTimeout(resolve, 5_300)); // past AUTH_CACHE_TTL_MS (5 s here)
      expect(await email()).toBe('kim@example.com');
      // Embedded PostgreSQL: this process alone can destroy a key, so it keeps what it unwrapped.
      if (ctx.env.postgresMode === 'embedded') expect(reads).not.toHaveBeenCalled();
      else expect(reads).toHaveBeenCalled();
      const e = await ctx.api.post('/v1/privacy/subjects/u_kc/erasure', { token: t.key });
      expect(e.status, e.text).toBe(200);
      expect(await email()).toBe('[erased]');
    } finally {
      reads.mockRestore();
    }
  });

  it('erasure: signed receipt, [erased] everywhere, no search hit, other subjects intact; TN: another tenant gets 404', async () => {
    const t = await ctx.tenant('Erase');
    const other = await ctx.tenant('Erase other');
    const body = {
      events: [
        event({ action: 'user.login', actor: { type: 'user', id: 'u_cat', name: 'Cat Jones', email: 'cat@example.com' } }),
        event({ action: 'user.role.changed', actor: { type: 'user', id: 'u_admin', name: 'Dan Admin', email: 'dan@example.com' }, targets: [{ type: 'user', id: 'u_cat', name: 'Cat Jones' }] }),
      ],
    };
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body });
    expect(r.status).toBe(201);
    await ctx.api.post('/v1/events/batch', { token: other.key, body });
    await ctx.api.post('/v1/integrity/seal', { token: t.key });
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'cat@example.com' }))).toHaveLength(1);

    // TN: a subject of tenant A asked for by tenant B only exists for B's own copy; an unknown subject is 404.
    expect((await ctx.api.post('/v1/privacy/subjects/u_nobody/erasure', { token: t.key })).status).toBe(404);
    expect((await ctx.api.post('/v1/privacy/subjects/u_nobody/access', { token: t.key })).status).toBe(404);
    expect((await ctx.api.post(`/v1/privacy/subjects/${encodeURIComponent('a\u0001b')}/erasure`, { token: t.key })).status).toBe(400);

    const prisma = ctx.app.app.get(PrismaService);
    const keysBefore = await prisma.subjectKey.findMany({ where: { tenantId: t.id } });
    const kekBefore = await prisma.privacyKek.findMany({ where: { tenantId: t.id } });
    const catHash = ctx.app.app.get(PersonalDataService).subjectHash(TenantScope.forTenant({ id: t.id, retentionDays: 365 }), 'u_cat');
    const catKekId = keysBefore.find((k) => k.subjectHash === catHash)!.kekId!;
    const kekFileBefore = await readFile(join(ctx.app.config.privacy.kekDir, `${catKekId}.kek`));
    const e = await ctx.api.post('/v1/privacy/subjects/u_cat/erasure', { token: t.key });
    expect(e.status, e.text).toBe(200);
    expect(e.body.erasure).toMatchObject({ subject: 'u_cat', status: 'completed', events_affected: 2 });
    const jwks = createLocalJWKSet((await ctx.api.get('/.well-known/jwks.json')).body);
    const v = await compactVerify(e.body.receipt, jwks, { algorithms: ['EdDSA'] });
    expect(v.protectedHeader.typ).toBe('veritrail-erasure-receipt+jws');
    const claims = JSON.parse(Buffer.from(v.payload).toString());
    expect(claims).toMatchObject({ tenant: t.id, subject: 'u_cat', events: 2, key_ids: e.body.erasure.key_ids, legal_basis: 'GDPR Art. 17(1)' });
    expect(claims.checkpoint.tree_size).toBeGreaterThan(0);

    const [login, role] = r.body.ids as string[];
    expect((await ctx.api.get(`/v1/events/${login}`, { token: t.key })).body.actor).toEqual({ type: 'user', id: 'u_cat', name: '[erased]', email: '[erased]' });
    const roleEv = (await ctx.api.get(`/v1/events/${role}`, { token: t.key })).body;
    expect(roleEv.targets[0].name).toBe('[erased]');
    expect(roleEv.actor.name).toBe('Dan Admin'); // the other subject is untouched
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'cat@example.com' }))).toEqual([]);
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'jones' }))).toEqual([]);
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'dan@example.com' }))).toHaveLength(1);
    // The other tenant's copy of u_cat is not affected: subjects and keys are per tenant.
    expect(customerEvents(await listAll(ctx.api, other.key, { q: 'cat@example.com' }))).toHaveLength(1);
    // Integrity still verifies: leaves commit to ciphertext, which did not change.
    const verify = await ctx.api.post('/v1/integrity/verify', { token: t.key, body: {} });
    expect(verify.body.status).toBe('ok');
    // Audited, with an erasure notice; a second erasure is harmless.
    expect((await trail(t, 'veritrail.privacy.subject_erased'))[0].metadata).toMatchObject({ events: 2, key_ids: e.body.erasure.key_ids });
    const notices = (await ctx.api.get('/v1/privacy/notices', { token: t.key, query: { subject: 'u_cat', kind: 'erasure' } })).body.data;
    expect(notices).toHaveLength(1);
    expect((await ctx.api.post('/v1/privacy/subjects/u_cat/erasure', { token: t.key })).status).toBe(200);
    // PR-02: a restore of PostgreSQL and the KEK directory from before the erasure brings the key
    // back (its row, its KEK row and KEK file); the reconciler, reading the destroyed key ids from
    // the trail, destroys it again — by rotation, so the restored KEK is gone again too.
    const erasedKey = keysBefore.find((k) => k.keyId === e.body.erasure.key_ids[0])!;
    expect(erasedKey).toBeDefined();
    const kekFile = join(ctx.app.config.privacy.kekDir, `${erasedKey.kekId}.kek`);
    await prisma.privacyKek.create({ data: kekBefore.find((k) => k.kekId === erasedKey.kekId)! });
    await writeFile(kekFile, kekFileBefore, { mode: 0o600 });
    await prisma.subjectKey.create({ data: erasedKey });
    expect((await ctx.app.app.get(JobRunner).runNow('privacy-reconcile'))?.destroyed).toBe(1);
    expect(await prisma.subjectKey.count({ where: { keyId: erasedKey.keyId } })).toBe(0);
    expect(existsSync(kekFile)).toBe(false);
    expect((await ctx.api.get(`/v1/events/${role}`, { token: t.key })).body.actor.name).toBe('Dan Admin');
    // New events of the subject get a new key (the person may come back), even with the very
    // values sealed before the erasure (no ciphertext of the destroyed key is reused).
    const again = await ctx.api.post('/v1/events', { token: t.key, body: event({ actor: { type: 'user', id: 'u_cat', name: 'Cat Again' } }) });
    expect((await ctx.api.get(`/v1/events/${again.body.id}`, { token: t.key })).body.actor.name).toBe('Cat Again');
    const same = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: { events: [0, 1].map(() => event({ action: 'user.login', actor: { type: 'user', id: 'u_cat', name: 'Cat Jones', email: 'cat@example.com' } })) },
    });
    for (const id of same.body.ids as string[]) {
      expect((await ctx.api.get(`/v1/events/${id}`, { token: t.key })).body.actor).toMatchObject({ name: 'Cat Jones', email: 'cat@example.com' });
    }
    expect(customerEvents(await listAll(ctx.api, t.key, { q: 'cat@example.com' }))).toHaveLength(2);
  });

  it('PR-05: access returns the subject’s events decrypted, other people masked, with notices and recipients', async () => {
    const t = await ctx.tenant('Access');
    const other = await ctx.tenant('Access other');
    await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          event({ action: 'user.login', actor: { type: 'user', id: 'u_eve', name: 'Eve Park', email: 'eve@example.com' } }),
          event({
            action: 'user.email.updated',
            actor: { type: 'user', id: 'u_tom', name: 'Tom Hart', email: 'tom@example.com' },
            targets: [{ type: 'user', id: 'u_eve', name: 'Eve Park' }],
            changes: [{ field: 'email', before: 'eve@old.example', after: 'eve@example.com' }],
          }),
          event({ action: 'doc.viewed', actor: { type: 'user', id: 'u_tom', name: 'Tom Hart' } }),
        ],
      },
    });
    const r = await ctx.api.post('/v1/privacy/subjects/u_eve/access', { token: t.key });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('attachment');
    const doc = JSON.parse(r.text);
    expect(doc).toMatchObject({ format: 'veritrail-subject-access-v1', subject: 'u_eve', tenant: t.id });
    expect(doc.events).toHaveLength(2);
    const [login, changed] = doc.events;
    expect(login.actor).toEqual({ type: 'user', id: 'u_eve', name: 'Eve Park', email: 'eve@example.com' });
    expect(changed.targets[0].name).toBe('Eve Park');
    expect(changed.changes[0]).toEqual({ field: 'email', before: 'eve@old.example', after: 'eve@example.com' });
    expect(changed.actor).toMatchObject({ id: '[masked]', name: '[masked]', email: '[masked]' });
    expect(r.text).not.toContain('Tom Hart');
    expect(r.text).not.toContain('tom@example.com');
    expect(Array.isArray(doc.recipients) && Array.isArray(doc.notices)).toBe(true);
    expect(await trail(t, 'veritrail.privacy.subject_accessed')).toHaveLength(1);
    // TN: the other tenant has never seen u_eve.
    expect((await ctx.api.post('/v1/privacy/subjects/u_eve/access', { token: other.key })).status).toBe(404);
    expect((await ctx.api.post('/v1/privacy/subjects/u_eve/erasure', { token: other.key })).status).toBe(404);
  });

  it('PROMISE-04: two subjects in each other\'s events: each access document shows only its own data', async () => {
    const t = await ctx.tenant('Access mutual');
    const ann = { type: 'user', id: 'u_ann4', name: 'Ann Four', email: 'ann4@example.com' };
    const bob = { type: 'user', id: 'u_bob4', name: 'Bob Four', email: 'bob4@example.com' };
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          // Ann acts on Bob: Ann's context and metadata, Bob's changed e-mail.
          event({
            action: 'user.email.updated',
            actor: ann,
            targets: [{ type: 'user', id: 'u_bob4', name: 'Bob Four', metadata: { team: 'bob-team' } }, { type: 'document', id: 'doc_4', name: 'Team list' }],
            context: { ip: '198.51.100.44', user_agent: 'AnnBrowser/1.0', session_id: 'sess_ann', request_id: 'req_ann' },
            metadata: { reason: 'ann-reason' },
            changes: [{ field: 'email', before: 'bob@old.example', after: 'bob4@example.com' }, { field: 'nickname', before: 'bobby', after: 'bob' }],
          }),
          // Bob acts on Ann.
          event({
            action: 'user.role.changed',
            actor: bob,
            targets: [{ type: 'user', id: 'u_ann4', name: 'Ann Four' }],
            context: { ip: '203.0.113.99', user_agent: 'BobBrowser/2.0', session_id: 'sess_bob' },
            metadata: { note: 'bob-note' },
            changes: [{ field: 'role', before: 'member', after: 'admin' }],
          }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    const access = async (s: string) => {
      const res = await ctx.api.post(`/v1/privacy/subjects/${s}/access`, { token: t.key });
      expect(res.status, res.text).toBe(200);
      return { text: res.text, doc: JSON.parse(res.text) };
    };
    const a = await access('u_ann4');
    const [annActs, bobActs] = a.doc.events;
    // Ann's own event: everything of Ann in clear; Bob's name, id, metadata and changed values masked; the document stays.
    expect(annActs.actor).toEqual(ann);
    expect(annActs.context).toMatchObject({ ip: '198.51.100.44', user_agent: 'AnnBrowser/1.0', session_id: 'sess_ann' });
    expect(annActs.metadata).toEqual({ reason: 'ann-reason' });
    expect(annActs.targets[0]).toEqual({ type: 'user', id: '[masked]', name: '[masked]', metadata: { team: '[masked]' } });
    expect(annActs.targets[1]).toEqual({ type: 'document', id: 'doc_4', name: 'Team list' });
    expect(annActs.changes).toEqual([
      { field: 'email', before: '[masked]', after: '[masked]' },
      { field: 'nickname', before: '[masked]', after: '[masked]' },
    ]);
    // Bob's event about Ann: Ann's change in clear, Bob's IP, user agent, session, metadata and identity masked.
    expect(bobActs.targets[0]).toMatchObject({ id: 'u_ann4', name: 'Ann Four' });
    expect(bobActs.changes).toEqual([{ field: 'role', before: 'member', after: 'admin' }]);
    expect(bobActs.actor).toEqual({ type: 'user', id: '[masked]', name: '[masked]', email: '[masked]' });
    expect(bobActs.context).toEqual({ ip: '[masked]', user_agent: '[masked]', session_id: '[masked]' });
    expect(bobActs.metadata).toEqual({ note: '[masked]' });
    for (const leak of ['Bob Four', 'bob4@example.com', 'bob@old.example', 'bobby', '203.0.113.99', 'BobBrowser', 'sess_bob', 'bob-note', 'bob-team', 'u_bob4']) expect(a.text).not.toContain(leak);
    // And the other way round.
    const b = await access('u_bob4');
    for (const leak of ['Ann Four', 'ann4@example.com', '198.51.100.44', 'AnnBrowser', 'sess_ann', 'req_ann', 'ann-reason', 'u_ann4']) expect(b.text).not.toContain(leak);
    const [annAboutBob, bobOwn] = b.doc.events;
    expect(annAboutBob.changes).toEqual([
      { field: 'email', before: 'bob@old.example', after: 'bob4@example.com' },
      { field: 'nickname', before: 'bobby', after: 'bob' },
    ]);
    expect(annAboutBob.targets[0]).toEqual({ type: 'user', id: 'u_bob4', name: 'Bob Four', metadata: { team: 'bob-team' } });
    expect(bobOwn.context).toMatchObject({ ip: '203.0.113.99', user_agent: 'BobBrowser/2.0', session_id: 'sess_bob' });
  });

  it('notices: a classified change and a listed deletion raise notices (fields named, never valued); an unclassified change raises none', async () => {
    const t = await ctx.tenant('Notices');
    const other = await ctx.tenant('Notices other');
    await ctx.api.put('/v1/settings/privacy', { token: t.key, body: { scrubbing: {}, notices: { actions: { 'user.deleted': 'deletion' } } } });
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          event({
            action: 'user.profile.updated',
            organization_id: 'org_n',
            actor: { type: 'user', id: 'u_admin' },
            targets: [{ type: 'user', id: 'u_fay' }],
            changes: [
              { field: 'email', before: 'fay@old.example', after: 'fay@new.example' },
              { field: 'theme', before: 'light', after: 'dark' },
            ],
          }),
          event({ action: 'user.deleted', actor: { type: 'user', id: 'u_admin' }, targets: [{ type: 'user', id: 'u_gus' }] }),
          event({ action: 'user.settings.updated', actor: { type: 'user', id: 'u_hal' }, changes: [{ field: 'theme', before: 'light', after: 'dark' }] }),
        ],
      },
    });
    expect(r.status).toBe(201);
    await ctx.api.post('/v1/events', { token: other.key, body: event({ actor: { type: 'user', id: 'u_x' }, changes: [{ field: 'email', before: 'a@b.c', after: 'd@e.f' }] }) });
    const notices = ctx.app.app.get(NoticeService);
    // The job sees every tenant's flagged events (other tests' too); what counts is per tenant, and once.
    expect((await notices.scan()).notices).toBeGreaterThanOrEqual(3);
    expect(await notices.scan()).toMatchObject({ notices: 0, announced: 0 }); // exactly once
    const list = (await ctx.api.get('/v1/privacy/notices', { token: t.key })).body.data;
    expect(list.map((n: { kind: string; subject: string }) => `${n.kind}:${n.subject}`).sort()).toEqual(['deletion:u_gus', 'rectification:u_fay']);
    const fay = list.find((n: { subject: string }) => n.subject === 'u_fay');
    expect(fay).toMatchObject({ fields: ['email'], event_id: r.body.ids[0], action: 'user.profile.updated', organization_id: 'org_n', by: { type: 'user', id: 'u_admin' } });
    expect(JSON.stringify(list)).not.toContain('fay@');
    const announced = await trail(t, 'veritrail.privacy.notice');
    expect(announced.map((e) => e.metadata.kind).sort()).toEqual(['deletion', 'rectification']);
    expect(JSON.stringify(announced)).not.toContain('fay@');
    // Tenants see only their own notices.
    expect((await ctx.api.get('/v1/privacy/notices', { token: other.key })).body.data).toHaveLength(1);
    const page = await ctx.api.get('/v1/privacy/notices', { token: t.key, query: { limit: 1 } });
    expect(page.body.next_cursor).toEqual(expect.any(String));
    expect((await ctx.api.get('/v1/privacy/notices', { token: other.key, query: { cursor: page.body.next_cursor } })).status).toBe(400);
  });

  it('RT-01: retention boundary ± 1 s with a frozen clock; per-action overrides; shortening hides at once; legal hold keeps; the job deletes only what expired', async () => {
    const t = await ctx.tenant('Retention', { retention_days: 365 });
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const clock = testClock(ctx.app.app);
    const now = Date.now();
    const row = (id: string, receivedAtMs: number, action: string, organization_id = 'org_1') => {
      const c = checkEvent(event({ action, organization_id, occurred_at: new Date(receivedAtMs).toISOString() }), receivedAtMs);
      if (!c.ok) throw new Error('invalid');
      return buildStoredEvent(c.event, { tenantId: t.id, id, receivedAtMs }).line;
    };
    await ch().insertRows(ch().tables.events, [
      row('01a20000-0000-7000-8000-00000000b001', now - 365 * DAY + 1000, 'edge.kept'),
      row('01a20000-0000-7000-8000-00000000b002', now - 365 * DAY - 1000, 'edge.expired'),
      row('01a20000-0000-7000-8000-00000000b003', now - 40 * DAY, 'login.ok'),
      row('01a20000-0000-7000-8000-00000000b004', now - 40 * DAY, 'login.ok', 'org_held'),
      row('01a20000-0000-7000-8000-00000000b005', now - 40 * DAY, 'billing.charged'),
    ]);
    clock.freeze(now);
    try {
      const actions = async () => customerEvents(await listAll(ctx.api, t.key)).map((e) => `${e.action}@${e.organization_id}`).sort();
      expect(await actions()).toEqual(['billing.charged@org_1', 'edge.kept@org_1', 'login.ok@org_1', 'login.ok@org_held']);
      // Shorter retention for login.*, longer for billing.*, a hold on org_held: at once.
      const put = await ctx.api.put('/v1/settings/retention', {
        token: t.key,
        body: { default_days: 365, actions: [{ action: 'login.*', days: 30 }, { action: 'billing.charged', days: 2555 }], legal_holds: [{ organization_id: 'org_held', reason: 'Litigation' }] },
      });
      expect(put.status, put.text).toBe(200);
      expect(put.body.floor_days).toBe(30);
      expect(await actions()).toEqual(['billing.charged@org_1', 'edge.kept@org_1', 'login.ok@org_held']);
      expect((await ctx.api.get('/v1/events/01a20000-0000-7000-8000-00000000b003', { token: t.key })).status).toBe(404);
      // Shortening the default hides older events at once.
      await ctx.api.put('/v1/settings/retention', {
        token: t.key,
        body: { default_days: 100, actions: [{ action: 'login.*', days: 30 }], legal_holds: [{ organization_id: 'org_held', reason: 'Litigation' }] },
      });
      expect(await actions()).toEqual(['billing.charged@org_1', 'login.ok@org_held']);
      // The job deletes physically what expired, never what a hold keeps.
      const runner = ctx.app.app.get(JobRunner);
      await runner.runNow('retention');
      const left = await ch().query<{ id: string }>(`SELECT toString(id) AS id FROM ${ch().tables.events} WHERE tenant_id = {t:String} AND startsWith(action, 'veritrail.') = 0 ORDER BY id`, {
        t: t.id,
      });
      expect(left.map((x) => x.id.slice(-4))).toEqual(['b004', 'b005']);
    } finally {
      clock.unfreeze();
    }
    const settings = (await ctx.api.get('/v1/settings/retention', { token: t.key })).body;
    expect(settings).toMatchObject({ default_days: 100, floor_days: 30, legal_holds: [expect.objectContaining({ organization_id: 'org_held', since: expect.any(String) })] });
    expect(await trail(t, 'veritrail.retention.legal_hold_placed')).toHaveLength(1);
  });

  it('keeps personal data out of PostgreSQL: wrapped keys only, no subject ids in the key table', async () => {
    const t = await ctx.tenant('Keys');
    await ctx.api.post('/v1/events', { token: t.key, body: event({ actor: { type: 'user', id: 'u_kim', name: 'Kim Ode', email: 'kim@example.com' } }) });
    const keys = await ctx.app.app.get(PrismaService).subjectKey.findMany({ where: { tenantId: t.id } });
    expect(keys).toHaveLength(1);
    const dump = JSON.stringify(keys, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
    expect(dump).not.toContain('u_kim');
    expect(dump).not.toContain('kim@example.com');
    expect(keys[0]!.wrappedKey.length).toBe(12 + 32 + 16);
  });
});
