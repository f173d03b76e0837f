// Above ~400 lines: the hostile-input and per-detector cases of the scrubber (one describe per
// rule family); they run against the public entry point only, so they stay in one file.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileCustomPatterns, luhnValid, scrubEvent, type ScrubFinding, type ScrubPolicy } from './scrubber.js';

// Fixtures are assembled from pieces so secret scanners do not flag this file.
const JWT = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.');
const AWS_ACCESS = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG' + '/bPxRfiCYEXAMPLEKEY';
const GCP_KEY = 'AIza' + 'SyD-abcdefghijklmnopqrstuvwxyz01234';
const STRIPE = 'sk_' + 'live_' + 'a1B2c3D4e5F6g7H8i9J0';
const WHSEC = 'whsec_' + 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const GH_PAT = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const GH_FINE = 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnop';
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA7bq9', 'c2VjcmV0LWtleS1tYXRlcmlhbA==', '-----END RSA PRIVATE KEY-----'].join('\n');

const REDACT: ScrubPolicy = { mode: 'redact' };
const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

type Event = Record<string, unknown>;

function baseEvent(extra: Event = {}): Event {
  return {
    action: 'user.login',
    occurred_at: '2024-11-22T08:00:00.000Z',
    outcome: 'success',
    organization_id: 'org_4111111111111111',
    actor: { type: 'user', id: 'usr_123', name: 'Alice', email: 'alice@example.com' },
    targets: [{ type: 'document', id: 'doc_1', name: 'Q3 plan' }],
    context: { ip: '203.0.113.77', user_agent: 'Mozilla/5.0', request_id: 'req_abc', session_id: 'sess_1', location: 'web' },
    ...extra,
  };
}

/** Scrubs one metadata string under a neutral key and returns the result and findings. */
function scrubText(text: string, policy: ScrubPolicy = REDACT): { text: unknown; findings: ScrubFinding[] } {
  const { event, findings } = scrubEvent(baseEvent({ metadata: { note: text } }), policy);
  return { text: (event['metadata'] as Event)['note'], findings };
}

