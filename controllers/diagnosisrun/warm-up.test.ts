import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";
import type { ResourceType } from "../../kube/kube-api.ts";
import { warmLister } from "./warm-up.ts";

const kind = (k: string) => LIVE_KINDS.find((rt) => rt.kind === k)!;

describe("the warm-up lister of a run scoped to one namespace", () => {
  const calls: string[] = [];
  const lister = (from: string) => (rt: ResourceType) => {
    calls.push(`${from}:${rt.kind}`);
    return [{ kind: rt.kind, metadata: { name: from } }] as KubernetesObject[];
  };

  it("reads the namespace's objects, but runbooks and NetworkPolicies whole, as the cached view does", async () => {
    calls.length = 0;
    const list = warmLister(lister("ns"), lister("all"));
    expect((await list(kind("Pod")))[0]?.metadata?.name).toBe("ns");
    expect((await list(kind("Deployment")))[0]?.metadata?.name).toBe("ns");
    expect((await list(kind("Runbook")))[0]?.metadata?.name).toBe("all");
    expect((await list(kind("NetworkPolicy")))[0]?.metadata?.name).toBe("all");
    expect(calls).toEqual(["ns:Pod", "ns:Deployment", "all:Runbook", "all:NetworkPolicy"]);
  });

  it("lists each kind once per run: the pods for the logs are the pods of the view", async () => {
    calls.length = 0;
    const list = warmLister(lister("ns"), lister("all"));
    const [a, b] = await Promise.all([list(kind("Pod")), list(kind("Pod"))]);
    expect(a).toBe(b);
    expect(calls).toEqual(["ns:Pod"]);
  });
});
