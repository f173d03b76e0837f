import { createHmac, timingSafeEqual } from 'node:crypto';
import { VeritrailWebhookError } from './errors.js';

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface WebhookVerifyOptions {
  /** How far `webhook-timestamp` may be from now, in seconds. Default 300 (Standard Webhooks). */
  toleranceSeconds?: number;
  /** The current time in ms, for tests. */
  now?: number;
}

const SECRET_PREFIX = 'whsec_';

/**
 * Verifies a webhook delivery per Standard Webhooks: HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${raw body}` under the endpoint secret (`whsec_<base64>`),
 * compared in constant time against every `v1,<base64>` signature in `webhook-signature`
 * (during a secret rotation the header carries two). Returns the parsed JSON payload.
 *
 * Pass the body exactly as received (string or bytes), not re-serialised JSON. A valid
 * signature inside the timestamp window can still be a replay: remember `webhook-id`s you have
 * processed and skip repeats.
 */
export function verifyWebhook<T = unknown>(body: string | Uint8Array, headers: WebhookHeaders, secret: string | readonly string[], options: WebhookVerifyOptions = {}): T {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new VeritrailWebhookError('The webhook-id, webhook-timestamp and webhook-signature headers are required.');
  if (!/^\d{1,12}$/.test(timestamp)) throw new VeritrailWebhookError('The webhook-timestamp header is not a Unix time in seconds.');
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const ts = Number(timestamp);
  if (ts < now - tolerance) throw new VeritrailWebhookError('The webhook timestamp is too old.');
  if (ts > now + tolerance) throw new VeritrailWebhookError('The webhook timestamp is too far in the future.');

  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const candidates = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  const secrets = typeof secret === 'string' ? [secret] : [...secret];
  if (secrets.length === 0) throw new VeritrailWebhookError('No secret to verify with.');
  let ok = false;
  for (const s of secrets) {
    const key = Buffer.from(s.startsWith(SECRET_PREFIX) ? s.slice(SECRET_PREFIX.length) : s, 'base64');
    if (key.length === 0) throw new VeritrailWebhookError('The webhook secret is empty or not base64.');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(payload).digest();
    // Every candidate is compared (no early exit): the time taken does not say which one matched.
    for (const c of candidates) if (c.length === expected.length && timingSafeEqual(c, expected)) ok = true;
  }
  if (!ok) throw new VeritrailWebhookError('No webhook signature matches.');
  try {
    return JSON.parse(payload.toString('utf8')) as T;
  } catch {
    throw new VeritrailWebhookError('The webhook body is not JSON.');
  }
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  let v = rec[name];
  if (v === undefined) {
    const k = Object.keys(rec).find((key) => key.toLowerCase() === name);
    v = k === undefined ? undefined : rec[k];
  }
  return Array.isArray(v) ? v.join(' ') : v;
}
