import { describe, expect, it } from 'vitest';
import type { ExportedEvent } from './exported-event.js';
import { fileURLToPath } from 'node:url';
import { loadOcsfSchema } from '../../../test/support/ocsf-schema.js';
import { ALL_EVENTS, ALL_PAYLOADS, LOG_INJECTION, REALISTIC } from './fixtures/stored-events.js';
import { writerFor } from './index.js';
import { actionClassifier, classifyAction, mappedClassUid, OCSF_VERSION, toOcsf, type OcsfClassUid, type OcsfMapping } from './ocsf.js';

type Obj = Record<string, unknown>;
const TENANT_ID = 'tnt_0f9e8d7c6b5a';
const opts = { productVersion: '2.0.1', serviceName: 'Acme App' };
const writer = writerFor('ocsf', opts);
const text = writer.header() + ALL_PAYLOADS.map((p) => writer.line(p)).join('') + writer.footer();
const objects = text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Obj);

const schema = loadOcsfSchema(fileURLToPath(new URL('../../../test/fixtures/ocsf-1.1.0', import.meta.url)));

/** Schema errors of one OCSF object, [] when valid (the class comes from its class_uid, as the OCSF validator does). */
function ocsfErrors(o: Obj): string[] {
  const uid = o.class_uid as number;
  if (!schema.classes.has(uid)) return [`class_uid ${String(uid)} is not an OCSF ${schema.version} class we ship`];
  const validate = schema.validator(uid, (get(o, 'metadata.profiles') as string[] | undefined) ?? []);
  return validate(o) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

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
    expect(doc.user).toEqual({ uid: 'usr_77', name: 'Bob', type: 'User', type_id: 1 });
  });
});


/** Every event shape the event contract allows, as far as OCSF output can differ between them. */
function eventShapes(): { ev: ExportedEvent; mapping?: OcsfMapping }[] {
  const actions: [string, OcsfMapping?][] = [
    ['user.login'], ['session.logout'], ['sso.assertion.checked', { 'sso.*': 3002 }],
    ['account.created'], ['user.enabled'], ['user.password.changed'], ['user.password.reset'], ['user.disabled'], ['user.deleted'],
    ['account.locked'], ['user.mfa.enabled'], ['user.mfa.disabled'], ['user.role.changed'],
    ['document.created'], ['report.viewed'], ['document.updated'], ['document.deleted'], ['job.ran'], ['billing.card.added', { 'billing.*': 3001 }],
  ];
  const actors: ExportedEvent['actor'][] = [
    { type: 'user', id: 'usr_1', name: 'Alice', email: 'alice@acme.example', metadata: { dept: 'legal' } },
    { type: 'user', id: 'usr_2', email: "o'neil@example.com" }, // valid at ingest, not an OCSF email_t
    { type: 'user', id: 'usr_3', name: '[erased]', email: '[restricted]' }, // personal data erased / withheld
    { type: 'service', id: 'billing-worker' },
    { type: 'api_key', id: 'key_live_1', name: 'CI key' },
    { type: 'system', id: 'scheduler' },
    // Delegation: an agent for a user, an impersonated session, both at once (an erased party name).
    { type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'usr_4', name: 'Bob' } },
    { type: 'user', id: 'usr_5', email: 'eve@acme.example', impersonator: { type: 'user', id: 'usr_6', name: 'Ann' } },
    { type: 'user', id: 'usr_6', email: "o'neil@example.com", on_behalf_of: { type: 'user', id: 'usr_7', name: '[erased]' }, impersonator: { type: 'service', id: 'support-console' } },
  ];
  const contexts: (ExportedEvent['context'] | undefined)[] = [
    undefined,
    { ip: '203.0.113.7', user_agent: 'Mozilla/5.0', request_id: 'req_1', session_id: 'sess_1', location: 'web' },
    { ip: '2001:db8::1' },
    { ip: '::ffff:192.0.2.1', session_id: 'sess_2' },
    { ip: 'fe80::1%eth0', user_agent: 'curl/8.5.0' },
    { ip: 'fe80:0000:0000:0000:0204:61ff:fe9d:f156%some-long-zone-name' }, // an address, but longer than ip_t allows
    { ip: '[erased]', request_id: 'req_2' },
  ];
  const targets: (ExportedEvent['targets'] | undefined)[] = [
    undefined,
    [],
    [{ type: 'user', id: 'usr_9', name: 'Bob' }],
    [{ type: 'document', id: 'doc_1' }, { type: 'folder', id: 'f_1', name: 'Q2', metadata: { size: 3 } }],
    [{ type: 'document', id: 'doc_2', name: '' }, { type: 'user', id: 'usr_8' }],
  ];
  const extras: Partial<ExportedEvent>[] = [
    {},
    { organization_id: 'org_acme', changes: [{ field: 'role', before: 'member', after: 'admin' }, { field: 'password' }], metadata: { a: [1, { b: null }] }, flags: ['suspicious_unicode'] },
  ];
  const outcomes = ['success', 'failure', 'unknown'] as const;
  const out: { ev: ExportedEvent; mapping?: OcsfMapping }[] = [];
  let n = 0;
  for (const [action, mapping] of actions)
    for (const actor of actors)
      for (const context of contexts)
        for (const t of targets)
          for (const extra of extras) {
            n++;
            const ev: ExportedEvent = {
              id: `0190a1b2-c3d4-7e5f-8a9b-${n.toString(16).padStart(12, '0')}`,
              received_at: '2025-06-01T12:00:00.250Z',
              occurred_at: '2025-06-01T11:59:58.123Z',
              action,
              outcome: outcomes[n % 3]!,
              actor,
              ...(context === undefined ? {} : { context }),
              ...(t === undefined ? {} : { targets: t }),
              ...extra,
            };
            out.push({ ev, mapping });
          }
  return out;
}

