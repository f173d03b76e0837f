// A small closed-loop HTTP load generator (undici, keep-alive): `concurrency` loops each send
// the next request as soon as the previous one answered. Same generator for every target, so
// ratios compare like with like.
import { Pool } from 'undici';

export async function runLoad({ url, concurrency, durationMs, requests, makeRequest, expectStatus = 201, warmupMs = 1000 }) {
  const origin = new URL(url).origin;
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies = [];
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let itemsOk = 0;
  const firstFailures = [];
  const started = performance.now();
  const warmupEnd = started + warmupMs;
  let measureStart = 0;
  const stopAt = durationMs ? started + warmupMs + durationMs : Infinity;
  async function loop() {
    for (;;) {
      const now = performance.now();
      if (now >= stopAt) return;
      if (requests !== undefined && sent >= requests) return;
      const i = sent++;
      const req = makeRequest(i);
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: req.path, method: req.method ?? 'POST', headers: req.headers, body: req.body });
        const text = await res.body.text();
        const t1 = performance.now();
        const measuring = requests !== undefined || t0 >= warmupEnd;
        if (measuring && !measureStart) measureStart = t0;
        if (res.statusCode === expectStatus) {
          if (measuring) {
            ok++;
            itemsOk += req.items ?? 1;
            latencies.push(t1 - t0);
          }
        } else {
          failed++;
          if (firstFailures.length < 3) firstFailures.push(`${res.statusCode} ${text.slice(0, 200)}`);
        }
      } catch (err) {
        failed++;
        if (firstFailures.length < 3) firstFailures.push(String(err));
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedS = (performance.now() - (measureStart || started)) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : NaN);
  return { ok, failed, firstFailures, elapsedS, reqPerS: ok / elapsedS, itemsPerS: itemsOk / elapsedS, p50: pct(50), p95: pct(95), p99: pct(99) };
}

export function percentiles(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { p50: at(50), p95: at(95), p99: at(99), n: s.length };
}
