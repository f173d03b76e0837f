// Above ~400 lines on purpose: one export from plan to file (chunks, formats, gzip, digest,
// the trail and checkpoint parts of a bundle) is one stream pipeline whose stages share the
// counters and the progress hook.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Injectable, Logger } from '@nestjs/common';
import { ConflictError } from '../common/errors.js';
import { VERSION } from '../common/paths.js';
import { ActionDisplaysService } from '../events/action-displays.service.js';
import { EventReads, type EventFilters } from '../events/event-reads.service.js';
import type { Evidence, EvidenceRange } from '../integrity/evidence.js';
import { coversTrail, EvidenceService } from '../integrity/evidence.service.js';
import { MerkleLog, type CheckpointRecord } from '../integrity/merkle-log.service.js';
import { KeyRingService } from '../integrity/key-ring.service.js';
import { ProofService } from '../integrity/proofs.service.js';
import { SealerService } from '../integrity/sealer.service.js';
import { PersonalDataService } from '../personal-data/personal-data.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import type { ExportFormatName } from './exports.repository.js';
import { writerFor } from './formats/index.js';
import type { OcsfMapping } from './formats/ocsf.js';
import { tarEnd, tarHeader, tarPadding } from './tar.js';

/** Rows per ClickHouse read: bounds memory (a chunk's text is held once) whatever the export's size. */
export const CHUNK_ROWS = 20_000;
/** Bundles read fewer rows at a time: each row also costs an inclusion proof. */
const BUNDLE_CHUNK_ROWS = 5_000;
/** Histogram bucket widths tried in turn when a bucket holds more than a chunk: hour, second, millisecond. */
const BUCKET_WIDTHS_MS = [3_600_000, 1_000, 1] as const;

/** What to export: the scope's events matching the filters, received up to the snapshot instant. */
export interface ExportSpec {
  scope: TenantScope;
  filters: EventFilters;
  snapshotMs: number;
  format: ExportFormatName;
  gzip: boolean;
  tenantName: string;
  ocsfMapping: OcsfMapping;
  /** Restricted personal data in clear (the requester held the privacy scope); else [restricted]. */
  includeRestricted?: boolean;
  /** Written into a bundle's manifest. */
  exportId?: string;
  requestFilters?: Record<string, unknown>;
}

export interface ExportProgress {
  rows: number;
  bytes: number;
}

/** Called between chunks with the progress so far; throwing stops the export (cancel, lost lease). */
export type ProgressHook = (p: ExportProgress) => Promise<void>;

export interface ProducedFile {
  rows: number;
  bytes: number;
  sha256: string;
  /** Restricted personal values written in clear (recorded as `veritrail.privacy.restricted_read`). */
  restrictedShown: number;
}

/** What a line export has written so far. */
export interface LineCounter {
  rows: number;
  restrictedShown?: number;
}

/** File name extension and media type of an export as downloaded. */
export function exportFileType(format: ExportFormatName, gzip: boolean): { extension: string; contentType: string } {
  if (format === 'bundle') return gzip ? { extension: 'tar.gz', contentType: 'application/gzip' } : { extension: 'tar', contentType: 'application/x-tar' };
  const w = writerFor(format, { productVersion: VERSION });
  return gzip ? { extension: `${w.extension}.gz`, contentType: 'application/gzip' } : { extension: w.extension, contentType: w.contentType };
}

/** Counts and hashes the bytes that pass through (the file as the client will download it). */
class Meter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Turns an export snapshot into bytes, in constant memory: the snapshot is split into
 * occurred_at ranges of at most CHUNK_ROWS events (planned from a count histogram), each range
 * is read in one ClickHouse query and written out before the next is read. Order: occurred_at,
 * then id — the order of GET /v1/events?order=asc.
 */
@Injectable()
export class ExportProducer {
  private readonly logger = new Logger('Exports');

  constructor(
    private readonly events: EventReads,
    private readonly integrity: MerkleLog,
    private readonly proofs: ProofService,
    private readonly evidence: EvidenceService,
    private readonly keys: KeyRingService,
    private readonly sealer: SealerService,
    private readonly personal: PersonalDataService,
    private readonly displays: ActionDisplaysService,
  ) {}

  count(spec: Pick<ExportSpec, 'scope' | 'filters' | 'snapshotMs'>): Promise<number> {
    return this.events.exportCount(spec.scope, spec.filters, spec.snapshotMs);
  }

