import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Stripe from 'stripe';

/**
 * A local stand-in for the parts of Stripe's API that Veritrail calls (Stripe cannot be reached
 * from here). The real `stripe` SDK talks to it through STRIPE_API_BASE (the SDK's
 * host/port/protocol options). It behaves as Stripe documents — bearer secret key, form-encoded
 * parameters, idempotency keys replaying the first answer (and refusing other parameters), error
 * bodies — and records every request so tests can assert exactly what was sent. Failures can be
 * queued per path (card declined, 429 rate limited, 500 then success…).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Form parameters exactly as sent, with Stripe's bracket keys (`line_items[0][price]`). */
  params: Record<string, string>;
  idempotencyKey: string | undefined;
  stripeVersion: string | undefined;
  status: number;
  replayed: boolean;
  injected: boolean;
}

export interface CannedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface MeterEventRecord {
  identifier: string;
  eventName: string;
  customer: string;
  value: number;
  timestamp: number;
}

export interface StripeStandIn {
  url: string;
  secretKey: string;
  webhookSecret: string;
  prices: { pro: string; proMetered: string; business: string };
  meterEventName: string;
  requests: RecordedRequest[];
  /** Meter events Stripe accepted, by identifier. */
  meterEvents: Map<string, MeterEventRecord>;
  customers: Map<string, { name: string; metadata: Record<string, string> }>;
  /** Env for the app under test. */
  env(): Record<string, string>;
  /** The next answers for `path` (before the normal behaviour resumes). */
  failNext(path: string, ...responses: CannedResponse[]): void;
  /** A signed webhook delivery: body and Stripe-Signature header. */
  signed(event: Record<string, unknown>, opts?: { timestamp?: number; secret?: string }): { body: string; signature: string };
  event(type: string, object: Record<string, unknown>, opts?: { created?: number; id?: string }): Record<string, unknown>;
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export const CARD_DECLINED: CannedResponse = {
  status: 402,
  body: { error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } },
};
export const RATE_LIMITED: CannedResponse = {
  status: 429,
  body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' } },
};
export const SERVER_ERROR: CannedResponse = { status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred.' } } };

const STRIPE_METER_PAST_S = 35 * 86_400;

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, 'a')}`;
  const prices = { pro: 'price_test_pro', proMetered: 'price_test_pro_events', business: 'price_test_business' };
  const knownPrices = new Set(Object.values(prices));
  const meterEventName = 'veritrail_events_test';
  const requests: RecordedRequest[] = [];
  const meterEvents = new Map<string, MeterEventRecord>();
  const customers = new Map<string, { name: string; metadata: Record<string, string> }>();
  const queued = new Map<string, CannedResponse[]>();
  const idempotency = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}_test${(++seq).toString().padStart(6, '0')}${randomBytes(4).toString('hex')}`;

  const error = (status: number, type: string, message: string, code?: string): CannedResponse => ({ status, body: { error: { type, message, ...(code ? { code } : {}) } } });

  function handle(method: string, path: string, p: Record<string, string>): CannedResponse {
    if (method !== 'POST') return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
    switch (path) {
      case '/v1/customers': {
        const id = nextId('cus');
        const metadata = Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v]));
        customers.set(id, { name: p.name ?? '', metadata });
        return { status: 200, body: { id, object: 'customer', name: p.name ?? null, metadata, livemode: false } };
      }
      case '/v1/checkout/sessions': {
        if (p.mode !== 'subscription' && p.mode !== 'payment' && p.mode !== 'setup') return error(400, 'invalid_request_error', 'Missing required param: mode.', 'parameter_missing');
        if (!p.success_url) return error(400, 'invalid_request_error', 'Missing required param: success_url.', 'parameter_missing');
        if (p.customer && !customers.has(p.customer)) return error(400, 'invalid_request_error', `No such customer: '${p.customer}'`, 'resource_missing');
        for (let i = 0; p[`line_items[${i}][price]`] !== undefined; i++) {
          if (!knownPrices.has(p[`line_items[${i}][price]`]!)) return error(400, 'invalid_request_error', `No such price: '${p[`line_items[${i}][price]`]}'`, 'resource_missing');
        }
        if (p['line_items[0][price]'] === undefined) return error(400, 'invalid_request_error', 'Missing required param: line_items.', 'parameter_missing');
        const id = nextId('cs');
        return {
          status: 200,
          body: {
            id,
            object: 'checkout.session',
            mode: p.mode,
            customer: p.customer ?? null,
            client_reference_id: p.client_reference_id ?? null,
            url: `https://checkout.stripe.com/c/pay/${id}`,
            expires_at: Math.floor(Date.now() / 1000) + 86_400,
            status: 'open',
          },
        };
      }
      case '/v1/billing_portal/sessions': {
        if (!p.customer || !customers.has(p.customer)) return error(400, 'invalid_request_error', `No such customer: '${p.customer ?? ''}'`, 'resource_missing');
        const id = nextId('bps');
        return { status: 200, body: { id, object: 'billing_portal.session', customer: p.customer, return_url: p.return_url ?? null, url: `https://billing.stripe.com/p/session/${id}` } };
      }
      case '/v1/billing/meter_events': {
        if (p.event_name !== meterEventName) return error(400, 'invalid_request_error', `No active meter found for event_name ${p.event_name}.`, 'resource_missing');
        const customer = p['payload[stripe_customer_id]'];
        if (!customer || !customers.has(customer)) return error(400, 'invalid_request_error', 'No customer for payload[stripe_customer_id].', 'resource_missing');
        const value = Number(p['payload[value]']);
        if (!/^\d+$/.test(p['payload[value]'] ?? '') || !Number.isFinite(value)) return error(400, 'invalid_request_error', 'payload[value] must be a number.');
        const ts = p.timestamp ? Number(p.timestamp) : Math.floor(Date.now() / 1000);
        const nowS = Date.now() / 1000;
        if (ts < nowS - STRIPE_METER_PAST_S || ts > nowS + 300) return error(400, 'invalid_request_error', 'timestamp must be within the past 35 days and at most 5 minutes in the future.');
        const identifier = p.identifier ?? nextId('mev');
        if (meterEvents.has(identifier)) return error(400, 'invalid_request_error', `An event with identifier ${identifier} already exists.`, 'resource_already_exists');
        meterEvents.set(identifier, { identifier, eventName: p.event_name, customer, value, timestamp: ts });
        return { status: 200, body: { object: 'billing.meter_event', created: Math.floor(nowS), event_name: p.event_name, identifier, livemode: false, payload: { stripe_customer_id: customer, value: p['payload[value]'] }, timestamp: ts } };
      }
      default:
        return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
    }
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const params = Object.fromEntries(new URLSearchParams(raw));
      const key = header(req, 'idempotency-key');
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        params,
        idempotencyKey: key,
        stripeVersion: header(req, 'stripe-version'),
        status: 0,
        replayed: false,
        injected: false,
      };
      requests.push(rec);
      const send = (r: CannedResponse, extra: Record<string, string> = {}) => {
        rec.status = r.status;
        res.writeHead(r.status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(6).toString('hex')}`, ...(r.headers ?? {}), ...extra });
        res.end(JSON.stringify(r.body));
      };
      if (header(req, 'authorization') !== `Bearer ${secretKey}`) {
        return send(error(401, 'invalid_request_error', 'Invalid API Key provided.'));
      }
      const fingerprint = `${rec.method} ${rec.path} ${raw}`;
      if (key !== undefined) {
        const prior = idempotency.get(key);
        if (prior) {
          if (prior.fingerprint !== fingerprint) {
            return send(error(400, 'idempotency_error', 'Keys for idempotent requests can only be used with the same parameters they were first used with.'));
          }
          rec.replayed = true;
          return send({ status: prior.status, body: prior.body }, { 'idempotent-replayed': 'true' });
        }
      }
      const canned = queued.get(rec.path)?.shift();
      if (canned) {
        rec.injected = true;
        // Stripe keeps no idempotent result for requests that failed before executing (5xx, 429).
        if (key !== undefined && canned.status < 429 && canned.status !== 409) idempotency.set(key, { fingerprint, status: canned.status, body: canned.body });
        return send(canned);
      }
      const r = handle(rec.method, rec.path, params);
      if (key !== undefined) idempotency.set(key, { fingerprint, status: r.status, body: r.body });
      send(r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    secretKey,
    webhookSecret,
    prices,
    meterEventName,
    requests,
    meterEvents,
    customers,
    env: () => ({
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_BASE: url,
      STRIPE_PRICES: `pro=${prices.pro},business=${prices.business}`,
      STRIPE_METERED_PRICES: `pro=${prices.proMetered}`,
      STRIPE_METER_EVENT_NAME: meterEventName,
    }),
    failNext(path, ...responses) {
      queued.set(path, [...(queued.get(path) ?? []), ...responses]);
    },
    signed(event, opts = {}) {
      const body = JSON.stringify(event);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: opts.secret ?? webhookSecret, timestamp: opts.timestamp });
      return { body, signature };
    },
    event(type, object, opts = {}) {
      return {
        id: opts.id ?? nextId('evt'),
        object: 'event',
        api_version: '2026-10-28.endive',
        created: opts.created ?? Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object },
      };
    },
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
