import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMPTY_ROOT, verifyConsistency } from '../../src/integrity/merkle.js';
import { parseCheckpointText, verifyCheckpointNote, type VerifierKey } from '../../src/integrity/signed-note.js';

/**
 * A test double of a C2SP witness (c2sp.org/tlog-witness add-checkpoint) that really does the
 * witness's checks before cosigning: the checkpoint's signature by a trusted log key for its
 * origin (404 unknown origin, 403 unsigned), the old size against the size it last cosigned
 * (409 with that size, text/x.tlog.size), and the RFC 6962 consistency proof from the root it
 * holds to the new one (422 otherwise: a fork). It cosigns with an Ed25519 timestamped
 * cosignature (c2sp.org/tlog-cosignature, type 0x04). Requests are handled one at a time.
 */
export class WitnessDouble {
  private readonly keys = generateKeyPairSync('ed25519');
  private readonly state = new Map<string, { size: number; root: Buffer }>();
  /** Every refused request: what a witness would keep as evidence of misbehaviour. */
  readonly refused: { status: number; reason: string }[] = [];
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly logs: Map<string, VerifierKey[]>,
    readonly name = 'witness.test.example/w1',
  ) {}

  /** The spec's key id (c2sp.org/tlog-cosignature), computed here, apart from the client's code. */
  private keyId(): Buffer {
    return createHash('sha256').update(this.name).update(Buffer.from([0x0a, 0x04])).update(this.publicKey()).digest().subarray(0, 4);
  }

  get vkey(): string {
    return `${this.name}+${this.keyId().toString('hex')}+${Buffer.concat([Buffer.from([0x04]), this.publicKey()]).toString('base64')}`;
  }

  sizeOf(origin: string): number | undefined {
    return this.state.get(origin)?.size;
  }

  private publicKey(): Buffer {
    return Buffer.from(this.keys.publicKey.export({ format: 'jwk' }).x!, 'base64url');
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req.method ?? '', req.url ?? '', Buffer.concat(chunks).toString('utf8')).then(({ status, body, type }) => {
          if (status !== 200) this.refused.push({ status, reason: body });
          res.writeHead(status, { 'content-type': type ?? 'text/plain; charset=utf-8' }).end(body);
        });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(method: string, url: string, body: string): Promise<{ status: number; body: string; type?: string }> {
    if (method !== 'POST' || url !== '/add-checkpoint') return { status: 404, body: 'not found\n' };
    const sep = body.indexOf('\n\n');
    if (sep < 0) return { status: 400, body: 'no empty line\n' };
    const head = body.slice(0, sep).split('\n');
    const note = body.slice(sep + 2);
    const old = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? '');
    if (!old) return { status: 400, body: 'no old size line\n' };
    const oldSize = Number(old[1]);
    const proof = head.slice(1).map((l) => Buffer.from(l, 'base64'));
    if (proof.length > 63 || proof.some((h) => h.length !== 32)) return { status: 400, body: 'bad proof lines\n' };
    const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
    const cp = parseCheckpointText(text);
    if (typeof cp === 'string') return { status: 400, body: `${cp}\n` };
    const trusted = this.logs.get(cp.origin);
    if (!trusted) return { status: 404, body: 'unknown origin\n' };
    const opened = await verifyCheckpointNote(note, trusted);
    if (!opened.ok) return { status: 403, body: `${opened.reason}\n` };
    if (oldSize > cp.treeSize) return { status: 400, body: 'old size above the checkpoint size\n' };
    const held = this.state.get(cp.origin) ?? { size: 0, root: EMPTY_ROOT };
    if (oldSize !== held.size) return { status: 409, body: `${held.size}\n`, type: 'text/x.tlog.size' };
    if (oldSize === 0 && proof.length > 0) return { status: 422, body: 'a proof from the empty tree must be empty\n' };
    if (oldSize === cp.treeSize) {
      if (!held.root.equals(cp.root)) return { status: 422, body: 'another root for the size already cosigned: a fork\n' };
    } else if (oldSize > 0 && !verifyConsistency(oldSize, cp.treeSize, proof, held.root, cp.root)) {
      return { status: 422, body: 'the consistency proof does not verify: a fork\n' };
    }
    this.state.set(cp.origin, { size: cp.treeSize, root: cp.root });
    const ts = Math.floor(Date.now() / 1000);
    const stamp = Buffer.alloc(8);
    stamp.writeBigUInt64BE(BigInt(ts));
    // The signed message of c2sp.org/tlog-cosignature, written here from the spec.
    const sig = sign(null, Buffer.from(`cosignature/v1\ntime ${ts}\n${text}`, 'utf8'), this.keys.privateKey);
    return { status: 200, body: `— ${this.name} ${Buffer.concat([this.keyId(), stamp, sig]).toString('base64')}\n` };
  }
}
