import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (www.standardwebhooks.com): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, the signature `v1,<base64 HMAC-SHA256>` under
 * the secret's bytes, the secret `whsec_<base64 of 32 random bytes>`. Several signatures are
 * space-separated in one header: during a rotation overlap both the new and the previous secret
 * sign, so a receiver configured with either verifies.
 */
export const SECRET_PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function signatureOf(secret: string, messageId: string, timestampSeconds: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secretBytes(secret));
  mac.update(`${messageId}.${timestampSeconds}.`);
  mac.update(body);
  return `v1,${mac.digest('base64')}`;
}

/** The three Standard Webhooks headers for one attempt (a retry gets a new timestamp and signatures, the same id). */
export function signedHeaders(secrets: readonly string[], messageId: string, body: string | Buffer, nowMs = Date.now()): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(ts),
    'webhook-signature': secrets.map((s) => signatureOf(s, messageId, ts, body)).join(' '),
  };
}

/**
 * The sealed format of secrets at rest before they were sealed under the privacy master key:
 * AES-256-GCM under an install-wide key kept in system_settings (`webhook_secret_key`), so
 * anyone who could read the database could open them. Kept only to read rows in that format and
 * re-wrap them (WebhookSecrets). Format: v1.<iv>.<tag>.<data>, base64url.
 */
export const LEGACY_SECRET_KEY = 'webhook_secret_key';

export function isLegacySealed(sealed: string): boolean {
  return sealed.startsWith('v1.');
}

/** The old format; only tests still write it (to make rows as an older version left them). */
export function sealLegacySecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

export function openLegacySecret(key: Buffer, sealed: string): string {
  const [v, iv, tag, data] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
}

/**
 * CloudEvents 1.0 HTTP binary content mode attributes of one delivery (opt-in per https
 * destination): the body stays the Standard Webhooks envelope and `content-type` is its
 * `datacontenttype`. `ce-id` is the webhook-id (the same for every attempt, so a receiver
 * deduplicates on id + source), `ce-source` the tenant's trail, `ce-type` `com.veritrail.<kind>`,
 * `ce-time` the envelope's `timestamp`.
 */
export function cloudEventHeaders(w: { tenantId: string }, messageId: string, kind: string, nowMs: number): Record<string, string> {
  return {
    'ce-specversion': '1.0',
    'ce-id': messageId,
    'ce-type': `com.veritrail.${kind}`,
    'ce-source': `/veritrail/tenants/${encodeURIComponent(w.tenantId)}`,
    'ce-time': new Date(nowMs).toISOString(),
  };
}
