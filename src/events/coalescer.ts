/**
 * Merges concurrent calls into one statement per group (a tenant's key namespace): while a
 * group's statement runs, the calls that arrive wait and then go together in the next one (the
 * group commit of the event writer, applied to the idempotency store). Under load this turns
 * one PostgreSQL round trip per request into one per wave of requests; a lone call goes at once.
 * A key appears at most once per statement (PostgreSQL refuses to update one row twice in one
 * INSERT … ON CONFLICT): a call repeating a key already in the next statement waits for the one
 * after. A failed statement fails every call it carried, as each call's own statement would.
 */
export class Coalescer<C, E, T, R> {
  private readonly groups = new Map<string, { running: boolean; queue: { ctx: C; entries: E[]; resolve: (r: R) => void; reject: (e: unknown) => void }[] }>();

  constructor(
    private readonly keyOf: (e: E) => string,
    private readonly run: (ctx: C, entries: E[]) => Promise<T>,
    private readonly pick: (result: T, mine: E[]) => R,
    private readonly maxEntries = 5_000,
  ) {}

  submit(group: string, ctx: C, entries: E[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let g = this.groups.get(group);
      if (!g) {
        g = { running: false, queue: [] };
        this.groups.set(group, g);
      }
      g.queue.push({ ctx, entries, resolve, reject });
      if (!g.running) void this.drain(group, g);
    });
  }

  private async drain(group: string, g: { running: boolean; queue: { ctx: C; entries: E[]; resolve: (r: R) => void; reject: (e: unknown) => void }[] }): Promise<void> {
    g.running = true;
    while (g.queue.length > 0) {
      const taken: typeof g.queue = [];
      const rest: typeof g.queue = [];
      const keys = new Set<string>();
      let size = 0;
      for (const call of g.queue) {
        const clash = call.entries.some((e) => keys.has(this.keyOf(e)));
        if (clash || (taken.length > 0 && size + call.entries.length > this.maxEntries)) {
          rest.push(call);
          continue;
        }
        for (const e of call.entries) keys.add(this.keyOf(e));
        size += call.entries.length;
        taken.push(call);
      }
      g.queue = rest;
      try {
        const result = await this.run(taken[0]!.ctx, taken.flatMap((c) => c.entries));
        for (const c of taken) c.resolve(this.pick(result, c.entries));
      } catch (err) {
        for (const c of taken) c.reject(err);
      }
    }
    g.running = false;
    this.groups.delete(group);
  }
}
