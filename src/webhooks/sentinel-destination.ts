import { isIP } from 'node:net';
import type { ExportedEvent } from '../exports/formats/exported-event.js';
import type { OutgoingMessage } from './webhook-messages.js';

/**
 * The `sentinel` destination: Microsoft Sentinel through the Azure Monitor Logs Ingestion API.
 * `url` is the data collection endpoint (DCE, `https://<name>.<region>.ingest.monitor.azure.com`);
 * the credentials hold the Entra tenant, the app registration's client id and secret (OAuth 2.0
 * client credentials), the data collection rule's immutable id and the stream. Each event becomes
 * one record of the ASIM Audit Event schema; a message is sent in calls of at most 1 MB.
 */
export interface SentinelCredentials {
  tenant_id: string;
  client_id: string;
  client_secret: string;
  dcr_immutable_id: string;
  stream_name: string;
  /** Entra authority (default https://login.microsoftonline.com; sovereign clouds differ). */
  authority_host?: string;
}

export const SENTINEL_REQUIRED = ['tenant_id', 'client_id', 'client_secret', 'dcr_immutable_id', 'stream_name'] as const;
export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';
/** The Logs Ingestion API takes at most 1 MB per call; we stay under it (JSON array bytes). */
export const SENTINEL_MAX_CALL_BYTES = 1_000_000;
export const LOGS_INGESTION_API_VERSION = '2023-01-01';
export const MONITOR_SCOPE = 'https://monitor.azure.com//.default';

export function tokenUrl(c: SentinelCredentials): URL {
  return new URL(`${(c.authority_host ?? DEFAULT_AUTHORITY).replace(/\/+$/, '')}/${encodeURIComponent(c.tenant_id)}/oauth2/v2.0/token`);
}

export function tokenRequestBody(c: SentinelCredentials): Buffer {
  return Buffer.from(new URLSearchParams({ grant_type: 'client_credentials', client_id: c.client_id, client_secret: c.client_secret, scope: MONITOR_SCOPE }).toString());
}

