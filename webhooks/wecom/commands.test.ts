import { describe, expect, it } from "vitest";
import { parseKind, detectLang, parseCommand, parseNameRef, parseTarget } from "./commands.ts";

describe("parseCommand", () => {
  it.each([
    [
      "诊断 shop/deployment/checkout",
      { kind: "diagnose", lang: "zh", target: { kind: "Deployment", namespace: "shop", name: "checkout" } },
    ],
    [
      "诊断　shop／deployment／checkout。",
      { kind: "diagnose", lang: "zh", target: { kind: "Deployment", namespace: "shop", name: "checkout" } },
    ],
    [
      "诊断shop/deploy/checkout",
      { kind: "diagnose", lang: "zh", target: { kind: "Deployment", namespace: "shop", name: "checkout" } },
    ],
    [
      "diagnose shop/Deployment/checkout",
      { kind: "diagnose", lang: "en", target: { kind: "Deployment", namespace: "shop", name: "checkout" } },
    ],
    [
      "DIAGNOSE node/worker-1 disk full",
      { kind: "diagnose", lang: "en", target: { kind: "Node", name: "worker-1" }, description: "disk full" },
    ],
    [
      "/diagnose ｓｈｏｐ/sts/db",
      { kind: "diagnose", lang: "en", target: { kind: "StatefulSet", namespace: "shop", name: "db" } },
    ],
  ])("parses %s", (text, expected) => {
    expect(parseCommand(text)).toMatchObject(expected);
  });

  it("turns free text into a diagnosis with the text as description, in its language", () => {
    expect(parseCommand("checkout 服务为什么一直重启？")).toEqual({
      kind: "diagnose",
      lang: "zh",
      description: "checkout 服务为什么一直重启?",
    });
    expect(parseCommand("why does checkout keep restarting")).toEqual({
      kind: "diagnose",
      lang: "en",
      description: "why does checkout keep restarting",
    });
    // A sentence that merely starts with a command word is still free text.
    expect(parseCommand("状态一直是 CrashLoopBackOff 怎么办")).toMatchObject({
      kind: "diagnose",
      lang: "zh",
    });
    expect(parseCommand("statuses are odd")).toMatchObject({ kind: "diagnose", lang: "en" });
  });

  it.each([
    ["状态", { kind: "status", lang: "zh" }],
    ["状态 shop/wecom-1", { kind: "status", lang: "zh", task: { namespace: "shop", name: "wecom-1" } }],
    ["查询：shop/wecom-1", { kind: "status", lang: "zh", task: { namespace: "shop", name: "wecom-1" } }],
    ["status", { kind: "status", lang: "en" }],
    ["Status wecom-1", { kind: "status", lang: "en", task: { name: "wecom-1" } }],
    ["批准 shop/plan-1", { kind: "approve", lang: "zh", plan: { namespace: "shop", name: "plan-1" } }],
    [
      "批准：ｓｈｏｐ／plan-1！",
      { kind: "approve", lang: "zh", plan: { namespace: "shop", name: "plan-1" } },
    ],
    ["approve shop/plan-1", { kind: "approve", lang: "en", plan: { namespace: "shop", name: "plan-1" } }],
    [
      "拒绝 shop/plan-1 风险太高",
      { kind: "reject", lang: "zh", plan: { namespace: "shop", name: "plan-1" }, reason: "风险太高" },
    ],
    [
      "reject shop/plan-1 too risky",
      { kind: "reject", lang: "en", plan: { namespace: "shop", name: "plan-1" }, reason: "too risky" },
    ],
    ["reject shop/plan-1", { kind: "reject", lang: "en", plan: { namespace: "shop", name: "plan-1" } }],
    ["帮助", { kind: "help", lang: "zh" }],
    ["help", { kind: "help", lang: "en" }],
    ["HELP!", { kind: "help", lang: "en" }],
  ])("parses %s", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ["诊断", "zh", "diagnose"],
    ["批准", "zh", "approve"],
    ["approve", "en", "approve"],
    ["approve shop/plan-1 now please", "en", "approve"],
    ["reject Shop/Plan_1", "en", "reject"],
    ["status a/b/c", "en", "status"],
    ["状态 Shop/X_1", "zh", "status"],
  ])("answers %s with usage", (text, lang, command) => {
    expect(parseCommand(text)).toEqual({ kind: "usage", lang, command });
  });
});

describe("parsers", () => {
  it("parses references and targets", () => {
    expect(parseNameRef("shop/plan-1")).toEqual({ namespace: "shop", name: "plan-1" });
    expect(parseNameRef("plan-1")).toEqual({ name: "plan-1" });
    expect(parseNameRef("a/b/c")).toBeUndefined();
    expect(parseNameRef("/x")).toBeUndefined();
    expect(parseTarget("deployment/checkout")).toEqual({ kind: "Deployment", name: "checkout" });
    expect(parseTarget("ec2/i-0abc12345678")).toEqual({ kind: "Ec2Instance", name: "i-0abc12345678" });
    expect(parseTarget("shop/node/n1")).toEqual({ kind: "Node", name: "n1" });
    expect(parseTarget("shop/deployment/Bad_Name")).toBeUndefined();
    expect(parseTarget("checkout")).toBeUndefined();
    expect(parseKind("hpa")).toBe("HorizontalPodAutoscaler");
    expect(parseKind("Rollout")).toBe("Rollout");
    expect(parseKind("rollout")).toBeUndefined();
    expect(detectLang("pod 挂了")).toBe("zh");
    expect(detectLang("pod down")).toBe("en");
  });
});
