import { describe, expect, it } from 'vitest';
import { heldLeaseSql } from './lease-fence.js';

describe('heldLeaseSql', () => {
  it('checks key, holder and expiry with the statement placeholders, locking the row on request', () => {
    expect(heldLeaseSql('$1', '$2')).toBe('SELECT key FROM job_leases WHERE key = $1 AND holder = $2 AND lease_until > now()');
    expect(heldLeaseSql('$3', '$4', { lockRow: true })).toBe('SELECT key FROM job_leases WHERE key = $3 AND holder = $4 AND lease_until > now() FOR UPDATE');
  });

  it('refuses anything but placeholders: values never go into the SQL text', () => {
    expect(() => heldLeaseSql("'seal:t1'", '$2')).toThrow(/placeholder/);
    expect(() => heldLeaseSql('$1', '$2; DROP TABLE job_leases')).toThrow(/placeholder/);
  });
});