describe('OCSF 1.1.0 schema (the ocsf/ocsf-schema definitions at v1.1.0, resolved as the OCSF server does)', () => {
  it('resolves the classes we emit with the requirements the schema gives them', () => {
    const required = (uid: number) =>
      Object.entries(schema.classes.get(uid)!.attributes)
        .filter(([, a]) => a.requirement === 'required' && (a.profile === undefined || a.profile === null))
        .map(([n]) => n)
        .sort();
    const base = ['activity_id', 'category_uid', 'class_uid', 'metadata', 'severity_id', 'time', 'type_uid'];
    expect(schema.version).toBe(OCSF_VERSION);
    expect(required(3001)).toEqual([...base, 'user'].sort());
    expect(required(3002)).toEqual([...base, 'user'].sort());
    expect(required(6003)).toEqual([...base, 'actor', 'api', 'src_endpoint'].sort());
    expect(schema.classes.get(3002)!.constraints).toEqual({ at_least_one: ['service', 'dst_endpoint'] });
    expect(schema.objects.get('network_endpoint')!.constraints.at_least_one).toContain('ip');
    // Profile attributes (cloud) are not part of an event that declares no profile.
    expect(schema.classes.get(6003)!.attributes.cloud!.profile).toBe('cloud');
    expect(schema.classes.get(3001)!.attributes.resources).toBeUndefined();
  });

  it('STD-OCSF: rejects what the writer used to emit, so the checks below can fail', () => {
    const good = toOcsf(ALL_EVENTS[0]!, opts);
    expect(ocsfErrors(good)).toEqual([]);
    const variants: [string, (o: Obj) => void][] = [
      ['empty src_endpoint', (o) => (o.src_endpoint = {})],
      ['lower-case user type', (o) => ((o.actor as Obj).user = { ...((o.actor as Obj).user as Obj), type: 'user' })],
      ['"Other" as the sibling of 99', (o) => ((o.actor as Obj).user = { uid: 'k', type: 'Other', type_id: 99 })],
      ['an email_t that is not one', (o) => ((o.actor as Obj).user = { uid: 'u', email_addr: "o'neil@example.com" })],
      ['an ip_t that is not one', (o) => (o.src_endpoint = { ip: '[erased]' })],
      ['an attribute the class does not define', (o) => (o.tenant = 'x')],
      ['a missing required attribute', (o) => delete o.src_endpoint],
      ['a wrong activity caption', (o) => (o.activity_name = 'Read')],
      ['a type_uid of another activity', (o) => (o.type_uid = 600302)],
      ['a missing vendor_name', (o) => ((o.metadata as Obj).product = { name: 'Veritrail' })],
      ['another schema version', (o) => ((o.metadata as Obj).version = '1.0.0')],
    ];
    for (const [what, change] of variants) {
      const o = structuredClone(good);
      change(o);
      expect(ocsfErrors(o), what).not.toEqual([]);
    }
    const auth = toOcsf(ALL_EVENTS.find((e) => e.action === 'user.login')!, opts);
    expect(ocsfErrors(auth)).toEqual([]);
    expect(ocsfErrors({ ...auth, resources: [{ uid: 'x' }] }), 'resources on Authentication').not.toEqual([]);
    const { service: _service, ...noService } = auth;
    expect(ocsfErrors(noService), 'Authentication without service or dst_endpoint').not.toEqual([]);
  });

  it('STD-OCSF: every class, for every event shape the event contract allows, is valid', () => {
    const shapes = eventShapes();
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const { ev, mapping } of shapes) {
      for (const serviceName of mapping ? ['Acme App'] : ['Acme App', undefined]) {
        const o = toOcsf(ev, { productVersion: '2.0.1', mapping, serviceName });
        seen.add(`${String(o.class_uid)}:${String(o.activity_id)}`);
        const errors = ocsfErrors(JSON.parse(JSON.stringify(o)) as Obj);
        if (errors.length > 0 && failures.length < 5) failures.push(`${JSON.stringify(ev)}\n→ ${JSON.stringify(o)}\n${errors.join('\n')}`);
      }
    }
    expect(failures).toEqual([]);
    expect([...seen].sort()).toEqual(
      ['3001:1', '3001:2', '3001:3', '3001:4', '3001:5', '3001:6', '3001:9', '3001:10', '3001:11', '3001:99', '3002:1', '3002:2', '3002:99', '6003:1', '6003:2', '6003:3', '6003:4', '6003:99'].sort(),
    );
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

  it('STD-OCSF: every exported line of the realistic and hostile fixtures is valid OCSF 1.1.0', () => {
    const seen = new Set<number>();
    objects.forEach((o, i) => {
      seen.add(o.class_uid as number);
      expect(ocsfErrors(o), ALL_EVENTS[i]!.id).toEqual([]);
    });
    expect([...seen].sort()).toEqual([3001, 3002, 6003]);
  });

  it('maps outcome to status_id/status and severity_id', () => {
    const want = { success: [1, 'Success', 1], failure: [2, 'Failure', 3], unknown: [0, 'Unknown', 1] } as const;
    objects.forEach((o, i) => {
      const [statusId, status, severityId] = want[ALL_EVENTS[i]!.outcome];
      expect([o.status_id, o.status, o.severity_id]).toEqual([statusId, status, severityId]);
    });
  });

  it('fills the fields Splunk keys on whenever the source has them (and OCSF allows them there)', () => {
    const EMAIL_T = /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/; // OCSF 1.1.0 dictionary, type email_t
    objects.forEach((o, i) => {
      const ev: ExportedEvent = ALL_EVENTS[i]!;
      expect(get(o, 'actor.user.uid')).toBe(ev.actor.id);
      expect(get(o, 'actor.user.type')).toBe({ user: 'User', system: 'System' }[ev.actor.type] ?? ev.actor.type);
      expect(get(o, 'actor.user.type_id')).toBe({ user: 1, system: 3 }[ev.actor.type] ?? 99);
      expect(get(o, 'actor.user.name')).toBe(ev.actor.name);
      const email = ev.actor.email;
      expect(get(o, 'actor.user.email_addr')).toBe(email !== undefined && EMAIL_T.test(email) ? email : undefined);
      expect(get(o, 'unmapped.actor_email')).toBe(email !== undefined && !EMAIL_T.test(email) ? email : undefined);
      expect(get(o, 'src_endpoint.ip')).toBe(ev.context?.ip);
      expect(get(o, 'http_request.user_agent')).toBe(ev.context?.user_agent);
      const targets = (ev.targets ?? []).map((t) => [t.id, t.type, t.name]);
      if (o.class_uid === 6003) expect(((o.resources as Obj[] | undefined) ?? []).map((r) => [r.uid, r.type, r.name])).toEqual(targets);
      else expect(((get(o, 'unmapped.targets') as Obj[] | undefined) ?? []).map((r) => [r.id, r.type, r.name])).toEqual(targets);
      expect(o.time).toBe(Date.parse(ev.occurred_at));
      expect(get(o, 'metadata.uid')).toBe(ev.id);
      expect(get(o, 'metadata.logged_time')).toBe(Date.parse(ev.received_at));
      expect(get(o, 'metadata.version')).toBe('1.1.0');
      expect(get(o, 'metadata.product')).toEqual({ name: 'Veritrail', vendor_name: 'Veritrail', version: '2.0.1' });
      expect(o.message).toBe(ev.action);
      if (o.activity_id === 99) expect(o.activity_name).toBe(ev.action);
      expect(get(o, 'unmapped.organization_id')).toBe(ev.organization_id);
      expect(get(o, 'unmapped.changes')).toEqual(ev.changes);
      expect(get(o, 'unmapped.metadata')).toEqual(ev.metadata);
      expect(get(o, 'unmapped.flags')).toEqual(ev.flags);
    });
  });

  it('API Activity without an address names its source Unknown; an address OCSF cannot hold goes to unmapped', () => {
    const noIp = toOcsf(ALL_EVENTS[1]!, opts);
    expect(noIp.class_uid).toBe(6003);
    expect(noIp.src_endpoint).toEqual({ name: 'Unknown' });
    const erased = toOcsf({ ...ALL_EVENTS[0]!, context: { ip: '[erased]' } }, opts);
    expect(erased.src_endpoint).toEqual({ name: 'Unknown' });
    expect(get(erased, 'unmapped.ip')).toBe('[erased]');
    const login = toOcsf({ ...ALL_EVENTS[2]!, context: {} }, opts);
    expect(login.class_uid).toBe(3002);
    expect(login.src_endpoint).toBeUndefined();
  });

  it('fills the class-specific attributes', () => {
    objects.forEach((o, i) => {
      const ev = ALL_EVENTS[i]!;
      if (o.class_uid === 3002) {
        expect(get(o, 'user.uid')).toBe(ev.actor.id);
        expect(o.logon_type_id).toBe(99);
        expect(get(o, 'service.name')).toBe('Acme App');
      } else if (o.class_uid === 3001) {
        const target = ev.targets?.find((t) => t.type === 'user');
        expect(get(o, 'user.uid')).toBe(target?.id ?? ev.actor.id);
      } else {
        expect(get(o, 'api.operation')).toBe(ev.action);
        expect(get(o, 'api.request.uid')).toBe(ev.context?.request_id);
      }
    });
    const pw = objects[REALISTIC.findIndex((e) => e.action === 'user.password.changed')]!;
    expect(pw.user).toEqual({ uid: 'usr_5', name: 'Carol', type: 'User', type_id: 1 });
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

describe('OCSF: delegation (actor.on_behalf_of, actor.impersonator)', () => {
  const base = { id: '0190a1b2-c3d4-7e5f-8a9b-00000000d001', received_at: '2025-06-01T12:00:00.250Z', occurred_at: '2025-06-01T11:59:58.123Z', outcome: 'success' as const };

  it('STD-OCSF: an agent acting for a user: the user is actor.user (the user context), the agent actor.invoked_by', () => {
    const o = toOcsf(
      { ...base, action: 'document.shared', actor: { type: 'agent', id: 'assistant', name: 'Assistant', email: 'bot@acme.example', on_behalf_of: { type: 'user', id: 'usr_4', name: 'Bob' } }, context: { session_id: 's_1' } },
      opts,
    );
    expect(ocsfErrors(o)).toEqual([]);
    expect(o.actor).toEqual({ user: { uid: 'usr_4', name: 'Bob', type: 'User', type_id: 1 }, invoked_by: 'Assistant', session: { uid: 's_1' } });
    expect(o.unmapped).toMatchObject({ actor: { id: 'assistant', type: 'agent', name: 'Assistant' }, actor_email: 'bot@acme.example' });
    // Without a name, the acting party's id.
    const noName = toOcsf({ ...base, action: 'document.shared', actor: { type: 'service', id: 'sync', on_behalf_of: { type: 'user', id: 'usr_4' } } }, opts);
    expect(get(noName, 'actor.invoked_by')).toBe('sync');
    expect(get(noName, 'actor.user')).toEqual({ uid: 'usr_4', type: 'User', type_id: 1 });
  });

  it('STD-OCSF: an impersonated session: the impersonated user stays actor.user, the impersonator goes to unmapped (OCSF 1.1.0 has no attribute for it)', () => {
    const o = toOcsf({ ...base, action: 'user.role.changed', actor: { type: 'user', id: 'usr_5', name: 'Bob', impersonator: { type: 'user', id: 'usr_6', name: 'Ann' } } }, opts);
    expect(ocsfErrors(o)).toEqual([]);
    expect(get(o, 'actor.user')).toEqual({ uid: 'usr_5', name: 'Bob', type: 'User', type_id: 1 });
    expect(get(o, 'actor.invoked_by')).toBeUndefined();
    expect(get(o, 'unmapped.impersonator')).toEqual({ id: 'usr_6', type: 'user', name: 'Ann' });
    // The schema has no impersonator attribute on actor: writing one there would be invalid.
    expect(ocsfErrors({ ...o, actor: { ...(o.actor as Obj), impersonator: { uid: 'usr_6' } } })).not.toEqual([]);
    expect(schema.objects.get('actor')!.attributes).toHaveProperty('invoked_by');
    expect(schema.objects.get('actor')!.attributes).not.toHaveProperty('impersonator');
  });
});

describe('OCSF: display messages (docs/api.md "Display templates")', () => {
  const base = { id: '0190a1b2-c3d4-7e5f-8a9b-00000000d004', received_at: '2025-06-01T12:00:00.250Z', occurred_at: '2025-06-01T11:59:58.123Z', outcome: 'success' as const };

  it('STD-OCSF: message is the rendered template (plain text, valid OCSF), the action without one', () => {
    const ev: ExportedEvent = { ...base, action: 'document.shared', actor: { type: 'user', id: 'u_ann', name: 'Ann' }, display: { message: 'Ann shared <b>Plan</b> with Bob' } };
    const o = toOcsf(ev, opts);
    expect(ocsfErrors(o)).toEqual([]);
    expect(o.message).toBe('Ann shared <b>Plan</b> with Bob');
    expect(toOcsf({ ...ev, display: undefined }, opts).message).toBe('document.shared');
    // The file writer renders it with the tenant's templates when the stored event has none.
    const w = writerFor('ocsf', { ...opts, message: (e) => `${e.actor.name ?? ''} → ${e.action}` });
    const line = JSON.parse(w.line(JSON.stringify({ ...ev, display: undefined }))) as Obj;
    expect(ocsfErrors(line)).toEqual([]);
    expect(line.message).toBe('Ann → document.shared');
    for (const action of ['user.login', 'user.role.changed', 'api.request']) {
      const o2 = toOcsf({ ...ev, action }, opts);
      expect(ocsfErrors(o2)).toEqual([]);
      expect(o2.message).toBe(ev.display!.message);
    }
  });
});