export function ingestionUrl(dce: string, c: SentinelCredentials): URL {
  const u = new URL(dce);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/dataCollectionRules/${encodeURIComponent(c.dcr_immutable_id)}/streams/${encodeURIComponent(c.stream_name)}`;
  u.search = `api-version=${LOGS_INGESTION_API_VERSION}`;
  return u;
}

// ASIM Audit Event: EventType from the verb of the action.
function eventType(action: string): string {
  const verb = action.slice(action.lastIndexOf('.') + 1);
  if (/^(created?|added?|invited|registered|issued)$/.test(verb)) return 'Create';
  if (/^(deleted?|removed?|revoked|destroyed|erased)$/.test(verb)) return 'Delete';
  if (/^(viewed|read|exported|downloaded|listed|accessed)$/.test(verb)) return 'Read';
  if (/^(updated?|changed|modified|set|renamed|rotated)$/.test(verb)) return 'Set';
  if (/^(enabled?)$/.test(verb)) return 'Enable';
  if (/^(disabled?|suspended)$/.test(verb)) return 'Disable';
  return 'Other';
}

const RESULT: Record<string, string> = { success: 'Success', failure: 'Failure', unknown: 'NA' };
// ASIM ActorUserType values: Regular, Machine, Admin, System, Application, Service Principal, Other.
const USER_TYPE: Record<string, string> = { user: 'Regular', service: 'Application', api_key: 'Application', agent: 'Application', system: 'System' };

/** One ASIM Audit Event record (schema 0.1) for a stored event (docs/webhooks.md "sentinel"). */
export function asimAuditEvent(ev: ExportedEvent): Record<string, unknown> {
  const ctx = ev.context;
  const target = ev.targets?.[0];
  const r: Record<string, unknown> = {
    TimeGenerated: ev.occurred_at,
    EventStartTime: ev.occurred_at,
    EventEndTime: ev.occurred_at,
    EventCount: 1,
    EventType: eventType(ev.action),
    EventResult: RESULT[ev.outcome] ?? 'NA',
    EventSeverity: ev.outcome === 'failure' ? 'Low' : 'Informational',
    EventProduct: 'Veritrail',
    EventVendor: 'Veritrail',
    EventSchema: 'AuditEvent',
    EventSchemaVersion: '0.1',
    Dvc: 'Veritrail',
    EventOriginalUid: ev.id,
    EventOriginalType: ev.action,
    Operation: ev.action,
  };
  // Delegation (docs/webhooks.md "sentinel"): a non-person actor (an agent, a service) acting on
  // behalf of someone is ASIM's acting application, the principal it acted for the actor, as
  // Entra ID's on-behalf-of sign-ins are normalised (and as OCSF's actor.user / invoked_by).
  // Any other delegation has no ASIM field and goes to AdditionalFields.
  const obo = ev.actor.on_behalf_of;
  const actingApp = obo !== undefined && ev.actor.type !== 'user' ? ev.actor : undefined;
  const actor: { type: string; id: string; name?: string } = actingApp ? obo! : ev.actor;
  r.ActorUserId = actor.id;
  r.ActorUserType = USER_TYPE[actor.type] ?? 'Other';
  r.ActorOriginalUserType = actor.type;
  if (actor.name !== undefined) {
    r.ActorUsername = actor.name;
    r.ActorUsernameType = 'Simple';
  }
  if (actingApp) {
    r.ActingAppId = actingApp.id;
    if (actingApp.name !== undefined) r.ActingAppName = actingApp.name;
    r.ActingAppType = actingApp.type === 'service' ? 'Service' : 'Other';
    r.ActingOriginalAppType = actingApp.type;
  }
  // The action's display template rendered for the event (docs/api.md "Display templates").
  if (ev.display?.message !== undefined) r.EventMessage = ev.display.message;
  if (target) {
    r.Object = target.name ?? target.id;
    r.ObjectId = target.id;
    r.ObjectType = 'Other';
    r.OriginalObjectType = target.type;
  }
  if (ctx?.ip !== undefined && isIP(ctx.ip) !== 0) r.SrcIpAddr = ctx.ip;
  if (ctx?.user_agent !== undefined) r.HttpUserAgent = ctx.user_agent;
  if (ctx?.session_id !== undefined) r.ActorSessionId = ctx.session_id;
  const extra: Record<string, unknown> = { received_at: ev.received_at };
  if (ev.organization_id !== undefined) extra.organization_id = ev.organization_id;
  if (ev.actor.email !== undefined) extra.actor_email = ev.actor.email;
  if (ev.targets !== undefined) extra.targets = ev.targets;
  if (ev.changes !== undefined) extra.changes = ev.changes;
  if (ev.metadata !== undefined) extra.metadata = ev.metadata;
  if (ctx?.request_id !== undefined) extra.request_id = ctx.request_id;
  if (ctx?.location !== undefined) extra.location = ctx.location;
  if (ctx?.ip !== undefined && isIP(ctx.ip) === 0) extra.ip = ctx.ip;
  if (ev.flags !== undefined) extra.flags = ev.flags;
  if (obo !== undefined) extra.on_behalf_of = obo;
  if (ev.actor.impersonator !== undefined) extra.impersonator = ev.actor.impersonator;
  r.AdditionalFields = extra;
  return r;
}

/**
 * The records of a message as JSON texts: one per event, or one describing a checkpoint or a
 * test (EventType Other, Operation veritrail.<kind>).
 */
export function sentinelRecords(m: OutgoingMessage, events: string[], nowMs = Date.now()): string[] {
  if (events.length > 0) return events.map((p) => JSON.stringify(asimAuditEvent(JSON.parse(p) as ExportedEvent)));
  const at = new Date(nowMs).toISOString();
  return [
    JSON.stringify({
      TimeGenerated: at,
      EventStartTime: at,
      EventEndTime: at,
      EventCount: 1,
      EventType: 'Other',
      EventResult: 'Success',
      EventSeverity: 'Informational',
      EventProduct: 'Veritrail',
      EventVendor: 'Veritrail',
      EventSchema: 'AuditEvent',
      EventSchemaVersion: '0.1',
      Dvc: 'Veritrail',
      Operation: `veritrail.${m.kind}`,
      AdditionalFields: m.kind === 'checkpoint.sealed' ? m.checkpoint : { webhook_id: m.webhookId },
    }),
  ];
}

/** JSON arrays of the records, each at most `maxBytes` (a record larger than that alone in its call). */
export function sentinelCalls(records: string[], maxBytes = SENTINEL_MAX_CALL_BYTES): Buffer[] {
  const calls: Buffer[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const r of records) {
    const size = Buffer.byteLength(r) + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      calls.push(Buffer.from(`[${current.join(',')}]`));
      current = [];
      bytes = 2;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) calls.push(Buffer.from(`[${current.join(',')}]`));
  return calls;
}
