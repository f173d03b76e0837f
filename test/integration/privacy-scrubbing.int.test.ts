import { describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { customerEvents, event, listAll, useApp } from '../support/harness.js';

/** Secrets of every built-in kind; none of them may ever reach a store. */
const SECRETS = {
  password: 'hunter2-Correct-Horse',
  bearer: 'abcDEF123456ghiJKL7890mnoPQR',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  card: '4111 1111 1111 1111',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  stripe: 'sk_live_51HqLyjWDarjtT1zdp7dcXYZ',
  github: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----',
};

describe('PR-01 scrubbing before storage', () => {
  const ctx = useApp({ JOBS: 'none' });

  it('IN-08: replaces every kind of secret before it is hashed or stored; the raw values are nowhere in ClickHouse or PostgreSQL', async () => {
    const t = await ctx.tenant('Scrub');
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      headers: { 'idempotency-key': 'scrub-batch-1' },
      body: {
        events: [
          event({
            action: 'user.password.changed',
            actor: { type: 'user', id: 'u_1', name: `Ann (token Bearer ${SECRETS.bearer})`, email: 'ann@example.com' },
            context: { ip: '203.0.113.77', user_agent: `curl/8 Authorization: Bearer ${SECRETS.bearer}` },
            metadata: { password: SECRETS.password, note: `paid with ${SECRETS.card}`, nested: { aws: `key ${SECRETS.aws}`, pem: SECRETS.pem }, order_id: '1732262400000' },
            changes: [
              { field: 'password', before: 'old-pass-1', after: SECRETS.password },
              { field: 'api_settings', before: { key: 'none' }, after: { stripe: SECRETS.stripe, gh: SECRETS.github } },
            ],
            targets: [{ type: 'session', id: 's_1', name: SECRETS.jwt }],
          }),
          event({ action: 'user.login', metadata: { comment: 'nothing secret here, order 1234-5678' } }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    const [scrubbed, clean] = r.body.ids as string[];
    const got = (await ctx.api.get(`/v1/events/${scrubbed}`, { token: t.key })).body;
    expect(got.flags).toContain('scrubbed');
    expect(got.metadata.password).toBe('[REDACTED:password]');
    expect(got.metadata.note).toBe('paid with [REDACTED:card_number]');
    expect(got.metadata.nested.aws).toBe('key [REDACTED:aws_access_key]');
    expect(got.metadata.nested.pem).toBe('[REDACTED:private_key]');
    expect(got.metadata.order_id).toBe('1732262400000'); // a timestamp is not a card
    expect(got.changes[0]).toEqual({ field: 'password', before: '[REDACTED:password]', after: '[REDACTED:password]' });
    expect(got.changes[1].after).toEqual({ stripe: '[REDACTED:stripe_key]', gh: '[REDACTED:github_token]' });
    expect(got.context.user_agent).toBe('curl/8 Authorization: Bearer [REDACTED:bearer_token]');
    expect(got.targets[0].name).toBe('[REDACTED:jwt]');
    // Identifiers are never rewritten.
    expect(got.actor).toMatchObject({ id: 'u_1', email: 'ann@example.com' });
    expect(got.context.ip).toBe('203.0.113.77');
    const plain = (await ctx.api.get(`/v1/events/${clean}`, { token: t.key })).body;
    expect(plain.flags).toBeUndefined();
    expect(plain.metadata.comment).toBe('nothing secret here, order 1234-5678');

    // Grep the stores: not one raw secret in any ClickHouse column or PostgreSQL table.
    const ch = ctx.app.app.get(ClickHouseService);
    const prisma = ctx.app.app.get(PrismaService);
    const pgDump = JSON.stringify(
      await Promise.all([prisma.idempotencyKey.findMany(), prisma.tenant.findMany(), prisma.checkpoint.findMany()]),
      (_k, v) => (typeof v === 'bigint' ? String(v) : v),
    );
    const grep = async (needle: string) =>
      Number(
        (
          await ch.query<{ n: number }>(
            `SELECT count() AS n FROM ${ch.tables.events} WHERE position(replaceAll(toString(tuple(*)), ' ', ''), {s:String}) > 0 OR position(toString(tuple(*)), {raw:String}) > 0`,
            { s: needle.replaceAll(' ', ''), raw: needle },
          )
        )[0]!.n,
      );
    // Controls: the greps do find what is stored.
    expect(await grep('203.0.113.77')).toBeGreaterThan(0);
    expect(await grep('1732262400000')).toBeGreaterThan(0);
    // The e-mail address is personal data, classified sensitive by default: stored encrypted only.
    expect(await grep('ann@example.com')).toBe(0);
    expect(pgDump.includes('Scrub')).toBe(true);
    for (const [kind, secret] of Object.entries(SECRETS)) {
      const needle = kind === 'pem' ? 'MIIBOgIBAAJBAKj34GkxFhD90vcN' : kind === 'card' ? '4111111111111111' : secret;
      expect(await grep(needle), kind).toBe(0);
      expect(pgDump.includes(needle), kind).toBe(false);
    }

    // The replay of the same request (same idempotency key, same secrets) is recognised as the same request.
    const again = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      headers: { 'idempotency-key': 'scrub-batch-1' },
      body: {
        events: [
          event({ action: 'user.login' }), // a different body: refused
        ],
      },
    });
    expect(again.status).toBe(422);

    // Integrity covers the scrubbed form: seal and verify.
    expect((await ctx.api.post('/v1/integrity/seal', { token: t.key })).status).toBe(200);
    const v = await ctx.api.post('/v1/integrity/verify', { token: t.key, body: {} });
    expect(v.body.status).toBe('ok');
  });

  it('applies the tenant policy: keyed pseudonyms, custom patterns, IP truncation, minimisation; other tenants unaffected', async () => {
    const t = await ctx.tenant('Scrub policy');
    const other = await ctx.tenant('Scrub default');
    const bad = await ctx.api.put('/v1/settings/privacy', { token: t.key, body: { scrubbing: { custom_patterns: [{ name: 'evil', pattern: '(a+)\\1$' }] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_pattern');
    const invalid = await ctx.api.put('/v1/settings/privacy', { token: t.key, body: { scrubbing: { mode: 'shred' } } });
    expect(invalid.status).toBe(400);
    const put = await ctx.api.put('/v1/settings/privacy', {
      token: t.key,
      body: { scrubbing: { mode: 'hmac', custom_patterns: [{ name: 'employee_id', pattern: 'EMP-[0-9]{6}' }], truncate_ip: true, deny_fields: ['metadata.ssn'] } },
    });
    expect(put.status, put.text).toBe(200);
    expect((await ctx.api.get('/v1/settings/privacy', { token: t.key })).body.scrubbing.mode).toBe('hmac');

    const body = (n: number) => event({ action: 'hr.record.viewed', context: { ip: '198.51.100.77' }, metadata: { password: 'same-secret-value', who: `EMP-12345${n}`, ssn: '078-05-1120' } });
    const ids = (await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: [body(1), body(2)] } })).body.ids as string[];
    const [a, b] = await Promise.all(ids.map(async (id) => (await ctx.api.get(`/v1/events/${id}`, { token: t.key })).body));
    expect(a.metadata.password).toMatch(/^\[HMAC:password:[0-9a-f]{16}\]$/);
    expect(b.metadata.password).toBe(a.metadata.password); // same secret, same pseudonym: joinable
    expect(a.metadata.who).toMatch(/^\[HMAC:custom:employee_id:[0-9a-f]{16}\]$|^\[HMAC:custom:[0-9a-f]{16}\]$/);
    expect(a.metadata.ssn).toBeUndefined();
    expect(a.context.ip).toBe('198.51.100.0');
    const o = (await ctx.api.post('/v1/events', { token: other.key, body: body(3) })).body.id;
    const ov = (await ctx.api.get(`/v1/events/${o}`, { token: other.key })).body;
    expect(ov.metadata.password).toBe('[REDACTED:password]');
    expect(ov.metadata.ssn).toBe('078-05-1120');
    expect(ov.context.ip).toBe('198.51.100.77');
    // The change is in the trail; the pseudonym key of one tenant is not another's.
    const trail = customerEvents(await listAll(ctx.api, t.key, { action: 'veritrail.settings.updated' }));
    expect(trail).toHaveLength(0); // veritrail.* are not customer events…
    const settingsEvents = (await listAll(ctx.api, t.key, { action: 'veritrail.settings.updated' })).filter((e) => e.changes?.[0]?.field === 'privacy.scrubbing');
    expect(settingsEvents).toHaveLength(1);
    const forbidden = await ctx.api.put('/v1/settings/privacy', { token: (await ctx.api.post('/v1/api-keys', { token: t.key, body: { name: 'r', scopes: ['events:read'] } })).body.key, body: { scrubbing: {} } });
    expect(forbidden.status).toBe(403);
  });

  it('PEN-02: patterns that backtrack in JS run in linear time; ingest and /healthz stay fast; lookaround and backreferences are refused with 400', async () => {
    const t = await ctx.tenant('Scrub ReDoS');
    for (const [pattern, code] of [
      ['(\\w+)\\1', 'unsupported_syntax'],
      ['token(?=[0-9])', 'unsupported_syntax'],
      ['(?<=key=)[a-z]+', 'unsupported_syntax'],
      ['x[', 'invalid_syntax'],
    ] as const) {
      const r = await ctx.api.put('/v1/settings/privacy', { token: t.key, body: { scrubbing: { custom_patterns: [{ name: 'p', pattern }] } } });
      expect(r.status, pattern).toBe(400);
      expect(r.body.error.code).toBe('invalid_pattern');
      expect(r.body.error.details).toEqual([expect.objectContaining({ field: 'scrubbing.custom_patterns[0].pattern', code })]);
    }
    expect((await ctx.api.get('/v1/settings/privacy', { token: t.key })).body.scrubbing.custom_patterns ?? []).toEqual([]); // nothing saved
    const patterns = [
      { name: 'alt', pattern: '(a|a)*b' },
      { name: 'stars', pattern: 'a*a*a*a*a*a*b' },
      { name: 'classes', pattern: '[a-z]*[a-z]*[a-z]*b' },
    ];
    const put = await ctx.api.put('/v1/settings/privacy', { token: t.key, body: { scrubbing: { custom_patterns: patterns } } });
    expect(put.status, put.text).toBe(200);
    // 180 characters took 5 s per pattern on the backtracking engine; 15 000 would never finish.
    const hostile = 'a'.repeat(15_000) + '!';
    const started = Date.now();
    const ingest = ctx.api.post('/v1/events', { token: t.key, body: event({ metadata: { note: hostile, code: 'xqb' } }) });
    const health = await ctx.api.get('/healthz');
    const r = await ingest;
    const elapsed = Date.now() - started;
    expect(r.status, r.text).toBe(201);
    expect(health.status).toBe(200);
    expect(elapsed).toBeLessThan(5_000); // generous: linear matching takes milliseconds here
    const stored = (await ctx.api.get(`/v1/events/${r.body.id}`, { token: t.key })).body;
    expect(stored.metadata.note).toBe(hostile); // no false positive
    expect(stored.metadata.code).toBe('[REDACTED:custom:classes]'); // the patterns still apply
  });
});
