import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** How the receiver answers a request on a path. */
export type Behaviour = 'ok' | 'fail500' | 'gone' | 'retry-after' | 'hang' | 'huge' | 'redirect';

/**
 * A real HTTP receiver on loopback for webhook tests: each path has a behaviour that can be
 * changed while the test runs; every request (also failed ones) is recorded with its raw body.
 */
export class TestReceiver {
  readonly received: Received[] = [];
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
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      this.received.push({ path, headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      switch (this.behaviours.get(path) ?? 'ok') {
        case 'ok':
          res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
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
