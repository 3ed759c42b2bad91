import type { V1Deployment } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Step } from "../../agents/automation/action.ts";
import { ROLLED_BACK_FROM } from "../../agents/automation/actions/rollout-undo.ts";
import { catalog } from "../../agents/automation/catalog.ts";
import { fakeContext } from "../../agents/automation/fake-context.ts";
import { resolveInterrupted } from "./exactly-once.ts";

/** A Deployment running image tag `tag`, carrying the rolled-back-from mark when given. */
const deployment = (tag: string, mark?: string): V1Deployment => ({
  metadata: {
    name: "web",
    namespace: "shop",
    ...(mark ? { annotations: { [ROLLED_BACK_FROM]: mark } } : {}),
  },
  spec: {
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "app", image: `registry.example.com/web:${tag}` }] },
    },
  },
});

const step: Step = {
  name: "s",
  action: "RolloutUndo",
  target: { kind: "Deployment", namespace: "shop", name: "web" },
};

/** Observes before the fence on `atFence`, then resolves the interrupted step against `now`. */
async function recover(atFence: V1Deployment, now: V1Deployment) {
  let served = atFence;
  const ctx = fakeContext({ apps: { readNamespacedDeployment: async () => served } });
  const observer = catalog.get("RolloutUndo")!.recovery;
  if (observer.mode !== "observe") throw new Error("RolloutUndo is observed");
  const before = await observer.observer.before(ctx, step);
  const r = resolveInterrupted(catalog, "RolloutUndo", {
    name: "s",
    phase: "Running",
    attempt: 1,
    undoState: { observedBefore: before },
  });
  if (r.kind !== "observe") throw new Error(`expected observe, got ${r.kind}`);
  served = now;
  return r.observer.after(ctx, step, r.before);
}

describe("the RolloutUndo observer after a crash between the fence and the result write", () => {
  it("a new mark: the rollback ran, and the mark names the revision undo restores", async () => {
    expect(await recover(deployment("v2"), deployment("v1", "web-v2"))).toEqual({
      fromRevisionName: "web-v2",
    });
  });

  it("nothing moved: it did not run (it executes again)", async () => {
    expect(await recover(deployment("v2"), deployment("v2"))).toBeUndefined();
    expect(await recover(deployment("v2", "web-v2"), deployment("v2", "web-v2"))).toBeUndefined();
  });

  it("the same mark as at the fence but a moved template: it ran (rolled back again from a revision redeployed after an earlier rollback)", async () => {
    // Before the fix the unchanged mark read as "did not run": execute again refused with
    // "already rolled back from web-v2" and failed a plan whose rollback had happened.
    expect(await recover(deployment("v2", "web-v2"), deployment("v1", "web-v2"))).toEqual({
      fromRevisionName: "web-v2",
    });
  });

  it("an observation fenced before the template fingerprint existed: the mark alone decides", async () => {
    const ctx = fakeContext({ apps: { readNamespacedDeployment: async () => deployment("v1", "web-v2") } });
    const recovery = catalog.get("RolloutUndo")!.recovery;
    if (recovery.mode !== "observe") throw new Error("RolloutUndo is observed");
    expect(await recovery.observer.after(ctx, step, { rolledBackFrom: "web-v2" })).toBeUndefined();
    expect(await recovery.observer.after(ctx, step, { rolledBackFrom: "" })).toEqual({
      fromRevisionName: "web-v2",
    });
  });
});