  /**
   * occurred_at ranges [from, to) covering the snapshot, each holding at most `maxRows` events
   * (a single millisecond holding more is one range on its own).
   */
  async plan(spec: Pick<ExportSpec, 'scope' | 'filters' | 'snapshotMs'>, maxRows = CHUNK_ROWS): Promise<[number, number][]> {
    const buckets: { from: number; to: number; n: number }[] = [];
    const expand = async (level: number, within?: [number, number]): Promise<void> => {
      const width = BUCKET_WIDTHS_MS[level]!;
      for (const b of await this.events.exportHistogram(spec.scope, spec.filters, spec.snapshotMs, width, within)) {
        const range: [number, number] = [b.startMs, b.startMs + width];
        if (b.n > maxRows && level + 1 < BUCKET_WIDTHS_MS.length) await expand(level + 1, range);
        else buckets.push({ from: range[0], to: range[1], n: b.n });
      }
    };
    await expand(0);
    const ranges: [number, number][] = [];
    let current: { from: number; to: number; n: number } | undefined;
    for (const b of buckets) {
      if (current && current.n + b.n <= maxRows) {
        current.to = b.to;
        current.n += b.n;
      } else {
        if (current) ranges.push([current.from, current.to]);
        current = { ...b };
      }
    }
    if (current) ranges.push([current.from, current.to]);
    return ranges;
  }

