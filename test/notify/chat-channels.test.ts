// DingTalk, Feishu/Lark and Slack notifications from the real operator on the real API server,
// configured per namespace in AgentConfig spec.notifications with webhook URLs and signing
// secrets in Secrets, posted to local stand-ins that verify each signature as the platform
// documents it (DingTalk: HmacSHA256 of timestamp+"\n"+secret in the query; Feishu: the HMAC
// keyed by timestamp+"\n"+secret in the body; Slack: the secret URL). A namespace whose DingTalk
// secret is wrong gets the platform's refusal logged (errcode, no secret) and no notification
// recorded as sent.
import { afterAll, beforeAll, describe, expect } from "vitest";
import { startDingTalkStandIn } from "../../notify/dingtalk/testing.ts";
import type { DingTalkStandIn } from "../../notify/dingtalk/testing.ts";
import { startFeishuStandIn } from "../../notify/feishu/testing.ts";
import type { FeishuStandIn } from "../../notify/feishu/testing.ts";
import { startSlackStandIn } from "../../notify/slack/testing.ts";
import type { SlackStandIn } from "../../notify/slack/testing.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually, startOperator } from "../support/operator-process.ts";
import type { OperatorProcess } from "../support/operator-process.ts";
import { createSampleTarget, createTask, readTask, sampleTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

const DING_TOKEN = "ding-access-token-never-in-a-log-5c1e";
const DING_SECRET = "SEC-ding-sign-secret-never-in-a-log-77a0";
const FEISHU_TOKEN = "feishu-hook-token-never-in-a-log-0b9d";
const FEISHU_SECRET = "feishu-sign-secret-never-in-a-log-3f42";
const SLACK_SECRET = "slackHookSecretNeverInALog42";
const SECRETS = [DING_TOKEN, DING_SECRET, FEISHU_TOKEN, FEISHU_SECRET, SLACK_SECRET];

describe("DingTalk, Feishu and Slack notifications per namespace (local stand-ins verifying signatures)", () => {
  const team = useNamespace(cluster, "chat-team");
  const broken = useNamespace(cluster, "chat-broken");
  let ding: DingTalkStandIn | undefined;
  let feishu: FeishuStandIn | undefined;
  let slack: SlackStandIn | undefined;
  const operators: OperatorProcess[] = [];

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    [ding, feishu, slack] = await Promise.all([
      startDingTalkStandIn(),
      startFeishuStandIn(),
      startSlackStandIn(),
    ]);
    ding.robot(DING_TOKEN, DING_SECRET);
    feishu.bot(FEISHU_TOKEN, FEISHU_SECRET);
    const slackUrl = slack.hook("T0001", "B0001", SLACK_SECRET);
    for (const ns of [team.name, broken.name]) await createSampleTarget(cluster, ns);
    await cluster.objects.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "chat", namespace: team.name },
      stringData: {
        dingtalk: ding.webhook(DING_TOKEN),
        dingtalkSign: DING_SECRET,
        feishu: feishu.webhook(FEISHU_TOKEN),
        feishuSign: FEISHU_SECRET,
        slack: slackUrl,
      },
    } as never);
    await cluster.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
      metadata: { name: "default", namespace: team.name },
      spec: {
        notifications: {
          dingtalk: {
            webhookSecretRef: { name: "chat", key: "dingtalk" },
            signSecretRef: { name: "chat", key: "dingtalkSign" },
            atMobiles: ["13800000000"],
          },
          feishu: {
            webhookSecretRef: { name: "chat", key: "feishu" },
            signSecretRef: { name: "chat", key: "feishuSign" },
            lang: "en",
          },
          slack: { webhookSecretRef: { name: "chat", key: "slack" } },
        },
      },
    });
    // The broken namespace: the right DingTalk robot with the wrong signing secret.
    await cluster.objects.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "chat", namespace: broken.name },
      stringData: { dingtalk: ding.webhook(DING_TOKEN), dingtalkSign: "SEC-wrong-secret-0000" },
    } as never);
    await cluster.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
      metadata: { name: "default", namespace: broken.name },
      spec: {
        notifications: {
          dingtalk: {
            webhookSecretRef: { name: "chat", key: "dingtalk" },
            signSecretRef: { name: "chat", key: "dingtalkSign" },
          },
        },
      },
    });
    for (const ns of [team.name, broken.name]) {
      const operator = startOperator(cluster, {
        AISRE_WATCH_NAMESPACE: ns,
        AISRE_NAMESPACE: ns,
        AISRE_LEADER_ELECT: "false",
      });
      operators.push(operator);
      await operator.waitForLog(/Started workers/);
    }
  });
  afterAll(async () => {
    for (const operator of operators) operator.proc.kill("SIGTERM");
    await Promise.all(operators.map((o) => o.exited));
    await Promise.all([ding?.close(), feishu?.close(), slack?.close()]);
  });

  it("posts incident opened and diagnosed to each channel, signed, in each channel's language", async () => {
    await createTask(cluster!, sampleTask(team.name, "chat-task"));
    const ref = `${team.name}/chat-task`;
    const dingPosts = () => ding!.posts.filter((p) => JSON.stringify(p.body).includes(ref));
    const feishuPosts = () => feishu!.posts.filter((p) => JSON.stringify(p.body).includes(ref));
    const slackPosts = () => slack!.posts.filter((p) => JSON.stringify(p.body).includes(ref));
    await eventually(
      async () => dingPosts().length >= 2 && feishuPosts().length >= 2 && slackPosts().length >= 2,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2_000)); // room for a duplicate to show up

    // DingTalk: both accepted by the signature check, signed in the query, markdown in Chinese.
    expect(dingPosts().map((p) => p.errcode)).toEqual([0, 0]);
    expect(dingPosts().every((p) => p.sign && p.timestamp)).toBe(true);
    const dingText = dingPosts().map((p) => (p.body.markdown as { text: string }).text);
    expect(dingText[0]).toMatch(/^#### 新事件/);
    expect(dingText[1]).toMatch(/^#### 诊断完成/);
    expect(dingText.every((t) => t.endsWith("@13800000000"))).toBe(true);
    // Feishu: accepted, timestamp and sign in the body, a post in English.
    expect(feishuPosts().map((p) => p.code)).toEqual([0, 0]);
    expect(feishuPosts().every((p) => typeof p.body.sign === "string")).toBe(true);
    const titles = feishuPosts().map(
      (p) => (p.body.content as { post: { en_us: { title: string } } }).post.en_us.title,
    );
    expect(titles).toEqual(["Incident opened", "Diagnosed"]);
    // Slack: accepted, Block Kit with an English header (Slack's default language).
    expect(slackPosts().map((p) => p.status)).toEqual([200, 200]);
    expect(slackPosts().map((p) => (p.body.blocks as { text: { text: string } }[])[0]!.text.text)).toEqual([
      "Incident opened",
      "Diagnosed",
    ]);

    const task = await readTask(cluster!, team.name, "chat-task");
    expect(task.metadata.annotations?.["aisre.io/notified"]).toBe("IncidentOpened,Diagnosed");
    // No secret in a message body, the task, a log line or an Event.
    const bodies = JSON.stringify([...ding!.posts, ...feishu!.posts, ...slack!.posts].map((p) => p.body));
    for (const s of SECRETS) expect(bodies).not.toContain(s);
    expect(JSON.stringify(task)).not.toMatch(/never-in-a-log|NeverInALog/);
    const logs = JSON.stringify(operators.flatMap((o) => o.logs));
    expect(logs).toContain("Sent a chat notification");
    for (const s of SECRETS) expect(logs).not.toContain(s);
    const events = JSON.stringify((await cluster!.core.listNamespacedEvent({ namespace: team.name })).items);
    expect(events).not.toMatch(/never-in-a-log|NeverInALog/);
  });

  it("logs DingTalk's refusal of a wrong signing secret (310000, not retried) and records nothing as sent", async () => {
    await createTask(cluster!, sampleTask(broken.name, "bad-sign"));
    const refused = () =>
      ding!.posts.filter((p) => JSON.stringify(p.body).includes(`${broken.name}/bad-sign`));
    await eventually(async () => refused().length >= 1, 60_000);
    await eventually(
      async () => JSON.stringify(operators[1]!.logs).includes("Failed to send a chat notification"),
      30_000,
    );
    expect(refused().every((p) => p.errcode === 310000)).toBe(true);
    const logs = JSON.stringify(operators[1]!.logs);
    expect(logs).toMatch(/"code":310000/);
    for (const s of [...SECRETS, "SEC-wrong-secret-0000"]) expect(logs).not.toContain(s);
    const task = await readTask(cluster!, broken.name, "bad-sign");
    expect(task.metadata.annotations?.["aisre.io/notified"]).toBeUndefined();
  });
});
