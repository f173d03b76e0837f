// Lag from acknowledgement to delivery, as users run it: the server started with its defaults
// (every background job on, LOG_APPEND_INTERVAL and SEAL_INTERVAL at their defaults), a steady
// ingest of --lag-rate events/s (batches every 100 ms), one webhook destination with default
// batch settings posting to a local receiver, and one SIEM poller reading GET /v1/events/feed
// every 100 ms. Per event: ack → arrival at the receiver, ack → first feed page holding it.
// Reference, same run: the same with LOG_APPEND_INTERVAL = SEAL_INTERVAL (the log appended only
// when a checkpoint is signed, as before the two were split). Writes its row and section of
// docs/benchmarks.md.
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
import { fmt, writeBenchmarkSection } from './lib/report.mjs';

function percentiles(lags) {
  const s = [...lags].sort((a, b) => a - b);
  const p = (q) => s[Math.min(s.length - 1, Math.floor((q / 100) * s.length))];
  return { n: s.length, p50: p(50), p99: p(99), max: s[s.length - 1] };
}

async function runOnce({ rate, seconds, extraEnv, label, startApp, createTenant, log }) {
  const webhookArrivals = new Map();
  const receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (body.type === 'events') for (const e of body.data.events) if (!webhookArrivals.has(e.id)) webhookArrivals.set(e.id, now);
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-lag-'));
  // Defaults, except that the receiver is on this machine (private targets must be allowed).
  const app = await startApp(dir, { WEBHOOKS_ALLOW_PRIVATE: 'true', ...extraEnv });
  try {
    const t = await createTenant(app.url, `bench-lag-${label}`);
    const call = (method, path, body) =>
      fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => {
        if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
        return r.json();
      });
    await call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${receiver.address().port}/in`, name: 'lag' });

    const feedArrivals = new Map();
    const acked = new Map();
    let stop = false;
    let cursor;
    const poller = (async () => {
      while (!stop) {
        const page = await call('GET', `/v1/events/feed?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        const at = performance.now();
        for (const e of page.data) if (!feedArrivals.has(e.id)) feedArrivals.set(e.id, at);
        cursor = page.next_cursor;
        if (page.data.length < 1000) await new Promise((r) => setTimeout(r, 100));
      }
    })();

    log(`lag (${label}): steady ingest ${rate} events/s for ${seconds} s …`);
    const r = rng(19);
    const s0 = performance.now();
    const inflight = [];
    for (let tick = 0; tick < seconds * 10; tick++) {
      const wait = s0 + tick * 100 - performance.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      // Open loop: a slow answer does not delay the next batch.
      inflight.push(
        call('POST', '/v1/events/batch', { events: Array.from({ length: rate / 10 }, (_, j) => makeEvent(r, 0, j % ORGS_PER_TENANT, Date.now())) }).then((body) => {
          const at = performance.now();
          for (const id of body.ids) acked.set(id, at);
        }),
      );
    }
    await Promise.all(inflight);
    const settleUntil = performance.now() + 90_000;
    const missing = () => [...acked.keys()].some((id) => !webhookArrivals.has(id) || !feedArrivals.has(id));
    while (missing() && performance.now() < settleUntil) await new Promise((res) => setTimeout(res, 200));
    stop = true;
    await poller;
    const lagOf = (arrivals) => percentiles([...acked].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id) - at));
    return { acked: acked.size, webhook: lagOf(webhookArrivals), feed: lagOf(feedArrivals) };
  } finally {
    await app.stop();
    receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchLag({ args, startApp, createTenant, log }) {
  const rate = Number(args['lag-rate'] ?? 1000);
  const seconds = Number(args['lag-seconds'] ?? 30);
  const defaults = await runOnce({ rate, seconds, extraEnv: {}, label: 'defaults', startApp, createTenant, log });
  // The reference: appending only when a checkpoint is signed (SEAL_INTERVAL's default, 10 s).
  const signedOnly = await runOnce({ rate, seconds, extraEnv: { LOG_APPEND_INTERVAL: '10s' }, label: 'append-at-seal', startApp, createTenant, log });
  return { rate, seconds, defaults, signedOnly };
}

export async function writeLagSection(s, { command, date, machine }) {
  const d = s.defaults;
  const o = s.signedOnly;
  const row = `| ingest → webhook receiver / → feed, p99 at a steady ${fmt(s.rate)} events/s, default settings (\`npm start\`) | webhook p99 ${fmt(d.webhook.p99)} ms, feed p99 ${fmt(d.feed.p99)} ms | the log appended only when signed (\`LOG_APPEND_INTERVAL=10s\`): webhook p99 ${fmt(o.webhook.p99)} ms, feed p99 ${fmt(o.feed.p99)} ms | **${fmt(o.webhook.p99 / d.webhook.p99, 1)} × / ${fmt(o.feed.p99 / d.feed.p99, 1)} × shorter** | ≤ 2,000 ms |`;
  const line = (name, x) => `${name}: p50 ${fmt(x.p50)} ms, p99 ${fmt(x.p99)} ms, max ${fmt(x.max)} ms (${fmt(x.n)} events)`;
  const section = [
    '## Lag details',
    '',
    `Produced by \`${command}\` on ${date.slice(0, 10)} (${machine.cpus} × ${machine.model}, Node ${machine.node}).`,
    '',
    `- The server as \`npm start\` runs it (every background job, privacy and read auditing on, \`LOG_APPEND_INTERVAL\` 500 ms, \`SEAL_INTERVAL\` 10 s); only \`WEBHOOKS_ALLOW_PRIVATE=true\` is added, the receiver being on this machine. One tenant, ${fmt(s.rate)} events/s for ${fmt(s.seconds)} s (a batch of ${fmt(s.rate / 10)} every 100 ms, open loop), one webhook destination with default batch settings (100 events, 256 KB, 1 s interval) posting to a local receiver that answers 204, one feed poller reading \`GET /v1/events/feed?limit=1000\` (again at once after a full page, else after 100 ms).`,
    `- Lag per event: from the moment its batch was acknowledged to its arrival at the receiver, or to the feed page that first held it (the poll interval included).`,
    `- Defaults (${fmt(d.acked)} events acknowledged): ${line('webhook', d.webhook)}; ${line('feed', d.feed)}.`,
    `- Reference, same run, \`LOG_APPEND_INTERVAL=10s\` (what the log did before appending and signing were split: appended only when a checkpoint was signed) (${fmt(o.acked)} events): ${line('webhook', o.webhook)}; ${line('feed', o.feed)}.`,
    '',
  ].join('\n');
  await writeBenchmarkSection({ rowPrefix: '| ingest → webhook receiver / → feed', row, heading: '## Lag details', section });
}
