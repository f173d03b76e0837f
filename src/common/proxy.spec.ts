import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { fastifyTrustProxy, publicBaseUrl } from './proxy.js';

/** A bare Fastify with the app's trustProxy mapping, answering what the app would derive from a request. */
async function probe(env: Record<string, string>, remoteAddress: string, headers: Record<string, string>) {
  const config = loadConfig(env);
  const app = Fastify({ trustProxy: fastifyTrustProxy(config.http.trustProxy) });
  app.get('/', (req) => ({ ip: req.ip, base: publicBaseUrl(config, req) }));
  const r = await app.inject({ method: 'GET', url: '/', remoteAddress, headers: { host: 'internal:8080', ...headers } });
  await app.close();
  return r.json() as { ip: string; base: string };
}

describe('client address and public base URL behind proxies', () => {
  const forged = { 'x-forwarded-for': '192.0.2.66, 198.51.100.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'audit.example.com' };

  it('PEN-10: no TRUST_PROXY: the peer is the client; forwarded headers are ignored', async () => {
    expect(await probe({}, '10.1.2.3', forged)).toEqual({ ip: '10.1.2.3', base: 'http://internal:8080' });
  });

  it('PEN-10: a listed proxy: the client is the entry it appended, never the forged one before it', async () => {
    expect(await probe({ TRUST_PROXY: '10.0.0.0/8' }, '10.1.2.3', forged)).toEqual({ ip: '198.51.100.7', base: 'https://audit.example.com' });
  });

  it('PEN-10: a peer outside the list is the client, whatever it forwards', async () => {
    expect(await probe({ TRUST_PROXY: '10.0.0.0/8' }, '203.0.113.50', forged)).toEqual({ ip: '203.0.113.50', base: 'http://internal:8080' });
  });

  it('PEN-10: two listed proxies in a row: the address the outer one saw', async () => {
    const chain = { 'x-forwarded-for': '192.0.2.66, 198.51.100.7, 10.9.9.9' };
    expect((await probe({ TRUST_PROXY: '10.0.0.0/8' }, '10.1.2.3', chain)).ip).toBe('198.51.100.7');
  });

  it('PEN-10: TRUST_PROXY=true is one hop: the last entry, not the left-most', async () => {
    expect((await probe({ TRUST_PROXY: 'true' }, '10.1.2.3', forged)).ip).toBe('198.51.100.7');
    expect((await probe({ TRUST_PROXY: '2' }, '10.1.2.3', forged)).ip).toBe('192.0.2.66');
  });

  it('PROMISE-13: PUBLIC_URL wins over the request and any forwarded header', async () => {
    expect((await probe({ PUBLIC_URL: 'https://audit.example.com/vt/', TRUST_PROXY: '10.0.0.0/8' }, '10.1.2.3', { 'x-forwarded-host': 'evil.example' })).base).toBe(
      'https://audit.example.com/vt',
    );
  });
});
