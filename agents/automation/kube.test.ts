import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiException, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIELD_MANAGER, JSON_PATCH, MERGE_PATCH, apiMessage, dryRunParam, selectorString } from "./kube.ts";

/** Requests as the API server would see them. */
const seen: { method?: string; url?: string; contentType?: string; body: string }[] = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    seen.push({ method: req.method, url: req.url, contentType: req.headers["content-type"], body });
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } }));
  });
});
let core: CoreV1Api;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const kc = new KubeConfig();
  const server_ = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kc.loadFromOptions({
    clusters: [{ name: "c", server: server_, skipTLSVerify: true }],
    users: [{ name: "u" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("patch requests on the wire", () => {
  it("send a merge patch with its content type, the field manager and dryRun=All", async () => {
    seen.length = 0;
    const body = { spec: { unschedulable: true } };
    await core.patchNode(
      { name: "n1", body, dryRun: dryRunParam(true), fieldManager: FIELD_MANAGER },
      MERGE_PATCH,
    );
    expect(seen[0]).toEqual({
      method: "PATCH",
      url: "/api/v1/nodes/n1?dryRun=All&fieldManager=aisre-operator",
      contentType: "application/merge-patch+json",
      body: JSON.stringify(body),
    });
  });

  it("send a JSON patch with its content type and no dryRun for the real request", async () => {
    seen.length = 0;
    await core.patchNode(
      { name: "n1", body: [{ op: "test", path: "/metadata/name", value: "n1" }], dryRun: dryRunParam(false) },
      JSON_PATCH,
    );
    expect(seen[0]?.contentType).toBe("application/json-patch+json");
    expect(seen[0]?.url).toBe("/api/v1/nodes/n1");
  });
});

describe("apiMessage", () => {
  it("reads the Status message of an API error, else the raw text", () => {
    const status = JSON.stringify({ kind: "Status", message: 'deployments.apps "x" not found', code: 404 });
    expect(apiMessage(new ApiException(404, "Not Found", status, {}))).toBe('deployments.apps "x" not found');
    expect(apiMessage(new ApiException(502, "Bad Gateway", "upstream down", {}))).toBe(
      "HTTP 502: upstream down",
    );
    expect(apiMessage(new ApiException(401, "Unauthorized", undefined, {}))).toBe("HTTP 401");
    expect(apiMessage(new Error("socket hang up"))).toBe("socket hang up");
  });
});

describe("selectorString", () => {
  it("renders matchLabels and matchExpressions as a label selector", () => {
    expect(
      selectorString({
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["a", "b"] },
          { key: "canary", operator: "DoesNotExist" },
          { key: "zone", operator: "NotIn", values: ["x"] },
          { key: "gpu", operator: "Exists" },
        ],
      }),
    ).toBe("app=web,tier in (a,b),!canary,zone notin (x),gpu");
    expect(selectorString(undefined)).toBe("");
  });
});
