import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { createTestEnv, startApp, type RunningApp, type TestEnv } from '../support/harness.js';

/**
 * prisma/schema.prisma and the hand-written migrations must describe the same database:
 * `prisma migrate diff` needs a schema engine binary that cannot be fetched here, so this test
 * compares the schema file with the database the project's runner migrated (tables, columns,
 * types, nullability, indexes) and round-trips every model through the generated client.
 */
interface Field {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  dbType?: string;
}
interface Model {
  name: string;
  table: string;
  fields: Field[];
  indexes: { columns: string[]; unique: boolean }[];
}

const SCALARS = new Set(['String', 'Int', 'BigInt', 'Boolean', 'DateTime', 'Json', 'Float', 'Decimal', 'Bytes']);

function parseSchema(text: string): Model[] {
  const models: Model[] = [];
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const [, name, body] = m;
    const lines = body!.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//'));
    const fields: Field[] = [];
    const indexes: Model['indexes'] = [];
    let table = name!;
    for (const line of lines) {
      if (line.startsWith('@@map(')) table = /"(.+)"/.exec(line)![1]!;
      else if (line.startsWith('@@index(') || line.startsWith('@@unique(') || line.startsWith('@@id(')) {
        const cols = /\[([^\]]+)\]/.exec(line)![1]!.split(',').map((c) => c.trim());
        indexes.push({ columns: cols, unique: !line.startsWith('@@index(') });
      } else if (!line.startsWith('@@')) {
        const f = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
        if (!f || !SCALARS.has(f[2]!)) continue; // relation fields
        const attrs = f[5] ?? '';
        const field: Field = {
          name: f[1]!,
          column: /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? f[1]!,
          type: f[2]!,
          list: !!f[3],
          optional: !!f[4],
          dbType: /@db\.(\w+)/.exec(attrs)?.[1],
        };
        fields.push(field);
        if (/@unique/.test(attrs)) indexes.push({ columns: [field.name], unique: true });
        if (/@id\b/.test(attrs)) indexes.push({ columns: [field.name], unique: true });
      }
    }
    // Index columns are field names in the schema; map them to columns.
    for (const idx of indexes) idx.columns = idx.columns.map((c) => fields.find((f) => f.name === c)?.column ?? c);
    models.push({ name: name!, table, fields, indexes });
  }
  return models;
}

function expectedPgType(f: Field): string {
  const base = (() => {
    switch (f.type) {
      case 'String':
        return f.dbType === 'Uuid' ? 'uuid' : 'text';
      case 'Int':
        return 'int4';
      case 'BigInt':
        return 'int8';
      case 'Boolean':
        return 'bool';
      case 'DateTime':
        return f.dbType === 'Timestamptz' ? 'timestamptz' : 'timestamp';
      case 'Json':
        return 'jsonb';
      case 'Bytes':
        return 'bytea';
      default:
        return f.type.toLowerCase();
    }
  })();
  return f.list ? `_${base}` : base;
}

