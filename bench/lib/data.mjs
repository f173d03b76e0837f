// Seeded, realistic audit events: sign-ins (with failures), role changes, document edits with
// diffs, exports, API-key use — across tenants, organizations, actors and IPs.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTIONS = [
  'user.login', 'user.login', 'user.login', 'user.logout', 'user.login_failed', 'user.password.changed', 'user.mfa.enabled',
  'user.email.updated', 'user.role.changed', 'user.invited', 'user.deleted', 'document.created', 'document.viewed', 'document.viewed',
  'document.updated', 'document.shared', 'document.deleted', 'document.exported', 'report.downloaded', 'api_key.created',
  'api_key.revoked', 'billing.plan.changed', 'settings.updated', 'project.created', 'project.archived', 'integration.connected',
  'webhook.created', 'team.member.added', 'team.member.removed', 'sso.configured',
];
const WORDS = ['quarterly', 'forecast', 'roadmap', 'invoice', 'contract', 'security', 'review', 'budget', 'launch', 'hiring', 'audit', 'migration', 'pricing', 'design', 'incident'];
const FIRST = ['Ann', 'Bob', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kim', 'Luis', 'Mia', 'Nia', 'Omar', 'Pia'];
const LAST = ['Lee', 'Stone', 'Wu', 'Garcia', 'Okafor', 'Novak', 'Smith', 'Khan', 'Rossi', 'Berg'];

export const ORGS_PER_TENANT = 10;
export const ACTORS_PER_ORG = 40;

export function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}

/** One event for tenant `t`, organization `o`, at time `ms`. */
export function makeEvent(r, t, o, ms) {
  const actorN = Math.floor(r() * ACTORS_PER_ORG);
  const first = FIRST[actorN % FIRST.length];
  const last = LAST[(actorN * 7) % LAST.length];
  const action = pick(r, ACTIONS);
  const doc = `doc_${Math.floor(r() * 5000)}`;
  const title = `${pick(r, WORDS)} ${pick(r, WORDS)} ${Math.floor(r() * 100)}`;
  const ev = {
    action,
    occurred_at: new Date(ms).toISOString(),
    organization_id: `org_${t}_${o}`,
    outcome: action === 'user.login_failed' ? 'failure' : r() < 0.97 ? 'success' : 'failure',
    actor: { type: r() < 0.9 ? 'user' : 'service', id: `u_${t}_${o}_${actorN}`, name: `${first} ${last}`, email: `${first}.${last}${actorN}@example.com`.toLowerCase() },
    targets: [{ type: action.split('.')[0], id: doc, name: title }],
    context: { ip: `203.0.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`, user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', request_id: `req_${Math.floor(r() * 1e9)}`, location: 'web' },
    metadata: { plan: pick(r, ['free', 'pro', 'enterprise']), region: pick(r, ['eu-west-1', 'us-east-1', 'ap-south-1']) },
  };
  if (action.endsWith('.updated') || action.endsWith('.changed')) ev.changes = [{ field: 'title', before: title, after: `${title} v2` }];
  return ev;
}

export { WORDS };
