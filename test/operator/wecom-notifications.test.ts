import { afterAll, beforeAll, describe, expect } from "vitest";
import { startWeComStandIn, type WeComStandIn } from "../../notify/wecom/testing.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually, startOperator, type OperatorProcess } from "../support/operator-process.ts";
import { createSampleTarget, createTask, readTask, sampleTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const SECRET = "app-secret-never-in-a-message";

describe("WeCom notifications from the operator (local stand-in for the WeCom API)", () => {
  const ns = useNamespace(cluster, "notify");
  let api: WeComStandIn | undefined;
  let operator: OperatorProcess | undefined;
  const sent = () =>
    (api?.requests ?? [])
      .filter((r) => r.path === "/cgi-bin/message/send")
      .map((r) => JSON.parse(r.body) as { touser?: string; markdown: { content: string } });

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await createSampleTarget(cluster, ns.name);
    api = await startWeComStandIn();
    operator = startOperator(cluster, {
      AISRE_WATCH_NAMESPACE: ns.name,
      AISRE_NAMESPACE: ns.name,
      AISRE_LEADER_ELECT: "false",
      AISRE_WECOM_API_BASE: api.url,
      AISRE_WECOM_CORP_ID: "ww-test-corp",
      AISRE_WECOM_AGENT_ID: "1000002",
      AISRE_WECOM_SECRET: SECRET,
      AISRE_WECOM_TO_USER: "oncall",
    });
    await operator.waitForLog(/Started workers/);
  });
  afterAll(async () => {
    operator?.proc.kill("SIGTERM");
    await operator?.exited;
    await api?.close();
  });

  it("sends incident opened and diagnosed once each, in Chinese, without secrets", async () => {
    await createTask(cluster!, sampleTask(ns.name, "notify-me"));
    await eventually(
      async () => (await readTask(cluster!, ns.name, "notify-me")).status?.phase === "Diagnosed",
    );
    await eventually(async () => sent().length >= 2, 30_000);
    // Give a duplicate time to show up before counting.
    await new Promise((r) => setTimeout(r, 2_000));
    const messages = sent();
    expect(messages).toHaveLength(2);
    expect(messages.every((m) => m.touser === "oncall")).toBe(true);
    expect(messages.map((m) => m.markdown.content).join("\n")).toMatch(/notify-me/);
    for (const r of api!.requests) expect(r.body).not.toContain(SECRET);
    const task = await readTask(cluster!, ns.name, "notify-me");
    expect(task.metadata.annotations?.["aisre.io/notified"]).toBe("IncidentOpened,Diagnosed");
  });
});
