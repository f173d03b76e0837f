import { describe, expect, it } from 'vitest';
import type { ExportedEvent } from './exported-event.js';
import ocsfClasses from './fixtures/ocsf-classes.json' with { type: 'json' };
import { ALL_EVENTS, ALL_PAYLOADS, LOG_INJECTION, REALISTIC } from './fixtures/stored-events.js';
import { writerFor } from './index.js';
import { actionClassifier, classifyAction, mappedClassUid, OCSF_VERSION, toOcsf, type OcsfMapping } from './ocsf.js';

type Obj = Record<string, unknown>;
const TENANT_ID = 'tnt_0f9e8d7c6b5a';
const opts = { productVersion: '2.0.1', serviceName: 'Acme App' };
const writer = writerFor('ocsf', opts);
const text = writer.header() + ALL_PAYLOADS.map((p) => writer.line(p)).join('') + writer.footer();
const objects = text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Obj);

const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Obj | undefined)?.[k], o);

describe('OCSF class selection', () => {
  it.each([
    ['user.login', 3002, 1],
    ['user.login.failed', 3002, 1],
    ['auth.signin', 3002, 1],
    ['auth.sign_in', 3002, 1],
    ['user.logged_in', 3002, 1],
    ['session.logout', 3002, 2],
    ['user.signout', 3002, 2],
    ['session.ended', 3002, 2],
    ['session.started', 3002, 1],
    ['user.password.changed', 3001, 3],
    ['user.password.reset', 3001, 4],
    ['user.mfa.enabled', 3001, 10],
    ['user.mfa.disabled', 3001, 11],
    ['user.role.changed', 3001, 99],
    ['account.created', 3001, 1],
    ['user.deleted', 3001, 6],
    ['user.disabled', 3001, 5],
    ['user.enabled', 3001, 2],
    ['account.locked', 3001, 9],
    ['document.created', 6003, 1],
    ['member.added', 3001, 1],
    ['comment.added', 6003, 1],
    ['report.viewed', 6003, 2],
    ['file.downloaded', 6003, 2],
    ['report.exported', 6003, 2],
    ['invoice.listed', 6003, 2],
    ['user.viewed', 6003, 2],
    ['document.updated', 6003, 3],
    ['settings.changed', 6003, 3],
    ['page.edited', 6003, 3],
    ['project.renamed', 6003, 3],
    ['document.shared', 6003, 3],
    ['document.deleted', 6003, 4],
    ['member.role.removed', 3001, 99],
    ['api_key.revoked', 6003, 4],
    ['job.ran', 6003, 99],
    ['veritrail.export.started', 6003, 99],
  ])('%s → class %i, activity %i', (action, classUid, activityId) => {
    expect(classifyAction(action)).toEqual({ classUid, activityId });
  });

  it('tenant mapping overrides the default: exact action first, then the longest prefix', () => {
    const mapping: OcsfMapping = { 'billing.*': 3001, 'billing.card.*': 3002, 'billing.card.updated': 6003, 'user.login': 6003 };
    expect(classifyAction('billing.plan.changed', mapping)).toEqual({ classUid: 3001, activityId: 99 });
    expect(classifyAction('billing.card.added', mapping)).toEqual({ classUid: 3002, activityId: 99 });
    expect(classifyAction('billing.card.updated', mapping)).toEqual({ classUid: 6003, activityId: 3 });
    expect(classifyAction('user.login', mapping)).toEqual({ classUid: 6003, activityId: 99 });
    expect(classifyAction('billingx.card.updated', mapping)).toEqual({ classUid: 6003, activityId: 3 });
    expect(mappedClassUid('billing', mapping)).toBeUndefined();
    expect(mappedClassUid('anything', undefined)).toBeUndefined();
    expect(mappedClassUid('constructor', {})).toBeUndefined(); // own keys only
  });

  it('the memoised classifier agrees with classifyAction', () => {
    const mapping: OcsfMapping = { 'billing.*': 3001 };
    const classify = actionClassifier(mapping);
    for (const action of ['billing.card.added', 'user.login', 'document.deleted', 'billing.card.added']) {
      expect(classify(action)).toEqual(classifyAction(action, mapping));
    }
  });

  it('the writer applies the tenant mapping', () => {
    const mapped = writerFor('ocsf', { ...opts, ocsfMapping: { 'document.*': 3001 } });
    const doc = JSON.parse(mapped.line(ALL_PAYLOADS[0]!)) as Obj;
    expect(doc.class_uid).toBe(3001);
    expect(doc.user).toEqual({ uid: 'usr_77', name: 'Bob', type: 'user', type_id: 1 });
  });
});

