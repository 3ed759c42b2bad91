import { afterEach, describe, expect, it } from "vitest";
import { serverSideApply } from "./apply.ts";
import { startFakeApiServer, type FakeApiServer } from "../kube/fake-api-server.ts";
import { KubeClient } from "../kube/kube-api.ts";

const discovery = {
  kind: "APIResourceList",
  groupVersion: "aisre.io/v1alpha1",
  resources: [{ name: "diagnosisruns", kind: "DiagnosisRun", namespaced: true, singularName: "", verbs: [] }],
};

describe("serverSideApply", () => {
  let api: FakeApiServer | undefined;
  afterEach(async () => api?.close());

  it("PATCHes apply-patch+yaml with the field manager and force, without managedFields", async () => {
    api = await startFakeApiServer((req) =>
      req.method === "GET"
        ? { body: discovery }
        : { body: { ...(req.body as object), status: { phase: "x" } } },
    );
    const client = KubeClient.fromKubeConfig(api.kc);
    const desired = {
      apiVersion: "aisre.io/v1alpha1",
      kind: "DiagnosisRun",
      metadata: { namespace: "ns", name: "r1", managedFields: [{ manager: "x" }] },
      spec: { task: "t1" },
    };
    const out = await serverSideApply(client, desired);
    expect(out).toMatchObject({ spec: { task: "t1" }, status: { phase: "x" } });
    await serverSideApply(client, desired, { dryRun: true, force: false, fieldManager: "other" });
    const [disc, apply, dry] = api.requests;
    expect(disc?.path).toBe("/apis/aisre.io/v1alpha1");
    expect(apply).toMatchObject({
      method: "PATCH",
      path: "/apis/aisre.io/v1alpha1/namespaces/ns/diagnosisruns/r1",
      contentType: "application/apply-patch+yaml",
      body: {
        apiVersion: "aisre.io/v1alpha1",
        kind: "DiagnosisRun",
        metadata: { namespace: "ns", name: "r1" },
      },
    });
    expect((apply?.body as { metadata: object }).metadata).not.toHaveProperty("managedFields");
    expect(Object.fromEntries(apply?.query ?? [])).toEqual({ fieldManager: "aisre-operator", force: "true" });
    expect(Object.fromEntries(dry?.query ?? [])).toEqual({
      fieldManager: "other",
      force: "false",
      dryRun: "All",
    });
    expect(api.requests).toHaveLength(3);
  });

  it("rejects an object without apiVersion, kind or name", async () => {
    const client = { request: async () => ({}), pathOf: async () => "/" } as never;
    await expect(serverSideApply(client, { metadata: { name: "x" } })).rejects.toThrow(/apiVersion/);
  });
});
