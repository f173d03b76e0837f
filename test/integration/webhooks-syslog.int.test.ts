import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceParse, LOGNORMALIZER } from '../support/cef-reference.js';
import { leefReferenceParse } from '../support/leef-reference.js';
import { customerEvents, event, until, useApp, type AppContext, type TestTenant } from '../support/harness.js';
import { GTLS_MODULE, makeCertificates, RSYSLOGD, RsyslogReceiver, type Certificates, type ParsedSyslog } from '../support/rsyslog.js';

const SD_ID = 'veritrail@32473';
const FAST = { JOBS: 'seal,webhooks', SEAL_INTERVAL: '200ms', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '3000', WEBHOOK_CONNECT_TIMEOUT_MS: '1000', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,400ms' };

/** The ids of the tenant's customer events in feed (log) order. */
async function feedOrder(ctx: AppContext, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const r = await ctx.api.get('/v1/events/feed', { token, query: { limit: 1000, cursor } });
    cursor = r.body.next_cursor;
    if (r.body.data.length === 0) return ids;
    ids.push(...customerEvents(r.body.data).map((e: any) => e.id));
  }
}

const eventIds = (msgs: ParsedSyslog[]) => msgs.filter((m) => m.msgid === 'audit').map((m) => m.sd[SD_ID]!.event_id!);

/** A LEEF 2.0 line as liblognorm reads it (test/support/leef-reference.ts): header fields and attributes, each key once. */
function leefParts(line: string): { header: string[]; attrs: Record<string, string> } {
  const [p] = leefReferenceParse([line]);
  expect(p, `not LEEF 2.0: ${JSON.stringify(line)}`).toBeDefined();
  const attrs: Record<string, string> = {};
  for (const [key, value] of p!.attributes) {
    expect(attrs[key], `attribute ${key} twice`).toBeUndefined();
    attrs[key] = value;
  }
  return { header: [`LEEF:${p!.version}`, p!.vendor, p!.product, p!.product_version, p!.event_id, p!.delimiter], attrs };
}

