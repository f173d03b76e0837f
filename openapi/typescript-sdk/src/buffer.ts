import { closeSync, openSync, fsyncSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { VeritrailBufferError, type VeritrailError } from './errors.js';

export interface BufferOptions {
  /** Directory of the buffer; one process at a time (a lock file guards it). */
  dir: string;
  /** Unacknowledged bytes on disk beyond which event() fails with `buffer_full`. Default 64 MiB. */
  maxBytes?: number;
  /** Size at which a new segment file starts. Default 4 MiB. */
  segmentBytes?: number;
}

/** Where a buffered event lives: its segment and the byte offset of its line. */
export interface Location {
  segment: number;
  offset: number;
}

export interface RecoveredEvent {
  json: string;
  location: Location;
}

interface Segment {
  id: number;
  size: number;
  records: number;
  settled: Set<number>;
  handle?: FileHandle;
}

const SEGMENT = /^(\d{12})\.seg$/;
const segName = (id: number) => `${String(id).padStart(12, '0')}.seg`;
const ackName = (id: number) => `${String(id).padStart(12, '0')}.ack`;
export const REJECTED_FILE = 'rejected.ndjson';

/**
 * The durable local buffer: an event is appended to a segment file and fsynced before
 * `event()` resolves, and forgotten only once the server acknowledged it (or refused it for
 * good: then it is kept in `rejected.ndjson`).
 *
 * Files in `dir`:
 * - `NNNNNNNNNNNN.seg`: one event per line, `<crc32 hex> <event JSON>\n`. Appends from
 *   concurrent callers share one write and one fsync (group commit).
 * - `NNNNNNNNNNNN.ack`: byte offsets of the segment's events that are settled. Not fsynced: a
 *   lost ack only means the event is sent again, and its idempotency key makes that harmless.
 * - `lock`: pid of the owning process; a lock whose process is gone is taken over.
 * A segment is deleted once every event in it is settled. On start, lines whose checksum does
 * not match (a write torn by a crash: its `event()` never resolved) are dropped.
 */
export class DurableBuffer {
  private readonly segments = new Map<number, Segment>();
  private active: Segment | undefined;
  private nextId = 1;
  private totalBytes = 0;
  private reservedBytes = 0;
  private queue: { line: Buffer; resolve: (l: Location) => void; reject: (e: unknown) => void }[] = [];
  private writing = false;
  /** Serialises file operations other than the append rounds' own writes. */
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** Lines dropped at recovery (torn or corrupt). */
  dropped = 0;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
    readonly segmentBytes: number,
  ) {}

  static async open(options: BufferOptions): Promise<{ buffer: DurableBuffer; recovered: RecoveredEvent[] }> {
    const b = new DurableBuffer(options.dir, options.maxBytes ?? 64 * 1024 * 1024, options.segmentBytes ?? 4 * 1024 * 1024);
    try {
      await mkdir(b.dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new VeritrailBufferError('buffer_io', `The buffer directory ${b.dir} cannot be created.`, err);
    }
    await b.lock();
    try {
      const recovered = await b.recover();
      return { buffer: b, recovered };
    } catch (err) {
      await b.unlock();
      throw err instanceof VeritrailBufferError ? err : new VeritrailBufferError('buffer_io', `The buffer in ${b.dir} cannot be read.`, err);
    }
  }

  /** Unsettled bytes on disk (and being written). */
  get bytes(): number {
    return this.totalBytes + this.reservedBytes;
  }

  /** Appends one event; resolves once it is on disk (fsynced). */
  append(json: string): Promise<Location> {
    if (this.closed) return Promise.reject(new VeritrailBufferError('buffer_io', 'The buffer is closed.'));
    const line = Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} ${json}\n`);
    if (this.bytes + line.length > this.maxBytes) {
      return Promise.reject(
        new VeritrailBufferError(
          'buffer_full',
          `The durable buffer in ${this.dir} is full (${this.bytes} of ${this.maxBytes} bytes are waiting for the API to acknowledge them); the event was not recorded.`,
        ),
      );
    }
    this.reservedBytes += line.length;
    return new Promise<Location>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.writing) void this.writeRound();
    });
  }

  private async writeRound(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const round = this.queue;
        this.queue = [];
        const size = round.reduce((n, r) => n + r.line.length, 0);
        let reserved = true;
        try {
          await this.exclusive(async () => {
            const seg = await this.activeSegment();
            const base = seg.size;
            const data = round.length === 1 ? round[0]!.line : Buffer.concat(round.map((r) => r.line), size);
            await seg.handle!.write(data, 0, data.length, base);
            await seg.handle!.datasync();
            seg.size += size;
            seg.records += round.length;
            this.totalBytes += size;
            this.reservedBytes -= size;
            reserved = false;
            let offset = base;
            for (const r of round) {
              r.resolve({ segment: seg.id, offset });
              offset += r.line.length;
            }
          });
        } catch (err) {
          const e = new VeritrailBufferError('buffer_io', `The event could not be written to the buffer in ${this.dir}.`, err);
          for (const r of round) r.reject(e);
        } finally {
          if (reserved) this.reservedBytes -= size;
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async activeSegment(): Promise<Segment> {
    if (this.active && this.active.size < this.segmentBytes) return this.active;
    if (this.active) await this.seal(this.active);
    const id = this.nextId++;
    const handle = await open(join(this.dir, segName(id)), 'wx', 0o600);
    syncDir(this.dir);
    const seg: Segment = { id, size: 0, records: 0, settled: new Set(), handle };
    this.segments.set(id, seg);
    this.active = seg;
    return seg;
  }

  /** The active segment stops taking appends; it is deleted once everything in it is settled. */
  private async seal(seg: Segment): Promise<void> {
    if (this.active === seg) this.active = undefined;
    await seg.handle?.close();
    seg.handle = undefined;
    await this.removeIfDone(seg);
  }

  /** Marks events as delivered (or refused and kept in rejected.ndjson); deletes finished segments. */
  settle(locations: readonly Location[]): Promise<void> {
    return this.exclusive(async () => {
      const bySegment = new Map<number, number[]>();
      for (const l of locations) {
        const list = bySegment.get(l.segment) ?? [];
        list.push(l.offset);
        bySegment.set(l.segment, list);
      }
      for (const [id, offsets] of bySegment) {
        const seg = this.segments.get(id);
        if (!seg) continue;
        const fresh = offsets.filter((o) => !seg.settled.has(o));
        if (fresh.length === 0) continue;
        for (const o of fresh) seg.settled.add(o);
        if (seg.settled.size >= seg.records) {
          // Everything in it is settled: delete instead of recording acks. The active segment is
          // retired too, so a quiet application does not keep delivered events on disk.
          if (this.active === seg) await this.seal(seg);
          else await this.removeIfDone(seg);
        } else {
          await writeFile(join(this.dir, ackName(id)), fresh.map((o) => `${o}\n`).join(''), { flag: 'a', mode: 0o600 });
        }
      }
    });
  }

  /** Keeps events the server refused for good, with the reason, before they are settled. */
  async reject(entries: { json: string; location: Location }[], error: VeritrailError): Promise<void> {
    await this.exclusive(async () => {
      const at = new Date().toISOString();
      const lines = entries
        .map((e) =>
          JSON.stringify({
            rejected_at: at,
            code: error.code,
            status: error.status,
            request_id: error.requestId,
            message: error.message,
            details: error.details,
            event: JSON.parse(e.json) as unknown,
          }),
        )
        .join('\n');
      const h = await open(join(this.dir, REJECTED_FILE), 'a', 0o600);
      try {
        await h.write(`${lines}\n`);
        await h.datasync();
      } finally {
        await h.close();
      }
    });
    await this.settle(entries.map((e) => e.location));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.exclusive(async () => {
      for (const seg of this.segments.values()) {
        await seg.handle?.close();
        seg.handle = undefined;
      }
    });
    await this.unlock();
  }

  private async removeIfDone(seg: Segment): Promise<void> {
    if (seg.handle || seg.settled.size < seg.records) return;
    await rm(join(this.dir, segName(seg.id)), { force: true });
    await rm(join(this.dir, ackName(seg.id)), { force: true });
    this.segments.delete(seg.id);
    this.totalBytes -= seg.size;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async recover(): Promise<RecoveredEvent[]> {
    const recovered: RecoveredEvent[] = [];
    const ids = (await readdir(this.dir))
      .map((f) => SEGMENT.exec(f)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const id of ids) {
      const path = join(this.dir, segName(id));
      const data = await readFile(path);
      const settled = new Set<number>();
      try {
        for (const l of (await readFile(join(this.dir, ackName(id)), 'utf8')).split('\n')) if (/^\d+$/.test(l)) settled.add(Number(l));
      } catch {
        // no acks yet
      }
      const seg: Segment = { id, size: 0, records: 0, settled: new Set() };
      let pos = 0;
      let goodEnd = 0;
      while (pos < data.length) {
        const nl = data.indexOf(0x0a, pos);
        if (nl === -1) break; // torn tail: the write never completed
        const json = parseLine(data.subarray(pos, nl));
        if (json === undefined) this.dropped++;
        else {
          seg.records++;
          if (settled.has(pos)) seg.settled.add(pos);
          else recovered.push({ json, location: { segment: id, offset: pos } });
        }
        pos = nl + 1;
        goodEnd = pos;
      }
      if (goodEnd < data.length) {
        this.dropped++;
        await truncate(path, goodEnd);
      }
      seg.size = goodEnd;
      this.segments.set(id, seg);
      this.totalBytes += seg.size;
      this.nextId = Math.max(this.nextId, id + 1);
      await this.removeIfDone(seg);
    }
    return recovered;
  }

  private async lock(): Promise<void> {
    const path = join(this.dir, 'lock');
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const h = await open(path, 'wx', 0o600);
        await h.write(`${process.pid}\n${hostname()}\n`);
        await h.close();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new VeritrailBufferError('buffer_io', `The buffer in ${this.dir} cannot be locked.`, err);
      }
      const [pidText, host] = (await readFile(path, 'utf8').catch(() => '')).split('\n');
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && host === hostname() && pid !== process.pid && alive(pid)) {
        throw new VeritrailBufferError('buffer_locked', `The buffer in ${this.dir} is in use by process ${pid}; give each process its own directory.`);
      }
      if (pid === process.pid && host === hostname()) {
        throw new VeritrailBufferError('buffer_locked', `The buffer in ${this.dir} is already open in this process.`);
      }
      // The owner is gone (killed, crashed): take the lock over.
      const s = await stat(path).catch(() => undefined);
      if (s) await rm(path, { force: true });
    }
    throw new VeritrailBufferError('buffer_locked', `The buffer in ${this.dir} could not be locked.`);
  }

  private async unlock(): Promise<void> {
    const path = join(this.dir, 'lock');
    const [pidText] = (await readFile(path, 'utf8').catch(() => '')).split('\n');
    if (Number(pidText) === process.pid) await rm(path, { force: true });
  }
}

function parseLine(line: Buffer): string | undefined {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const sum = line.subarray(0, 8).toString('latin1');
  if (!/^[0-9a-f]{8}$/.test(sum)) return undefined;
  const json = line.subarray(9).toString('utf8');
  if (crc32(json).toString(16).padStart(8, '0') !== sum) return undefined;
  return json;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes a new file's directory entry durable. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported on this platform/file system
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
