import { createServer, type Server } from 'node:http';

/** One statement as a ClickHouse server would receive it over HTTP from @clickhouse/client. */
export interface ReceivedStatement {
  sql: string;
  /** URL parameters that are settings (everything but query, query_id and param_*). */
  settings: Record<string, string>;
  /** Bound query parameters (param_<name>). */
  params: Record<string, string>;
  /** Rows sent with an INSERT. */
  data?: string;
  /** The user the client authenticated as (Basic authorization or X-ClickHouse-User). */
  user?: string;
}

/**
 * A recording stand-in for a ClickHouse server's HTTP interface, for cluster-mode tests where no
 * ClickHouse cluster can run: it records every statement with the settings it carried and
 * answers SELECTs with the rows `answer` returns (none by default), everything else with success.
 * It checks nothing itself; the tests assert on what was received.
 */
export class ClickHouseStandIn {
  readonly received: ReceivedStatement[] = [];
  private server!: Server;
  url = '';

  constructor(private readonly answer: (s: ReceivedStatement) => Record<string, unknown>[] | undefined = () => undefined) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        if (url.pathname === '/ping') {
          res.end('Ok.\n');
          return;
        }
        const inUrl = url.searchParams.get('query');
        const settings: Record<string, string> = {};
        const params: Record<string, string> = {};
        for (const [k, v] of url.searchParams) {
          if (k.startsWith('param_')) params[k.slice(6)] = v;
          else if (k !== 'query' && k !== 'query_id') settings[k] = v;
        }
        const s: ReceivedStatement = inUrl !== null ? { sql: inUrl, settings, params, data: body } : { sql: body, settings, params };
        const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
        s.user = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] : (req.headers['x-clickhouse-user'] as string | undefined);
        this.received.push(s);
        const rows = /\bFORMAT JSONEachRow\s*$/.test(s.sql) ? (this.answer(s) ?? []) : [];
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-clickhouse-summary': '{}' });
        res.end(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  /** Statements whose SQL matches. */
  matching(re: RegExp): ReceivedStatement[] {
    return this.received.filter((s) => re.test(s.sql));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
