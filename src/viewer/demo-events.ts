/**
 * The demo tenant's trail: a month of a small company's activity in one organization
 * (sign-ins and failures, role changes, document edits with before/after, shares, exports,
 * API keys), plus a second organization the demo viewer must never show. Deterministic: the
 * same seed gives the same events.
 */
export const DEMO_ORGANIZATION = 'org_northwind';
export const DEMO_OTHER_ORGANIZATION = 'org_contoso';

const PEOPLE = [
  { id: 'usr_ann', name: 'Ann Lee', email: 'ann.lee@northwind.example', role: 'owner' },
  { id: 'usr_bo', name: 'Bo Martins', email: 'bo.martins@northwind.example', role: 'admin' },
  { id: 'usr_chen', name: 'Chen Wei', email: 'chen.wei@northwind.example', role: 'member' },
  { id: 'usr_dara', name: 'Dara Okafor', email: 'dara.okafor@northwind.example', role: 'member' },
  { id: 'usr_eli', name: 'Eli Novak', email: 'eli.novak@northwind.example', role: 'viewer' },
];
const DOCUMENTS = [
  { id: 'doc_q3', name: 'Q3 revenue plan' },
  { id: 'doc_handbook', name: 'Employee handbook' },
  { id: 'doc_pricing', name: 'Pricing 2027' },
  { id: 'doc_roadmap', name: 'Product roadmap' },
];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
];
const IPS = ['203.0.113.10', '203.0.113.24', '198.51.100.7', '192.0.2.44', '2001:db8::5'];

/** mulberry32: small, seedable, good enough for sample data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function demoEvents(now: number, count = 240, seed = 42): Record<string, unknown>[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const roles = new Map(PEOPLE.map((p) => [p.id, p.role]));
  const titles = new Map(DOCUMENTS.map((d) => [d.id, d.name]));
  const out: Record<string, unknown>[] = [];
  const span = 30 * 86_400_000;
  for (let i = 0; i < count; i++) {
    // Oldest first, spread over the last 30 days, ending a few minutes ago.
    const at = now - span + Math.floor(((i + r() * 0.8) / count) * (span - 300_000));
    const who = pick(PEOPLE);
    const actor = { type: 'user', id: who.id, name: who.name, email: who.email };
    const context = { ip: pick(IPS), user_agent: pick(AGENTS), request_id: `req_${seed}_${i}`, location: 'web' };
    const base = { occurred_at: new Date(at).toISOString(), organization_id: DEMO_ORGANIZATION, actor, context, idempotency_key: `demo-${seed}-${i}` };
    const dice = r();
    if (dice < 0.3) {
      out.push({ ...base, action: 'user.login', outcome: 'success', targets: [{ type: 'user', id: who.id, name: who.name }], metadata: { method: pick(['password', 'sso', 'passkey']) } });
    } else if (dice < 0.4) {
      out.push({ ...base, action: 'user.login', outcome: 'failure', targets: [{ type: 'user', id: who.id, name: who.name }], metadata: { reason: pick(['wrong_password', 'mfa_timeout', 'locked']) } });
    } else if (dice < 0.45) {
      out.push({ ...base, action: 'user.logout', outcome: 'success', targets: [{ type: 'user', id: who.id, name: who.name }] });
    } else if (dice < 0.65) {
      const doc = pick(DOCUMENTS);
      const before = titles.get(doc.id)!;
      const after = r() < 0.5 ? `${doc.name} (v${2 + Math.floor(r() * 5)})` : before;
      titles.set(doc.id, after);
      out.push({
        ...base,
        action: 'document.updated',
        outcome: 'success',
        targets: [{ type: 'document', id: doc.id, name: after }],
        changes: [
          { field: 'title', before, after },
          { field: 'status', before: 'draft', after: pick(['draft', 'in_review', 'published']) },
          { field: 'word_count', before: 1000 + Math.floor(r() * 500), after: 1200 + Math.floor(r() * 800) },
        ],
      });
    } else if (dice < 0.72) {
      const doc = pick(DOCUMENTS);
      const to = pick(PEOPLE.filter((p) => p.id !== who.id));
      out.push({
        ...base,
        action: 'document.shared',
        outcome: 'success',
        targets: [
          { type: 'document', id: doc.id, name: titles.get(doc.id) },
          { type: 'user', id: to.id, name: to.name },
        ],
        changes: [{ field: 'permission', before: null, after: pick(['view', 'comment', 'edit']) }],
      });
    } else if (dice < 0.77) {
      const doc = pick(DOCUMENTS);
      out.push({ ...base, action: 'document.created', outcome: 'success', targets: [{ type: 'document', id: `${doc.id}_${i}`, name: `Copy of ${doc.name}` }] });
    } else if (dice < 0.84) {
      const admin = PEOPLE[r() < 0.5 ? 0 : 1]!;
      const target = pick(PEOPLE.slice(2));
      const before = roles.get(target.id)!;
      const after = before === 'member' ? 'admin' : before === 'admin' ? 'member' : 'member';
      roles.set(target.id, after);
      out.push({
        ...base,
        actor: { type: 'user', id: admin.id, name: admin.name, email: admin.email },
        action: 'user.role.updated',
        outcome: 'success',
        targets: [{ type: 'user', id: target.id, name: target.name }],
        changes: [{ field: 'role', before, after }],
      });
    } else if (dice < 0.89) {
      out.push({
        ...base,
        action: 'data.exported',
        outcome: r() < 0.85 ? 'success' : 'failure',
        targets: [{ type: 'report', id: `rep_${i}`, name: pick(['Invoices 2026', 'Customer list', 'Usage by seat']) }],
        metadata: { format: pick(['csv', 'xlsx', 'pdf']), rows: Math.floor(r() * 5000) },
      });
    } else if (dice < 0.93) {
      out.push({
        ...base,
        action: 'api_key.created',
        outcome: 'success',
        targets: [{ type: 'api_key', id: `key_demo_${i}`, name: pick(['CI deploy', 'Zapier', 'Data warehouse sync']) }],
        changes: [{ field: 'scopes', before: null, after: ['read', 'write'] }],
      });
    } else if (dice < 0.97) {
      out.push({
        ...base,
        action: 'settings.updated',
        outcome: 'success',
        targets: [{ type: 'workspace', id: 'ws_northwind', name: 'Northwind' }],
        changes: [
          { field: 'sso.enforced', before: false, after: true },
          { field: 'session_timeout_minutes', before: 720, after: 60 },
        ],
      });
    } else {
      out.push({ ...base, action: 'user.mfa.enabled', outcome: 'success', targets: [{ type: 'user', id: who.id, name: who.name }], metadata: { factor: pick(['totp', 'webauthn']) } });
    }
  }
  // Another customer of the same tenant: never visible in the Northwind viewer.
  for (let i = 0; i < 10; i++) {
    out.push({
      action: 'user.login',
      occurred_at: new Date(now - (i + 1) * 3_600_000).toISOString(),
      organization_id: DEMO_OTHER_ORGANIZATION,
      outcome: 'success',
      actor: { type: 'user', id: `usr_contoso_${i}`, name: 'Contoso user', email: `user${i}@contoso.example` },
      targets: [{ type: 'user', id: `usr_contoso_${i}` }],
      context: { ip: '192.0.2.200', user_agent: AGENTS[0] },
      idempotency_key: `demo-${seed}-contoso-${i}`,
    });
  }
  return out;
}

/** A person of the demo organization, for the "my activity" variant of the demo. */
export const DEMO_ME = PEOPLE[2]!;
