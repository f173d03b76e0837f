import { Injectable } from '@nestjs/common';

/** One clock comparison with the shared reference (PostgreSQL's clock). */
export interface SkewObservation {
  skewMs: number;
  skewed: boolean;
}

export type SkewEpisodeListener = (episode: { skewMs: number; limitMs: number; startedAtMs: number }) => void;

/**
 * The time `received_at`, event ids and checkpoint times are stamped with (TEST-CATALOG LD-02).
 * It is this process's clock, unless the last comparison with PostgreSQL's clock
 * (src/observability/clock-skew.ts) found it off by more than CLOCK_SKEW_WARN_MS: then the
 * measured skew is subtracted, so a replica whose clock runs 10 minutes ahead still stamps the
 * time the other replicas agree on. The correction follows each check and drops back to zero
 * once the local clock agrees again.
 */
@Injectable()
export class CheckedClock {
  private correctionMs = 0;
  private localOffsetMs = 0;
  private episodeStartMs: number | undefined;
  private readonly listeners: SkewEpisodeListener[] = [];

  /** This process's own clock (what the skew check compares with PostgreSQL's). */
  local(): number {
    return Date.now() + this.localOffsetMs;
  }

  /** The checked time: the local clock minus the skew measured beyond the threshold. */
  now(): number {
    return this.local() - this.correctionMs;
  }

  /** `now()` as a Date: due times and leases PostgreSQL compares with its own now(). */
  date(offsetMs = 0): Date {
    return new Date(this.now() + offsetMs);
  }

  /** The correction currently applied, in milliseconds (0 when the local clock is trusted). */
  get correction(): number {
    return this.correctionMs;
  }

  /** Called by the skew monitor after each comparison. */
  observe(o: SkewObservation, limitMs: number): void {
    this.correctionMs = o.skewed ? o.skewMs : 0;
    if (o.skewed && this.episodeStartMs === undefined) {
      this.episodeStartMs = this.now();
      for (const l of this.listeners) l({ skewMs: o.skewMs, limitMs, startedAtMs: this.episodeStartMs });
    } else if (!o.skewed) {
      this.episodeStartMs = undefined;
    }
  }

  /** Called once at the start of each episode of skew beyond the threshold. */
  onSkewEpisode(listener: SkewEpisodeListener): void {
    this.listeners.push(listener);
  }

  /** Test hook: makes this process's own clock run `ms` ahead (negative: behind). */
  skewLocalClockForTest(ms: number): void {
    this.localOffsetMs = ms;
  }
}
