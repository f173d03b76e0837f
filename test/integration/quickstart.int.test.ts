import { describe, expect, it } from 'vitest';
import { customerEvents, event, useApp } from '../support/harness.js';

describe('quickstart: tenant → key → events → search', () => {
  const ctx = useApp();

  it('creates a tenant, ingests an event and finds it', async () => {
    const { api } = ctx;
    const t = await ctx.tenant('Acme');
    const created = await api.post('/v1/events', { token: t.key, body: event({ action: 'user.login' }) });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const list = await api.get('/v1/events', { token: t.key, query: { action: 'user.login' } });
    expect(list.status).toBe(200);
    expect(customerEvents(list.body.data).map((e) => e.id)).toEqual([created.body.id]);
    const one = await api.get(`/v1/events/${created.body.id}`, { token: t.key });
    expect(one.status).toBe(200);
    expect(one.body.actor.name).toBe('Ann Lee');
  });
});
