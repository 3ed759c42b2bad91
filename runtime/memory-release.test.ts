import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.ts";
import { MemoryRelease, type GcFunction } from "./memory-release.ts";

const MiB = 1024 * 1024;

/** A clock the test moves by hand; check() is called directly, so no timer ever fires. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    setTimeout: () => undefined,
    clearTimeout: () => {},
    advance: (ms) => void (now += ms),
  };
}

/** A release with a recording gc and an RSS the test sets; a GC brings the RSS down to `live`. */
function harness(opts: { idleMs?: number; minIntervalMs?: number } = {}) {
  const clock = manualClock();
  const state = { idle: true, rss: 400 * MiB, live: 200 * MiB, gcs: [] as unknown[] };
  const released: Array<[number, number]> = [];
  const gc: GcFunction = (options) => {
    state.gcs.push(options);
    state.rss = state.live;
  };
  const release = new MemoryRelease({
    idle: () => state.idle,
    idleMs: opts.idleMs ?? 5_000,
    minIntervalMs: opts.minIntervalMs ?? 60_000,
    gc,
    rss: () => state.rss,
    clock,
    onReleased: (bytes, seconds) => released.push([bytes, seconds]),
  });
  return { clock, state, released, release };
}

describe("MemoryRelease", () => {
  it("releases once the controllers have been idle for idleMs, with a last-resort major GC", async () => {
    const { clock, state, released, release } = harness();
    expect(await release.check()).toBe(false); // idle from now
    clock.advance(4_999);
    expect(await release.check()).toBe(false);
    clock.advance(1);
    expect(await release.check()).toBe(true);
    expect(state.gcs).toEqual([{ type: "major", execution: "async", flavor: "last-resort" }]);
    expect(released).toHaveLength(1);
    expect(released[0]![0]).toBe(200 * MiB);
  });

  it("starts the idle time over whenever a controller has work", async () => {
    const { clock, state, release } = harness();
    await release.check();
    clock.advance(4_000);
    state.idle = false;
    expect(await release.check()).toBe(false);
    state.idle = true;
    clock.advance(1_000);
    expect(await release.check()).toBe(false); // idle again only from here
    clock.advance(4_999);
    expect(await release.check()).toBe(false);
    clock.advance(1);
    expect(await release.check()).toBe(true);
  });

  it("releases again only after the RSS grew by 32 MiB and a minute passed", async () => {
    const { clock, state, release } = harness({ idleMs: 0 });
    expect(await release.check()).toBe(true);
    clock.advance(120_000);
    state.rss = state.live + 31 * MiB;
    expect(await release.check()).toBe(false); // not grown enough
    state.rss = state.live + 32 * MiB;
    expect(await release.check()).toBe(true);
    state.rss = state.live + 100 * MiB;
    clock.advance(59_999);
    expect(await release.check()).toBe(false); // too soon
    clock.advance(1);
    expect(await release.check()).toBe(true);
    expect(state.gcs).toHaveLength(3);
  });

  it("samples every checkEveryMs once started, and not at all without gc (no --expose-gc)", async () => {
    const timers: number[] = [];
    const clock: Clock = { now: () => 0, setTimeout: (_fn, ms) => timers.push(ms), clearTimeout: () => {} };
    const without = new MemoryRelease({ idle: () => true, idleMs: 0, gc: null, clock, rss: () => 1e10 });
    without.start();
    expect(timers).toEqual([]);
    expect(await without.check()).toBe(false);
    const gc: GcFunction = () => {};
    const started = new MemoryRelease({ idle: () => true, idleMs: 0, gc, clock, checkEveryMs: 250 });
    started.start();
    expect(timers).toEqual([250]);
    started.stop();
  });

  // The fact the class rests on, on this Node: a regular full GC leaves the freed pages resident,
  // the release's GC gives them back.
  it("gives V8's freed heap pages back to the system on this Node", { timeout: 60_000 }, () => {
    const script = `
      import { MemoryRelease } from ${JSON.stringify(fileURLToPath(new URL("./memory-release.ts", import.meta.url)))};
      const MiB = 1048576;
      let garbage = [];
      for (let i = 0; i < 2e6; i++) garbage.push({ i, s: "x" + i });
      garbage = null;
      gc();
      const afterGc = process.memoryUsage.rss();
      const release = new MemoryRelease({ idle: () => true, idleMs: 0 });
      const released = await release.check();
      console.log(JSON.stringify({ released, afterGc: afterGc / MiB, afterRelease: process.memoryUsage.rss() / MiB }));
    `;
    const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 50_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { released: boolean; afterGc: number; afterRelease: number };
    expect(out.released).toBe(true);
    // About 180 MiB of a garbage heap stays resident after gc() and is gone after the release.
    expect(out.afterGc - out.afterRelease).toBeGreaterThan(100);
  });
});
