/**
 * WeCom end to end over real sockets: a Fastify server listening on loopback with wecomPlugin,
 * messages encrypted with the official @wecom/crypto package, a local HTTP stand-in for the
 * WeCom API. First with an in-memory gateway, then through the real KubeGateway and the
 * AgentConfig approver list on the shared control plane.
 */
import Fastify from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it as plainIt } from "vitest";
import type { RemediationPlan, SreTask } from "../../crds/index.ts";
import { KubeClient } from "../../kube/kube-api.ts";
import { actingClient } from "../../webhooks/acting.ts";
import { KubeGateway } from "../../webhooks/gateway-kube.ts";
import type { SreGateway } from "../../webhooks/gateway.ts";
import { listPathOf, pathOf } from "../../webhooks/kube.ts";
import { AGENTCONFIG, REMEDIATIONPLAN, SRETASK } from "../../crds/resources.ts";
import { kubeApprovers, staticApprovers, wecomPlugin } from "../../webhooks/wecom/index.ts";
import type { ApproverSource } from "../../webhooks/wecom/index.ts";
import { createNotifier } from "../../notify/wecom/config.ts";
import { loadWeComSidecarEnv } from "../../webhooks/wecom/callback-env.ts";
import { taskNameForMessage } from "../../webhooks/wecom/replay.ts";
import {
  MemoryGateway,
  TEST_SECRETS,
  openReply,
  sealEcho,
  sealMessage,
  textMessage,
} from "../../webhooks/wecom/testing.ts";
import { startWeComStandIn } from "../../notify/wecom/testing.ts";
import type { WeComStandIn } from "../../notify/wecom/testing.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";

const APP_SECRET = "e2e-app-secret-9f2c7d";
/** The Kubernetes user cluster policy maps the WeCom user lisi to. */
const LISI = "li.si@example.com";
const logger = pino({ level: process.env.AISRE_TEST_LOG ?? "silent" });

/** A sidecar-like server: wecomPlugin configured from the environment, listening on loopback. */
async function startServer(
  api: WeComStandIn,
  gateway: SreGateway,
  approvers: ApproverSource,
  namespace: string,
): Promise<{ app: { close(): Promise<unknown> }; base: string }> {
  const config = loadWeComSidecarEnv({
    AISRE_WECOM_TOKEN: TEST_SECRETS.token,
    AISRE_WECOM_ENCODING_AES_KEY: TEST_SECRETS.encodingAESKey,
    AISRE_WECOM_CORP_ID: TEST_SECRETS.corpId,
    AISRE_WECOM_AGENT_ID: "1000002",
    AISRE_WECOM_SECRET: APP_SECRET,
    AISRE_WECOM_API_BASE: api.url,
  });
  const app = Fastify({ loggerInstance: logger });
  await app.register(wecomPlugin, {
    ...config.callback!,
    gateway,
    approvers,
    // Who may read is tested in test/security/cross-namespace.test.ts.
    reads: { refusal: () => Promise.resolve(undefined) },
    notifier: createNotifier(config, logger),
    namespace,
    followUp: { intervalMs: 100, timeoutMs: 20_000 },
  });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, base };
}

let msgSeq = 8_100_000_000_000_000;

/** Sends a text message as a user over HTTP; returns the status and the decrypted reply. */
async function say(base: string, user: string, content: string, msgId = String(++msgSeq)) {
  const sealed = sealMessage(textMessage(user, content, msgId));
  const res = await fetch(`${base}/wecom/callback?${sealed.query}`, {
    method: "POST",
    headers: { "content-type": "text/xml" },
    body: sealed.body,
  });
  const body = await res.text();
  return { status: res.status, reply: res.status === 200 && body ? openReply(body).content : body };
}

const sentMessages = (api: WeComStandIn) =>
  api.requests
    .filter((r) => r.path === "/cgi-bin/message/send")
    .map((r) => JSON.parse(r.body) as { touser?: string; markdown: { content: string } });

function expectNoSecretsSent(api: WeComStandIn): void {
  for (const r of api.requests) {
    for (const secret of [APP_SECRET, TEST_SECRETS.token, TEST_SECRETS.encodingAESKey, "hunter2"]) {
      expect(r.body).not.toContain(secret);
    }
  }
}