describe('luhnValid', () => {
  it('accepts valid numbers and rejects invalid ones and non-digits', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('4111 1111')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
});

describe('key-based scrubbing', () => {
  it('IN-08 replaces password-like keys anywhere in metadata', () => {
    const { event, findings } = scrubEvent(
      baseEvent({ metadata: { login: { password: 'hunter2', 'New-Password': 'x', currentPassword: 'y', pwd: 'z' }, user: 'alice' } }),
      REDACT,
    );
    expect(event['metadata']).toEqual({
      login: { password: '[REDACTED:password]', 'New-Password': '[REDACTED:password]', currentPassword: '[REDACTED:password]', pwd: '[REDACTED:password]' },
      user: 'alice',
    });
    expect(findings).toContainEqual({ kind: 'password', path: 'metadata.login.password' });
    expect(findings).toContainEqual({ kind: 'password', path: 'metadata.login.New-Password' });
  });

  it('IN-08 replaces secret-like keys, including whole objects and arrays', () => {
    const { event, findings } = scrubEvent(
      baseEvent({ metadata: { api_key: 'k1', Authorization: 'Basic abc', credentials: { user: 'u', pw: 'p' }, cookie: ['a=1', 'b=2'], otp: 123456 } }),
      REDACT,
    );
    expect(event['metadata']).toEqual({
      api_key: '[REDACTED:secret]',
      Authorization: '[REDACTED:secret]',
      credentials: '[REDACTED:secret]',
      cookie: '[REDACTED:secret]',
      otp: '[REDACTED:secret]',
    });
    expect(findings.map((f) => f.path).sort()).toEqual(['metadata.Authorization', 'metadata.api_key', 'metadata.cookie', 'metadata.credentials', 'metadata.otp']);
  });

  it('keeps neutral keys, password-related non-secret keys, null and boolean flags (false-positive control)', () => {
    const metadata = { note: 'user changed their password today', password_changed_at: '2024-01-01', token_type: 'bearer', is_secret: true, password: null };
    const { event, findings } = scrubEvent(baseEvent({ metadata }), REDACT);
    expect(event['metadata']).toEqual(metadata);
    expect(findings).toEqual([]);
  });

  it('replaces before/after of a changes[] entry whose field is password/secret-like', () => {
    const { event, findings } = scrubEvent(
      baseEvent({ changes: [{ field: 'password', before: 'old', after: 'new' }, { field: 'settings.api_key', after: 'k' }, { field: 'title', before: 'a', after: 'b' }] }),
      REDACT,
    );
    expect(event['changes']).toEqual([
      { field: 'password', before: '[REDACTED:password]', after: '[REDACTED:password]' },
      { field: 'settings.api_key', after: '[REDACTED:secret]' },
      { field: 'title', before: 'a', after: 'b' },
    ]);
    expect(findings).toEqual([
      { kind: 'password', path: 'changes[0].before' },
      { kind: 'password', path: 'changes[0].after' },
      { kind: 'secret', path: 'changes[1].after' },
    ]);
  });

  it('applies key rules inside changes[].before/after objects', () => {
    const { event, findings } = scrubEvent(baseEvent({ changes: [{ field: 'integration', after: { url: 'https://x', client_secret: 's3cr3t' } }] }), REDACT);
    expect((event['changes'] as Event[])[0]).toEqual({ field: 'integration', after: { url: 'https://x', client_secret: '[REDACTED:secret]' } });
    expect(findings).toEqual([{ kind: 'secret', path: 'changes[0].after.client_secret' }]);
  });

  it('labels the private_key of a GCP service-account object as gcp_service_account_key', () => {
    const sa = { type: 'service_account', project_id: 'p', private_key_id: 'abc', private_key: PEM, client_email: 'sa@p.iam.gserviceaccount.com' };
    const { event, findings } = scrubEvent(baseEvent({ metadata: { sa } }), REDACT);
    expect((event['metadata'] as { sa: Event }).sa).toEqual({ ...sa, private_key: '[REDACTED:gcp_service_account_key]' });
    expect(findings).toEqual([{ kind: 'gcp_service_account_key', path: 'metadata.sa.private_key' }]);
  });
});

describe('value-based scrubbing', () => {
  it('PR-01 bearer token: keeps the word Bearer, replaces the token', () => {
    const { text, findings } = scrubText('sent Authorization: bearer abc123DEF456ghi789 to upstream');
    expect(text).toBe('sent Authorization: bearer [REDACTED:bearer_token] to upstream');
    expect(findings).toEqual([{ kind: 'bearer_token', path: 'metadata.note' }]);
  });

  it('bearer: an ordinary word after Bearer stays (false-positive control)', () => {
    expect(scrubText('the API uses Bearer authentication').text).toBe('the API uses Bearer authentication');
  });

  it('PR-01 JWT anywhere in a string', () => {
    const { text, findings } = scrubText(`token=${JWT}; more`);
    expect(text).toBe('token=[REDACTED:jwt]; more');
    expect(findings).toEqual([{ kind: 'jwt', path: 'metadata.note' }]);
  });

  it('JWT: dotted strings, versions and hostnames are not JWTs (false-positive control)', () => {
    const s = 'a.b.c v1.2.3 api.example.com eyJ.x.y';
    expect(scrubText(s).text).toBe(s);
  });

  it('card numbers: plain, spaced, dashed and Amex groupings (Luhn-valid)', () => {
    const { text, findings } = scrubText('cards 4111111111111111, 4111 1111 1111 1111, 5555-5555-5555-4444 and 3782 822463 10005.');
    expect(text).toBe('cards [REDACTED:card_number], [REDACTED:card_number], [REDACTED:card_number] and [REDACTED:card_number].');
    expect(findings).toEqual([{ kind: 'card_number', path: 'metadata.note' }]);
  });

  it('card numbers: a card inside a longer digit run and as a JSON number', () => {
    const { event } = scrubEvent(baseEvent({ metadata: { msg: 'order 12 4111 1111 1111 1111', pan: 4111111111111111 } }), REDACT);
    expect(event['metadata']).toEqual({ msg: 'order 12 [REDACTED:card_number]', pan: '[REDACTED:card_number]' });
  });

  it('card numbers: Luhn-invalid numbers, timestamps, phone numbers, order ids and UUIDs stay (false-positive control)', () => {
    const s = [
      '4111111111111112',
      '4111 1111 1111 1112',
      '1732262400000',
      '+1 415 555 0100',
      '+44 20 7946 0958',
      'ORD-4111111111111111',
      'order_4111111111111111',
      '550e8400-e29b-41d4-a716-446655440000',
      '12345678-1234-1234-1234-123456789012',
      '2024-11-22 10:30:00',
      '4444444444444444444',
      '0.4111111111111111',
    ].join(' | ');
    expect(scrubText(s).text).toBe(s);
    expect(scrubEvent(baseEvent({ metadata: { ts: 1732262400000 } }), REDACT).findings).toEqual([]);
  });

  it('AWS access key ids', () => {
    expect(scrubText(`key ${AWS_ACCESS} used`).text).toBe('key [REDACTED:aws_access_key] used');
    expect(scrubText(`key ASIA${'Y'.repeat(16)}`).findings).toEqual([{ kind: 'aws_access_key', path: 'metadata.note' }]);
  });

  it('AWS access keys: too short, lower-case or embedded stays (false-positive control)', () => {
    const s = `AKIA123 akiaiosfodnn7example X${AWS_ACCESS}Y`;
    expect(scrubText(s).text).toBe(s);
  });

  it('AWS secret keys only near an aws_secret hint', () => {
    const { text, findings } = scrubText(`aws_access_key_id=${AWS_ACCESS}\naws_secret_access_key=${AWS_SECRET}`);
    expect(text).toBe('aws_access_key_id=[REDACTED:aws_access_key]\naws_secret_access_key=[REDACTED:aws_secret_key]');
    expect(findings.map((f) => f.kind).sort()).toEqual(['aws_access_key', 'aws_secret_key']);
  });

  it('a random 40-char string without an AWS hint stays (false-positive control)', () => {
    const s = `commit 9fceb02d0ae598e95dc970b74767f19372d61af8 blob ${AWS_SECRET}`;
    expect(scrubText(s).text).toBe(s);
  });

  it('GCP API keys', () => {
    expect(scrubText(`https://maps.example.com/api?k=${GCP_KEY}&z=1`).text).toBe('https://maps.example.com/api?k=[REDACTED:gcp_api_key]&z=1');
  });

  it('GCP API keys: a short AIza prefix stays (false-positive control)', () => {
    expect(scrubText('AIzaShort and AIza-only').text).toBe('AIzaShort and AIza-only');
  });

  it('GCP service-account JSON inside a string: the private key block is replaced', () => {
    const json = JSON.stringify({ type: 'service_account', private_key: PEM });
    const { text, findings } = scrubText(json);
    expect(text).toBe('{"type":"service_account","private_key":"[REDACTED:gcp_service_account_key]"}');
    expect(findings).toEqual([{ kind: 'gcp_service_account_key', path: 'metadata.note' }]);
  });

  it('Stripe secret, restricted and webhook keys', () => {
    const { text } = scrubText(`${STRIPE} rk_test_${'Z9'.repeat(8)} ${WHSEC}`);
    expect(text).toBe('[REDACTED:stripe_key] [REDACTED:stripe_key] [REDACTED:stripe_key]');
  });

  it('Stripe: sk_live_ with too few chars stays (false-positive control)', () => {
    expect(scrubText('sk_live_abc123 and sk_prod_abcdefghijkl').text).toBe('sk_live_abc123 and sk_prod_abcdefghijkl');
  });

  it('GitHub classic and fine-grained tokens', () => {
    const { text, findings } = scrubText(`GH ${GH_PAT} and ${GH_FINE}`);
    expect(text).toBe('GH [REDACTED:github_token] and [REDACTED:github_token]');
    expect(findings).toEqual([{ kind: 'github_token', path: 'metadata.note' }]);
  });

  it('GitHub: short gh*_ strings stay (false-positive control)', () => {
    expect(scrubText('ghp_short gho_ github_pat_tooshort').text).toBe('ghp_short gho_ github_pat_tooshort');
  });

  it('private key blocks, including a truncated block without END', () => {
    expect(scrubText(`key:\n${PEM}\ndone`).text).toBe('key:\n[REDACTED:private_key]\ndone');
    expect(scrubText('x -----BEGIN PRIVATE KEY-----\nMIIE…').text).toBe('x [REDACTED:private_key]');
  });

  it('private keys: a public key or certificate block stays (false-positive control)', () => {
    const s = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----';
    expect(scrubText(s).text).toBe(s);
  });

  it('credentials in URLs (userinfo password and secret query parameters)', () => {
    const { text } = scrubText('postgres://app:s3cr3t@db:5432/x and https://h/cb?code=1&access_token=abc&state=2');
    expect(text).toBe('postgres://app:[REDACTED:password]@db:5432/x and https://h/cb?code=1&access_token=[REDACTED:secret]&state=2');
  });

  it('scans actor.name, targets[].name, context.user_agent/location and nested arrays; reports dotted paths', () => {
    const { event, findings } = scrubEvent(
      baseEvent({
        actor: { type: 'service', id: 'svc_1', name: `bot ${GH_PAT}` },
        targets: [{ type: 'doc', id: 'd1', name: 'ok' }, { type: 'key', id: 'k1', name: AWS_ACCESS }],
        context: { user_agent: `curl Bearer ${STRIPE}`, location: `card 4111111111111111` },
        metadata: { a: [{ b: [`x ${JWT}`] }] },
      }),
      REDACT,
    );
    expect((event['actor'] as Event)['name']).toBe('bot [REDACTED:github_token]');
    expect((event['targets'] as Event[])[1]?.['name']).toBe('[REDACTED:aws_access_key]');
    expect(event['context']).toEqual({ user_agent: 'curl Bearer [REDACTED:stripe_key]', location: 'card [REDACTED:card_number]' });
    expect(event['metadata']).toEqual({ a: [{ b: ['x [REDACTED:jwt]'] }] });
    expect(findings.map((f) => f.path).sort()).toEqual(['actor.name', 'context.location', 'context.user_agent', 'metadata.a[0].b[0]', 'targets[1].name']);
  });
});

describe('hmac mode', () => {
  const hmac = (key: Buffer, value: string) => createHmac('sha256', key).update(value).digest('hex').slice(0, 16);

  it('PR-01 replaces with a keyed pseudonym, deterministic for the same key and value', () => {
    const a = scrubText(`x ${STRIPE}`, { mode: 'hmac', hmacKey: KEY_A }).text;
    const b = scrubText(`x ${STRIPE}`, { mode: 'hmac', hmacKey: KEY_A }).text;
    expect(a).toBe(`x [HMAC:stripe_key:${hmac(KEY_A, STRIPE)}]`);
    expect(b).toBe(a);
    expect(String(a)).not.toContain(STRIPE);
  });

  it('differs for another key and never contains the raw value (key-based too)', () => {
    const run = (key: Buffer) => scrubEvent(baseEvent({ metadata: { password: 'hunter2hunter2' } }), { mode: 'hmac', hmacKey: key }).event['metadata'];
    const a = run(KEY_A) as Event;
    const b = run(KEY_B) as Event;
    expect(a['password']).toBe(`[HMAC:password:${hmac(KEY_A, 'hunter2hunter2')}]`);
    expect(b['password']).not.toBe(a['password']);
    expect(JSON.stringify(a)).not.toContain('hunter2');
  });

  it('refuses hmac mode without a key of at least 16 bytes', () => {
    expect(() => scrubEvent(baseEvent(), { mode: 'hmac' })).toThrow(/hmacKey/);
    expect(() => scrubEvent(baseEvent(), { mode: 'hmac', hmacKey: Buffer.alloc(8) })).toThrow(/hmacKey/);
  });
});

describe('custom patterns', () => {
  it('applies valid tenant patterns with the name in replacement and finding', () => {
    const policy: ScrubPolicy = { mode: 'redact', customPatterns: [{ name: 'employee_id', pattern: 'EMP-[0-9]{6}' }] };
    expect(compileCustomPatterns(policy.customPatterns ?? [])).toEqual({ ok: true });
    const { text, findings } = scrubText('badge EMP-123456 and EMP-12', policy);
    expect(text).toBe('badge [REDACTED:custom:employee_id] and EMP-12');
    expect(findings).toEqual([{ kind: 'custom', path: 'metadata.note', name: 'employee_id' }]);
    expect(scrubText('EMP-123456', { ...policy, mode: 'hmac', hmacKey: KEY_A }).text).toMatch(/^\[HMAC:custom:employee_id:[0-9a-f]{16}\]$/);
  });

  it.each([
    ['invalid syntax', [{ name: 'a', pattern: '([a-z' }], 'invalid_syntax', /invalid regular expression/],
    ['too long', [{ name: 'a', pattern: 'x'.repeat(513) }], 'too_long', /longer than 512/],
    ['bad name', [{ name: 'Bad-Name', pattern: 'x' }], 'invalid_name', /name must match/],
    ['name too long', [{ name: 'a'.repeat(33), pattern: 'x' }], 'invalid_name', /name must match/],
    ['duplicate name', [{ name: 'a', pattern: 'x' }, { name: 'a', pattern: 'y' }], 'duplicate_name', /duplicate/],
    ['matches the empty string', [{ name: 'a', pattern: 'x*' }], 'matches_empty', /empty string/],
    ['matches empty somewhere', [{ name: 'a', pattern: '\\b' }], 'matches_empty', /empty string/],
    ['numbered backreference', [{ name: 'a', pattern: '(ab)\\1' }], 'unsupported_syntax', /backreferences/],
    ['named backreference', [{ name: 'a', pattern: '(?<x>ab)\\k<x>' }], 'unsupported_syntax', /backreferences/],
    ['lookahead', [{ name: 'a', pattern: 'pass(?=word)' }], 'unsupported_syntax', /lookahead/],
    ['negative lookahead', [{ name: 'a', pattern: 'pass(?!word)' }], 'unsupported_syntax', /lookahead/],
    ['lookbehind', [{ name: 'a', pattern: '(?<=key=)[a-z]+' }], 'unsupported_syntax', /lookbehind/],
    ['negative lookbehind', [{ name: 'a', pattern: '(?<!x)y' }], 'unsupported_syntax', /lookbehind/],
    ['possessive quantifier', [{ name: 'a', pattern: 'a++b' }], 'unsupported_syntax', /possessive/],
    ['huge counted repetition', [{ name: 'a', pattern: '[a-z]{999}[0-9]{999}[A-Z]{999}' }], 'too_complex', /too complex/],
  ])('rejects a pattern: %s', (_label, patterns, code, message) => {
    const result = compileCustomPatterns(patterns);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => p.message).join('\n')).toMatch(message);
      expect(result.problems.map((p) => p.code)).toContain(code);
    }
  });

  it('rejects more than 20 patterns, and scrubEvent refuses an invalid set', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ name: `p${i}`, pattern: `x${i}` }));
    expect(compileCustomPatterns(many)).toEqual({ ok: false, problems: [{ index: 20, code: 'too_many', message: 'at most 20 custom patterns are allowed' }] });
    expect(() => scrubEvent(baseEvent(), { mode: 'redact', customPatterns: [{ name: 'a', pattern: '(a)\\1' }] })).toThrow(/invalid custom patterns/);
  });

  it('PEN-02: patterns that backtrack catastrophically in JS RegExp run in linear time on hostile 16 KB values', () => {
    // Each of these took seconds on a 180-character value with the backtracking engine (≈ n^5).
    const patterns = [
      { name: 'alt', pattern: '(a|a)*b' },
      { name: 'stars', pattern: 'a*a*a*a*a*a*b' },
      { name: 'classes', pattern: '[a-z]*[a-z]*[a-z]*b' },
      { name: 'nested', pattern: '(a+)+b' },
      { name: 'words', pattern: '(?:\\w+\\s?){2,}!' },
    ];
    expect(compileCustomPatterns(patterns)).toEqual({ ok: true });
    const policy: ScrubPolicy = { mode: 'redact', customPatterns: patterns };
    const hostile = 'a'.repeat(16_000) + '!';
    const started = performance.now();
    const { text } = scrubText(hostile, policy);
    const elapsed = performance.now() - started;
    // A generous bound (linear matching takes a few ms here): the backtracking engine never finishes.
    expect(elapsed).toBeLessThan(2_000);
    expect(text).toBe('[REDACTED:custom:words]');
    // The patterns still do their job on ordinary values.
    expect(scrubText('id aab end', { mode: 'redact', customPatterns: [patterns[0]!] }).text).toBe('id [REDACTED:custom:alt] end');
    expect(scrubText('zzqb', { mode: 'redact', customPatterns: [patterns[2]!] }).text).toBe('[REDACTED:custom:classes]');
  });

  it('PEN-02: offsets are UTF-16 like the rest of the scrubber (astral characters before a match)', () => {
    const policy: ScrubPolicy = { mode: 'redact', customPatterns: [{ name: 'emp', pattern: 'EMP-[0-9]{6}' }] };
    expect(scrubText('😀 é EMP-123456 ✓', policy).text).toBe('😀 é [REDACTED:custom:emp] ✓');
  });

  it('accepts escaped parentheses, character classes that only look special, and nested quantifiers (safe on RE2)', () => {
    expect(
      compileCustomPatterns([
        { name: 'a', pattern: '\\(x+\\)+' },
        { name: 'b', pattern: '([+*])-[0-9]+' },
        { name: 'c', pattern: '(ab)+' },
        { name: 'd', pattern: '[(?=]x' },
        { name: 'e', pattern: '(?i)secret-[a-z]+' },
      ]),
    ).toEqual({ ok: true });
  });
});

