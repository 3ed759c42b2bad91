import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  CLEANUP_FINALIZER,
  addFinalizer,
  hasFinalizer,
  isBeingDeleted,
  removeFinalizer,
  type FinalizerClient,
} from "./finalizers.ts";

function fakeClient() {
  const calls: Array<{ method: string; path: string; body: unknown; contentType?: string }> = [];
  const client: FinalizerClient = {
    pathOf: async (ref) =>
      `/apis/aisre.io/v1alpha1/namespaces/${ref.metadata?.namespace}/sretasks/${ref.metadata?.name}`,
    request: async <T>(method: string, path: string, opts: { body?: unknown; contentType?: string } = {}) => {
      calls.push({ method, path, body: opts.body, contentType: opts.contentType });
      return { patched: true } as T;
    },
  };
  return { client, calls };
}

const task = (finalizers?: string[]): KubernetesObject => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { namespace: "ns", name: "t1", resourceVersion: "7", finalizers },
});

describe("finalizers", () => {
  it("uses the domain-qualified cleanup finalizer", () => {
    expect(CLEANUP_FINALIZER).toBe("aisre.io/cleanup");
    expect(hasFinalizer(task([CLEANUP_FINALIZER]))).toBe(true);
    expect(hasFinalizer(task())).toBe(false);
    expect(isBeingDeleted({ metadata: { deletionTimestamp: new Date() } })).toBe(true);
  });

  it("adds with a merge patch guarded by resourceVersion, keeping other finalizers", async () => {
    const { client, calls } = fakeClient();
    const out = await addFinalizer(client, task(["other.io/x"]));
    expect(out).toEqual({ patched: true });
    expect(calls).toEqual([
      {
        method: "PATCH",
        path: "/apis/aisre.io/v1alpha1/namespaces/ns/sretasks/t1",
        contentType: "application/merge-patch+json",
        body: { metadata: { finalizers: ["other.io/x", "aisre.io/cleanup"], resourceVersion: "7" } },
      },
    ]);
  });

  it("removes only ours, and writes nothing when there is nothing to do", async () => {
    const { client, calls } = fakeClient();
    await removeFinalizer(client, task(["other.io/x", CLEANUP_FINALIZER]));
    expect(calls[0]?.body).toEqual({ metadata: { finalizers: ["other.io/x"], resourceVersion: "7" } });
    const present = task([CLEANUP_FINALIZER]);
    expect(await addFinalizer(client, present)).toBe(present);
    const absent = task();
    expect(await removeFinalizer(client, absent)).toBe(absent);
    expect(calls).toHaveLength(1);
  });
});