describe("WeCom callback over loopback HTTP (in-memory gateway)", () => {
  const it = plainIt;
  let api: WeComStandIn;
  let server: Awaited<ReturnType<typeof startServer>>;
  const gateway = new MemoryGateway();

  beforeAll(async () => {
    api = await startWeComStandIn();
    server = await startServer(api, gateway, staticApprovers(["lisi"]), "shop");
  });
  afterAll(async () => {
    await server.app.close();
    await api.close();
  });

  it("verifies the URL, answers commands, follows up through the message API", async () => {
    const verify = await fetch(`${server.base}/wecom/callback?${sealEcho("e2e-echo-123")}`);
    expect(verify.status).toBe(200);
    expect(await verify.text()).toBe("e2e-echo-123");

    const created = await say(
      server.base,
      "zhangsan",
      "诊断 shop/deployment/checkout password=hunter2",
      "31337",
    );
    const name = taskNameForMessage(TEST_SECRETS.corpId, "31337");
    expect(created.reply).toContain(`shop/${name}`);
    (gateway.tasks.get(`shop/${name}`) as SreTask).status = { phase: "Diagnosed" };
    await expect.poll(() => sentMessages(api).length, { timeout: 5000 }).toBe(1);
    expect(sentMessages(api)[0]).toMatchObject({
      touser: "zhangsan",
      markdown: { content: expect.stringContaining("诊断完成") },
    });

    gateway.addPlan("shop", "plan-1");
    expect((await say(server.base, "zhangsan", "approve shop/plan-1")).reply).toContain("not an approver");
    expect((await say(server.base, "lisi", "approve shop/plan-1")).reply).toContain(
      "Approved remediation plan",
    );
    expect(gateway.decisions).toEqual([
      { namespace: "shop", name: "plan-1", decision: "Approved", decidedBy: "lisi", via: "WeCom" },
    ]);
    expect(api.requests.filter((r) => r.path === "/cgi-bin/gettoken")).toHaveLength(1);
    expectNoSecretsSent(api);
  });

  it("refuses forged, stale and replayed requests over the wire", async () => {
    const sealed = sealMessage(textMessage("zhangsan", "help", "1"));
    const post = (query: string) =>
      fetch(`${server.base}/wecom/callback?${query}`, {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: sealed.body,
      });
    expect(
      (await post(sealed.query.replace(/timestamp=\d+/, `timestamp=${Number(sealed.timestamp) + 1}`))).status,
    ).toBe(401);
    expect((await post(sealed.query)).status).toBe(200);
    expect((await post(sealed.query)).status).toBe(403);
  });
});

