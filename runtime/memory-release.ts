import type { Logger } from "pino";
import { systemClock, type Clock, type TimerHandle } from "./clock.ts";

// V8 (since Node 22) keeps the heap pages a GC frees in a pool for reuse and gives them back to the
// system only on a memory-reducing GC, which its memory reducer starts only once allocation is low:
// an operator always receiving watch events never gets there, so its RSS stays at the peak heap of
// its life (a start's first list, a burst of tasks). A last-resort major GC is a memory-reducing
// one; it pauses the event loop (about 0.4 s for 150 MiB of live heap), so it runs only once the
// controllers have been idle a while, the RSS has grown since the last release, and not more often
// than minIntervalMs. docs/scaling.md, step 9.

/** V8's gc() with options, present when Node runs with --expose-gc (bin/aisre.mjs gives it to `aisre operator`). */
export type GcFunction = (options: {
  type: "major";
  execution: "async";
  flavor: "last-resort";
}) => Promise<void> | void;

/** Options of MemoryRelease. */
export interface MemoryReleaseOptions {
  /** True while no controller has work queued or in progress. */
  idle: () => boolean;
  /** How long the controllers must have been idle. */
  idleMs: number;
  /** Release only once the RSS grew this much since the last release (or the start). Default 32 MiB. */
  growthBytes?: number;
  /** The least time between two releases. Default 60 s. */
  minIntervalMs?: number;
  /** How often idleness and RSS are sampled. Default 1 s. */
  checkEveryMs?: number;
  /** Default globalThis.gc (absent without --expose-gc: then nothing is released); null: none. */
  gc?: GcFunction | null;
  /** Default process.memoryUsage.rss. */
  rss?: () => number;
  /** Called after each release with the bytes the RSS fell by and the pause. */
  onReleased?: (bytes: number, seconds: number) => void;
  clock?: Clock;
  logger?: Logger;
}

const MiB = 1024 * 1024;

/** Gives the heap pages V8 pooled back to the system once the operator is idle after its memory grew. */
export class MemoryRelease {
  private readonly opts: MemoryReleaseOptions;
  private readonly clock: Clock;
  private readonly gc: GcFunction | undefined;
  private readonly rss: () => number;
  private timer: TimerHandle | undefined;
  private idleSince: number | undefined;
  private lastReleaseAt = -Infinity;
  /** The RSS right after the last release; 0 before the first, so the start-up peak is released. */
  private baseline = 0;
  private releasing = false;
  private running = false;

  constructor(opts: MemoryReleaseOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.gc = opts.gc === null ? undefined : (opts.gc ?? (globalThis as { gc?: GcFunction }).gc);
    this.rss = opts.rss ?? (() => process.memoryUsage.rss());
  }

  /** Starts sampling; without a gc function it logs once and does nothing. */
  start(): void {
    if (this.running) return;
    if (!this.gc) {
      this.opts.logger?.info("Skipped releasing idle memory: Node runs without --expose-gc");
      return;
    }
    this.running = true;
    this.schedule();
  }

  /** Stops sampling; a release in progress completes. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One sample: releases when idle long enough, grown enough and not released too recently. */
  async check(): Promise<boolean> {
    const now = this.clock.now();
    if (!this.opts.idle()) {
      this.idleSince = undefined;
      return false;
    }
    this.idleSince ??= now;
    if (this.releasing || !this.gc || now - this.idleSince < this.opts.idleMs) return false;
    if (now - this.lastReleaseAt < (this.opts.minIntervalMs ?? 60_000)) return false;
    if (this.rss() - this.baseline < (this.opts.growthBytes ?? 32 * MiB)) return false;
    await this.release(this.gc);
    return true;
  }

  private async release(gc: GcFunction): Promise<void> {
    this.releasing = true;
    const before = this.rss();
    const started = performance.now();
    try {
      await gc({ type: "major", execution: "async", flavor: "last-resort" });
    } finally {
      this.releasing = false;
    }
    const seconds = (performance.now() - started) / 1000;
    this.baseline = this.rss();
    this.lastReleaseAt = this.clock.now();
    const bytes = Math.max(0, before - this.baseline);
    this.opts.onReleased?.(bytes, seconds);
    this.opts.logger?.info(
      {
        rssBeforeMiB: Math.round(before / MiB),
        rssAfterMiB: Math.round(this.baseline / MiB),
        pauseMs: Math.round(seconds * 1000),
      },
      "Released idle memory",
    );
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => {
      this.check()
        .catch((err: unknown) => this.opts.logger?.warn({ err }, "Failed to release idle memory"))
        .finally(() => this.schedule());
    }, this.opts.checkEveryMs ?? 1_000);
  }
}
