// Syslog destination throughput against the https destination, in the same run on the same
// machine: one backlog, one destination of each kind created together with start=beginning and
// the same batch settings, each draining to a local receiver that only counts (an https
// receiver answering 204, a TCP syslog receiver reading octet-counted frames). Writes its row
// and section of docs/benchmarks.md.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
import { ROOT } from './lib/proc.mjs';
import { fmt, writeBenchmarkSection } from './lib/report.mjs';


/** Event ids of the octet-counted RFC 5424 frames in a TCP stream (the id is in the structured data). */
function frameReader(onId) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      const sp = buf.indexOf(0x20);
      if (sp < 0) return;
      const len = Number(buf.subarray(0, sp).toString('ascii'));
      if (buf.length < sp + 1 + len) return;
      const msg = buf.subarray(sp + 1, sp + 1 + len).toString('utf8');
      buf = buf.subarray(sp + 1 + len);
      const m = / event_id="([^"]+)"/.exec(msg);
      if (m) onId(m[1]);
    }
  };
}

export async function benchSyslog({ args, startApp, createTenant, log }) {
  const BACKLOG = Number(args['syslog-backlog'] ?? 20_000);
  const arrivals = { https: new Map(), syslog: new Map() };
  const https = createHttpServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (body.type === 'events') for (const e of body.data.events) if (!arrivals.https.has(e.id)) arrivals.https.set(e.id, now);
      res.writeHead(204).end();
    });
  });
  const syslog = createTcpServer((socket) => {
    const read = frameReader((id) => {
      if (!arrivals.syslog.has(id)) arrivals.syslog.set(id, performance.now());
    });
    socket.on('data', read);
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
  });
  await Promise.all([new Promise((r) => https.listen(0, '127.0.0.1', r)), new Promise((r) => syslog.listen(0, '127.0.0.1', r))]);

  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-syslog-'));
  const app = await startApp(dir, { SEAL_INTERVAL: '1s', WEBHOOK_TIMEOUT_MS: '10000', WEBHOOKS_ALLOW_PRIVATE: 'true' });
  const t = await createTenant(app.url, 'bench-syslog');
  const call = (method, path, body) =>
    fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  await call('PUT', '/v1/settings/auditing', { read_auditing: false });
  log(`syslog: ingesting a backlog of ${BACKLOG} events …`);
  const r0 = rng(11);
  for (let i = 0; i < BACKLOG; i += 1000) {
    await call('POST', '/v1/events/batch', { events: Array.from({ length: Math.min(1000, BACKLOG - i) }, (_, j) => makeEvent(r0, 0, j % ORGS_PER_TENANT, Date.now() - 1000)) });
  }
  for (;;) {
    const cps = await (await fetch(`${app.url}/v1/integrity/checkpoints?limit=1`, { headers: { authorization: `Bearer ${t.key}` } })).json();
    if ((cps.data[0]?.tree_size ?? 0) >= BACKLOG) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  log('syslog: draining the backlog to an https and a syslog (TCP, CEF) destination at once …');
  const batch = { max_events: 100, interval_ms: 50 };
  const t0 = performance.now();
  await Promise.all([
    call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${https.address().port}/in`, name: 'https', start: 'beginning', batch }),
    call('POST', '/v1/webhooks', { kind: 'syslog', url: `syslog+tcp://127.0.0.1:${syslog.address().port}`, format: 'cef', name: 'syslog', start: 'beginning', batch }),
  ]);
  const done = () => arrivals.https.size >= BACKLOG && arrivals.syslog.size >= BACKLOG;
  while (!done() && performance.now() - t0 < 600_000) await new Promise((r) => setTimeout(r, 100));
  const last = (m) => Math.max(...m.values());
  const seconds = { https: (last(arrivals.https) - t0) / 1000, syslog: (last(arrivals.syslog) - t0) / 1000 };
  await app.stop();
  https.close();
  syslog.close();
  await rm(dir, { recursive: true, force: true });
  return {
    events: BACKLOG,
    https: { delivered: arrivals.https.size, seconds: seconds.https, eventsPerS: arrivals.https.size / seconds.https },
    syslog: { delivered: arrivals.syslog.size, seconds: seconds.syslog, eventsPerS: arrivals.syslog.size / seconds.syslog },
    ratio: arrivals.syslog.size / seconds.syslog / (arrivals.https.size / seconds.https),
  };
}

export async function writeSyslogSection(s, { command, date, machine }) {
  const row = `| syslog delivery (TCP, CEF, batches of 100), backlog of ${fmt(s.events)} events, drained at the same time as an https destination | ${fmt(s.syslog.eventsPerS)} events/s | the https destination in the same run: ${fmt(s.https.eventsPerS)} events/s | **${fmt(s.ratio, 2)} ×** | — |`;
  const section = [
    '## Syslog delivery details',
    '',
    `Produced by \`${command}\` on ${date.slice(0, 10)} (${machine.cpus} × ${machine.model}, Node ${machine.node}).`,
    '',
    `- A backlog of ${fmt(s.events)} sealed events; an https destination and a syslog destination (\`syslog+tcp\`, CEF, one RFC 5424 message per event, one connection per batch) created together with \`start: beginning\` and batches of 100, both draining at once to local receivers that only count (204 for https; octet-counted frames read for syslog).`,
    `- https: ${fmt(s.https.delivered)} events in ${fmt(s.https.seconds, 1)} s = ${fmt(s.https.eventsPerS)} events/s; syslog: ${fmt(s.syslog.delivered)} events in ${fmt(s.syslog.seconds, 1)} s = ${fmt(s.syslog.eventsPerS)} events/s (ratio ${fmt(s.ratio, 2)} ×). Both are bounded by the same dispatcher (one message at a time per destination, in order); syslog adds the per-event CEF mapping and a connection per batch.`,
    '',
  ].join('\n');
  await writeBenchmarkSection({ rowPrefix: '| syslog delivery', row, heading: '## Syslog delivery details', section });
}
