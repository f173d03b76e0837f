import { isIP } from 'node:net';
import { epochMs, type ExportedEvent } from './exported-event.js';

/**
 * OCSF 1.1.0 export: one OCSF event object per line (NDJSON). Three classes:
 *  - 3002 Authentication (IAM): sign-in / sign-out actions;
 *  - 3001 Account Change (IAM): account and credential lifecycle actions;
 *  - 6003 API Activity (Application Activity): everything else, CRUD from the last verb.
 * A tenant mapping `{ "exact.action" | "prefix.*": classUid }` overrides the default; the
 * most specific pattern (exact, then the longest prefix) wins.
 *
 * The tenant is never written (metadata.tenant_uid is deliberately absent): an export is
 * read by the tenant's SIEM, and its own tenant id is an internal routing key.
 */
export const OCSF_VERSION = '1.1.0';
export const OCSF_CONTENT_TYPE = 'application/x-ndjson';
export const OCSF_EXTENSION = 'ocsf.ndjson';

export type OcsfClassUid = 3001 | 3002 | 6003;
export type OcsfMapping = Record<string, OcsfClassUid>;

const CLASS_NAME: Record<OcsfClassUid, string> = { 3001: 'Account Change', 3002: 'Authentication', 6003: 'API Activity' };
const CATEGORY: Record<OcsfClassUid, { uid: number; name: string }> = {
  3001: { uid: 3, name: 'Identity & Access Management' },
  3002: { uid: 3, name: 'Identity & Access Management' },
  6003: { uid: 6, name: 'Application Activity' },
};

