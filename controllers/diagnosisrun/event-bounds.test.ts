import type { KubernetesObject } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeListWatcher } from "../../runtime/fake-list-watcher.ts";
import { Informer, systemClock } from "../../runtime/index.ts";
import { DEFAULT_EVENT_BOUNDS, EventCacheBounds, parseEventBounds } from "./event-bounds.ts";
import { addLiveIndexes, cacheTransform } from "./live-cache.ts";
import { LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const EVENT = LIVE_KINDS.find((k) => k.kind === "Event")!;

let seq = 0;
function event(ns: string, pod: string, minutesAgo: number, extra: object = {}): KubernetesObject {
  const at = new Date(NOW - minutesAgo * 60_000).toISOString();
  return {
    apiVersion: "v1",
    metadata: { namespace: ns, name: `${pod}.${++seq}`, resourceVersion: String(seq), managedFields: [{}] },
    involvedObject: { kind: "Pod", namespace: ns, name: pod },
    reason: "BackOff",
    message: "Back-off restarting failed container",
    lastTimestamp: at,
    ...extra,
  } as KubernetesObject;
}

const names = (inf: Informer<KubernetesObject>, ns?: string) =>
  inf
    .list(ns)
    .map((o) => o.metadata?.name)
    .sort();

describe("parseEventBounds", () => {
  it("reads any subset and names the bad part", () => {
    expect(parseEventBounds(undefined)).toEqual(DEFAULT_EVENT_BOUNDS);
    expect(parseEventBounds(" maxAgeMinutes=120, perObject=5 ")).toEqual({
      ...DEFAULT_EVENT_BOUNDS,
      maxAgeMinutes: 120,
      perObject: 5,
    });
    expect(() => parseEventBounds("perObject=0")).toThrow(
      /AISRE_EVENT_CACHE: perObject=0 is not a positive integer/,
    );
    expect(() => parseEventBounds("maxAge=5")).toThrow(/unknown setting "maxAge"/);
  });
});

describe("EventCacheBounds", () => {
  let lw: FakeListWatcher;
  let inf: Informer<KubernetesObject>;
  let bounds: EventCacheBounds;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    seq = 0;
    lw = new FakeListWatcher();
    inf = new Informer({ listWatcher: lw, resyncMs: 0, random: () => 0.5 });
    bounds = new EventCacheBounds(inf, { maxAgeMinutes: 60, perObject: 3, perNamespace: 10 }, systemClock);
    inf.setTransform(cacheTransform(EVENT, (o) => bounds.admit(o)));
    addLiveIndexes(inf, "Event");
    bounds.start(60_000);
  });

  afterEach(async () => {
    bounds.stop();
    await inf.stop();
    vi.useRealTimers();
  });

  it("never caches an Event older than maxAge, and stores lean Events", async () => {
    lw.items = [
      event("a", "p", 5),
      event("a", "p", 61),
      event("a", "q", 59, {
        series: { lastObservedTime: new Date(NOW).toISOString() },
        lastTimestamp: new Date(NOW - 90 * 60_000).toISOString(),
      }),
    ];
    inf.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(names(inf)).toEqual(["p.1", "q.3"]);
    const cached = inf.get("a", "p.1") as KubernetesObject & Record<string, unknown>;
    expect(cached.kind).toBe("Event");
    expect(cached.metadata?.managedFields).toBeUndefined();
    expect(cached.reason).toBe("BackOff");
  });

  it("never caches the operator's own Events (about aisre.io objects), in either Event API", async () => {
    const task = { apiVersion: "aisre.io/v1alpha1", kind: "SreTask", namespace: "a", name: "t" };
    lw.items = [
      event("a", "t", 1, { involvedObject: task, reason: "Accepted" }),
      event("a", "r", 1, {
        apiVersion: "events.k8s.io/v1",
        involvedObject: undefined,
        regarding: { ...task, kind: "DiagnosisRun", name: "r" },
        reason: "RootCauseFound",
      }),
      event("a", "p", 1, { involvedObject: { apiVersion: "v1", kind: "Pod", namespace: "a", name: "p" } }),
      event("a", "d", 1, {
        involvedObject: { apiVersion: "apps/v1", kind: "Deployment", namespace: "a", name: "d" },
      }),
    ];
    inf.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(names(inf)).toEqual(["d.4", "p.3"]);
    lw.current.emit("ADDED", event("a", "t", 0, { involvedObject: task, reason: "SeenBefore" }));
    expect(names(inf)).toEqual(["d.4", "p.3"]);
    // An Event about a Pod without an apiVersion in its reference is still evidence.
    lw.current.emit("ADDED", event("a", "p", 0));
    expect(names(inf)).toEqual(["d.4", "p.3", "p.6"]);
  });

  it("keeps the newest perObject Events about one object, evicting on insert", async () => {
    lw.items = [event("a", "p", 10), event("a", "p", 20), event("a", "p", 30), event("a", "other", 40)];
    inf.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(names(inf)).toEqual(["other.4", "p.1", "p.2", "p.3"]);
    lw.current.emit("ADDED", event("a", "p", 1));
    // p.3 (30 min) was the oldest about pod p; the unrelated Event stays.
    expect(names(inf)).toEqual(["other.4", "p.1", "p.2", "p.5"]);
  });

  it("trims a namespace past perNamespace down to 90 %, oldest first, leaving other namespaces alone", async () => {
    lw.items = [
      ...Array.from({ length: 10 }, (_, i) => event("busy", `pod${i}`, 50 - i)),
      event("calm", "x", 55),
    ];
    inf.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(inf.list("busy")).toHaveLength(10);
    lw.current.emit("ADDED", event("busy", "new", 0));
    expect(inf.list("busy")).toHaveLength(9);
    // The two oldest (pod0 at 50 min, pod1 at 49 min) are gone, the new one is kept.
    expect(names(inf, "busy")).not.toContain("pod0.1");
    expect(names(inf, "busy")).not.toContain("pod1.2");
    expect(names(inf, "busy")).toContain("new.12");
    expect(names(inf, "calm")).toEqual(["x.11"]);
  });

  it("sweeps Events that aged past maxAge on the timer, and a repeat brings one back", async () => {
    lw.items = [event("a", "p", 50), event("a", "q", 5)];
    inf.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(names(inf)).toEqual(["p.1", "q.2"]);
    await vi.advanceTimersByTimeAsync(11 * 60_000);
    expect(names(inf)).toEqual(["q.2"]);
    const repeated = {
      ...event("a", "p", 0),
      metadata: { namespace: "a", name: "p.1", resourceVersion: "99" },
    };
    lw.current.emit("MODIFIED", repeated);
    expect(names(inf)).toEqual(["p.1", "q.2"]);
  });
});