  /**
   * The export of a line format (ndjson, csv, ocsf, cef) as a stream of text, for direct
   * download. `counter.rows` grows as events are written.
   */
  async *lines(spec: ExportSpec, counter: LineCounter, beforeChunk?: () => Promise<void>): AsyncGenerator<string> {
    if (spec.format === 'bundle') throw new Error('bundle is not a line format');
    const displays = spec.format === 'cef' || spec.format === 'ocsf' || spec.format === 'ecs' ? await this.displays.forTenant(spec.scope) : undefined;
    const writer = writerFor(spec.format, {
      productVersion: VERSION,
      ocsfMapping: spec.ocsfMapping,
      serviceName: spec.tenantName,
      ...(displays ? { message: (ev: { action?: unknown }) => displays.message(ev) } : {}),
    });
    const header = writer.header();
    if (header) yield header;
    for (const range of await this.plan(spec)) {
      await beforeChunk?.();
      const stored = await this.events.exportChunk(spec.scope, spec.filters, spec.snapshotMs, range);
      if (stored === '') continue;
      // Personal data as the requester may read it (the bundle below keeps the sealed form).
      const revealed = await this.personal.reveal(spec.scope, [stored], { restricted: spec.includeRestricted ?? false });
      counter.restrictedShown = (counter.restrictedShown ?? 0) + revealed.restrictedShown;
      const text = revealed.texts[0]!;
      if (spec.format === 'ndjson') {
        // Stored canonical JSON is the NDJSON line: pass the text through untouched.
        counter.rows += countLines(text);
        yield text.endsWith('\n') ? text : `${text}\n`;
        continue;
      }
      let out = '';
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        if (end > start) {
          out += writer.line(text.slice(start, end));
          counter.rows++;
        }
        start = end + 1;
      }
      yield out;
    }
    const footer = writer.footer();
    if (footer) yield footer;
  }

  /** Writes the whole export to `path` (gzip applied), reporting progress between chunks. */
  async toFile(spec: ExportSpec, path: string, onProgress?: ProgressHook): Promise<ProducedFile> {
    const meter = new Meter();
    const counter: LineCounter = { rows: 0 };
    const beforeChunk = async () => onProgress?.({ rows: counter.rows, bytes: meter.bytes });
    try {
      const source =
        spec.format === 'bundle' ? Readable.from(this.bundle(spec, path, counter, beforeChunk)) : Readable.from(this.lines(spec, counter, beforeChunk));
      const file = createWriteStream(path, { mode: 0o600 });
      if (spec.gzip) await pipeline(source, createGzip(), meter, file);
      else await pipeline(source, meter, file);
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    } finally {
      for (const name of ['events.ndjson', 'proofs.jsonl', 'withheld.jsonl']) await rm(`${path}.${name}`, { force: true });
    }
    return { rows: counter.rows, bytes: meter.bytes, sha256: meter.digest(), restrictedShown: counter.restrictedShown ?? 0 };
  }

  /**
   * A verifiable bundle (tar): manifest.json, jwks.json, checkpoints.jsonl, consistency.jsonl,
   * ranges.jsonl, withheld.jsonl, events.ndjson, proofs.jsonl — the layout `veritrail verify`
   * reads (src/integrity/evidence.ts). The trail is sealed first. Without filters, from a
   * tenant-wide key, the bundle is the trail itself: every leaf of the log from the first that
   * may still be retained to the newest checkpoint, in log order (events as sealed, expired ones
   * as leaf hashes), which the verifier proves complete. With filters it is a selection: the
   * matching events, each with its inclusion proof; an event still unsealed is left out and
   * counted in the manifest. The long files are written to temporary files first (a tar header
   * needs the size), then streamed into the archive.
   */
  private async *bundle(spec: ExportSpec, path: string, counter: { rows: number }, beforeChunk: () => Promise<void>): AsyncGenerator<Buffer> {
    const checkpoint = await this.sealForBundle(spec.scope);
    const trail = checkpoint !== undefined && coversTrail(spec.scope, spec.filters);
    const outs = new Map(['events.ndjson', 'proofs.jsonl', 'withheld.jsonl'].map((name) => [name, createWriteStream(`${path}.${name}`, { mode: 0o600 })]));
    // A write error (disk full) surfaces through writeText/endStream; never as an unhandled event.
    for (const out of outs.values()) out.on('error', () => undefined);
    const write = (name: string, text: string) => (text === '' ? Promise.resolve() : writeText(outs.get(name)!, text));
    let parts: { unsealed: number; withheld: number; range?: EvidenceRange; evidence: Pick<Evidence, 'checkpoints' | 'consistency'> };
    try {
      parts = trail
        ? await this.trailParts(spec, checkpoint, counter, beforeChunk, write)
        : await this.selectionParts(spec, checkpoint, counter, beforeChunk, write);
    } finally {
      await Promise.all([...outs.values()].map(endStream));
    }
    if (parts.unsealed > 0) this.logger.warn({ tenant_id: spec.scope.tenantId, unsealed: parts.unsealed }, 'bundle left out events that are not sealed yet');

    const now = Date.now();
    const { jwks: _shippedSeparately, note_keys: noteKeys, ...header } = this.evidence.header(spec.scope, trail ? 'trail' : 'selection', trail);
    const manifest = {
      ...header,
      export: {
        id: spec.exportId ?? null,
        filters: spec.requestFilters ?? {},
        snapshot_at: new Date(spec.snapshotMs).toISOString(),
        events: counter.rows,
        unsealed_left_out: parts.unsealed,
        ...(parts.range ? { leaves: { checkpoint: parts.range.checkpoint, start: parts.range.start, end: parts.range.end, withheld: parts.withheld } } : {}),
      },
    };
    const small: [string, string | Buffer][] = [
      ['manifest.json', `${JSON.stringify(manifest, null, 2)}\n`],
      ['jwks.json', `${JSON.stringify(this.keys.jwks, null, 2)}\n`],
      ['checkpoints.jsonl', jsonLines(parts.evidence.checkpoints)],
      ['consistency.jsonl', jsonLines(parts.evidence.consistency)],
      ['ranges.jsonl', jsonLines(parts.range ? [parts.range] : [])],
      ['note-keys.txt', `${noteKeys.join('\n')}\n`],
      // The C2SP signed note of each checkpoint's tree head, for tools that speak C2SP.
      ...this.evidence.notesOf(spec.scope, parts.evidence.checkpoints).map((note, i): [string, string] => [`checkpoint-${checkpointNumber(parts.evidence.checkpoints[i]!)}.note`, note]),
    ];
    // Each checkpoint's inclusion in the deployment's witnessed root log (when a final root checkpoint holds it).
    small.push(...(await this.evidence.rootProofFiles(spec.scope, parts.evidence.checkpoints)));
    for (const [name, body] of small) {
      const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      yield Buffer.concat([tarHeader(name, buf.length, now), buf, tarPadding(buf.length)]);
    }
    for (const name of ['withheld.jsonl', 'events.ndjson', 'proofs.jsonl']) {
      const file = `${path}.${name}`;
      const size = (await stat(file)).size;
      yield tarHeader(name, size, now);
      for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
      yield tarPadding(size);
    }
    if (!trail && checkpoint) {
      // Selection: each event's inclusion also as a C2SP tlog-proof file, from proofs.jsonl.
      const lines = createInterface({ input: createReadStream(`${path}.proofs.jsonl`), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line === '') continue;
        const p = JSON.parse(line) as { event_id: string; leaf_index: number; audit_path: string[] };
        const buf = Buffer.from(this.evidence.tlogProof(spec.scope, checkpoint, p.event_id, p.leaf_index, p.audit_path), 'utf8');
        yield Buffer.concat([tarHeader(`${p.event_id}.tlog-proof`, buf.length, now), buf, tarPadding(buf.length)]);
      }
    }
    yield tarEnd();
  }

  /** The trail: leaves [first retained, tree size) of the newest checkpoint, chunk by chunk. */
  private async trailParts(spec: ExportSpec, checkpoint: CheckpointRecord, counter: { rows: number }, beforeChunk: () => Promise<void>, write: (name: string, text: string) => Promise<void>) {
    const first = await this.evidence.trailStart(spec.scope, checkpoint);
    let withheldCount = 0;
    for (let a = first; a < checkpoint.treeSize; a += BUNDLE_CHUNK_ROWS) {
      await beforeChunk();
      const { events, withheld } = await this.evidence.trailLeaves(spec.scope, checkpoint, a, Math.min(checkpoint.treeSize, a + BUNDLE_CHUNK_ROWS));
      let ev = '';
      let pr = '';
      for (const e of events) {
        // Stored canonical JSON parsed and written again: the same bytes (RFC 8785 is JSON.stringify's output for its input).
        ev += `${JSON.stringify(e.event)}\n`;
        pr += `${JSON.stringify({ event_id: e.event.id, leaf_index: e.leaf_index, checkpoint: e.checkpoint, audit_path: [] })}\n`;
      }
      counter.rows += events.length;
      withheldCount += withheld.length;
      await Promise.all([write('events.ndjson', ev), write('proofs.jsonl', pr), write('withheld.jsonl', jsonLines(withheld))]);
    }
    const range = await this.evidence.range(spec.scope, checkpoint, first, checkpoint.treeSize);
    const evidence = await this.evidence.checkpointsFor(spec.scope, checkpoint, { bound: withheldCount > 0 || first > 0 });
    return { unsealed: 0, withheld: withheldCount, range, evidence };
  }

  /** A selection: the snapshot's matching events, each with its inclusion proof. */
  private async selectionParts(
    spec: ExportSpec,
    checkpoint: CheckpointRecord | undefined,
    counter: { rows: number },
    beforeChunk: () => Promise<void>,
    write: (name: string, text: string) => Promise<void>,
  ) {
    let unsealed = 0;
    for (const range of await this.plan(spec, BUNDLE_CHUNK_ROWS)) {
      await beforeChunk();
      // The sealed form: personal data stays encrypted, exactly as hashed (offline verification).
      const text = await this.events.exportChunk(spec.scope, spec.filters, spec.snapshotMs, range);
      if (text === '') continue;
      const payloads = text.split('\n').filter((l) => l !== '');
      const ids = payloads.map((p) => (JSON.parse(p) as { id: string }).id);
      const leaves = checkpoint ? await this.integrity.leavesOf(spec.scope, ids, checkpoint.logNumber) : new Map();
      const sealed: number[] = [];
      payloads.forEach((_, i) => {
        const leaf = leaves.get(ids[i]!);
        if (checkpoint && leaf && leaf.idx < checkpoint.treeSize) sealed.push(i);
        else unsealed++;
      });
      if (sealed.length === 0) continue;
      const paths = await this.proofs.auditPaths(
        spec.scope,
        checkpoint!,
        sealed.map((i) => leaves.get(ids[i]!)!.idx),
      );
      let ev = '';
      let pr = '';
      sealed.forEach((i, k) => {
        ev += `${payloads[i]}\n`;
        pr += `${JSON.stringify({ event_id: ids[i], leaf_index: leaves.get(ids[i]!)!.idx, checkpoint: checkpoint!.number, audit_path: paths[k] })}\n`;
      });
      counter.rows += sealed.length;
      await Promise.all([write('events.ndjson', ev), write('proofs.jsonl', pr)]);
    }
    const evidence = checkpoint ? await this.evidence.checkpointsFor(spec.scope, checkpoint, { bound: false }) : { checkpoints: [], consistency: [] };
    return { unsealed, withheld: 0, evidence };
  }

  /** Seals the tenant's trail now (waiting while another seal runs) and returns the newest checkpoint. */
  private async sealForBundle(scope: TenantScope): Promise<CheckpointRecord | undefined> {
    const whole = scope.tenantWide();
    for (let attempt = 0; attempt < 60; attempt++) {
      try {
        await this.sealer.sealTenant(whole);
        break;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        await new Promise((r) => setTimeout(r, 500)); // the background seal holds the tenant: it seals for us
      }
    }
    return this.integrity.latestCheckpoint(whole);
  }
}

/** Writes and waits for the stream to take more (or fail). */
function writeText(out: WriteStream, text: string): Promise<void> {
  if (out.errored) return Promise.reject(out.errored);
  if (out.write(text)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      out.off('drain', onDrain);
      reject(err);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

function endStream(out: WriteStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (out.errored) return reject(out.errored);
    out.once('error', reject);
    out.end(() => resolve());
  });
}

function jsonLines(items: readonly unknown[]): string {
  return items.map((x) => `${JSON.stringify(x)}\n`).join('');
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') || text === '' ? n : n + 1;
}

/** The number a checkpoint JWS states (read, not verified: only names its note file). */
function checkpointNumber(jws: string): number {
  return (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { number: number }).number;
}