// Activity ids and captions of OCSF 1.1.0 (events/iam/account_change.json, events/iam/authentication.json,
// events/application/api.json; test/fixtures/ocsf-1.1.0 holds the copies the tests check against).
const ACTIVITY: Record<OcsfClassUid, Record<number, string>> = {
  3001: { 1: 'Create', 2: 'Enable', 3: 'Password Change', 4: 'Password Reset', 5: 'Disable', 6: 'Delete', 9: 'Lock', 10: 'MFA Factor Enable', 11: 'MFA Factor Disable', 99: 'Other' },
  3002: { 1: 'Logon', 2: 'Logoff', 99: 'Other' },
  6003: { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' },
};

const STATUS: Record<string, { id: number; name: string }> = {
  success: { id: 1, name: 'Success' },
  failure: { id: 2, name: 'Failure' },
  unknown: { id: 0, name: 'Unknown' },
};

const LOGON_WORDS = new Set(['login', 'logon', 'signin', 'sign_in', 'sign-in', 'log_in', 'log-in', 'logged_in', 'signed_in']);
const LOGOFF_WORDS = new Set(['logout', 'logoff', 'signout', 'sign_out', 'sign-out', 'log_out', 'log-out', 'logged_out', 'signed_out']);
const AUTH_WORDS = new Set([...LOGON_WORDS, ...LOGOFF_WORDS, 'authenticated', 'authentication', 'mfa_challenge', 'mfa_verified']);
const ACCOUNT_NOUNS = new Set(['user', 'users', 'account', 'accounts', 'member', 'members', 'identity']);
const CREDENTIAL_WORDS = new Set(['password', 'mfa', '2fa', 'totp', 'passkey', 'credential', 'credentials', 'role', 'roles', 'permissions', 'email']);

const CREATE_VERBS = new Set(['created', 'added', 'create', 'add', 'invited', 'registered', 'provisioned']);
const READ_VERBS = new Set(['viewed', 'read', 'downloaded', 'exported', 'listed', 'view', 'download', 'export', 'list', 'accessed', 'searched']);
const UPDATE_VERBS = new Set(['updated', 'changed', 'edited', 'renamed', 'shared', 'update', 'change', 'edit', 'rename', 'share', 'modified', 'moved', 'restored']);
const DELETE_VERBS = new Set(['deleted', 'removed', 'revoked', 'delete', 'remove', 'revoke', 'destroyed', 'purged']);
const ENABLE_VERBS = new Set(['enabled', 'activated', 'unlocked', 'reactivated']);
const DISABLE_VERBS = new Set(['disabled', 'deactivated', 'suspended']);

export interface OcsfClassification {
  classUid: OcsfClassUid;
  activityId: number;
}

/** Default class of an action, before any tenant mapping. */
export function defaultClassUid(action: string): OcsfClassUid {
  const parts = action.split('.');
  if (parts.some((p) => AUTH_WORDS.has(p)) || (parts[0] === 'session' && parts.some((p) => LOGOFF_WORDS.has(p) || p === 'ended' || p === 'started'))) return 3002;
  const isAccount = ACCOUNT_NOUNS.has(parts[0]!);
  if (isAccount && parts.slice(1).some((p) => CREDENTIAL_WORDS.has(p))) return 3001;
  if (!isAccount || parts.length !== 2) return 6003;
  // user.created / account.deleted / user.disabled…: lifecycle of the account itself (reads are not).
  const verb = parts[1]!;
  const crud = activityFromVerb(verb);
  if (crud === 1 || crud === 3 || crud === 4 || ENABLE_VERBS.has(verb) || DISABLE_VERBS.has(verb) || verb === 'locked') return 3001;
  return 6003;
}

/** The tenant mapping entry for an action: exact match, else the longest matching `prefix.*`. */
export function mappedClassUid(action: string, mapping: OcsfMapping | undefined): OcsfClassUid | undefined {
  if (!mapping) return undefined;
  if (Object.hasOwn(mapping, action)) return mapping[action];
  let best: OcsfClassUid | undefined;
  let bestLength = -1;
  for (const pattern of Object.keys(mapping)) {
    if (!pattern.endsWith('.*')) continue;
    const prefix = pattern.slice(0, -1); // keeps the dot: "user.*" matches "user.x", not "username.x"
    if (action.startsWith(prefix) && prefix.length > bestLength) {
      best = mapping[pattern];
      bestLength = prefix.length;
    }
  }
  return best;
}

/** CRUD activity of API Activity from the last verb-like segment of the action. */
function activityFromVerb(verb: string): number {
  if (CREATE_VERBS.has(verb)) return 1;
  if (READ_VERBS.has(verb)) return 2;
  if (UPDATE_VERBS.has(verb)) return 3;
  if (DELETE_VERBS.has(verb)) return 4;
  return 99;
}

function activityFor(classUid: OcsfClassUid, action: string): number {
  const parts = action.split('.');
  const last = parts[parts.length - 1]!;
  if (classUid === 3002) {
    if (parts.some((p) => LOGOFF_WORDS.has(p)) || (parts[0] === 'session' && last === 'ended')) return 2;
    if (parts.some((p) => LOGON_WORDS.has(p)) || (parts[0] === 'session' && last === 'started')) return 1;
    return 99;
  }
  if (classUid === 3001) {
    const isPassword = parts.includes('password');
    if (isPassword && parts.some((p) => p === 'reset' || p === 'reset_requested' || p === 'recovered')) return 4;
    if (isPassword && parts.some((p) => UPDATE_VERBS.has(p) || p === 'set')) return 3;
    const isMfa = parts.some((p) => p === 'mfa' || p === '2fa' || p === 'totp' || p === 'passkey');
    if (isMfa && ENABLE_VERBS.has(last)) return 10;
    if (isMfa && DISABLE_VERBS.has(last)) return 11;
    if (ENABLE_VERBS.has(last) && last !== 'unlocked') return 2;
    if (DISABLE_VERBS.has(last)) return 5;
    if (last === 'locked') return 9;
    const verb = activityFromVerb(last);
    if (verb === 1 && parts.length === 2) return 1;
    if (verb === 4 && parts.length === 2) return 6;
    return 99;
  }
  return activityFromVerb(last);
}

/** Class and activity of an action under an optional tenant mapping. */
export function classifyAction(action: string, mapping?: OcsfMapping): OcsfClassification {
  const classUid = mappedClassUid(action, mapping) ?? defaultClassUid(action);
  return { classUid, activityId: activityFor(classUid, action) };
}

const CLASSIFIER_CACHE_LIMIT = 10_000;

/** classifyAction memoised per action: an export repeats a few hundred actions at most. */
export function actionClassifier(mapping?: OcsfMapping): (action: string) => OcsfClassification {
  const cache = new Map<string, OcsfClassification>();
  return (action) => {
    let c = cache.get(action);
    if (c === undefined) {
      c = classifyAction(action, mapping);
      if (cache.size < CLASSIFIER_CACHE_LIMIT) cache.set(action, c);
    }
    return c;
  };
}

/**
 * Facts of the OCSF 1.1.0 dictionary. A value that does not fit its attribute's data type is
 * not valid OCSF there, so it goes to `unmapped` instead (e-mail addresses such as
 * o'neil@example.com, which email_t does not allow; "[erased]" or "[restricted]" where personal
 * data was erased or withheld; IPv6 with a long zone id).
 */
const EMAIL_T = /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;
const IP_T_MAX_LENGTH = 40;
/** The value written where OCSF requires an attribute the event does not have. */
const UNKNOWN = 'Unknown';

// user.type_id: 1 User, 3 System; 99 Other for services and API keys, whose `type` is then the
// source's own value (the dictionary: "in the case of 'Other', it is defined by the event source").
const USER_TYPE: Record<string, { id: number; caption: string }> = { user: { id: 1, caption: 'User' }, system: { id: 3, caption: 'System' } };

type OcsfUser = { uid: string; name?: string; email_addr?: string; type: string; type_id: number };

function user(uid: string, name: string | undefined, kind: string): OcsfUser {
  const t = USER_TYPE[kind];
  const u: OcsfUser = { uid, type: t?.caption ?? kind, type_id: t?.id ?? 99 };
  if (name !== undefined) u.name = name;
  return u;
}

function isOcsfIp(ip: string): boolean {
  return ip.length <= IP_T_MAX_LENGTH && isIP(ip) !== 0;
}

function actorUser(ev: ExportedEvent): OcsfUser {
  const u = user(ev.actor.id, ev.actor.name, ev.actor.type);
  if (ev.actor.email !== undefined && EMAIL_T.test(ev.actor.email)) u.email_addr = ev.actor.email;
  return u;
}

/** Account Change's subject: the first target of type user, else the actor. */
function accountUser(ev: ExportedEvent): OcsfUser {
  const t = ev.targets?.find((x) => x.type === 'user');
  return t ? user(t.id, t.name, 'user') : actorUser(ev);
}

/**
 * OCSF's actor: `user` is "the user that initiated the activity or the user context from which
 * the activity was initiated", `invoked_by` (string_t) what invoked it on that user's behalf —
 * as OCSF mappings of cloud logs use it for a service acting with a user's authority. So an
 * event with actor.on_behalf_of (an agent or engineer acting for Bob) has Bob as actor.user and
 * the acting party's name (else id) as actor.invoked_by; the acting party in full goes to
 * unmapped.actor. OCSF 1.1.0 has no attribute for an impersonator: the impersonated user stays
 * actor.user and the impersonator goes to unmapped.impersonator.
 */
function ocsfActor(ev: ExportedEvent): Record<string, unknown> {
  const obo = ev.actor.on_behalf_of;
  const a: Record<string, unknown> = obo === undefined ? { user: actorUser(ev) } : { user: user(obo.id, obo.name, obo.type), invoked_by: ev.actor.name ?? ev.actor.id };
  if (ev.context?.session_id !== undefined) a.session = { uid: ev.context.session_id };
  return a;
}

function party(p: { type: string; id: string; name?: string }): Record<string, string> {
  return p.name === undefined ? { id: p.id, type: p.type } : { id: p.id, type: p.type, name: p.name };
}

export interface OcsfOptions {
  productVersion: string;
  mapping?: OcsfMapping;
  /**
   * The application the events come from (the tenant's product, by its tenant name): OCSF
   * Authentication needs `service` or `dst_endpoint`, and the service signed in to is that app
   * ("Unknown" when not given).
   */
  serviceName?: string;
  /** Memoised classifier (actionClassifier(mapping)); computed per call when absent. */
  classify?: (action: string) => OcsfClassification;
}

/**
 * The OCSF object of one stored event, valid against the OCSF 1.1.0 schema (ocsf.spec.ts checks
 * every class against the schema's own definitions). What a class does not define goes to
 * `unmapped`: targets of Authentication and Account Change events (only API Activity has
 * `resources`), the organization, changes, metadata, flags, location.
 */
export function toOcsf(ev: ExportedEvent, opts: OcsfOptions): Record<string, unknown> {
  const { classUid, activityId } = opts.classify ? opts.classify(ev.action) : classifyAction(ev.action, opts.mapping);
  const status = STATUS[ev.outcome] ?? STATUS.unknown!;
  const failed = ev.outcome === 'failure';
  const ctx = ev.context;
  const caption = ACTIVITY[classUid][activityId] ?? 'Other';
  const out: Record<string, unknown> = {
    activity_id: activityId,
    // 99 "Other": the activity name is the source's own, the action.
    activity_name: activityId === 99 ? ev.action : caption,
    category_uid: CATEGORY[classUid].uid,
    category_name: CATEGORY[classUid].name,
    class_uid: classUid,
    class_name: CLASS_NAME[classUid],
    type_uid: classUid * 100 + activityId,
    type_name: `${CLASS_NAME[classUid]}: ${caption}`,
    time: epochMs(ev.occurred_at),
    severity_id: failed ? 3 : 1,
    severity: failed ? 'Medium' : 'Informational',
    status_id: status.id,
    status: status.name,
    message: ev.display?.message ?? ev.action,
    metadata: {
      uid: ev.id,
      version: OCSF_VERSION,
      logged_time: epochMs(ev.received_at),
      product: { name: 'Veritrail', vendor_name: 'Veritrail', version: opts.productVersion },
    },
    actor: ocsfActor(ev),
  };
  const unmapped: Record<string, unknown> = {};
  // An endpoint needs an identifying attribute; API Activity requires src_endpoint even when
  // the source sent no address, so it is then named Unknown.
  const ip = ctx?.ip;
  if (ip !== undefined && isOcsfIp(ip)) out.src_endpoint = { ip };
  else {
    if (ip !== undefined) unmapped.ip = ip;
    if (classUid === 6003) out.src_endpoint = { name: UNKNOWN };
  }
  if (ctx?.user_agent !== undefined) out.http_request = { user_agent: ctx.user_agent };
  const targets = ev.targets !== undefined && ev.targets.length > 0 ? ev.targets : undefined;
  if (classUid === 3002) {
    out.user = actorUser(ev);
    if (ctx?.session_id !== undefined) out.session = { uid: ctx.session_id };
    // 99 "Other" without logon_type: the source says nothing about how the user signed in.
    out.logon_type_id = 99;
    out.service = { name: opts.serviceName ?? UNKNOWN };
  } else if (classUid === 3001) {
    out.user = accountUser(ev);
  } else {
    const api: Record<string, unknown> = { operation: ev.action };
    if (ctx?.request_id !== undefined) api.request = { uid: ctx.request_id };
    out.api = api;
    if (targets) out.resources = targets.map((t) => (t.name === undefined ? { uid: t.id, type: t.type } : { uid: t.id, type: t.type, name: t.name }));
  }
  if (ev.actor.email !== undefined && !EMAIL_T.test(ev.actor.email)) unmapped.actor_email = ev.actor.email;
  if (ev.actor.on_behalf_of !== undefined) {
    // actor.user is the principal: the acting party itself, with its e-mail address when OCSF could not hold it.
    unmapped.actor = party(ev.actor);
    if (ev.actor.email !== undefined && EMAIL_T.test(ev.actor.email)) unmapped.actor_email = ev.actor.email;
  }
  if (ev.actor.impersonator !== undefined) unmapped.impersonator = party(ev.actor.impersonator);
  if (classUid !== 6003 && targets) unmapped.targets = targets.map((t) => (t.name === undefined ? { id: t.id, type: t.type } : { id: t.id, type: t.type, name: t.name }));
  if (ev.organization_id !== undefined) unmapped.organization_id = ev.organization_id;
  if (ev.changes !== undefined) unmapped.changes = ev.changes;
  if (ev.metadata !== undefined) unmapped.metadata = ev.metadata;
  if (ev.actor.metadata !== undefined) unmapped.actor_metadata = ev.actor.metadata;
  if (ev.targets?.some((t) => t.metadata !== undefined)) unmapped.target_metadata = ev.targets.map((t) => t.metadata ?? null);
  if (ev.flags !== undefined) unmapped.flags = ev.flags;
  if (ctx?.location !== undefined) unmapped.location = ctx.location;
  if (classUid !== 6003 && ctx?.request_id !== undefined) unmapped.request_id = ctx.request_id;
  if (Object.keys(unmapped).length > 0) out.unmapped = unmapped;
  return out;
}

/** One OCSF NDJSON line (with its LF); JSON escapes keep it on one line. */
export function ocsfLine(ev: ExportedEvent, opts: OcsfOptions): string {
  return `${JSON.stringify(toOcsf(ev, opts))}\n`;
}
