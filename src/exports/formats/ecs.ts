import { isIP } from 'node:net';
import type { ExportedEvent, ExportedParty } from './exported-event.js';
import { actionClassifier, type OcsfClassification, type OcsfMapping } from './ocsf.js';

/**
 * Elastic Common Schema (ECS 8.17), one JSON document per event. Field by field in
 * docs/export-formats.md "ECS"; every ECS field written here is checked against the official
 * field definitions (test/fixtures/ecs-8.17.0, from elastic/ecs) in ecs.spec.ts. What ECS has
 * no field for (all targets, changes, metadata, location) goes under `veritrail.*`, a custom
 * field set outside the ECS namespace, as ECS advises for custom fields.
 */
export const ECS_VERSION = '8.17.0';
export const ECS_CONTENT_TYPE = 'application/x-ndjson';
export const ECS_EXTENSION = 'ecs.ndjson';

export interface EcsOptions {
  productVersion: string;
  /** The tenant's OCSF class overrides: they decide the ECS categorization too (same classes). */
  mapping?: OcsfMapping;
  classify?: (action: string) => OcsfClassification;
}

/**
 * ECS categorization from the OCSF classification (the same class decides both, so a tenant's
 * OCSF mapping moves an action in ECS as well): Authentication → authentication start/end/info,
 * Account Change → iam user + creation/deletion/change, API Activity → api
 * creation/access/change/deletion/info. Every pair is one ECS lists as expected.
 */
function categorization(c: OcsfClassification): { category: string[]; type: string[] } {
  if (c.classUid === 3002) return { category: ['authentication'], type: [c.activityId === 1 ? 'start' : c.activityId === 2 ? 'end' : 'info'] };
  if (c.classUid === 3001) return { category: ['iam'], type: ['user', c.activityId === 1 ? 'creation' : c.activityId === 6 ? 'deletion' : 'change'] };
  const api: Record<number, string> = { 1: 'creation', 2: 'access', 3: 'change', 4: 'deletion' };
  return { category: ['api'], type: [api[c.activityId] ?? 'info'] };
}

// event.severity is numeric and source-defined: the CEF severity of the same event.
const SEVERITY: Record<string, number> = { failure: 6, unknown: 3, success: 2 };

function party(p: ExportedParty): Record<string, string> {
  return p.name === undefined ? { type: p.type, id: p.id } : { type: p.type, id: p.id, name: p.name };
}

function ecsUser(id: string, name: string | undefined, email?: string): Record<string, unknown> {
  const u: Record<string, unknown> = { id };
  if (name !== undefined) u.name = name;
  if (email !== undefined) u.email = email;
  return u;
}

/**
 * `user` and `user.effective` (ECS: "user whose privileges were assumed") from the actor and its
 * delegation (docs/export-formats.md "ECS"): without delegation `user` is the actor; an actor
 * acting on behalf of someone (an agent for Bob) is `user`, Bob `user.effective`; an impersonated
 * session is ECS's sudo case: the impersonator at the keyboard is `user`, the impersonated actor
 * `user.effective` (an on_behalf_of of the same event then stays in veritrail.on_behalf_of only).
 * `delegates` are the ids of the delegation parties, for related.user.
 */
function ecsUsers(ev: ExportedEvent): { user: Record<string, unknown>; delegates: string[] } {
  const { actor } = ev;
  const asActor = ecsUser(actor.id, actor.name, actor.email);
  const imp = actor.impersonator;
  const obo = actor.on_behalf_of;
  const delegates = [...(imp ? [imp.id] : []), ...(obo ? [obo.id] : [])];
  if (imp !== undefined) return { user: { ...ecsUser(imp.id, imp.name), effective: asActor }, delegates };
  if (obo !== undefined) return { user: { ...asActor, effective: ecsUser(obo.id, obo.name) }, delegates };
  return { user: asActor, delegates };
}

export function toEcs(ev: ExportedEvent, opts: EcsOptions): Record<string, unknown> {
  const classify = opts.classify ?? actionClassifier(opts.mapping);
  const { category, type } = categorization(classify(ev.action));
  const ctx = ev.context;
  const out: Record<string, unknown> = {
    '@timestamp': ev.occurred_at,
    // The action's display template rendered for the event (docs/api.md "Display templates"), else the action.
    message: ev.display?.message ?? ev.action,
    ecs: { version: ECS_VERSION },
    event: {
      id: ev.id,
      kind: 'event',
      category,
      type,
      action: ev.action,
      outcome: ev.outcome,
      severity: SEVERITY[ev.outcome] ?? 3,
      ingested: ev.received_at,
      module: 'veritrail',
      dataset: 'veritrail.audit',
      provider: 'veritrail',
    },
    observer: { vendor: 'Veritrail', product: 'Veritrail', version: opts.productVersion },
  };
  const { user, delegates } = ecsUsers(ev);
  const targetUser = ev.targets?.find((t) => t.type === 'user');
  if (targetUser) user.target = targetUser.name === undefined ? { id: targetUser.id } : { id: targetUser.id, name: targetUser.name };
  out.user = user;
  const related: Record<string, string[]> = { user: [...new Set([ev.actor.id, ...delegates, ...(targetUser ? [targetUser.id] : [])])] };
  // source.ip is typed ip: a value that is not an address (erased personal data) is left out.
  if (ctx?.ip !== undefined && isIP(ctx.ip) !== 0) {
    out.source = { ip: ctx.ip };
    related.ip = [ctx.ip];
  }
  out.related = related;
  if (ctx?.user_agent !== undefined) out.user_agent = { original: ctx.user_agent };
  if (ctx?.request_id !== undefined) out.http = { request: { id: ctx.request_id } };
  if (ev.organization_id !== undefined) out.organization = { id: ev.organization_id };
  const labels: Record<string, string> = { actor_type: ev.actor.type };
  if (ctx?.session_id !== undefined) labels.session_id = ctx.session_id;
  out.labels = labels;
  if (ev.flags !== undefined && ev.flags.length > 0) out.tags = ev.flags;
  const custom: Record<string, unknown> = {};
  if (ev.targets !== undefined && ev.targets.length > 0) custom.targets = ev.targets;
  if (ev.changes !== undefined) custom.changes = ev.changes;
  if (ev.metadata !== undefined) custom.metadata = ev.metadata;
  if (ev.actor.metadata !== undefined) custom.actor_metadata = ev.actor.metadata;
  if (ctx?.location !== undefined) custom.location = ctx.location;
  if (ctx?.ip !== undefined && isIP(ctx.ip) === 0) custom.ip = ctx.ip;
  if (ev.idempotency_key !== undefined) custom.idempotency_key = ev.idempotency_key;
  // Delegation as sent (with the party types ECS has no field for): the user fields above say it the ECS way.
  if (ev.actor.on_behalf_of !== undefined) custom.on_behalf_of = party(ev.actor.on_behalf_of);
  if (ev.actor.impersonator !== undefined) custom.impersonator = party(ev.actor.impersonator);
  if (Object.keys(custom).length > 0) out.veritrail = custom;
  return out;
}

/** One ECS NDJSON line (with its LF). */
export function ecsLine(ev: ExportedEvent, opts: EcsOptions): string {
  return `${JSON.stringify(toEcs(ev, opts))}\n`;
}
