import type { V1Pod } from "@kubernetes/client-node";
import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { ActionFailedError } from "./action.ts";
import { drainNode, evictionFailure } from "./actions/drain-node.ts";
import { planDrain } from "./drain-pods.ts";
import { fakeContext } from "./fake-context.ts";

const owned = (kind: string) => [{ apiVersion: "apps/v1", kind, name: "o", uid: "u", controller: true }];
const pod = (name: string, extra: Partial<V1Pod> = {}, meta: V1Pod["metadata"] = {}): V1Pod => ({
  metadata: { name, namespace: "shop", uid: `uid-${name}`, ownerReferences: owned("ReplicaSet"), ...meta },
  spec: { containers: [] },
  status: { phase: "Running" },
  ...extra,
});
const OPTS = { ignoreDaemonSets: true, deleteEmptyDirData: false };
const names = (pods: V1Pod[]) => pods.map((p) => p.metadata?.name);

describe("planDrain", () => {
  it("evicts controller-owned pods; skips DaemonSet, mirror and finished pods; waits for terminating ones", () => {
    const plan = planDrain(
      [
        pod("web"),
        pod("agent", {}, { ownerReferences: owned("DaemonSet") }),
        pod("static", {}, { annotations: { "kubernetes.io/config.mirror": "x" }, ownerReferences: [] }),
        pod("done", { status: { phase: "Succeeded" } }),
        pod("going", {}, { deletionTimestamp: new Date() }),
      ],
      OPTS,
    );
    expect(names(plan.evict)).toEqual(["web"]);
    expect(names(plan.terminating)).toEqual(["going"]);
    expect(plan.problems).toEqual([]);
  });

  it("refuses bare pods, emptyDir data unless allowed, and DaemonSet pods unless ignored", () => {
    const cache = pod("cache", { spec: { containers: [], volumes: [{ name: "tmp", emptyDir: {} }] } });
    const plan = planDrain(
      [
        pod("bare", {}, { ownerReferences: [] }),
        cache,
        pod("agent", {}, { ownerReferences: owned("DaemonSet") }),
      ],
      {
        ignoreDaemonSets: false,
        deleteEmptyDirData: false,
      },
    );
    expect(plan.problems).toEqual([
      "pod shop/bare has no controller; evicting it would lose it",
      "pod shop/cache has emptyDir data; set deleteEmptyDirData to evict it",
      "pod shop/agent belongs to a DaemonSet; set ignoreDaemonSets",
    ]);
    expect(names(planDrain([cache], { ...OPTS, deleteEmptyDirData: true }).evict)).toEqual(["cache"]);
  });
});

describe("DrainNode eviction failures", () => {
  const tooMany = new ApiException(
    429,
    "Too Many Requests",
    JSON.stringify({
      kind: "Status",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      code: 429,
    }),
    {},
  );

  it("names a 429 as a PodDisruptionBudget block with the API server's words", () => {
    expect(evictionFailure("shop/web", tooMany)).toBe(
      "eviction of pod shop/web blocked by a PodDisruptionBudget: Cannot evict pod as it would violate the pod's disruption budget.",
    );
    expect(evictionFailure("shop/web", new ApiException(500, "x", "boom", {}))).toBe(
      "eviction of pod shop/web failed: HTTP 500: boom",
    );
  });

  it("stops at a 429 that races past the trial evictions, keeping the undo state of what it did", async () => {
    const calls: string[] = [];
    const ctx = fakeContext({
      core: {
        readNode: async () => ({ spec: {} }),
        patchNode: async (p: { body: unknown; dryRun?: string }) =>
          calls.push(`patch ${JSON.stringify(p.body)} ${p.dryRun ?? ""}`),
        listPodForAllNamespaces: async () => ({ items: [pod("a"), pod("b")] }),
        createNamespacedPodEviction: async (p: { name: string; dryRun?: string }) => {
          calls.push(`evict ${p.name} ${p.dryRun ?? ""}`);
          if (p.name === "b" && !p.dryRun) throw tooMany;
        },
      },
    });
    const s = { name: "d", action: "DrainNode" as const, target: { kind: "Node", name: "n1" } };
    const err = await drainNode.execute(ctx, s).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionFailedError);
    expect((err as ActionFailedError).message).toMatch(
      /stopped after 1 evictions: eviction of pod shop\/b blocked by a PodDisruptionBudget/,
    );
    expect((err as ActionFailedError).undoState).toEqual({ cordoned: true, evicted: ["shop/a"] });
    expect(calls).toEqual([
      'patch {"spec":{"unschedulable":true}} ',
      "evict a All",
      "evict b All",
      "evict a ",
      "evict b ",
    ]);
  });
});
