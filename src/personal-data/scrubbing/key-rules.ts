/**
 * Key-based rules: a value under a key that names a password or a secret (`password`, `api_key`,
 * `X-Api-Key`, `webhook_secret`…) is replaced whole, whatever it looks like.
 */

/** Keys are compared lower-cased without `-`/`_`, so `New-Password`, `new_password` and `newPassword` are the same key. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

const PASSWORD_KEYS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode']);
/** Suffixes catch `new_password`, `old_password`, `current_password`, `db_passwd`… but not `password_changed_at`. */
const PASSWORD_SUFFIXES = ['password', 'passwd', 'passphrase', 'pwd'];
const SECRET_KEYS = new Set([
  'secret',
  'clientsecret',
  'apikey',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'privatekey',
  'auth',
  'authorization',
  'proxyauthorization',
  'credential',
  'credentials',
  'cookie',
  'setcookie',
  'sessiontoken',
  'otp',
  'mfacode',
  'totp',
]);
/** Suffixes catch `webhook_secret`, `csrf_token`, `x-api-key`, `aws_secret_access_key`… */
const SECRET_SUFFIXES = ['secret', 'token', 'apikey', 'privatekey', 'secretkey', 'secretaccesskey', 'credentials', 'cookie'];

export function sensitiveKeyKind(key: string): 'password' | 'secret' | undefined {
  const k = normalizeKey(key);
  if (PASSWORD_KEYS.has(k) || PASSWORD_SUFFIXES.some((s) => k.endsWith(s))) return 'password';
  if (SECRET_KEYS.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s))) return 'secret';
  return undefined;
}

/** A change's `field` may be a path (`user.password`, `settings/api_key`): its last segment decides too. */
export function sensitiveFieldKind(field: string): 'password' | 'secret' | undefined {
  const last = field.split(/[./]/).pop() ?? field;
  return sensitiveKeyKind(field) ?? sensitiveKeyKind(last);
}

/** null and booleans carry no secret (a flag like `is_secret: true`), so they are kept; every other value is replaced whole. */
export function isReplaceable(value: unknown): boolean {
  return value !== null && value !== undefined && typeof value !== 'boolean';
}
