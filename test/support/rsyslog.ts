import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './harness.js';

/**
 * A real syslog receiver for the syslog destination tests: Debian's rsyslogd (packages rsyslog
 * and rsyslog-gnutls, which .ci/run installs), started as the test's child with its own
 * configuration. Each input is imtcp on its own port, plain TCP or TLS (gtls driver, server
 * certificate made with openssl by `makeCertificates`), and writes what rsyslog parsed of each
 * RFC 5424 message (its own parser; structured data through mmpstrucdata) as one JSON object per
 * line to its own file.
 */
export const RSYSLOGD = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((p) => existsSync(p));
export const GTLS_MODULE = ['/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so', '/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so', '/usr/lib/rsyslog/lmnsd_gtls.so'].find((p) => existsSync(p));

export interface SyslogInput {
  name: string;
  tls: boolean;
  /** TLS: require a client certificate signed by the test CA (rsyslog x509/certvalid). */
  clientCertificate?: boolean;
  port?: number;
}

/** One message as rsyslog parsed it. */
export interface ParsedSyslog {
  pri: string;
  version: string;
  timestamp: string;
  hostname: string;
  app: string;
  procid: string;
  msgid: string;
  /** rfc5424-sd as mmpstrucdata parsed it: SD-ID → param → value. */
  sd: Record<string, Record<string, string>>;
  msg: string;
}

export interface Certificates {
  dir: string;
  caPem: string;
  /** Server certificate for DNS:localhost only (so 127.0.0.1 fails the server-name check). */
  serverCert: string;
  serverKey: string;
  /** A second CA the server certificate does not chain to. */
  otherCaPem: string;
  /** A client certificate (and its key) the test CA signed, and one from the unrelated CA. */
  clientCertPem: string;
  clientKeyPem: string;
  otherClientCertPem: string;
  otherClientKeyPem: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A test CA, a server certificate it signed for `localhost`, and an unrelated CA. */
export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'vt-syslog-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Veritrail test CA'], dir);
  openssl(['req', '-x509', ...ec, '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=Unrelated CA'], dir);
  openssl(['req', ...ec, '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost\n');
  openssl(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext.cnf'], dir);
  writeFileSync(join(dir, 'client.cnf'), 'extendedKeyUsage=clientAuth\n');
  openssl(['req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=veritrail-client'], dir);
  openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2', '-extfile', 'client.cnf'], dir);
  openssl(['req', ...ec, '-keyout', 'oclient.key', '-out', 'oclient.csr', '-subj', '/CN=stranger'], dir);
  openssl(['x509', '-req', '-in', 'oclient.csr', '-CA', 'other.pem', '-CAkey', 'other.key', '-CAcreateserial', '-out', 'oclient.pem', '-days', '2', '-extfile', 'client.cnf'], dir);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    caPem: read('ca.pem'),
    serverCert: join(dir, 'srv.pem'),
    serverKey: join(dir, 'srv.key'),
    otherCaPem: read('other.pem'),
    clientCertPem: read('client.pem'),
    clientKeyPem: read('client.key'),
    otherClientCertPem: read('oclient.pem'),
    otherClientKeyPem: read('oclient.key'),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export class RsyslogReceiver {
  readonly dir = mkdtempSync(join(tmpdir(), 'vt-rsyslog-'));
  private child: ChildProcess | undefined;
  readonly ports: Record<string, number> = {};

  constructor(
    private readonly inputs: SyslogInput[],
    private readonly certs: Certificates,
  ) {}

  async start(): Promise<void> {
    if (!RSYSLOGD) throw new Error('rsyslogd (Debian package rsyslog) is not installed');
    for (const i of this.inputs) this.ports[i.name] ??= i.port ?? (await freePort());
    const caFile = join(this.certs.dir, 'ca.pem');
    const conf = [
      // Control characters are kept as received (rsyslog writes TAB as #011 by default), so a LEEF line is on disk as sent.
      `global(workDirectory="${this.dir}" maxMessageSize="256k" parser.escapeControlCharactersOnReceive="off"`,
      `  DefaultNetstreamDriverCAFile="${caFile}" DefaultNetstreamDriverCertFile="${this.certs.serverCert}" DefaultNetstreamDriverKeyFile="${this.certs.serverKey}")`,
      'module(load="imtcp")',
      'module(load="mmpstrucdata")',
      'template(name="parsed" type="list" option.jsonf="on") {',
      '  property(outname="pri" name="pri" format="jsonf")',
      '  property(outname="version" name="protocol-version" format="jsonf")',
      '  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")',
      '  property(outname="hostname" name="hostname" format="jsonf")',
      '  property(outname="app" name="app-name" format="jsonf")',
      '  property(outname="procid" name="procid" format="jsonf")',
      '  property(outname="msgid" name="msgid" format="jsonf")',
      '  property(outname="sd" name="$!rfc5424-sd" format="jsonf")',
      '  property(outname="msg" name="msg" format="jsonf")',
      '}',
      ...this.inputs.flatMap((i) => [
        `ruleset(name="r_${i.name}") {`,
        '  action(type="mmpstrucdata")',
        `  action(type="omfile" file="${this.file(i.name)}" template="parsed")`,
        '}',
        i.tls
          ? `input(type="imtcp" port="${this.ports[i.name]}" ruleset="r_${i.name}" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="${i.clientCertificate ? 'x509/certvalid' : 'anon'}")`
          : `input(type="imtcp" port="${this.ports[i.name]}" ruleset="r_${i.name}")`,
      ]),
    ].join('\n');
    const confFile = join(this.dir, 'rsyslog.conf');
    writeFileSync(confFile, `${conf}\n`);
    const child = spawn(RSYSLOGD, ['-n', '-f', confFile, '-i', join(this.dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout!.on('data', (c: Buffer) => (stderr += c.toString()));
    this.child = child;
    await until(`rsyslogd listening (${stderr})`, async () => {
      if (child.exitCode !== null) throw new Error(`rsyslogd exited ${child.exitCode}: ${stderr}`);
      for (const i of this.inputs) if (!(await accepts(this.ports[i.name]!))) return false;
      return true;
    }, 30_000);
  }

  /** Stops rsyslogd (SIGTERM: it writes out what it has received) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await gone;
    this.child = undefined;
  }

  file(name: string): string {
    return join(this.dir, `${name}.jsonl`);
  }

  /** Every message the input wrote to disk, in order. */
  received(name: string): ParsedSyslog[] {
    const f = this.file(name);
    if (!existsSync(f)) return [];
    return readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const o = JSON.parse(l) as Omit<ParsedSyslog, 'sd'> & { sd: string };
        return { ...o, sd: o.sd === '' ? {} : (JSON.parse(o.sd) as ParsedSyslog['sd']) };
      });
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.certs.dir, { recursive: true, force: true });
  }
}
