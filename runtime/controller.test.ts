import type { KubernetesObject } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Controller, type ControllerMetrics, type Reconciler, type Result } from "./controller.ts";
import { TerminalError } from "./errors.ts";
import { FakeListWatcher } from "./fake-list-watcher.ts";
import { generationChanged } from "./handlers.ts";
import { Informer } from "./informer.ts";
import { ExponentialRateLimiter } from "./rate-limiter.ts";

const task = (name: string, rv = "1", generation = 1): KubernetesObject => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { namespace: "ns", name, resourceVersion: rv, generation, uid: `uid-${name}` },
});

const child = (
  name: string,
  owner: string,
  rv = "1",
  opts: { controller?: boolean; kind?: string } = {},
) => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "DiagnosisRun",
  metadata: {
    namespace: "ns",
    name,
    resourceVersion: rv,
    ownerReferences: [
      {
        apiVersion: "aisre.io/v1alpha1",
        kind: opts.kind ?? "SreTask",
        name: owner,
        uid: `uid-${owner}`,
        controller: opts.controller ?? true,
      },
    ],
  },
});

function metricsLog(): ControllerMetrics & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    reconciled: (outcome) => log.push(outcome),
    failed: (terminal) => log.push(terminal ? "terminal" : "failed"),
    workers: () => {},
  };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe("Controller", () => {
  let lw: FakeListWatcher;
  let informer: Informer<KubernetesObject>;
  let ctrl: Controller | undefined;
  let calls: string[];

  const make = (reconcile: Reconciler, extra: Partial<ConstructorParameters<typeof Controller>[0]> = {}) => {
    ctrl = new Controller({
      name: "sretask",
      for: informer,
      reconcile,
      rateLimiter: () => new ExponentialRateLimiter(5, 1000),
      ...extra,
    });
    return ctrl;
  };
  const recordingReconcile =
    (result?: (name: string, n: number) => Result | void): Reconciler =>
    async (req) => {
      calls.push(`${req.namespace}/${req.name}`);
      return result?.(req.name, calls.length);
    };

  beforeEach(() => {
    vi.useFakeTimers();
    lw = new FakeListWatcher();
    lw.items = [task("a")];
    informer = new Informer({ listWatcher: lw, resyncMs: 0 });
    informer.start();
    calls = [];
  });

  afterEach(async () => {
    await ctrl?.stop(100);
    await informer.stop();
    vi.useRealTimers();
  });

  it("reconciles every cached object once synced, and each change after", async () => {
    const c = make(recordingReconcile());
    await c.start();
    await tick();
    expect(c.workersStarted()).toBe(true);
    expect(calls).toEqual(["ns/a"]);
    lw.current.emit("MODIFIED", task("a", "2"));
    lw.current.emit("ADDED", task("b", "3"));
    await tick();
    expect(calls).toEqual(["ns/a", "ns/a", "ns/b"]);
  });

  it("coalesceMs: a burst of one object's changes within the window costs one reconcile", async () => {
    const c = make(recordingReconcile(), { coalesceMs: 1000 });
    await c.start();
    await tick(999);
    expect(calls).toEqual([]);
    await tick(1);
    expect(calls).toEqual(["ns/a"]);
    lw.current.emit("MODIFIED", task("a", "2"));
    await tick(400);
    lw.current.emit("MODIFIED", task("a", "3"));
    lw.current.emit("ADDED", task("b", "4"));
    await tick(599);
    expect(calls).toEqual(["ns/a"]);
    // The window opened at the first change and is not pushed back by later ones.
    await tick(1);
    expect(calls).toEqual(["ns/a", "ns/a"]);
    await tick(400);
    expect(calls).toEqual(["ns/a", "ns/a", "ns/b"]);
  });

  it("retries errors with per-key backoff, then forgets on success", async () => {
    const metrics = metricsLog();
    let failures = 3;
    const c = make(
      async () => {
        calls.push(String(Date.now()));
        if (failures-- > 0) throw new Error("api down");
      },
      { metrics },
    );
    const t0 = Date.now();
    await c.start();
    await tick(100);
    expect(calls.map((t) => Number(t) - t0)).toEqual([0, 5, 15, 35]);
    expect(metrics.log).toEqual(["failed", "error", "failed", "error", "failed", "error", "success"]);
  });

  it("does not retry a TerminalError (also when wrapped as a cause)", async () => {
    const metrics = metricsLog();
    const c = make(
      async () => {
        calls.push("x");
        throw new Error("wrapped", { cause: new TerminalError("bad spec") });
      },
      { metrics },
    );
    await c.start();
    await tick(10_000);
    expect(calls).toHaveLength(1);
    expect(metrics.log).toEqual(["terminal", "error"]);
  });

  it("requeueAfter reconciles again after the delay; requeue uses the backoff", async () => {
    const metrics = metricsLog();
    const c = make(
      recordingReconcile((_, n) =>
        n === 1 ? { requeueAfter: 1000 } : n === 2 ? { requeue: true } : undefined,
      ),
      { metrics },
    );
    await c.start();
    await tick(999);
    expect(calls).toHaveLength(1);
    await tick(1);
    expect(calls).toHaveLength(2);
    await tick(5);
    expect(calls).toHaveLength(3);
    expect(metrics.log).toEqual(["requeue_after", "requeue", "success"]);
  });

  it("never reconciles one key concurrently; changes during a reconcile trigger exactly one more", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const c = make(
      async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        calls.push("a");
        await new Promise((r) => setTimeout(r, 100));
        inFlight--;
      },
      { maxConcurrentReconciles: 4 },
    );
    await c.start();
    await tick(10);
    for (let i = 2; i < 6; i++) lw.current.emit("MODIFIED", task("a", String(i)));
    await tick(1000);
    expect(maxInFlight).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it("reconciles different keys in parallel up to maxConcurrentReconciles", async () => {
    lw.items = ["a", "b", "c", "d"].map((n) => task(n));
    informer = new Informer({ listWatcher: lw, resyncMs: 0 });
    informer.start();
    let inFlight = 0;
    let maxInFlight = 0;
    const c = make(
      async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 100));
        inFlight--;
      },
      { maxConcurrentReconciles: 3 },
    );
    await c.start();
    await tick(1000);
    expect(maxInFlight).toBe(3);
  });

  it("maps an owned child's events to its controller owner only", async () => {
    const childLw = new FakeListWatcher();
    childLw.items = [child("run-1", "a")];
    const children = new Informer<KubernetesObject>({ listWatcher: childLw, resyncMs: 0 });
    children.start();
    const c = make(recordingReconcile()).owns(children, { group: "aisre.io", kind: "SreTask" });
    expect(c.informers()).toHaveLength(2);
    await c.start();
    await tick();
    expect(calls).toEqual(["ns/a"]);
    childLw.current.emit("MODIFIED", child("run-1", "a", "2"));
    childLw.current.emit("ADDED", child("other", "z", "3", { controller: false }));
    childLw.current.emit("ADDED", child("other2", "y", "4", { kind: "Deployment" }));
    await tick();
    expect(calls).toEqual(["ns/a", "ns/a"]);
    childLw.current.emit("DELETED", child("run-1", "a", "5"));
    await tick();
    expect(calls).toEqual(["ns/a", "ns/a", "ns/a"]);
    await children.stop();
  });

  it("applies predicates: generationChanged ignores status-only updates", async () => {
    const c = make(recordingReconcile(), { predicate: generationChanged });
    await c.start();
    await tick();
    lw.current.emit("MODIFIED", task("a", "2", 1));
    await tick();
    expect(calls).toHaveLength(1);
    lw.current.emit("MODIFIED", task("a", "3", 2));
    await tick();
    expect(calls).toHaveLength(2);
  });

  it("stop waits for reconciles in flight and starts no new ones", async () => {
    let finished = false;
    const c = make(async (req) => {
      calls.push(req.name);
      await new Promise((r) => setTimeout(r, 500));
      finished = true;
    });
    await c.start();
    await tick(10);
    lw.current.emit("ADDED", task("b", "2"));
    const stopped = c.stop(5000);
    await tick(500);
    expect(await stopped).toBe(true);
    expect(finished).toBe(true);
    expect(calls).toEqual(["a"]);
    expect(c.isRunning()).toBe(false);
  });

  it("aborts the reconcile signal when the drain times out", async () => {
    let aborted = false;
    const c = make(async (_req, { signal }) => {
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
      aborted = signal.aborted;
    });
    await c.start();
    await tick(10);
    const stopped = c.stop(1000);
    await tick(1000);
    expect(await stopped).toBe(false);
    await tick();
    expect(aborted).toBe(true);
  });

  it("can be stopped before its caches sync, and restarted", async () => {
    lw.listError = new Error("down");
    informer = new Informer({ listWatcher: lw, resyncMs: 0 });
    informer.start();
    const c = make(recordingReconcile());
    const started = c.start();
    await tick(10);
    expect(await c.stop()).toBe(true);
    await started;
    expect(c.workersStarted()).toBe(false);
    lw.listError = undefined;
    await tick(2000);
    await c.start();
    await tick();
    expect(calls).toEqual(["ns/a"]);
    c.enqueue({ namespace: "ns", name: "manual" });
    await tick();
    expect(calls).toEqual(["ns/a", "ns/manual"]);
  });
});
