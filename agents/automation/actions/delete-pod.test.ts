import { describe, expect, it } from "vitest";
import { fakeContext } from "../fake-context.ts";
import { deletePodAction, deletePodRefusal } from "./delete-pod.ts";

describe("DeletePod", () => {
  it("refuses pods nothing would bring back", () => {
    const owner = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: "u", controller: true }];
    expect(
      deletePodRefusal({ metadata: { namespace: "shop", name: "p", ownerReferences: owner } }),
    ).toBeUndefined();
    expect(deletePodRefusal({ metadata: { namespace: "shop", name: "p" } })).toBe(
      "pod shop/p has no controller; deleting it would not bring it back",
    );
    expect(
      deletePodRefusal({
        metadata: {
          namespace: "kube-system",
          name: "etcd",
          annotations: { "kubernetes.io/config.mirror": "h" },
          ownerReferences: owner,
        },
      }),
    ).toMatch(/static pod's mirror/);
  });

  it("fails the dry run of a bare pod without sending the delete", async () => {
    let deleted = false;
    const ctx = fakeContext({
      core: {
        readNamespacedPod: async () => ({ metadata: { namespace: "shop", name: "p" } }),
        deleteNamespacedPod: async () => {
          deleted = true;
        },
      },
    });
    const s = {
      name: "s",
      action: "DeletePod" as const,
      target: { kind: "Pod", namespace: "shop", name: "p" },
    };
    expect(await deletePodAction.dryRun(ctx, s)).toEqual({
      passed: false,
      message: "pod shop/p has no controller; deleting it would not bring it back",
    });
    expect(deleted).toBe(false);
  });
});