describe("WeCom through the real gateway on the API server", () => {
  const cluster = controlPlane();
  const it = itOnCluster(cluster);
  const ns = useNamespace(cluster, "wecom");
  let api: WeComStandIn;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let client: KubeClient;

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    client = KubeClient.fromKubeConfig(cluster.kc);
    await client.request("POST", listPathOf(AGENTCONFIG, ns.name), {
      body: {
        apiVersion: "aisre.io/v1alpha1",
        kind: "AgentConfig",
        metadata: { name: "default", namespace: ns.name },
        // The namespace is this sidecar's AISRE_NAMESPACE, so this is cluster policy: it maps lisi
        // (and not wangwu) to a Kubernetes user, which the generated aisre-plan-approver role binds.
        spec: {
          policy: {
            approvers: ["lisi", "wangwu"],
            chatIdentities: [{ wecomUserId: "lisi", kubernetesUser: LISI }],
          },
        },
      },
    });
    await client.request("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns.name}/rolebindings`, {
      body: {
        metadata: { name: "lisi-approves" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "aisre-plan-approver" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: LISI }],
      },
    });
    api = await startWeComStandIn();
    const gateway = new KubeGateway(client, ns.name, logger, actingClient(cluster.kc));
    server = await startServer(api, gateway, kubeApprovers(client), ns.name);
  });
  afterAll(async () => {
    await server?.app.close();
    await api?.close();
  });

  it("creates one SreTask when a retried message reaches a second replica", async () => {
    const other = await startServer(
      api!,
      new KubeGateway(client, ns.name, logger, actingClient(cluster!.kc)),
      kubeApprovers(client),
      ns.name,
    );
    try {
      const msgId = "7300000000000000001";
      const first = await say(server!.base, "zhangsan", `diagnose ${ns.name}/deployment/cart`, msgId);
      const retried = await say(other.base, "zhangsan", `diagnose ${ns.name}/deployment/cart`, msgId);
      expect([first.status, retried.status]).toEqual([200, 200]);
      const tasks = await client.request<{ items: SreTask[] }>("GET", listPathOf(SRETASK, ns.name));
      const forCart = tasks.items.filter((t) => t.spec.target?.name === "cart");
      expect(forCart).toHaveLength(1);
    } finally {
      await other.app.close();
    }
  });

  it("creates the SreTask, follows it, and lets only an AgentConfig approver decide the plan", async () => {
    const base = server!.base;
    const created = await say(base, "zhangsan", `诊断 ${ns.name}/deployment/checkout`);
    expect(created.status).toBe(200);
    const ref = new RegExp(`${ns.name}/([a-z0-9-]+)`).exec(created.reply)?.[1];
    expect(ref).toBeTruthy();
    const task = await client.request<SreTask>("GET", pathOf(SRETASK, ns.name, ref!));
    expect(task.spec).toMatchObject({
      source: "WeCom",
      requestedBy: "zhangsan",
      description: `诊断 ${ns.name}/deployment/checkout`,
      target: { kind: "Deployment", namespace: ns.name, name: "checkout" },
    });

    const status = await say(base, "zhangsan", `状态 ${ns.name}/${ref}`);
    expect(status.reply).toContain(`任务 ${ns.name}/${ref}`);

    await client.request("POST", listPathOf(REMEDIATIONPLAN, ns.name), {
      body: {
        apiVersion: "aisre.io/v1alpha1",
        kind: "RemediationPlan",
        metadata: { name: "plan-1", namespace: ns.name },
        spec: {
          taskRef: { name: ref },
          steps: [
            {
              name: "restart",
              action: "RolloutRestart",
              target: { kind: "Deployment", namespace: ns.name, name: "checkout" },
            },
          ],
        },
      },
    });
    const merge = { contentType: "application/merge-patch+json" };
    await client.request("PATCH", pathOf(REMEDIATIONPLAN, ns.name, "plan-1", "status"), {
      ...merge,
      body: { status: { phase: "AwaitingApproval", risk: "medium" } },
    });
    await client.request("PATCH", pathOf(SRETASK, ns.name, ref!, "status"), {
      ...merge,
      body: { status: { phase: "AwaitingApproval", remediationPlanRef: { name: "plan-1" } } },
    });
    await expect.poll(() => sentMessages(api).length, { timeout: 10_000 }).toBe(1);
    expect(sentMessages(api)[0]?.markdown.content).toContain(`批准 ${ns.name}/plan-1`);

    const refused = await say(base, "zhangsan", `批准 ${ns.name}/plan-1`);
    expect(refused.reply).toContain("不是修复方案");
    // An approver the cluster policy maps to no Kubernetes user cannot approve either.
    const unmapped = await say(base, "wangwu", `批准 ${ns.name}/plan-1`);
    expect(unmapped.reply).toContain("不是修复方案");
    const approved = await say(base, "lisi", `批准 ${ns.name}/plan-1`);
    expect(approved.reply).toContain(`已批准修复方案 ${ns.name}/plan-1`);
    const plan = await client.request<RemediationPlan>("GET", pathOf(REMEDIATIONPLAN, ns.name, "plan-1"));
    // Made as the mapped user (impersonated): the API server checked their verb approve.
    expect(plan.spec.approval).toEqual({ decision: "Approved", decidedBy: LISI });
    const manager = plan.metadata.managedFields?.find((f) => f.manager === "aisre-sidecar-wecom");
    expect(manager?.fieldsV1).toHaveProperty(["f:spec", "f:approval"]);
    const rejectLater = await say(base, "lisi", `reject ${ns.name}/plan-1`);
    expect(rejectLater.reply).toMatch(/already decided|not awaiting approval/);
    expectNoSecretsSent(api);
  });
});
