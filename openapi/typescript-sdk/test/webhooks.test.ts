import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signedHeaders } from '../../../src/webhooks/signing.js';
import { Veritrail, VeritrailWebhookError } from '../src/index.js';

/** Signatures as the server makes them (src/webhooks/signing.ts) and as the reference library makes them. */
describe('Veritrail.webhooks.verify', () => {
  const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
  const body = JSON.stringify({ type: 'events', data: { events: [{ id: 'e1', action: 'user.login' }] } });

  it('accepts what the server signs, as a string or as bytes, with Headers or a plain object', () => {
    const headers = signedHeaders([secret], 'msg_1', body);
    expect(Veritrail.webhooks.verify(body, headers, secret)).toEqual(JSON.parse(body));
    expect(Veritrail.webhooks.verify(Buffer.from(body), new Headers(headers), secret)).toEqual(JSON.parse(body));
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(Veritrail.webhooks.verify(new Uint8Array(Buffer.from(body)), upper, secret)).toEqual(JSON.parse(body));
  });

  it('agrees with the standardwebhooks reference library', () => {
    const wh = new Webhook(secret);
    const ts = new Date();
    const sig = wh.sign('msg_ref', ts, body);
    const headers = { 'webhook-id': 'msg_ref', 'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)), 'webhook-signature': sig };
    expect(Veritrail.webhooks.verify(body, headers, secret)).toEqual(JSON.parse(body));
  });

  it('during a rotation either secret verifies', () => {
    const next = `whsec_${Buffer.alloc(32, 4).toString('base64')}`;
    const headers = signedHeaders([next, secret], 'msg_2', body);
    expect(() => Veritrail.webhooks.verify(body, headers, secret)).not.toThrow();
    expect(() => Veritrail.webhooks.verify(body, headers, next)).not.toThrow();
    expect(() => Veritrail.webhooks.verify(body, signedHeaders([next], 'msg_3', body), [secret, next])).not.toThrow();
  });

  it('WH-03/WH-04: refuses tampered bodies, wrong secrets, other ids, stale or future timestamps, unknown versions, missing headers', () => {
    const headers = signedHeaders([secret], 'msg_1', body);
    const refuse = (b: string, h: Record<string, string>, s = secret, now?: number) => {
      expect(() => Veritrail.webhooks.verify(b, h, s, { now })).toThrow(VeritrailWebhookError);
    };
    refuse(body.replace('user.login', 'user.logout'), headers);
    refuse(body, headers, `whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    refuse(body, { ...headers, 'webhook-id': 'msg_other' });
    refuse(body, headers, secret, Date.now() + 6 * 60_000);
    refuse(body, headers, secret, Date.now() - 6 * 60_000);
    refuse(body, { ...headers, 'webhook-signature': headers['webhook-signature']!.replace('v1,', 'v2,') });
    refuse(body, { ...headers, 'webhook-signature': 'v1,' });
    refuse(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': headers['webhook-timestamp']! });
    refuse(body, { ...headers, 'webhook-timestamp': 'soon' });
    expect(() => Veritrail.webhooks.verify(body, headers, secret, { now: Date.now() + 4 * 60_000 })).not.toThrow();
    let thrown: unknown;
    try {
      Veritrail.webhooks.verify(body, { ...headers, 'webhook-id': 'x' }, secret);
    } catch (e) {
      thrown = e;
    }
    // Asserted outside the catch: a verify that stopped throwing fails here.
    expect(thrown).toBeInstanceOf(VeritrailWebhookError);
    expect((thrown as VeritrailWebhookError).code).toBe('webhook_verification_failed');
    expect((thrown as Error).message).not.toContain(secret);
  });
});
