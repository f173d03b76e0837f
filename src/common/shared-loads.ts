/**
 * One load per key at a time: callers arriving while a key's load runs share it. `forget(key)`
 * detaches the running load (an erasure, a destroyed key, a changed template): later callers start
 * a fresh one, and the detached load's `isCurrent()` turns false so it does not cache what it read.
 */
export class SharedLoads<K, V> {
  private readonly running = new Map<K, Promise<V>>();

  get(key: K, load: (isCurrent: () => boolean) => Promise<V>): Promise<V> {
    const inflight = this.running.get(key);
    if (inflight) return inflight;
    // Assigned before `load`'s continuations run (they are asynchronous), so isCurrent sees it.
    let p: Promise<V> | undefined;
    p = load(() => this.running.get(key) === p);
    this.running.set(key, p);
    const settled = () => {
      if (this.running.get(key) === p) this.running.delete(key);
    };
    p.then(settled, settled);
    return p;
  }

  forget(key: K): void {
    this.running.delete(key);
  }

  /** forget() for every key that matches. */
  forgetMatching(matches: (key: K) => boolean): void {
    for (const key of [...this.running.keys()]) if (matches(key)) this.running.delete(key);
  }
}
