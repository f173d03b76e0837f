import type { PGlite } from '@electric-sql/pglite';

interface Item {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
}

/** Message types that end an exchange: Sync (extended protocol), Query (simple protocol), Terminate. */
const SYNC = 0x53;
const QUERY = 0x51;
const TERMINATE = 0x58;

/**
 * The order in which the wire-protocol messages of several connections reach the one PGlite
 * session. pglite-socket's own queue interleaves connections message by message, and keeps a
 * connection's turn only while a transaction is open. But an extended-protocol exchange
 * (Parse, Bind, Describe, Execute … Sync) shares session state — the unnamed prepared
 * statement and portal — so another connection's Parse between our Parse and our Bind binds
 * our parameters to its statement: errors ("bind message supplies 1 parameters, but prepared
 * statement requires 2") or, worse, one connection receiving the rows of another's query.
 * It happens as soon as messages of two connections wait together, e.g. behind a transaction.
 *
 * This queue gives a connection the session from its first message until the exchange ends
 * (Sync, a simple Query, or Terminate) and for as long as a transaction is open; other
 * connections' messages wait in arrival order. A connection that goes away gives its turn
 * back (and its open transaction is rolled back). Same interface as pglite-socket's queue,
 * which the server hands to every connection it accepts.
 */
export class ExchangeQueue {
  private queue: Item[] = [];
  private processing = false;
  /** The connection whose exchange or transaction is open, if any. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ handlerId, message, resolve, reject, onData });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((i) => {
      if (i.handlerId !== handlerId) return true;
      i.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    void this.process();
  }

  private next(): Item | undefined {
    if (this.owner === null) return this.queue.shift();
    const i = this.queue.findIndex((x) => x.handlerId === this.owner);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0;
        const current = item;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (d: Uint8Array) => {
                bytes += d.length;
                current.onData(d);
              },
            }),
          );
        } catch (err) {
          // The session is unusable for this exchange; let the others go on.
          this.owner = this.db.isInTransaction() ? current.handlerId : null;
          current.reject(err);
          continue;
        }
        const type = current.message[0];
        const startup = current.message.length >= 8 && type === 0; // no type byte: startup/SSL/cancel packets
        const ends = startup || type === SYNC || type === QUERY || type === TERMINATE;
        this.owner = !ends || this.db.isInTransaction() ? current.handlerId : null;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}
