import { describe, expect, it } from "vitest";
import { intentType, scoreIntent } from "./intent.ts";

const typeOf = (t: string) => intentType(scoreIntent(t))?.type;

describe("scoreIntent", () => {
  it("reads symptoms as diagnosis, not as orders", () => {
    for (const t of [
      "一直重启",
      "频繁重启",
      "keeps restarting",
      "restarted 5 times",
      "pod 被驱逐了",
      "自动重启了",
      "can't scale",
      "failed to restart",
    ])
      expect(typeOf(t), t).toBe("Diagnose");
  });

  it("reads advice questions as diagnosis", () => {
    for (const t of ["怎么修复这个问题", "如何解决 OOM", "how do I fix this?", "how to fix crashloop"])
      expect(typeOf(t), t).toBe("Diagnose");
  });

  it("reads orders as remediation, in both languages", () => {
    for (const t of [
      "重启 api",
      "请回滚",
      "扩容到 3",
      "缩容",
      "排空节点",
      "fix it",
      "restart api",
      "roll back api",
      "scale up",
      "cordon the node",
      "rerun the job",
      "suspend the cronjob",
    ])
      expect(typeOf(t), t).toBe("Remediate");
  });

  it("lets an order beat a question when the person asks for the action", () => {
    expect(typeOf("why does api keep crashing? please restart it")).toBe("Remediate");
    expect(typeOf("why did api restart")).toBe("Diagnose");
  });

  it("recognises health checks", () => {
    for (const t of [
      "巡检",
      "集群健康检查",
      "检查一下集群",
      "集群状态怎么样",
      "health check",
      "healthcheck please",
      "check the whole cluster",
      "is everything healthy",
    ])
      expect(typeOf(t), t).toBe("HealthCheck");
  });

  it("knows when only a look was asked for, and when nothing matched", () => {
    expect(scoreIntent("检查 shop").lookOnly).toBe(true);
    expect(scoreIntent("check why shop fails").lookOnly).toBe(false);
    expect(intentType(scoreIntent("hello there"))).toBeUndefined();
  });

  it("is surer with more signal and less rivalry", () => {
    const strong = intentType(scoreIntent("为什么 checkout 一直重启"))!;
    const weak = intentType(scoreIntent("checkout 报错"))!;
    const torn = intentType(scoreIntent("checkout 一直重启，帮我修复一下"))!;
    expect(strong.confidence).toBeGreaterThan(weak.confidence);
    expect(torn.confidence).toBeLessThan(0.85);
  });
});
