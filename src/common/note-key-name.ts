/**
 * A C2SP signed-note key name (and checkpoint origin): non-empty, no Unicode spaces, no `+`, no
 * control characters. In common because configuration (NOTE_NAME) checks it as well as the
 * signed-note code (src/integrity/signed-note.ts), which the standalone verifier bundles.
 */
export function validKeyName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= 256 && !/[\s+\u0000-\u001f\u007f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}
