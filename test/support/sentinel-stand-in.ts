import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A stand-in for Microsoft Entra's token endpoint and the Azure Monitor Logs Ingestion API, as
 * the Microsoft documentation describes them
 * (https://learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview):
 *  - POST /<tenant>/oauth2/v2.0/token, application/x-www-form-urlencoded with grant_type
 *    client_credentials, client_id, client_secret and scope https://monitor.azure.com//.default →
 *    {token_type, expires_in, access_token};
 *  - POST /dataCollectionRules/<dcr immutable id>/streams/<stream>?api-version=2023-01-01 with
 *    `Authorization: Bearer <token>`, Content-Type application/json and a JSON array body of at
 *    most 1 MB → 204.
 * Every request that does not have that shape is answered as Azure would (400, 401, 413) and
 * recorded in `problems`, so a test can assert there were none.
 */
export class SentinelStandIn {
  private server: Server | undefined;
  url = '';
  readonly problems: string[] = [];
  readonly tokenRequests: Record<string, string>[] = [];
  /** Accepted calls: body size and records. */
  readonly calls: { bytes: number; token: string; records: any[] }[] = [];
  /** Tokens issued and still valid. */
  private readonly valid = new Map<string, number>();
  /** Lifetime of the tokens issued (seconds). */
  expiresIn = 3600;
  /** While set, ingestion answers 503. */
  down = false;

  constructor(
    readonly expected: { tenant: string; clientId: string; clientSecret: string; dcr: string; stream: string },
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Invalidates every token issued so far (as a revocation or a key rollover would). */
  revokeTokens(): void {
    this.valid.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const fail = (status: number, problem: string) => {
      this.problems.push(problem);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'Invalid', message: problem } }));
    };
    if (req.method === 'POST' && url.pathname === `/${this.expected.tenant}/oauth2/v2.0/token`) {
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return fail(400, 'token: content-type');
      const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      this.tokenRequests.push(form);
      if (form.grant_type !== 'client_credentials') return fail(400, 'token: grant_type');
      if (form.scope !== 'https://monitor.azure.com//.default') return fail(400, 'token: scope');
      if (form.client_id !== this.expected.clientId || form.client_secret !== this.expected.clientSecret) return fail(401, 'token: client');
      const token = randomBytes(600).toString('base64url'); // longer than 1 KB, like a real JWT may be
      this.valid.set(token, Date.now() + this.expiresIn * 1000);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token_type: 'Bearer', expires_in: this.expiresIn, ext_expires_in: this.expiresIn, access_token: token }));
      return;
    }
    if (req.method === 'POST' && url.pathname === `/dataCollectionRules/${this.expected.dcr}/streams/${this.expected.stream}`) {
      if (url.searchParams.get('api-version') !== '2023-01-01') return fail(400, 'ingest: api-version');
      const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      const until = token === undefined ? undefined : this.valid.get(token);
      if (until === undefined || until < Date.now()) {
        res.writeHead(401).end(); // an expired or revoked token is not a problem of the sender's shape
        return;
      }
      if (this.down) {
        res.writeHead(503).end();
        return;
      }
      if (req.headers['content-type'] !== 'application/json') return fail(400, 'ingest: content-type');
      if (body.length > 1024 * 1024) return fail(413, `ingest: ${body.length} bytes is over 1 MB`);
      let records: any;
      try {
        records = JSON.parse(body.toString('utf8'));
      } catch {
        return fail(400, 'ingest: not JSON');
      }
      if (!Array.isArray(records) || records.length === 0) return fail(400, 'ingest: not a non-empty array');
      this.calls.push({ bytes: body.length, token: token!, records });
      res.writeHead(204).end();
      return;
    }
    fail(404, `unexpected ${req.method} ${url.pathname}`);
  }
}
