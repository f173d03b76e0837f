import { describe, expect, it } from 'vitest';
import { asimProblems } from '../../test/support/asim-schema.js';
import { asimAuditEvent, ingestionUrl, sentinelCalls, tokenRequestBody, tokenUrl } from './sentinel-destination.js';

const creds = { tenant_id: 'contoso.onmicrosoft.com', client_id: 'app', client_secret: 'a&b=c', dcr_immutable_id: 'dcr-00', stream_name: 'Custom-X' };

describe('sentinel destination', () => {
  it('splits records into JSON arrays of at most the limit, in order, none empty', () => {
    const records = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(90) }));
    const calls = sentinelCalls(records, 1000);
    expect(calls.length).toBeGreaterThan(5);
    for (const c of calls) expect(c.length).toBeLessThanOrEqual(1000);
    expect(calls.flatMap((c) => (JSON.parse(c.toString()) as { i: number }[]).map((r) => r.i))).toEqual(records.map((_, i) => i));
    // A record larger than the limit goes alone (the service answers 413; it is never split).
    expect(sentinelCalls(['{"a":"' + 'y'.repeat(2000) + '"}', '{}'], 1000).map((c) => JSON.parse(c.toString()).length)).toEqual([1, 1]);
    expect(sentinelCalls([])).toEqual([]);
  });

  it('builds the Entra token request and the ingestion URL as Microsoft documents them', () => {
    expect(tokenUrl(creds).href).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(tokenUrl({ ...creds, authority_host: 'https://login.microsoftonline.us/' }).href).toBe('https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(Object.fromEntries(new URLSearchParams(tokenRequestBody(creds).toString()))).toEqual({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'a&b=c', scope: 'https://monitor.azure.com//.default' });
    expect(ingestionUrl('https://dce.westeurope-1.ingest.monitor.azure.com', creds).href).toBe(
      'https://dce.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/dcr-00/streams/Custom-X?api-version=2023-01-01',
    );
  });

  it('maps the verb of the action to the ASIM EventType and keeps an erased address out of SrcIpAddr', () => {
    const base = { id: 'e1', received_at: '2026-01-01T00:00:01Z', occurred_at: '2026-01-01T00:00:00Z', outcome: 'success' as const, actor: { type: 'api_key', id: 'k1' } };
    const type = (action: string) => asimAuditEvent({ ...base, action }).EventType;
    expect([type('user.created'), type('user.deleted'), type('report.exported'), type('role.updated'), type('user.login')]).toEqual(['Create', 'Delete', 'Read', 'Set', 'Other']);
    const r = asimAuditEvent({ ...base, action: 'user.login', context: { ip: '[erased]' } });
    expect(r.SrcIpAddr).toBeUndefined();
    expect((r.AdditionalFields as { ip: string }).ip).toBe('[erased]');
    expect(r.ActorUserType).toBe('Application');
  });

  it('STD-ASIM: delegation and display messages map to ASIM fields (checked against ASimTester.csv rows) or AdditionalFields', () => {
    const base = { id: 'e2', received_at: '2026-01-01T00:00:01Z', occurred_at: '2026-01-01T00:00:00Z', outcome: 'success' as const, action: 'document.shared' };
    // An agent acting for Bob: Bob is the actor, the agent the acting application (Entra on-behalf-of, OCSF invoked_by).
    const agent = asimAuditEvent({ ...base, actor: { type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_bob', name: 'Bob' } }, display: { message: 'Assistant for Bob shared Plan' } });
    expect(agent).toMatchObject({ ActorUserId: 'u_bob', ActorUsername: 'Bob', ActorUserType: 'Regular', ActorOriginalUserType: 'user', ActingAppId: 'assistant', ActingAppName: 'Assistant', ActingAppType: 'Other', ActingOriginalAppType: 'agent', EventMessage: 'Assistant for Bob shared Plan' });
    expect((agent.AdditionalFields as Record<string, unknown>).on_behalf_of).toEqual({ type: 'user', id: 'u_bob', name: 'Bob' });
    const service = asimAuditEvent({ ...base, actor: { type: 'service', id: 'sync', on_behalf_of: { type: 'user', id: 'u_bob' } } });
    expect(service).toMatchObject({ ActorUserId: 'u_bob', ActingAppId: 'sync', ActingAppType: 'Service' });
    expect(service.ActorUsername).toBeUndefined();
    expect(service.ActingAppName).toBeUndefined();
    // A support engineer (a person) acting for Bob: ASIM has no field, the engineer stays the actor.
    const engineer = asimAuditEvent({ ...base, actor: { type: 'user', id: 'u_ann', name: 'Ann', on_behalf_of: { type: 'user', id: 'u_bob' } } });
    expect(engineer).toMatchObject({ ActorUserId: 'u_ann', ActorUsername: 'Ann' });
    expect(engineer.ActingAppId).toBeUndefined();
    expect((engineer.AdditionalFields as Record<string, unknown>).on_behalf_of).toEqual({ type: 'user', id: 'u_bob' });
    // An impersonated session: the impersonated user stays the actor, the impersonator goes to AdditionalFields.
    const imp = asimAuditEvent({ ...base, actor: { type: 'user', id: 'u_bob', impersonator: { type: 'user', id: 'u_ann', name: 'Ann' } } });
    expect(imp).toMatchObject({ ActorUserId: 'u_bob', ActorUserType: 'Regular' });
    expect((imp.AdditionalFields as Record<string, unknown>).impersonator).toEqual({ type: 'user', id: 'u_ann', name: 'Ann' });
    const agentAlone = asimAuditEvent({ ...base, actor: { type: 'agent', id: 'assistant' } });
    expect(agentAlone).toMatchObject({ ActorUserId: 'assistant', ActorUserType: 'Application', ActorOriginalUserType: 'agent' });
    expect(agentAlone.EventMessage).toBeUndefined();
    for (const r of [agent, service, engineer, imp, agentAlone]) expect(asimProblems(r)).toEqual([]);
    // The check reads the enumerations: a value outside them is refused.
    expect(asimProblems({ ...agent, ActingAppType: 'Agent' })).not.toEqual([]);
  });
});
