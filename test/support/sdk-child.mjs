#!/usr/bin/env node
// A process that uses the built SDK (openapi/typescript-sdk/dist/esm) with a durable buffer, for
// crash tests. Prints one line per event whose event() resolved ("queued <idempotency_key>").
//   node sdk-child.mjs produce <baseUrl> <apiKey> <bufferDir> <count>  → queues <count> events in
//     waves, prints "all queued", then waits to be killed
//   node sdk-child.mjs deliver <baseUrl> <apiKey> <bufferDir>          → delivers what the buffer
//     holds, prints "delivered <n>" and exits
import { Veritrail } from '../../openapi/typescript-sdk/dist/esm/index.js';

const [mode, baseUrl, apiKey, dir, count] = process.argv.slice(2);
const out = (line) => process.stdout.write(`${line}\n`);
const audit = new Veritrail({
  apiKey,
  baseUrl,
  buffer: { dir },
  retry: { initialDelayMs: 50, maxDelayMs: 500 },
  // Small batches while producing: at the kill some are acknowledged, some in flight, the rest only on disk.
  batchSize: mode === 'produce' ? 100 : 500,
  onError: (e) => out(`error ${e.code}`),
});

if (mode === 'produce') {
  const n = Number(count);
  for (let i = 0; i < n; ) {
    // Waves of 40 concurrent callers, a pause between waves.
    const wave = [];
    for (let j = 0; j < 40 && i < n; j++, i++) {
      const seq = i;
      wave.push(
        audit.event({ action: 'sdk.crash', actor: { type: 'service', id: 'child' }, metadata: { seq } }).then((q) => out(`queued ${q.idempotency_key}`)),
      );
    }
    await Promise.all(wave);
    await new Promise((r) => setTimeout(r, 15));
  }
  out('all queued');
  setInterval(() => undefined, 60_000); // wait for SIGKILL
} else if (mode === 'deliver') {
  await audit.ready();
  const before = audit.stats().pending;
  await audit.flush({ timeoutMs: 60_000 });
  await audit.close();
  out(`delivered ${before}`);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