describe('schema.prisma ⇔ prisma/migrations', () => {
  let env: TestEnv;
  let app: RunningApp;
  let prisma: PrismaService;
  const models = parseSchema(readFileSync(fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url)), 'utf8'));

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp(env);
    prisma = app.app.get(PrismaService);
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
  });

  it('parses every model of the schema', () => {
    expect(models.map((m) => m.name).sort()).toEqual([
      'ActionDisplay',
      'ActionSchema',
      'Alert',
      'AlertRule',
      'ApiKey',
      'BillingAccount',
      'BillingPlan',
      'BillingQuotaHold',
      'BillingQuotaUsage',
      'BillingUsageHour',
      'Checkpoint',
      'Export',
      'IdempotencyAttempt',
      'IdempotencyKey',
      'JobLease',
      'LogHead',
      'OcsfMapping',
      'PrivacyErasure',
      'PrivacyKek',
      'PrivacyKekShred',
      'PrivacyNotice',
      'PrivacySetting',
      'RateLimitCounter',
      'RetentionPolicy',
      'RootCheckpoint',
      'RootCosignature',
      'RootLogLeaf',
      'RootLogNode',
      'StreamsPolicy',
      'StripeEvent',
      'SubjectKey',
      'SystemSetting',
      'Tenant',
      'ViewerRevocation',
      'ViewerSession',
      'ViewerSettings',
      'Webhook',
      'WebhookDelivery',
    ]);
  });

  it('has exactly the tables and columns of the schema, with matching types and nullability', async () => {
    const cols = await prisma.$queryRawUnsafe<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }[]>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
    );
    const actualTables = [...new Set(cols.map((c) => c.table_name))].sort();
    expect(actualTables).toEqual(models.map((m) => m.table).sort());
    for (const m of models) {
      const dbCols = cols.filter((c) => c.table_name === m.table);
      expect(dbCols.map((c) => c.column_name).sort(), m.table).toEqual(m.fields.map((f) => f.column).sort());
      for (const f of m.fields) {
        const c = dbCols.find((x) => x.column_name === f.column)!;
        expect(c.udt_name, `${m.table}.${f.column} type`).toBe(expectedPgType(f));
        // Prisma lists are nullable arrays in PostgreSQL; scalars follow the ? marker.
        if (!f.list) expect(c.is_nullable === 'YES', `${m.table}.${f.column} nullability`).toBe(f.optional);
      }
    }
  });

  it('has every index, unique constraint and primary key of the schema', async () => {
    const idx = await prisma.$queryRawUnsafe<{ tablename: string; indexdef: string }[]>(
      `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    for (const m of models) {
      for (const want of m.indexes) {
        const found = idx.some((i) => {
          if (i.tablename !== m.table) return false;
          const cols = /\(([^)]+)\)/.exec(i.indexdef)![1]!.split(',').map((c) => c.trim().replace(/"/g, ''));
          return JSON.stringify(cols) === JSON.stringify(want.columns) && (!want.unique || /UNIQUE/.test(i.indexdef));
        });
        expect(found, `${m.table} index on (${want.columns.join(', ')})`).toBe(true);
      }
    }
  });

  it('round-trips every model through the generated client (optional fields null and set)', async () => {
    const now = new Date();
    await prisma.tenant.create({ data: { id: 'ten_drift', name: 'Drift', status: 'active', readAuditing: false } });
    await prisma.retentionPolicy.create({ data: { tenantId: 'ten_drift', defaultDays: 7, floorDays: 365 } });
    await prisma.privacySetting.create({ data: { tenantId: 'ten_drift', settings: { scrubbing: { mode: 'hmac' } } } });
    await prisma.apiKey.create({
      data: { id: 'key_drift_a', tenantId: 'ten_drift', name: 'a', prefix: 'vt_a', secretHash: 'h1', scopes: ['admin'], organizationId: null, expiresAt: null, lastUsedAt: null, revokedAt: null },
    });
    await prisma.apiKey.create({
      data: { id: 'key_drift_b', tenantId: 'ten_drift', name: 'b', prefix: 'vt_b', secretHash: 'h2', scopes: [], organizationId: 'org', expiresAt: now, lastUsedAt: now, revokedAt: now },
    });
    await prisma.idempotencyKey.create({
      data: {
        tenantId: 'ten_drift',
        key: 'e:k',
        requestHash: 'x',
        state: 'completed',
        eventIds: ['01a20000-0000-7000-8000-000000000001'],
        receivedAt: now,
        leaseUntil: now,
        expiresAt: now,
      },
    });
    await prisma.systemSetting.create({ data: { key: 'drift', value: 'v' } });
    await prisma.checkpoint.create({
      data: { tenantId: 'ten_drift', number: 1, treeSize: 2n ** 40n, rootHash: 'r', prevHash: null, frontier: ['a', 'b'], watermark: now, kid: 'k', jws: 'j', sealedAt: now, logNumber: 3 },
    });
    await prisma.logHead.create({ data: { tenantId: 'ten_drift', number: 3, treeSize: 2n ** 40n, rootHash: 'r', frontier: ['a'], watermark: now, appendedAt: now } });
    await prisma.jobLease.create({ data: { key: 'drift', holder: 'h', leaseUntil: now } });
    await prisma.alertRule.create({
      data: { id: 'ar_drift', tenantId: 'ten_drift', name: 'r', description: null, template: null, kind: 'threshold', tier: 'low', owner: null, suppressionSeconds: 0, definition: { filter: { actions: ['*'] } }, cursorIdx: 2n ** 40n, lastEvaluatedAt: null },
    });
    await prisma.alert.create({
      data: {
        id: 'al_drift', tenantId: 'ten_drift', ruleId: 'ar_drift', ruleName: 'r', kind: 'threshold', tier: 'low', owner: 'o', status: 'open', resolution: null, groupBy: 'ip', groupValue: '198.51.100.1',
        summary: 's', details: {}, eventIds: ['e1', 'e2'], eventCount: 2, triggeredAt: now, firstSeenAt: now, lastSeenAt: now, lastSuppressedAt: null, acknowledgedAt: now, acknowledgedBy: 'k', closedAt: null, closedBy: null,
      },
    });
    expect(await prisma.alertRule.findUniqueOrThrow({ where: { id: 'ar_drift' } })).toMatchObject({ enabled: true, createClosed: false, cursorIdx: 2n ** 40n });
    expect(await prisma.alert.findUniqueOrThrow({ where: { id: 'al_drift' } })).toMatchObject({ eventIds: ['e1', 'e2'], notes: [], suppressedCount: 0, trailRecorded: false });
    await prisma.subjectKey.create({ data: { tenantId: 'ten_drift', subjectHash: 'sh', keyId: 'k1', wrappedKey: Buffer.from([1, 2, 3]), masterKeyId: 'm' } });
    await prisma.privacyKek.create({ data: { kekId: 'kek_drift', tenantId: 'ten_drift', bucket: 3, generation: 0 } });
    await prisma.subjectKey.create({ data: { tenantId: 'ten_drift', subjectHash: 'sh2', keyId: 'k2', wrappedKey: Buffer.from([4]), masterKeyId: 'm', kekId: 'kek_drift' } });
    await prisma.privacyKekShred.create({ data: { kekId: 'kek_old', tenantId: 'ten_drift' } });
    expect((await prisma.privacyKek.findUniqueOrThrow({ where: { kekId: 'kek_drift' }, include: { subjectKeys: true } })).subjectKeys.map((k) => k.keyId)).toEqual(['k2']);
    await expect(prisma.privacyKek.delete({ where: { kekId: 'kek_drift' } })).rejects.toThrow(); // a key still depends on it
    await prisma.privacyErasure.create({ data: { id: 'er_1', tenantId: 'ten_drift', subjectId: 'u', subjectHash: 'sh', heldBy: ['org'], requestedBy: 'key', keyIds: [], receipt: null, completedAt: null } });
    await prisma.privacyNotice.create({
      data: { id: 'pn_1', tenantId: 'ten_drift', subjectId: 'u', kind: 'erasure', eventId: null, action: null, fields: [], actorType: null, actorId: null, organizationId: null, occurredAt: now, announcedAt: null },
    });
    expect(Buffer.from((await prisma.subjectKey.findUniqueOrThrow({ where: { keyId: 'k1' } })).wrappedKey)).toEqual(Buffer.from([1, 2, 3]));
    expect((await prisma.privacyErasure.findUniqueOrThrow({ where: { id: 'er_1' } })).heldBy).toEqual(['org']);
    await prisma.viewerRevocation.create({ data: { id: 'vrv_a', tenantId: 'ten_drift', organizationId: 'org', userId: null, revokedAt: now, revokedBy: 'key_drift_a' } });
    await prisma.viewerRevocation.create({ data: { id: 'vrv_b', tenantId: 'ten_drift', organizationId: 'org', userId: 'u_1', revokedBy: 'key_drift_a' } });
    await prisma.viewerSettings.create({ data: { tenantId: 'ten_drift', allowedOrigins: ['https://app.example.com'] } });
    await prisma.viewerSession.create({ data: { tenantId: 'ten_drift', sessionId: 'vs_a', organizationId: 'org', expiresAt: now, claimUntil: now, recordedAt: null } });
    await prisma.viewerSession.create({ data: { tenantId: 'ten_drift', sessionId: 'vs_b', organizationId: 'org', expiresAt: now, claimUntil: now, recordedAt: now } });
    expect((await prisma.viewerSession.findUniqueOrThrow({ where: { tenantId_sessionId: { tenantId: 'ten_drift', sessionId: 'vs_b' } } })).recordedAt!.getTime()).toBe(now.getTime());
    await prisma.idempotencyKey.create({
      data: { tenantId: 'ten_drift', organizationId: 'org', key: 'e:k', requestHash: 'y', state: 'in_flight', eventIds: [], receivedAt: now, leaseUntil: now, expiresAt: now, legacy: true },
    });
    expect((await prisma.viewerRevocation.findUniqueOrThrow({ where: { id: 'vrv_a' } })).revokedAt.getTime()).toBe(now.getTime());
    expect((await prisma.viewerRevocation.findUniqueOrThrow({ where: { id: 'vrv_b' } })).userId).toBe('u_1');
    expect((await prisma.viewerSettings.findUniqueOrThrow({ where: { tenantId: 'ten_drift' } })).allowedOrigins).toEqual(['https://app.example.com']);
    expect((await prisma.checkpoint.findUniqueOrThrow({ where: { tenantId_number: { tenantId: 'ten_drift', number: 1 } } })).treeSize).toBe(2n ** 40n);
    expect((await prisma.logHead.findUniqueOrThrow({ where: { tenantId: 'ten_drift' } })).treeSize).toBe(2n ** 40n);
    expect((await prisma.jobLease.findUniqueOrThrow({ where: { key: 'drift' } })).holder).toBe('h');
    const t = await prisma.tenant.findUniqueOrThrow({ where: { id: 'ten_drift' }, include: { apiKeys: { orderBy: { id: 'asc' } }, idempotencyKeys: true } });
    expect(t).toMatchObject({ readAuditing: false, status: 'active' });
    expect(await prisma.retentionPolicy.findUniqueOrThrow({ where: { tenantId: 'ten_drift' } })).toMatchObject({ defaultDays: 7, floorDays: 365, actions: [], legalHolds: [], pciDss: false });
    expect((await prisma.privacySetting.findUniqueOrThrow({ where: { tenantId: 'ten_drift' } })).settings).toEqual({ scrubbing: { mode: 'hmac' } });
    expect(t.apiKeys[0]).toMatchObject({ organizationId: null, expiresAt: null, scopes: ['admin'] });
    expect(t.apiKeys[1]).toMatchObject({ organizationId: 'org', scopes: [] });
    expect(t.apiKeys[1]!.revokedAt!.getTime()).toBe(now.getTime());
    expect(t.idempotencyKeys.map((k) => [k.organizationId, k.key, k.legacy]).sort()).toEqual([['', 'e:k', false], ['org', 'e:k', true]]);
    expect(t.idempotencyKeys.find((k) => k.organizationId === '')!.eventIds).toEqual(['01a20000-0000-7000-8000-000000000001']);
    expect((await prisma.systemSetting.findUniqueOrThrow({ where: { key: 'drift' } })).value).toBe('v');
    await prisma.tenant.delete({ where: { id: 'ten_drift' } });
    expect(await prisma.apiKey.count({ where: { tenantId: 'ten_drift' } })).toBe(0); // cascade
    expect(await prisma.checkpoint.count({ where: { tenantId: 'ten_drift' } })).toBe(0);
    expect(await prisma.logHead.count({ where: { tenantId: 'ten_drift' } })).toBe(0);
    expect(await prisma.alert.count({ where: { tenantId: 'ten_drift' } })).toBe(0);
    expect(await prisma.alertRule.count({ where: { tenantId: 'ten_drift' } })).toBe(0);
    expect(await prisma.subjectKey.count({ where: { tenantId: 'ten_drift' } })).toBe(0);
    expect(await prisma.privacyKek.count({ where: { tenantId: 'ten_drift' } })).toBe(0); // cascade, keys and KEK rows together
    expect(await prisma.privacyNotice.count({ where: { tenantId: 'ten_drift' } })).toBe(0);
    expect(await prisma.viewerRevocation.count({ where: { tenantId: 'ten_drift' } })).toBe(0); // cascade (foreign key in SQL)
    expect(await prisma.viewerSettings.count({ where: { tenantId: 'ten_drift' } })).toBe(0);
    expect(await prisma.viewerSession.count({ where: { tenantId: 'ten_drift' } })).toBe(0); // cascade (foreign key in SQL)
  });

  it('round-trips the billing models (plans seeded by the migration; accounts cascade with their tenant)', async () => {
    const now = new Date();
    expect((await prisma.billingPlan.findMany({ orderBy: { id: 'asc' } })).map((p) => p.id)).toEqual(['business', 'free', 'pro', 'unlimited']);
    expect(await prisma.billingPlan.findUniqueOrThrow({ where: { id: 'unlimited' } })).toMatchObject({ eventsPerMonth: null, webhooks: null, overage: false });
    await prisma.tenant.create({ data: { id: 'ten_bill', name: 'Bill' } });
    await prisma.billingAccount.create({ data: { tenantId: 'ten_bill', planId: 'free', meteredThrough: now } });
    await prisma.billingAccount.update({
      where: { tenantId: 'ten_bill' },
      data: { stripeCustomerId: 'cus_1', subscriptionId: 'sub_1', subscriptionStatus: 'active', graceUntil: now, planChangePending: { from: 'free', to: 'pro' } },
    });
    await prisma.billingUsageHour.create({ data: { tenantId: 'ten_bill', hour: now, events: 2n ** 40n, stripeCustomerId: 'cus_1', meterIdentifier: 'vt-x' } });
    await prisma.billingQuotaUsage.create({ data: { tenantId: 'ten_bill', periodStart: now, used: 5n } });
    await prisma.billingQuotaHold.create({ data: { id: 'h1', tenantId: 'ten_bill', periodStart: now, n: 3, leaseUntil: now } });
    await prisma.stripeEvent.create({ data: { id: 'evt_1', type: 'invoice.paid', outcome: 'applied', createdAt: now, tenantId: null } });
    expect(await prisma.billingAccount.findUniqueOrThrow({ where: { stripeCustomerId: 'cus_1' } })).toMatchObject({ planChangePending: { from: 'free', to: 'pro' }, overridePlanId: null });
    expect((await prisma.billingUsageHour.findFirstOrThrow({ where: { tenantId: 'ten_bill' } })).events).toBe(2n ** 40n);
    await prisma.tenant.delete({ where: { id: 'ten_bill' } });
    for (const n of [await prisma.billingAccount.count(), await prisma.billingUsageHour.count(), await prisma.billingQuotaUsage.count(), await prisma.billingQuotaHold.count()]) expect(n).toBe(0);
    expect(await prisma.stripeEvent.count()).toBe(1); // not tied to a tenant
  });

  it('records migrations in _prisma_migrations exactly as Prisma does (finished, SHA-256 of the file)', async () => {
    const { readMigrations } = await import('../../src/storage/postgres/migrator.js');
    const { PRISMA_MIGRATIONS_DIR } = await import('../../src/common/paths.js');
    const files = await readMigrations(PRISMA_MIGRATIONS_DIR);
    const rows = await prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }[]>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at && r.applied_steps_count === 1)).toBe(true);
  });
});
