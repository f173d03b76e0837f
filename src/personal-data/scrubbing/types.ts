/** The scrubber's shared vocabulary: what it finds, the tenant's policy, and the JSON helpers every pass uses. */

export type ScrubKind =
  | 'password'
  | 'secret'
  | 'bearer_token'
  | 'jwt'
  | 'card_number'
  | 'aws_access_key'
  | 'aws_secret_key'
  | 'gcp_api_key'
  | 'gcp_service_account_key'
  | 'stripe_key'
  | 'github_token'
  | 'private_key'
  | 'custom';

export interface ScrubPolicy {
  /** 'redact' replaces with `[REDACTED:<kind>]`; 'hmac' with `[HMAC:<kind>:<first 16 hex of HMAC-SHA256(hmacKey, value)>]` (keyed pseudonym, never a plain hash). */
  mode: 'redact' | 'hmac';
  /** Required when mode === 'hmac' (at least 16 bytes). */
  hmacKey?: Buffer;
  /** Tenant patterns: name (a-z0-9_, ≤ 32) and an RE2 regex source; matches are replaced like built-ins with kind `custom` and the name: `[REDACTED:custom:<name>]`. */
  customPatterns?: { name: string; pattern: string }[];
  /** Truncate IPs in context.ip: IPv4 → /24 (last octet 0), IPv6 → /48. */
  truncateIp?: boolean;
  /** Minimisation: dotted paths of metadata keys to drop entirely (e.g. 'metadata.ssn', 'metadata.address.street'). */
  denyFields?: string[];
  /** If set, only these top-level metadata keys are kept (others dropped). */
  allowMetadataKeys?: string[];
}

export interface ScrubFinding {
  kind: ScrubKind;
  path: string;
  name?: string;
}

export type JsonObject = Record<string, unknown>;

/** A stretch of a string to replace, found by a detector (UTF-16 offsets, like String#slice). */
export interface Span {
  start: number;
  end: number;
  kind: ScrubKind;
  name?: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property write that is safe for a key named `__proto__` (plain assignment would set the prototype). */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
