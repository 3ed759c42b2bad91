import { describe, expect, it } from "vitest";
import type { K8sObject } from "./k8s.ts";
import { MemoryView } from "./view.ts";

const objs: K8sObject[] = [
  { kind: "Pod", metadata: { name: "a", namespace: "x", uid: "ua", labels: { app: "web", tier: "fe" } } },
  { kind: "Pod", metadata: { name: "b", namespace: "x", labels: { app: "web", tier: "be" } } },
  { kind: "Pod", metadata: { name: "c", namespace: "y", labels: { app: "web" } } },
  {
    apiVersion: "v1",
    kind: "Event",
    involvedObject: { kind: "Pod", namespace: "x", name: "a", uid: "ua" },
    reason: "BackOff",
    message: "m1",
    count: 3,
  },
  {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { namespace: "x" },
    regarding: { kind: "Pod", namespace: "x", name: "a" },
    reason: "Unhealthy",
    note: "m2",
    series: { count: 7, lastObservedTime: "2026-01-01T00:00:00Z" },
  },
];

describe("MemoryView", () => {
  const view = new MemoryView(objs, { now: 0 });

  it("selects pods by Service maps and LabelSelectors within a namespace", () => {
    expect(view.podsSelected("x", { app: "web" }).map((p) => p.metadata?.name)).toEqual(["a", "b"]);
    expect(
      view
        .podsSelected("x", {
          matchLabels: { app: "web" },
          matchExpressions: [{ key: "tier", operator: "In", values: ["be"] }],
        })
        .map((p) => p.metadata?.name),
    ).toEqual(["b"]);
    expect(view.podsSelected("x", {})).toEqual([]);
  });

  it("normalises both Event APIs and finds them by uid or by kind/name", () => {
    const events = view.eventsFor(objs[0]!);
    expect(events.map((e) => `${e.reason}:${e.message}:${e.count}`)).toEqual([
      "BackOff:m1:3",
      "Unhealthy:m2:7",
    ]);
    expect(events[1]?.lastSeen).toBe(Date.parse("2026-01-01T00:00:00Z"));
  });
});

describe("MemoryView.fromLists", () => {
  it("sets the kind of informer items that lack it", () => {
    const view = MemoryView.fromLists(
      { Pod: [{ metadata: { name: "a", namespace: "x", labels: { app: "w" } } }] },
      { now: 0 },
    );
    expect(view.podsSelected("x", { app: "w" }).map((p) => p.kind)).toEqual(["Pod"]);
  });
});
