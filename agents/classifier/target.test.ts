import { describe, expect, it } from "vitest";
import { findNamespace, findTarget, guessKind } from "./target.ts";

describe("findNamespace", () => {
  const cases: [string, string | undefined][] = [
    ["restart x -n shop", "shop"],
    ["restart x --namespace=shop", "shop"],
    ["restart x --namespace shop", "shop"],
    ["x in namespace shop", "shop"],
    ["x namespace: shop", "shop"],
    ["x in the shop namespace", "shop"],
    ["x ns=shop", "shop"],
    ["命名空间 shop 下的 x", "shop"],
    ["命名空间shop里的x", "shop"],
    ["shop 命名空间下的 x", "shop"],
    ["在 shop 这个命名空间", "shop"],
    ["delete the namespace", undefined],
    ["x in namespace Bad_Name", undefined],
  ];
  for (const [text, ns] of cases)
    it(`${text} → ${ns}`, () => expect(findNamespace(text.toLowerCase()).namespace).toBe(ns));
});

describe("findTarget", () => {
  it("reads kubectl kind/name, ns/name and service DNS names", () => {
    expect(findTarget("logs of sts/zk-0 please")?.value).toEqual({ kind: "StatefulSet", name: "zk-0" });
    expect(findTarget("check shop/checkout")?.value).toEqual({
      kind: "Deployment",
      namespace: "shop",
      name: "checkout",
    });
    expect(findTarget("svc/checkout -n shop")?.value).toEqual({
      kind: "Service",
      namespace: "shop",
      name: "checkout",
    });
    expect(findTarget("curl checkout.shop.svc:8080 fails")?.value).toEqual({
      kind: "Service",
      namespace: "shop",
      name: "checkout",
    });
  });

  it("does not mistake paths, images or URLs for ns/name", () => {
    expect(findTarget("/app/server not found")).toBeUndefined();
    expect(findTarget("image reg/checkout:v2 cannot pull")).toBeUndefined();
    expect(findTarget("GET https://example.com/health fails")).toBeUndefined();
  });

  it("prefers the most specific named object, and nodes for node verbs", () => {
    expect(findTarget("pod api-1 on node node-9 crashes")?.value).toEqual({ kind: "Pod", name: "api-1" });
    expect(findTarget("drain node node-9 (pod api-1)", true)?.value).toEqual({
      kind: "Node",
      name: "node-9",
    });
  });

  it("reads bare names in Chinese text, but only name-shaped words in English", () => {
    expect(findTarget("payment 挂了")?.value).toEqual({ kind: "Deployment", name: "payment" });
    expect(findTarget("payment is broken")).toBeUndefined();
    expect(findTarget("payment-api is broken")?.value).toEqual({ kind: "Deployment", name: "payment-api" });
    expect(findTarget('the "payment" app is broken')?.value).toEqual({ kind: "Deployment", name: "payment" });
  });

  it("names a namespace when nothing else is named", () => {
    expect(findTarget("巡检 shop 命名空间")).toMatchObject({
      value: { kind: "Namespace", name: "shop" },
      confidence: 0.85,
    });
  });

  it("drops the namespace of cluster-scoped kinds", () => {
    expect(findTarget("node node-1 -n shop")?.value).toEqual({ kind: "Node", name: "node-1" });
  });

  it("guesses kinds from name shapes", () => {
    expect(guessKind("checkout-7c9d8f6b5-x2k8p")).toBe("Pod");
    expect(guessKind("ip-10-0-1-23.ec2.internal")).toBe("Node");
    expect(guessKind("worker-3")).toBe("Node");
    expect(guessKind("checkout")).toBe("Deployment");
  });
});