describe('IP truncation and minimisation', () => {
  const ipOf = (ip: string, truncateIp = true) => (scrubEvent(baseEvent({ context: { ip } }), { mode: 'redact', truncateIp }).event['context'] as Event)['ip'];

  it('truncates IPv4 to /24 without a finding', () => {
    expect(ipOf('203.0.113.77')).toBe('203.0.113.0');
    expect(scrubEvent(baseEvent(), { mode: 'redact', truncateIp: true }).findings).toEqual([]);
    expect(ipOf('203.0.113.77', false)).toBe('203.0.113.77');
  });

  it('truncates IPv6 to /48 in normalised text', () => {
    expect(ipOf('2001:0DB8:85a3:0000:0000:8a2e:0370:7334')).toBe('2001:db8:85a3::');
    expect(ipOf('2001:db8::1')).toBe('2001:db8::');
    expect(ipOf('fe80::1%eth0')).toBe('fe80::');
    expect(ipOf('::ffff:198.51.100.23')).toBe('::ffff:198.51.100.0');
    expect(ipOf('not an ip')).toBe('not an ip');
  });

  it('drops denyFields paths (nested and through arrays) and keeps only allowMetadataKeys', () => {
    const metadata = { ssn: '123-45-6789', address: { street: '1 Main St', city: 'Paris' }, items: [{ sku: 'a', serial: 's1' }], plan: 'pro', password: 'p' };
    const deny = scrubEvent(baseEvent({ metadata }), { mode: 'redact', denyFields: ['metadata.ssn', 'metadata.address.street', 'metadata.items.serial', 'actor.id'] });
    expect(deny.event['metadata']).toEqual({ address: { city: 'Paris' }, items: [{ sku: 'a' }], plan: 'pro', password: '[REDACTED:password]' });
    expect((deny.event['actor'] as Event)['id']).toBe('usr_123');
    const allow = scrubEvent(baseEvent({ metadata }), { mode: 'redact', allowMetadataKeys: ['plan', 'address', 'password'] });
    expect(allow.event['metadata']).toEqual({ address: { street: '1 Main St', city: 'Paris' }, plan: 'pro', password: '[REDACTED:password]' });
  });
});