describe('OCSF writer', () => {
  it('declares content type and extension; one JSON object per line', () => {
    expect(writer.contentType).toBe('application/x-ndjson');
    expect(writer.extension).toBe('ocsf.ndjson');
    expect(writer.header()).toBe('');
    expect(objects).toHaveLength(ALL_EVENTS.length);
    expect(text).not.toMatch(/\r|\u001b/);
  });

  it(`has every required attribute of its class (OCSF ${ocsfClasses.ocsf_version})`, () => {
    expect(OCSF_VERSION).toBe(ocsfClasses.ocsf_version);
    const seen = new Set<number>();
    for (const o of objects) {
      const cls = ocsfClasses.classes[String(o.class_uid) as keyof typeof ocsfClasses.classes];
      expect(cls, `class ${String(o.class_uid)}`).toBeDefined();
      seen.add(o.class_uid as number);
      for (const attr of cls.required) expect(o[attr], `${String(o.class_uid)}.${attr}`).toBeDefined();
      for (const attr of ocsfClasses.objects.metadata.required) expect(get(o, `metadata.${attr}`)).toBeDefined();
      if (o.api !== undefined) for (const attr of ocsfClasses.objects.api.required) expect(get(o, `api.${attr}`)).toBeDefined();
      const constraints = (cls as { constraints?: Record<string, string[]> }).constraints ?? {};
      for (const group of Object.values(constraints)) expect(group.some((a) => o[a] !== undefined), `${String(o.class_uid)} at_least_one ${group.join('|')}`).toBe(true);
      expect(o.category_uid).toBe(cls.category_uid);
      expect(Object.keys(cls.activity_ids)).toContain(String(o.activity_id));
      expect(o.activity_name).toBe(cls.activity_ids[String(o.activity_id) as keyof typeof cls.activity_ids]);
    }
    expect([...seen].sort()).toEqual([3001, 3002, 6003]);
  });

  it('type_uid = class_uid * 100 + activity_id', () => {
    for (const o of objects) expect(o.type_uid).toBe((o.class_uid as number) * 100 + (o.activity_id as number));
  });

  it('maps outcome to status_id/status and severity_id', () => {
    const want = { success: [1, 'Success', 1], failure: [2, 'Failure', 3], unknown: [0, 'Unknown', 1] } as const;
    objects.forEach((o, i) => {
      const [statusId, status, severityId] = want[ALL_EVENTS[i]!.outcome];
      expect([o.status_id, o.status, o.severity_id]).toEqual([statusId, status, severityId]);
    });
  });

  it('fills the fields Splunk keys on whenever the source has them', () => {
    objects.forEach((o, i) => {
      const ev: ExportedEvent = ALL_EVENTS[i]!;
      expect(get(o, 'actor.user.uid')).toBe(ev.actor.id);
      expect(get(o, 'actor.user.type')).toBe(ev.actor.type);
      expect(get(o, 'actor.user.name')).toBe(ev.actor.name);
      expect(get(o, 'actor.user.email_addr')).toBe(ev.actor.email);
      expect(get(o, 'src_endpoint.ip')).toBe(ev.context?.ip);
      expect(get(o, 'http_request.user_agent')).toBe(ev.context?.user_agent);
      const resources = (o.resources as Obj[] | undefined) ?? [];
      expect(resources.map((r) => [r.uid, r.type, r.name])).toEqual((ev.targets ?? []).map((t) => [t.id, t.type, t.name]));
      expect(o.time).toBe(Date.parse(ev.occurred_at));
      expect(get(o, 'metadata.uid')).toBe(ev.id);
      expect(get(o, 'metadata.logged_time')).toBe(Date.parse(ev.received_at));
      expect(get(o, 'metadata.version')).toBe('1.1.0');
      expect(get(o, 'metadata.product')).toEqual({ name: 'Veritrail', vendor_name: 'Veritrail', version: '2.0.1' });
      expect(o.message).toBe(ev.action);
      expect(get(o, 'unmapped.organization_id')).toBe(ev.organization_id);
      expect(get(o, 'unmapped.changes')).toEqual(ev.changes);
      expect(get(o, 'unmapped.metadata')).toEqual(ev.metadata);
      expect(get(o, 'unmapped.flags')).toEqual(ev.flags);
    });
  });

  it('fills the class-specific attributes', () => {
    objects.forEach((o, i) => {
      const ev = ALL_EVENTS[i]!;
      if (o.class_uid === 3002) {
        expect(get(o, 'user.uid')).toBe(ev.actor.id);
        expect(o.logon_type_id).toBe(99);
      } else if (o.class_uid === 3001) {
        const target = ev.targets?.find((t) => t.type === 'user');
        expect(get(o, 'user.uid')).toBe(target?.id ?? ev.actor.id);
      } else {
        expect(get(o, 'api.operation')).toBe(ev.action);
        expect(get(o, 'api.request.uid')).toBe(ev.context?.request_id);
      }
    });
    const pw = objects[REALISTIC.findIndex((e) => e.action === 'user.password.changed')]!;
    expect(pw.user).toEqual({ uid: 'usr_5', name: 'Carol', type: 'user', type_id: 1 });
    expect(get(pw, 'unmapped.request_id')).toBe('req_pw_1');
  });

  it('keeps hostile text as JSON strings (IN-01)', () => {
    const o = objects[ALL_EVENTS.findIndex((e) => e.actor.name === LOG_INJECTION)]!;
    expect(get(o, 'actor.user.name')).toBe(LOG_INJECTION);
  });

  it('never writes a tenant id, whatever the mapping or options', () => {
    const withTenant = { ...ALL_EVENTS[0]!, tenant_id: TENANT_ID } as ExportedEvent;
    const o = toOcsf(withTenant, opts);
    expect(JSON.stringify(o)).not.toContain(TENANT_ID);
    expect(get(o, 'metadata.tenant_uid')).toBeUndefined();
    for (const obj of objects) {
      expect(get(obj, 'metadata.tenant_uid')).toBeUndefined();
      expect(JSON.stringify(obj)).not.toMatch(/tenant/);
    }
  });
});
