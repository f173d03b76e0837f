import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, openLegacySecret, sealLegacySecret, signedHeaders } from './signing.js';
import { maskEvent, matchesFilters, retryDelayMs } from './webhook-messages.js';

describe('Standard Webhooks signing', () => {
  it('verifies with the official library; any change breaks it', () => {
    const secret = newWebhookSecret();
    const body = '{"type":"events","data":{"events":[]}}';
    const headers = signedHeaders([secret], 'msg_1', body);
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
  });

  it('signs with every given secret (rotation overlap)', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    const body = '{"x":1}';
    const headers = signedHeaders([b, a], 'msg_1', body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(a).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(b).verify(body, headers)).not.toThrow();
  });

  it('reads the legacy sealed format (AES-GCM under a database key): round trip, tampering detected', () => {
    const key = randomBytes(32);
    const sealed = sealLegacySecret(key, 'whsec_abc');
    expect(sealed).not.toContain('abc');
    expect(openLegacySecret(key, sealed)).toBe('whsec_abc');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('whsec_xyz').toString('base64url');
    expect(() => openLegacySecret(key, parts.join('.'))).toThrow();
    expect(() => openLegacySecret(randomBytes(32), sealed)).toThrow();
  });
});

describe('filters, masking, retry schedule', () => {
  it('matches actions exactly or by prefix, and organizations', () => {
    const f = { actions: ['user.*', 'api_key.created'], organizations: ['o1'], kinds: ['event' as const] };
    expect(matchesFilters({ action: 'user.login', organization_id: 'o1' }, f)).toBe(true);
    expect(matchesFilters({ action: 'username.x', organization_id: 'o1' }, f)).toBe(false);
    expect(matchesFilters({ action: 'api_key.created', organization_id: 'o1' }, f)).toBe(true);
    expect(matchesFilters({ action: 'user.login', organization_id: 'o2' }, f)).toBe(false);
    expect(matchesFilters({ action: 'user.login' }, f)).toBe(false);
    expect(matchesFilters({ action: 'any.thing' }, { actions: [], organizations: [], kinds: ['event'] })).toBe(true);
    expect(matchesFilters({ action: 'any.thing' }, { actions: ['*'], organizations: [], kinds: ['event'] })).toBe(true);
    expect(matchesFilters({ action: 'user' }, { actions: ['user.*'], organizations: [], kinds: ['event'] })).toBe(false);
  });

  it('drops and hashes dotted paths, in arrays too', () => {
    const key = randomBytes(32);
    const ev = { actor: { id: 'u1', email: 'a@b.c' }, targets: [{ id: 't1', name: 'n1' }, { id: 't2' }], context: { ip: '1.2.3.4' } };
    const out = maskEvent(structuredClone(ev), { drop: ['actor.email', 'targets.name'], hash: ['actor.id', 'context.ip'] }, key) as any;
    expect(out.actor.email).toBeUndefined();
    expect(out.targets).toEqual([{ id: 't1' }, { id: 't2' }]);
    expect(out.actor.id).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(out.context.ip).not.toContain('1.2.3.4');
    const again = maskEvent(structuredClone(ev), { drop: [], hash: ['actor.id'] }, key) as any;
    expect(again.actor.id).toBe(out.actor.id);
  });

  it('follows the schedule with ±20 % jitter and never retries before Retry-After', () => {
    const schedule = [1000, 10_000];
    expect(retryDelayMs(schedule, 1, undefined, () => 0)).toBe(800);
    expect(retryDelayMs(schedule, 1, undefined, () => 1)).toBe(1200);
    expect(retryDelayMs(schedule, 9, undefined, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(schedule, 1, 120_000, () => 0.5)).toBe(120_000);
    expect(retryDelayMs(schedule, 1, 10 * 86_400_000, () => 0.5)).toBe(86_400_000);
  });
});
