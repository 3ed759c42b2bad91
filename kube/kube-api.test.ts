import { ApiException } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeApiServer, type FakeApiServer } from "./fake-api-server.ts";
import {
  KubeClient,
  apiVersionOf,
  collectionPath,
  isConflict,
  isGone,
  isNotFound,
  objectPath,
  statusCode,
  type ResourceType,
} from "./kube-api.ts";

const TASKS: ResourceType = {
  group: "aisre.io",
  version: "v1alpha1",
  kind: "SreTask",
  plural: "sretasks",
  namespaced: true,
};
const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
const NODES: ResourceType = { group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false };

describe("paths", () => {
  it("builds group, core, namespaced and cluster-wide paths", () => {
    expect(apiVersionOf(TASKS)).toBe("aisre.io/v1alpha1");
    expect(apiVersionOf(PODS)).toBe("v1");
    expect(collectionPath(TASKS, "ns")).toBe("/apis/aisre.io/v1alpha1/namespaces/ns/sretasks");
    expect(collectionPath(TASKS)).toBe("/apis/aisre.io/v1alpha1/sretasks");
    expect(collectionPath(NODES, "ignored")).toBe("/api/v1/nodes");
    expect(objectPath(PODS, "ns", "p1", "status")).toBe("/api/v1/namespaces/ns/pods/p1/status");
  });
});

describe("status codes", () => {
  it("reads ApiException, Watch errors and Status bodies", () => {
    expect(statusCode(new ApiException(404, "x", {}, {}))).toBe(404);
    expect(statusCode({ statusCode: 410 })).toBe(410);
    expect(statusCode({ kind: "Status", code: 409 })).toBe(409);
    expect(statusCode({ body: { code: 500 } })).toBe(500);
    expect(statusCode(new Error("x"))).toBeUndefined();
    expect(statusCode(undefined)).toBeUndefined();
    expect(isNotFound({ code: 404 }) && isConflict({ code: 409 }) && isGone({ code: 410 })).toBe(true);
  });
});

describe("KubeClient", () => {
  let api: FakeApiServer | undefined;
  afterEach(async () => api?.close());

  it("returns raw JSON (no typed Date conversion) and throws ApiException with the status", async () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", creationTimestamp: "2025-01-01T00:00:00Z" },
    };
    api = await startFakeApiServer((req) =>
      req.path.endsWith("/missing")
        ? { status: 404, body: { kind: "Status", code: 404, message: "gone" } }
        : { body: pod },
    );
    const client = KubeClient.fromKubeConfig(api.kc);
    const got = await client.request<typeof pod>("GET", "/api/v1/namespaces/ns/pods/p", {
      query: { a: 1, b: undefined },
    });
    expect(got.metadata.creationTimestamp).toBe("2025-01-01T00:00:00Z");
    expect(api.requests[0]?.query.toString()).toBe("a=1");
    const err = await client.request("GET", "/api/v1/namespaces/ns/pods/missing").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect(isNotFound(err)).toBe(true);
  });

  it("resolves paths through discovery and reads objects, undefined when missing", async () => {
    api = await startFakeApiServer((req) => {
      if (req.path === "/api/v1")
        return { body: { resources: [{ name: "pods", kind: "Pod", namespaced: true }] } };
      return req.path.endsWith("/p1") ? { body: { kind: "Pod" } } : { status: 404, body: {} };
    });
    const client = KubeClient.fromKubeConfig(api.kc);
    expect(
      await client.pathOf({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "ns", name: "p1" } }),
    ).toBe("/api/v1/namespaces/ns/pods/p1");
    expect(
      await client.getObject({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "ns", name: "p1" } }),
    ).toEqual({
      kind: "Pod",
    });
    expect(
      await client.getObject({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "ns", name: "p2" } }),
    ).toBe(undefined);
  });
});
