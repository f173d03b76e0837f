import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MasterKey } from './master-key.js';
import { isSealedSecret, openSecretValue, sealSecretValue } from './secret-seal.js';

function masterKey(): MasterKey {
  const key = randomBytes(32);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

describe('secrets sealed under the master key', () => {
  const master = masterKey();

  it('round-trips, names the master key, and hides the plaintext', () => {
    const sealed = sealSecretValue(master, 'webhooks', 't_1\nwh_1\nsigning_secret', 'whsec_abc');
    expect(isSealedSecret(sealed)).toBe(true);
    expect(sealed.startsWith(`mk1.${master.id}.`)).toBe(true);
    expect(sealed).not.toContain('abc');
    expect(openSecretValue(master, 'webhooks', 't_1\nwh_1\nsigning_secret', sealed)).toBe('whsec_abc');
    // A fresh IV each time: the same secret never seals to the same text.
    expect(sealSecretValue(master, 'webhooks', 't_1\nwh_1\nsigning_secret', 'whsec_abc')).not.toBe(sealed);
  });

  it('does not open under another master key, purpose or context, nor after tampering', () => {
    const sealed = sealSecretValue(master, 'webhooks', 't_1\nwh_1\ncredentials', '{"token":"x"}');
    const other = masterKey();
    expect(openSecretValue(other, 'webhooks', 't_1\nwh_1\ncredentials', sealed)).toBeUndefined();
    // The right key bytes under the other key's id: refused before decrypting.
    expect(openSecretValue({ ...master, id: other.id }, 'webhooks', 't_1\nwh_1\ncredentials', sealed)).toBeUndefined();
    expect(openSecretValue(master, 'exports', 't_1\nwh_1\ncredentials', sealed)).toBeUndefined();
    expect(openSecretValue(master, 'webhooks', 't_2\nwh_1\ncredentials', sealed)).toBeUndefined();
    expect(openSecretValue(master, 'webhooks', 't_1\nwh_1\nsigning_secret', sealed)).toBeUndefined();
    const data = Buffer.from(sealed.split('.')[2]!, 'base64url');
    data[20]! ^= 1;
    expect(openSecretValue(master, 'webhooks', 't_1\nwh_1\ncredentials', `mk1.${master.id}.${data.toString('base64url')}`)).toBeUndefined();
    expect(openSecretValue(master, 'webhooks', 't_1\nwh_1\ncredentials', 'v1.a.b.c')).toBeUndefined();
  });
});
