import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * An RFC 3161 time-stamping authority for tests: Debian's `openssl ts -reply` behind a small
 * HTTP wrapper (POST application/timestamp-query → application/timestamp-reply), with its own
 * CA and a TSA certificate (extendedKeyUsage critical timeStamping). Requests are answered one
 * at a time (openssl keeps a serial file).
 */
export class OpensslTsa {
  dir = '';
  url = '';
  private server: Server | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Requests answered. */
  served = 0;

  get caCertFile(): string {
    return join(this.dir, 'ca.crt');
  }

  get tsaCertFile(): string {
    return join(this.dir, 'tsa.crt');
  }

  async start(): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'vt-tsa-'));
    const d = (f: string) => join(this.dir, f);
    await writeFile(
      d('openssl.cnf'),
      `[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = Test TSA
[ tsa_ext ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${this.dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`,
    );
    await writeFile(d('serial'), '01\n');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', d('ca.key'), '-out', d('ca.crt'), '-days', '2', '-subj', '/CN=Test TSA Root']);
    await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', d('tsa.key'), '-out', d('tsa.csr'), '-config', d('openssl.cnf')]);
    await run('openssl', ['x509', '-req', '-in', d('tsa.csr'), '-CA', d('ca.crt'), '-CAkey', d('ca.key'), '-CAcreateserial', '-out', d('tsa.crt'), '-days', '2', '-extfile', d('openssl.cnf'), '-extensions', 'tsa_ext']);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.queue = this.queue.then(async () => {
          if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
            res.writeHead(400).end();
            return;
          }
          const n = ++this.served;
          await writeFile(d(`q${n}.tsq`), Buffer.concat(chunks));
          try {
            await run('openssl', ['ts', '-reply', '-config', d('openssl.cnf'), '-queryfile', d(`q${n}.tsq`), '-out', d(`r${n}.tsr`)]);
            res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(await readFile(d(`r${n}.tsr`)));
          } catch (err) {
            res.writeHead(500).end(String(err));
          }
        });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** `openssl ts -verify` of a token over `dataFile`, against the test CA: the standard tool's own check. */
  async opensslVerify(tokenFile: string, dataFile: string): Promise<string> {
    const r = await run('openssl', ['ts', '-verify', '-data', dataFile, '-in', tokenFile, '-token_in', '-CAfile', this.caCertFile, '-untrusted', this.tsaCertFile]);
    return r.stdout + r.stderr;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