describe('safety properties', () => {
  it('PR-01 does not mutate the input event', () => {
    const input = baseEvent({ metadata: { password: 'p', deep: { list: [JWT] } }, changes: [{ field: 'secret', before: 'a', after: 'b' }] });
    const snapshot = structuredClone(input);
    const { event } = scrubEvent(input, { mode: 'redact', truncateIp: true, denyFields: ['metadata.deep.list'] });
    expect(input).toEqual(snapshot);
    expect(event).not.toBe(input);
    expect(event['metadata']).not.toBe(input['metadata']);
  });

  it('PR-01 copies only what it replaces: a clean event comes back as it is, a dirty one shares its clean parts', () => {
    const clean = baseEvent({ metadata: { plan: 'pro', deep: { list: ['a', 1, true] } }, changes: [{ field: 'title', before: 'a', after: 'b' }] });
    const snapshot = structuredClone(clean);
    const same = scrubEvent(clean, REDACT);
    expect(same.findings).toEqual([]);
    expect(same.event).toBe(clean);
    const dirty = baseEvent({ metadata: { plan: 'pro', deep: { list: ['a', JWT] }, other: { x: 1 } } });
    const out = scrubEvent(dirty, REDACT).event;
    expect(out).not.toBe(dirty);
    expect((out['metadata'] as Event)['deep']).toEqual({ list: ['a', '[REDACTED:jwt]'] });
    expect((out['metadata'] as Event)['other']).toBe((dirty['metadata'] as Event)['other']);
    expect(out['actor']).toBe(dirty['actor']);
    expect(JSON.stringify(Object.keys(out['metadata'] as Event))).toBe('["plan","deep","other"]');
    expect(clean).toEqual(snapshot);
  });

  it('never changes identifiers, even when they look like secrets', () => {
    const ids = {
      action: 'user.login',
      occurred_at: '2024-11-22T08:00:00.000Z',
      outcome: 'failure',
      organization_id: STRIPE,
      actor: { type: 'api_key', id: AWS_ACCESS, email: 'a@b.co' },
      targets: [{ type: 'token', id: GH_PAT }],
      context: { request_id: JWT, session_id: '4111111111111111' },
    };
    const { event, findings } = scrubEvent(ids, { mode: 'hmac', hmacKey: KEY_A, truncateIp: true });
    expect(event).toEqual(ids);
    expect(findings).toEqual([]);
  });

  it('keeps a __proto__ metadata key as data, not a prototype', () => {
    const input = baseEvent({ metadata: JSON.parse('{"__proto__": {"token": "t"}, "x": 1}') as Event });
    const md = scrubEvent(input, REDACT).event['metadata'] as Event;
    expect(Object.getPrototypeOf(md)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(md, '__proto__')?.value).toEqual({ token: '[REDACTED:secret]' });
  });

  it.each([
    ['a × 1e6', 'a'.repeat(1e6)],
    ['4 × 1e6', '4'.repeat(1e6)],
    ['eyJ + a. × 3e5', 'eyJ' + 'a.'.repeat(3e5)],
    ['eyJ × 3.3e5', 'eyJ'.repeat(333_333)],
    ['"4 " × 5e5', '4 '.repeat(5e5)],
    ['"4111 " × 2e5', '4111 '.repeat(2e5)],
    ['BEGIN headers without END', '-----BEGIN PRIVATE KEY-----'.repeat(37_000)],
    ['Bearer + spaces', 'Bearer '.repeat(1e5) + ' '.repeat(3e5)],
    ['URL scheme run', 'http://' + 'a'.repeat(1e6)],
    ['AWS hint + base64 run', 'aws_secret_access_key=' + 'A'.repeat(1e6)],
    ['AKIA run', 'AKIA'.repeat(250_000)],
  ])('IN-08 ReDoS: scrubbing a 1 MB hostile string (%s) finishes well under a second', (_label, hostile) => {
    // CPU time of this process, not wall time: other work on a busy machine does not count.
    const started = process.cpuUsage();
    scrubEvent(baseEvent({ metadata: { note: hostile } }), REDACT);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });
});
