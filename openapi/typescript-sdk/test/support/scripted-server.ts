import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any;
  at: number;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | 'destroy';

/**
 * An HTTP server on loopback that answers the SDK as a test script says (a 429 now, a reset
 * connection next) and records every request, so tests can check what the SDK sent, how often
 * and when. Used where the real API cannot be made to answer that way on demand; the end-to-end
 * suites (test/e2e/sdk*.e2e.test.ts) run the SDK against the real application.
 */
export class ScriptedServer {
  readonly requests: Recorded[] = [];
  url = '';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private answer: (req: Recorded, index: number) => Answer) {}

  /** Answers 201 with one id per event, like POST /v1/events/batch. */
  static accept(req: Recorded): Answer {
    return { status: 201, body: { ids: (req.body?.events ?? []).map((_: unknown, i: number) => `id-${i}`) } };
  }

  static error(status: number, code: string, extra: { details?: unknown[]; headers?: Record<string, string> } = {}): Answer {
    return { status, headers: { 'x-request-id': `req_${code}`, ...extra.headers }, body: { error: { code, message: `scripted ${code}`, details: extra.details, request_id: `req_${code}` } } };
  }

  setAnswer(answer: (req: Recorded, index: number) => Answer): void {
    this.answer = answer;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((text) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const rec: Recorded = { method: req.method ?? '', path: req.url ?? '', headers, body: text ? JSON.parse(text) : undefined, at: Date.now() };
        this.requests.push(rec);
        const a = this.answer(rec, this.requests.length - 1);
        if (a === 'destroy') {
          req.socket.destroy();
          return;
        }
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(a.body === undefined ? '' : JSON.stringify(a.body));
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests to the batch endpoint. */
  batches(): Recorded[] {
    return this.requests.filter((r) => r.path === '/v1/events/batch');
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
