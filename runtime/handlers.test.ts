import type { KubernetesObject } from "@kubernetes/client-node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Controller } from "./controller.ts";
import { FakeListWatcher } from "./fake-list-watcher.ts";
import { skipSettled } from "./handlers.ts";
import { Informer } from "./informer.ts";

type Obj = KubernetesObject & { status?: { phase?: string } };

const obj = (name: string, phase?: string, rv = "1"): Obj => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { namespace: "ns", name, resourceVersion: rv, uid: `uid-${name}` },
  ...(phase ? { status: { phase } } : {}),
});

const done = (o: Obj) => o.status?.phase === "Diagnosed";

describe("skipSettled", () => {
  const pred = skipSettled(done);

  it("drops adds and resyncs of settled objects only", () => {
    const settled = obj("a", "Diagnosed");
    expect(pred({ type: "add", obj: settled })).toBe(false);
    expect(pred({ type: "update", obj: settled, old: settled })).toBe(false);
    expect(pred({ type: "add", obj: obj("b") })).toBe(true);
    const pending = obj("c", "Pending");
    expect(pred({ type: "update", obj: pending, old: pending })).toBe(true);
  });

  it("passes real updates and deletes of settled objects", () => {
    const now = obj("a", "Diagnosed", "2");
    expect(pred({ type: "update", obj: now, old: obj("a", "Diagnosing", "1") })).toBe(true);
    expect(pred({ type: "update", obj: now, old: obj("a", "Diagnosed", "1") })).toBe(true);
    expect(pred({ type: "delete", obj: now })).toBe(true);
  });
});

describe("Controller with skipSettled on a restart", () => {
  let ctrl: Controller | undefined;
  afterEach(async () => {
    await ctrl?.stop(1000);
    vi.useRealTimers();
  });

  it("reconciles the one new object of 2,000 settled ones first, and the settled ones not at all", async () => {
    vi.useFakeTimers();
    const lw = new FakeListWatcher();
    lw.items = [
      ...Array.from({ length: 2000 }, (_, i) => obj(`old-${i}`, "Diagnosed")),
      obj("new", "Pending"),
    ];
    const informer = new Informer({ listWatcher: lw, resyncMs: 60_000 });
    informer.start();
    const calls: string[] = [];
    ctrl = new Controller({
      name: "sretask",
      for: informer,
      predicate: skipSettled(done),
      reconcile: async (req) => void calls.push(req.name),
    });
    await ctrl.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual(["new"]);
    expect(ctrl.queueLength()).toBe(0);

    // A resync replays everything: only the unsettled object comes back.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual(["new", "new"]);

    // A real change of a settled object (e.g. a new alert episode) still reaches the reconciler.
    lw.current.emit("MODIFIED", obj("old-7", "Diagnosed", "2"));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual(["new", "new", "old-7"]);
    await informer.stop();
  });
});
