import { describe, expect, it } from "vitest";
import { MemoryView } from "../view.ts";
import type { Pod } from "../k8s.ts";
import { onsetOf, podOnset } from "./onset.ts";
import { ago, crashingPod, NOW } from "./testing.ts";

describe("onset", () => {
  it("is the first crash, not the unready-since-creation condition", () => {
    const pod = crashingPod(2, 4) as Pod;
    const view = new MemoryView([pod], { now: NOW });
    expect(podOnset(view, pod)).toBe(NOW - 4 * 60_000);
  });

  it("takes the earliest Warning event of the pods and objects", () => {
    const pod = crashingPod(2, 4) as Pod;
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "e1", namespace: "shop" },
      involvedObject: { kind: "Pod", namespace: "shop", name: pod.metadata?.name, uid: pod.metadata?.uid },
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container",
      firstTimestamp: ago(9),
      lastTimestamp: ago(1),
      count: 12,
    };
    const normal = {
      ...event,
      metadata: { name: "e2", namespace: "shop" },
      type: "Normal",
      reason: "Pulled",
      firstTimestamp: ago(30),
    };
    const view = new MemoryView([pod, event, normal], { now: NOW });
    expect(onsetOf(view, [pod], [])).toBe(NOW - 9 * 60_000);
  });

  it("is undefined when nothing shows a failure time", () => {
    const view = new MemoryView([], { now: NOW });
    expect(onsetOf(view, [], [])).toBeUndefined();
  });
});
