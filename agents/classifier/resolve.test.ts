import { describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { MemoryView } from "../diagnosis/view.ts";
import { classifyTask } from "./classify.ts";
import { resolveTarget } from "./resolve.ts";

const view = new MemoryView([
  { kind: "Deployment", metadata: { name: "payment", namespace: "pay" } },
  { kind: "Deployment", metadata: { name: "checkout", namespace: "shop" } },
  { kind: "Service", metadata: { name: "checkout", namespace: "shop" } },
  { kind: "Deployment", metadata: { name: "api", namespace: "a" } },
  { kind: "Deployment", metadata: { name: "api", namespace: "b" } },
  { kind: "StatefulSet", metadata: { name: "zk", namespace: "data" } },
  { kind: "Node", metadata: { name: "worker-3" } },
]);
const classify = (description: string) =>
  classifyTask({
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: {},
    spec: { description },
  } as SreTask);

describe("resolveTarget", () => {
  it("fills the namespace of a guessed name the cluster holds once, and becomes sure", () => {
    const c = resolveTarget(classify("帮我重启 payment"), view);
    expect(c).toMatchObject({
      type: "Remediate",
      target: { kind: "Deployment", namespace: "pay", name: "payment" },
      confidence: 0.85,
      unsure: false,
    });
    expect(c.rationale).toMatch(/Deployment pay\/payment exists in the cluster\.$/);
  });

  it("corrects a guessed kind", () => {
    expect(resolveTarget(classify("看看 zk 怎么了"), view).target).toEqual({
      kind: "StatefulSet",
      namespace: "data",
      name: "zk",
    });
  });

  it("keeps the stated kind when it exists", () => {
    expect(resolveTarget(classify("checkout 服务为什么一直重启"), view).target).toEqual({
      kind: "Service",
      namespace: "shop",
      name: "checkout",
    });
  });

  it("leaves ambiguous and unknown names alone", () => {
    const ambiguous = classify("重启 api");
    expect(resolveTarget(ambiguous, view)).toBe(ambiguous);
    const unknown = classify("重启 ghost");
    expect(resolveTarget(unknown, view)).toBe(unknown);
  });

  it("confirms nodes", () => {
    expect(resolveTarget(classify("drain worker-3"), view).target).toEqual({
      kind: "Node",
      name: "worker-3",
    });
  });
});
