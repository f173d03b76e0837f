import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  /** The status answered, once the answer is written (undefined while hanging). */
  status?: number;
}

/** How the receiver answers a request on a path. */
export type Behaviour = 'ok' | 'slow' | 'fail500' | 'gone' | 'retry-after' | 'hang' | 'huge' | 'redirect';

/**
 * A real HTTP receiver on loopback for webhook tests: each path has a behaviour that can be
 * changed while the test runs; every request (also failed ones) is recorded with its raw body.
 */
export class TestReceiver {
  readonly received: Received[] = [];
  /** Requests being answered right now, and the most ever at once (overall and per path). */
  active = 0;
  maxActive = 0;
  private readonly activeByPath = new Map<string, number>();
  readonly maxActiveByPath = new Map<string, number>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  set(path: string, b: Behaviour): void {
    this.behaviours.set(path, b);
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const p = req.url ?? '/';
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    const onPath = (this.activeByPath.get(p) ?? 0) + 1;
    this.activeByPath.set(p, onPath);
    this.maxActiveByPath.set(p, Math.max(this.maxActiveByPath.get(p) ?? 0, onPath));
    res.on('close', () => {
      this.active--;
      this.activeByPath.set(p, this.activeByPath.get(p)! - 1);
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const rec: Received = { path, headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      this.received.push(rec);
      res.on('finish', () => {
        rec.status = res.statusCode;
      });
      switch (this.behaviours.get(path) ?? 'ok') {
        case 'ok':
          res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
          return;
        case 'slow': // a busy receiver: answers 200 after 150 ms (so overlapping deliveries are visible)
          setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks'), 150);
          return;
        case 'fail500':
          res.writeHead(500).end('receiver is broken');
          return;
        case 'gone':
          res.writeHead(410).end('gone');
          return;
        case 'retry-after':
          res.writeHead(429, { 'retry-after': '120' }).end('slow down');
          return;
        case 'redirect':
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
          return;
        case 'hang':
          return; // never answers: the sender's timeout must end it
        case 'huge': {
          // 50 MB, written lazily: the sender must stop reading after its cap.
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const block = Buffer.alloc(1024 * 1024, 0x61);
          let sent = 0;
          const pump = () => {
            while (sent < 50 && res.write(block)) sent++;
            if (sent >= 50) res.end();
            else res.once('drain', pump);
          };
          res.on('error', () => undefined);
          pump();
          return;
        }
      }
    });
  }
}
