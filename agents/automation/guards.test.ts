import { ApiException } from "@kubernetes/client-node";
import { Type } from "@sinclair/typebox";
import { describe, expect, it } from "vitest";
import { ActionFailedError } from "./action.ts";
import { fakeContext } from "./fake-context.ts";
import { dryRunOf, preconditionsOf } from "./guards.ts";

const Params = Type.Object({ replicas: Type.Integer() }, { additionalProperties: false });
const step = (params: Record<string, unknown>) => ({
  name: "s",
  action: "ScaleWorkload" as const,
  target: { kind: "Deployment", namespace: "shop", name: "web" },
  params,
});
const notFound = new ApiException(
  404,
  "Not Found",
  JSON.stringify({ message: 'deployments.apps "web" not found' }),
  {},
);

describe("guards", () => {
  it("check params before anything reaches the API server", async () => {
    let called = false;
    const check = preconditionsOf(Params, async () => {
      called = true;
      return [];
    });
    expect(await check(fakeContext({}), step({ replicas: "3" }))).toEqual([
      "params.replicas: Expected integer",
    ]);
    expect(await check(fakeContext({}), step({ replicas: 3, extra: 1 }))).toEqual([
      expect.stringContaining("params.extra"),
    ]);
    expect(called).toBe(false);
    const dry = dryRunOf(Params, async () => ({ passed: true, message: "" }));
    expect(await dry(fakeContext({}), step({}))).toMatchObject({
      passed: false,
      message: expect.stringContaining("replicas"),
    });
  });

  it("turn not-found and refusals into answers, and let unexpected errors through", async () => {
    const ctx = fakeContext({});
    expect(
      await preconditionsOf(Params, async () => Promise.reject(notFound))(ctx, step({ replicas: 1 })),
    ).toEqual(['not found: deployments.apps "web" not found']);
    const refused = dryRunOf(Params, async () => Promise.reject(new ActionFailedError("no")));
    expect(await refused(ctx, step({ replicas: 1 }))).toEqual({ passed: false, message: "no" });
    const broken = preconditionsOf(Params, async () => Promise.reject(new Error("connection refused")));
    await expect(broken(ctx, step({ replicas: 1 }))).rejects.toThrow("connection refused");
  });
});