describe.skipIf(!RSYSLOGD || !GTLS_MODULE || !LOGNORMALIZER)('syslog destination against a real rsyslog', () => {
  const ctx = useApp(FAST);
  let certs: Certificates;
  let rs: RsyslogReceiver;
  let t: TestTenant;

  beforeAll(async () => {
    certs = makeCertificates();
    rs = new RsyslogReceiver(
      [
        { name: 'tls', tls: true },
        { name: 'tcp', tls: false },
        { name: 'flaky', tls: true },
        { name: 'probe', tls: true },
        { name: 'mtls', tls: true, clientCertificate: true },
      ],
      certs,
    );
    await rs.start();
    t = await ctx.tenant('Syslog');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
  }, 60_000);
  afterAll(async () => rs?.close());

  /** Destinations that must receive only their test messages (the trail's own entries would otherwise reach them too). */
  const TEST_ONLY = { filters: { actions: ['nothing.matches'] } };

  async function createHook(body: Record<string, unknown>) {
    const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: { kind: 'syslog', batch: { interval_ms: 50, max_events: 7 }, ...body } });
    expect(r.status, r.text).toBe(201);
    return r.body;
  }

  async function caughtUp(id: string) {
    return until(`destination ${id} caught up`, async () => {
      const r = await ctx.api.get(`/v1/webhooks/${id}`, { token: t.key });
      return r.body.health.lag_events === 0 && r.body.health.consecutive_failures === 0 ? r.body : undefined;
    }, 60_000);
  }

  it('WH-SYSLOG-01: TLS with CEF and TCP with LEEF, each organization filter honoured, every event exactly once in log order', async () => {
    const a = await createHook({ url: `syslog+tls://localhost:${rs.ports.tls}`, format: 'cef', tls: { ca: certs.caPem }, filters: { organizations: ['org_a'] } });
    const b = await createHook({ url: `syslog+tcp://127.0.0.1:${rs.ports.tcp}`, format: 'leef', filters: { organizations: ['org_b'] }, masking: { hash: ['actor.email'], drop: ['context.user_agent'] } });
    expect(a).toMatchObject({ kind: 'syslog', format: 'cef', tls: { ca: true, client_certificate: false }, cloudevents: false });
    expect(b).toMatchObject({ kind: 'syslog', format: 'leef', tls: null });
    expect(JSON.stringify(a)).not.toContain('BEGIN CERTIFICATE');

    // IN-01: line breaks, TAB, an ANSI escape and syslog/SD metacharacters in a value.
    const hostile = { type: 'user', id: 'u_x', name: 'Eve\tB=c|d\n<13>1 forged ]"\\\u001b[2J', email: 'eve@example.com' };
    const events = Array.from({ length: 30 }, (_, i) =>
      event({ organization_id: i % 3 === 0 ? 'org_b' : 'org_a', outcome: i % 5 === 0 ? 'failure' : 'success', ...(i === 4 || i === 3 ? { actor: hostile } : {}) }),
    );
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } });
    expect(r.status).toBe(201);
    const ids = r.body.ids as string[];
    const wantA = ids.filter((_, i) => i % 3 !== 0);
    const wantB = ids.filter((_, i) => i % 3 === 0);
    await until('every event at the receiver', () => eventIds(rs.received('tls')).length >= wantA.length && eventIds(rs.received('tcp')).length >= wantB.length, 60_000);
    await caughtUp(a.id);
    await caughtUp(b.id);
    const order = await feedOrder(ctx, t.key);

    const gotA = rs.received('tls');
    expect(eventIds(gotA)).toEqual(order.filter((id) => wantA.includes(id)));
    const gotB = rs.received('tcp');
    expect(eventIds(gotB)).toEqual(order.filter((id) => wantB.includes(id)));

    // RFC 5424 as rsyslog parsed it: version 1, facility 13 (log audit), severity 4 for failures else 6, our app name and SD.
    const byId = new Map(events.map((e, i) => [ids[i]!, e]));
    for (const m of [...gotA, ...gotB]) {
      const sent = byId.get(m.sd[SD_ID]!.event_id!)!;
      expect(m.version).toBe('1');
      expect(m.pri).toBe(String(13 * 8 + (sent.outcome === 'failure' ? 4 : 6)));
      expect(m.app).toBe('veritrail');
      expect(m.msgid).toBe('audit');
      expect(m.sd[SD_ID]).toMatchObject({ tenant: t.id, organization: sent.organization_id });
      expect(m.sd[SD_ID]!.message_id).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(Date.parse(m.timestamp)).toBe(Date.parse(sent.occurred_at as string));
    }

    // CEF, read by liblognorm's strict CEF parser.
    const parsed = referenceParse(gotA.map((m) => m.msg));
    parsed.forEach((p, i) => {
      expect(p, gotA[i]!.msg).toBeDefined();
      const sent = byId.get(gotA[i]!.sd[SD_ID]!.event_id!)!;
      expect(p!.Extensions.externalId).toBe(gotA[i]!.sd[SD_ID]!.event_id);
      expect(p!.Extensions.cs1).toBe('org_a');
      expect(p!.Extensions.suser).toBe((sent.actor as any).name.replace(/\t/g, ' ').replace(/\u001b/g, '\ufffd'));
      expect(p!.SignatureID).toBe('user.login');
      expect(p!.Extensions.cs6).toBe((sent.actor as any).email);
      expect(p!.Extensions.requestClientApplication).toBe('Mozilla/5.0');
    });

    // LEEF 2.0: header, TAB-delimited attributes, no value holding the delimiter or a line break.
    for (const m of gotB) {
      expect(m.msg).not.toMatch(/[\r\n]/);
      const { header, attrs } = leefParts(m.msg);
      expect(header).toEqual(['LEEF:2.0', 'Veritrail', 'Veritrail', expect.any(String), 'user.login', 'x09']);
      const sent = byId.get(m.sd[SD_ID]!.event_id!)!;
      expect(attrs).toMatchObject({ eventId: m.sd[SD_ID]!.event_id, organization: 'org_b', cat: 'user.login', actorId: (sent.actor as any).id, src: '203.0.113.5' });
      // The destination's masking applies before the mapping.
      expect(attrs.actorEmail).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
      expect(attrs.userAgent).toBeUndefined();
      if ((sent.actor as any).id === 'u_x') expect(attrs.usrName).toBe('Eve B=c|d\ufffd<13>1 forged ]"\\\ufffd[2J');
    }
    expect(gotB.some((m) => m.msg.includes('usrName=Eve B=c|d'))).toBe(true);
  }, 120_000);

  it('WH-SYSLOG-02: receiver down then up — deliveries fail, then every event arrives exactly once, in order', async () => {
    const c = await createHook({ url: `syslog+tls://localhost:${rs.ports.flaky}`, format: 'cef', tls: { ca: certs.caPem }, filters: { actions: ['order.*'] } });
    const first = (await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 5 }, () => event({ action: 'order.placed' })) } })).body.ids as string[];
    await until('first five', () => eventIds(rs.received('flaky')).length >= 5, 60_000);
    // Stop the receiver only once the sender has recorded those five as delivered: stopped while
    // the send is still finishing, it fails the attempt, and the retry (at least once, deduplicate
    // on the event id) sends them again.
    await caughtUp(c.id);
    await rs.stop();
    const more = (await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 12 }, () => event({ action: 'order.paid' })) } })).body.ids as string[];
    const failing = await until('a failed attempt', async () => {
      const r = await ctx.api.get(`/v1/webhooks/${c.id}`, { token: t.key });
      return r.body.health.consecutive_failures >= 2 ? r.body : undefined;
    }, 60_000);
    expect(failing.health.last_error).toBe('connection_failed');
    expect(failing.health.lag_events).toBeGreaterThan(0);
    await rs.start();
    await caughtUp(c.id);
    const got = eventIds(rs.received('flaky'));
    const order = (await feedOrder(ctx, t.key)).filter((id) => first.includes(id) || more.includes(id));
    expect(got).toEqual(order);
    expect(new Set(got).size).toBe(17);
  }, 180_000);

  it('WH-SYSLOG-03: the server name and the CA are checked; a test message goes through when both hold', async () => {
    const port = rs.ports.probe;
    const wrongName = await createHook({ ...TEST_ONLY, url: `syslog+tls://127.0.0.1:${port}`, tls: { ca: certs.caPem } });
    const wrongCa = await createHook({ ...TEST_ONLY, url: `syslog+tls://localhost:${port}`, tls: { ca: certs.otherCaPem } });
    const good = await createHook({ ...TEST_ONLY, url: `syslog+tls://localhost:${port}`, format: 'leef', tls: { ca: certs.caPem } });
    for (const w of [wrongName, wrongCa]) {
      const r = await ctx.api.post(`/v1/webhooks/${w.id}/test`, { token: t.key });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ succeeded: false, error: 'tls_failed' });
    }
    expect(rs.received('probe')).toEqual([]);
    const ok = await ctx.api.post(`/v1/webhooks/${good.id}/test`, { token: t.key });
    expect(ok.body, ok.text).toMatchObject({ succeeded: true, error: null });
    const m = await until('test message', () => rs.received('probe')[0]);
    expect(m).toMatchObject({ version: '1', app: 'veritrail', msgid: 'webhook.test' });
    expect(m.sd[SD_ID]).toMatchObject({ tenant: t.id, message_id: ok.body.message_id });
    expect(leefParts(m.msg).attrs).toEqual({ webhook_id: good.id });
    for (const w of [wrongName, wrongCa, good]) await ctx.api.delete(`/v1/webhooks/${w.id}`, { token: t.key });
  }, 60_000);

  it('WH-SYSLOG-05: a receiver requiring a client certificate gets messages only from the destination holding the configured one', async () => {
    const url = `syslog+tls://localhost:${rs.ports.mtls}`;
    const none = await createHook({ ...TEST_ONLY, url, tls: { ca: certs.caPem } });
    const stranger = await createHook({ ...TEST_ONLY, url, tls: { ca: certs.caPem, cert: certs.otherClientCertPem, key: certs.otherClientKeyPem } });
    const client = await createHook({ ...TEST_ONLY, url, tls: { ca: certs.caPem, cert: certs.clientCertPem, key: certs.clientKeyPem } });
    expect(client.tls).toEqual({ ca: true, client_certificate: true });
    expect(JSON.stringify(client)).not.toContain('PRIVATE KEY');
    // rsyslog checks the client certificate after the handshake and then drops the session
    // without an alert: syslog has no acknowledgement, so the sender cannot tell this from a
    // delivery (docs/webhooks.md "Acknowledgement"). What matters here: nothing got through.
    for (const w of [none, stranger]) expect((await ctx.api.post(`/v1/webhooks/${w.id}/test`, { token: t.key })).status).toBe(200);
    const ok = await ctx.api.post(`/v1/webhooks/${client.id}/test`, { token: t.key });
    expect(ok.body, ok.text).toMatchObject({ succeeded: true });
    await until('test message over mutual TLS', () => rs.received('mtls').length > 0);
    const got = rs.received('mtls');
    // Only the delivery with the right certificate arrived.
    expect(got.map((m) => m.sd[SD_ID]!.message_id)).toEqual([ok.body.message_id]);
    for (const w of [none, stranger, client]) await ctx.api.delete(`/v1/webhooks/${w.id}`, { token: t.key });
  }, 60_000);

  it('WH-SYSLOG-04: bad syslog settings answer 4xx with a stable code and create or change nothing', async () => {
    const before = (await ctx.api.get('/v1/webhooks', { token: t.key, query: { limit: 100 } })).body.data.length;
    const tls = `syslog+tls://localhost:${rs.ports.probe}`;
    const key = certs.serverKey;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ kind: 'syslog', url: 'syslog+udp://localhost:514' }, 422, 'webhook_url_invalid'],
      [{ kind: 'syslog', url: 'https://siem.example.com/' }, 422, 'webhook_url_invalid'],
      [{ kind: 'syslog', url: 'syslog+tcp://user:pw@siem.example.com:601' }, 422, 'webhook_url_invalid'],
      [{ kind: 'syslog', url: 'syslog+tcp://siem.example.com:601/path' }, 422, 'webhook_url_invalid'],
      [{ url: 'https://hooks.example.com/x', format: 'cef' }, 400, 'webhook_option_not_applicable'],
      [{ url: 'https://hooks.example.com/x', tls: { ca: certs.caPem } }, 400, 'webhook_option_not_applicable'],
      [{ kind: 'syslog', url: 'syslog+tcp://siem.example.com:601', tls: { ca: certs.caPem } }, 400, 'webhook_option_not_applicable'],
      [{ kind: 'syslog', url: tls, cloudevents: true }, 400, 'webhook_option_not_applicable'],
      [{ kind: 'syslog', url: tls, credentials: { token: 'x' } }, 400, 'webhook_option_not_applicable'],
      [{ kind: 'syslog', url: tls, format: 'json' }, 400, 'validation_failed'],
      [{ kind: 'syslog', url: tls, tls: { ca: 'not a certificate' } }, 400, 'webhook_tls_invalid'],
      [{ kind: 'syslog', url: tls, tls: { ca: certs.caPem, cert: certs.caPem } }, 400, 'webhook_tls_invalid'],
      [{ kind: 'syslog', url: tls, tls: { cert: certs.otherCaPem, key: 'garbage' } }, 400, 'webhook_tls_invalid'],
      [{ kind: 'syslog', url: tls, tls: { cert: certs.otherCaPem, key: (await import('node:fs')).readFileSync(key, 'utf8') } }, 400, 'webhook_tls_invalid'],
    ];
    for (const [body, status, code] of cases) {
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error?.code ?? r.body.code, r.text).toBe(code);
    }
    expect((await ctx.api.get('/v1/webhooks', { token: t.key, query: { limit: 100 } })).body.data.length).toBe(before);

    const w = await createHook({ ...TEST_ONLY, url: tls, tls: { ca: certs.caPem } });
    expect(w.format).toBe('cef');
    const bad = await ctx.api.patch(`/v1/webhooks/${w.id}`, { token: t.key, body: { cloudevents: true } });
    expect(bad.status).toBe(400);
    const unchanged = await ctx.api.get(`/v1/webhooks/${w.id}`, { token: t.key });
    expect(unchanged.body.updated_at).toBe(w.updated_at);
    const patched = await ctx.api.patch(`/v1/webhooks/${w.id}`, { token: t.key, body: { format: 'leef' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ format: 'leef', tls: { ca: true, client_certificate: false } });
    await ctx.api.delete(`/v1/webhooks/${w.id}`, { token: t.key });
  }, 60_000);
});
