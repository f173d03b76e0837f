/**
 * The lease check a fenced commit embeds in its own statement: a row of `job_leases` (owned by
 * the jobs module) exists while `holder` still holds `key`. Other modules compose it into their
 * SQL (`WHERE EXISTS (…)`) instead of naming the table; the arguments are the statement's
 * placeholders for the key and the holder (e.g. `$1`, `$2`), never values.
 */
export function heldLeaseSql(keyPlaceholder: string, holderPlaceholder: string, opts: { lockRow?: boolean } = {}): string {
  for (const p of [keyPlaceholder, holderPlaceholder]) if (!/^\$\d+$/.test(p)) throw new Error(`not a placeholder: ${p}`);
  return `SELECT key FROM job_leases WHERE key = ${keyPlaceholder} AND holder = ${holderPlaceholder} AND lease_until > now()${opts.lockRow ? ' FOR UPDATE' : ''}`;
}
