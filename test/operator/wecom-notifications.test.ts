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

describe("WeCom recipients per namespace from AgentConfig spec.notifications (local stand-in)", () => {
  const team = useNamespace(cluster, "notify-team");
  const other = useNamespace(cluster, "notify-other");
  const TEAM_SECRET = "team-app-secret-never-in-a-message";
  const TEAM_ROBOT_KEY = "team-robot-key-never-in-a-log-93f1";
  let api: WeComStandIn | undefined;
  const operators: OperatorProcess[] = [];
  type Sent = { touser?: string; agentid?: number; markdown: { content: string } };
  const appMessages = (taskRef: string) =>
    (api?.requests ?? [])
      .filter((r) => r.path === "/cgi-bin/message/send")
      .map((r) => JSON.parse(r.body) as Sent)
      .filter((m) => m.markdown.content.includes(taskRef));
  const robotPosts = (taskRef: string) =>
    (api?.requests ?? [])
      .filter((r) => r.path === "/cgi-bin/webhook/send")
      .map((r) => ({ key: r.query.key, ...(JSON.parse(r.body) as Sent) }))
      .filter((m) => m.markdown.content.includes(taskRef));

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    api = await startWeComStandIn();
    // Diagnosable targets, so every task reaches Diagnosed.
    for (const ns of [team.name, other.name]) await createSampleTarget(cluster, ns);
    // The team's own WeCom application and robot, their secrets in the team's namespace.
    await cluster.objects.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "team-wecom", namespace: team.name },
      stringData: { appSecret: TEAM_SECRET, robot: `${api.url}/cgi-bin/webhook/send?key=${TEAM_ROBOT_KEY}` },
    } as never);
    const agentConfig = (name: string, wecom: object) =>
      cluster!.objects.create({
        apiVersion: "aisre.io/v1alpha1",
        kind: "AgentConfig",
        metadata: { name, namespace: team.name },
        spec: { notifications: { wecom } },
      });
    await agentConfig("default", {
      mode: "app",
      corpId: "ww-team-corp",
      agentId: 1000003,
      appSecretRef: { name: "team-wecom", key: "appSecret" },
      toUser: "team-lead|team-oncall",
    });
    await agentConfig("robot", {
      mode: "robot",
      robotWebhookSecretRef: { name: "team-wecom", key: "robot" },
      toUser: "team-lead",
    });
    // The same operator-wide default (environment) for both namespaces; one operator each.
    for (const ns of [team.name, other.name]) {
      const operator = startOperator(cluster, {
        AISRE_WATCH_NAMESPACE: ns,
        AISRE_NAMESPACE: ns,
        AISRE_LEADER_ELECT: "false",
        AISRE_WECOM_API_BASE: api.url,
        AISRE_WECOM_CORP_ID: "ww-test-corp",
        AISRE_WECOM_AGENT_ID: "1000002",
        AISRE_WECOM_SECRET: SECRET,
        AISRE_WECOM_TO_USER: "oncall",
      });
      operators.push(operator);
      await operator.waitForLog(/Started workers/);
    }
  });
  afterAll(async () => {
    for (const operator of operators) operator.proc.kill("SIGTERM");
    await Promise.all(operators.map((o) => o.exited));
    await api?.close();
  });

  it("sends a namespace's tasks to its own app or robot, and another namespace's to the env default", async () => {
    await createTask(cluster!, sampleTask(team.name, "team-app"));
    await createTask(cluster!, {
      ...sampleTask(team.name, "team-robot"),
      spec: {
        ...sampleTask(team.name, "team-robot").spec,
        agentConfigRef: { name: "robot" },
      },
    });
    await createTask(cluster!, sampleTask(other.name, "other-task"));
    const appRef = `${team.name}/team-app`;
    const robotRef = `${team.name}/team-robot`;
    const otherRef = `${other.name}/other-task`;
    await eventually(
      async () =>
        appMessages(appRef).length >= 2 &&
        robotPosts(robotRef).length >= 2 &&
        appMessages(otherRef).length >= 2,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2_000));

    // The team's application: its corp and secret, its agent, its recipients.
    const teamApp = appMessages(appRef);
    expect(teamApp).toHaveLength(2);
    expect(teamApp.every((m) => m.touser === "team-lead|team-oncall" && m.agentid === 1000003)).toBe(true);
    const tokens = api!.requests.filter((r) => r.path === "/cgi-bin/gettoken");
    expect(tokens.some((r) => r.query.corpid === "ww-team-corp" && r.query.corpsecret === TEAM_SECRET)).toBe(
      true,
    );
    // The team's robot, for the task whose AgentConfig names it.
    const teamRobot = robotPosts(robotRef);
    expect(teamRobot).toHaveLength(2);
    expect(
      teamRobot.every((m) => m.key === TEAM_ROBOT_KEY && m.markdown.content.startsWith("<@team-lead>")),
    ).toBe(true);
    expect(appMessages(robotRef)).toEqual([]);
    // The other namespace has no AgentConfig: the environment's app and recipients.
    const fallback = appMessages(otherRef);
    expect(fallback).toHaveLength(2);
    expect(fallback.every((m) => m.touser === "oncall" && m.agentid === 1000002)).toBe(true);
    expect(robotPosts(otherRef)).toEqual([]);

    for (const [ns, name] of [
      [team.name, "team-app"],
      [team.name, "team-robot"],
      [other.name, "other-task"],
    ] as const) {
      const task = await readTask(cluster!, ns, name);
      expect(task.metadata.annotations?.["aisre.io/notified"]).toBe("IncidentOpened,Diagnosed");
      expect(JSON.stringify(task)).not.toMatch(/team-app-secret|team-robot-key|app-secret-never/);
    }
    // No secret in a message, a log line, a status or an Event.
    for (const r of api!.requests.filter((q) => q.path !== "/cgi-bin/gettoken")) {
      expect(r.body).not.toContain(TEAM_SECRET);
      expect(r.body).not.toContain(SECRET);
    }
    const logs = JSON.stringify(operators.flatMap((o) => o.logs));
    expect(logs).toContain("Sent a notification");
    expect(logs).not.toContain(TEAM_SECRET);
    expect(logs).not.toContain(TEAM_ROBOT_KEY);
    expect(logs).not.toContain(SECRET);
    for (const ns of [team.name, other.name]) {
      const events = JSON.stringify((await cluster!.core.listNamespacedEvent({ namespace: ns })).items);
      expect(events).not.toMatch(/team-app-secret|team-robot-key|app-secret-never/);
    }
  });
});
