// Finding 7 of the trust-boundaries review: reads crossed namespaces. The LLM's tools read the
// whole cluster, any WeCom user could query any namespace, and a task in one namespace could
// target another. Now the tools read only the task's namespace (and the cluster objects it
// uses), the SreTask controller refuses a task whose spec.target.namespace is another one before
// any diagnosis, and WeCom reads are decided by SubjectAccessReview of the user's mapped
// Kubernetes identity: an unmapped user reads nothing.
import { RbacAuthorizationV1Api } from "@kubernetes/client-node";
import Fastify from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { K8sObject } from "../../agents/diagnosis/k8s.ts";
import { diagnose } from "../../agents/diagnosis/diagnose.ts";
import { MemoryView } from "../../agents/diagnosis/view.ts";
import { consultLLM } from "../../controllers/diagnosisrun/llm-step.ts";
import { addSreTaskController } from "../../controllers/sretask/controller.ts";
import type { AgentConfig, DiagnosisRun } from "../../crds/index.ts";
import { KubeClient } from "../../kube/kube-api.ts";
import { Manager } from "../../runtime/index.ts";
import { KubeAuthorizer } from "../../webhooks/auth/kube-auth.ts";
import { sidecarKube } from "../../webhooks/kube.ts";
import { staticApprovers } from "../../webhooks/wecom/approvals.ts";
import { wecomPlugin } from "../../webhooks/wecom/plugin.ts";
import { chatReads, staticChatIdentities } from "../../webhooks/wecom/read-access.ts";
import {
  MemoryGateway,
  TEST_SECRETS,
  openReply,
  sealMessage,
  textMessage,
} from "../../webhooks/wecom/testing.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { startOpenAIServer } from "../support/openai-server.ts";
import type { OpenAITestServer } from "../support/openai-server.ts";
import { eventually } from "../support/operator-process.ts";
import { readTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const shop = useNamespace(cluster, "xns-shop");
const bank = useNamespace(cluster, "xns-bank");
const logger = pino({ level: process.env.AISRE_TEST_LOG ?? "silent" });

const pod = (namespace: string, name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace },
  spec: { containers: [{ name: "app", image: "registry.example/app:1" }] },
});

describe("reads stay in the namespace the caller may read (finding 7)", () => {
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await cluster.objects.create(pod(shop.name, "checkout-0") as never);
    await cluster.objects.create(pod(bank.name, "ledger-0") as never);
  });

  describe("the LLM's tools", () => {
    let server: OpenAITestServer;
    beforeAll(async () => {
      server = await startOpenAIServer();
    });
    afterAll(() => server?.close());

    it("refuse another namespace's objects and logs, naming the refusal", async () => {
      const client = KubeClient.fromKubeConfig(cluster!.kc);
      await cluster!.core.createNamespacedSecret({
        namespace: shop.name,
        body: { metadata: { name: "llm" }, stringData: { apiKey: "sk-test-xns" } },
      });
      // The view as the operator sees it: every namespace, read from the API server.
      const pods = (await cluster!.core.listPodForAllNamespaces()).items.filter((p) =>
        [shop.name, bank.name].includes(p.metadata?.namespace ?? ""),
      );
      const view = MemoryView.fromLists(
        { Pod: pods as K8sObject[] },
        { logs: { [`${bank.name}/ledger-0/app`]: "BANK-LEDGER-SECRET-LINE" } },
      );
      const config: AgentConfig = {
        apiVersion: "aisre.io/v1alpha1",
        kind: "AgentConfig",
        metadata: { name: "default", namespace: shop.name },
        spec: {
          llm: {
            enabled: true,
            baseURL: server.baseURL,
            model: "test-model",
            apiKeySecretRef: { name: "llm", key: "apiKey" },
          },
        },
      };
      const run: DiagnosisRun = {
        apiVersion: "aisre.io/v1alpha1",
        kind: "DiagnosisRun",
        metadata: { name: "r1", namespace: shop.name },
        spec: { taskRef: { name: "t1" } },
      };
      const focus = { target: { kind: "Pod", namespace: shop.name, name: "checkout-0" } };
      server.script(
        {
          toolCalls: [
            { name: "get_logs", arguments: { namespace: bank.name, pod: "ledger-0" } },
            { name: "get_object", arguments: { kind: "Pod", namespace: bank.name, name: "ledger-0" } },
            { name: "list_objects", arguments: { kind: "Pod" } },
          ],
        },
        { content: JSON.stringify({ explanation: "done", recommendations: [] }) },
      );
      const consulted = await consultLLM(
        client,
        { run, view, result: diagnose(view, focus), focus, config },
        {},
      );
      // The model was asked again with the tools' answers (what it answers then does not matter here).
      expect(consulted.llm.fallbackReason).not.toBe("LLMDisabled");
      expect(server.requests).toHaveLength(2);
      const tools = server.requests[1]!.messages.filter((m) => m.role === "tool").map((m) =>
        String(m.content),
      );
      const refusal = `error: refused: namespace ${bank.name} is outside this diagnosis; only namespace ${shop.name} may be read`;
      expect(tools[0]).toBe(refusal);
      expect(tools[1]).toBe(refusal);
      expect(tools[2]).toContain(`${shop.name} checkout-0`);
      expect(tools[2]).not.toContain("ledger-0");
      expect(server.seenText()).not.toContain("BANK-LEDGER-SECRET-LINE");
    });
  });

  describe("the SreTask controller", () => {
    let mgr: Manager | undefined;
    afterAll(async () => mgr?.stop());

    it("refuses a task whose spec.target.namespace is another namespace, before any diagnosis", async () => {
      mgr = new Manager({
        kubeConfig: cluster!.kc,
        leaderElection: false,
        metricsPort: null,
        healthPort: null,
        signals: false,
      });
      addSreTaskController(mgr, { namespace: shop.name, operatorNamespace: shop.name });
      void mgr.run();
      await cluster!.objects.create({
        apiVersion: "aisre.io/v1alpha1",
        kind: "SreTask",
        metadata: { name: "reach-over", namespace: shop.name },
        spec: {
          type: "Diagnose",
          source: "Manual",
          description: "why is the ledger slow",
          target: { kind: "Pod", namespace: bank.name, name: "ledger-0" },
        },
      } as never);
      const task = await eventually(async () => {
        const t = await readTask(cluster!, shop.name, "reach-over");
        return t.status?.phase === "Failed" && t;
      }, 30_000);
      const accepted = task.status?.conditions?.find((c) => c.type === "Accepted");
      expect(accepted).toMatchObject({ status: "False", reason: "Invalid" });
      expect(accepted?.message).toContain(
        `spec.target.namespace: ${bank.name} is not the task's namespace ${shop.name}`,
      );
      expect(task.status?.message).toContain("spec.target.namespace");
      // Nothing was diagnosed: no DiagnosisRun exists for it.
      await new Promise((r) => setTimeout(r, 500));
      const runs = await KubeClient.fromKubeConfig(cluster!.kc).request<{ items: unknown[] }>(
        "GET",
        `/apis/aisre.io/v1alpha1/namespaces/${shop.name}/diagnosisruns`,
      );
      expect(runs.items).toEqual([]);
    });
  });

  describe("WeCom reads", () => {
    const app = Fastify({ loggerInstance: logger });
    const gateway = new MemoryGateway();
    let seq = 6_300_000_000_000_000;

    const say = async (user: string, content: string): Promise<string> => {
      const sealed = sealMessage(textMessage(user, content, String(++seq)));
      const res = await app.inject({
        method: "POST",
        url: `/wecom/callback?${sealed.query}`,
        headers: { "content-type": "text/xml" },
        payload: sealed.body,
      });
      expect(res.statusCode).toBe(200);
      return openReply(res.body).content;
    };

    beforeAll(async () => {
      if (!cluster) return;
      // wangwu@corp may read and create tasks in shop, nothing in bank.
      const rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api);
      await rbac.createNamespacedRole({
        namespace: shop.name,
        body: {
          metadata: { name: "task-reader" },
          rules: [{ apiGroups: ["aisre.io"], resources: ["sretasks"], verbs: ["get", "list", "create"] }],
        },
      });
      await rbac.createNamespacedRoleBinding({
        namespace: shop.name,
        body: {
          metadata: { name: "task-reader" },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "task-reader" },
          subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "wangwu@corp" }],
        },
      });
      const kube = sidecarKube(cluster.kc);
      await app.register(wecomPlugin, {
        secrets: TEST_SECRETS,
        gateway,
        approvers: staticApprovers([]),
        // SubjectAccessReview on the real API server, for the identity the mapping gives.
        reads: chatReads(
          staticChatIdentities({ wangwu: { user: "wangwu@corp", groups: [] } }),
          new KubeAuthorizer(kube.authn, kube.authz, 0, logger),
        ),
        namespace: shop.name,
      });
      await app.ready();
    });
    afterAll(async () => app.close());

    it("an unmapped WeCom user cannot read: no status, no diagnosis", async () => {
      expect(await say("zhangsan", "状态")).toContain("没有对应的 Kubernetes 身份");
      expect(await say("zhangsan", `status ${shop.name}/anything`)).toContain(
        "not mapped to a Kubernetes identity",
      );
      expect(await say("zhangsan", `diagnose ${shop.name}/pod/checkout-0`)).toContain(
        "not mapped to a Kubernetes identity",
      );
      expect(gateway.tasks.size).toBe(0);
    });

    it("a mapped user reads only where their identity's RBAC allows", async () => {
      expect(await say("wangwu", `status ${shop.name}/nope`)).toBe(`Task ${shop.name}/nope not found.`);
      expect(await say("wangwu", `status ${bank.name}/nope`)).toBe(
        `Your Kubernetes identity wangwu@corp may not read tasks in namespace ${bank.name}.`,
      );
      expect(await say("wangwu", `diagnose ${bank.name}/pod/ledger-0`)).toContain(
        `may not read tasks in namespace ${bank.name}`,
      );
      expect(gateway.tasks.size).toBe(0);
      expect(await say("wangwu", `diagnose ${shop.name}/pod/checkout-0`)).toContain(`task ${shop.name}/`);
      expect([...gateway.tasks.keys()].every((k) => k.startsWith(`${shop.name}/`))).toBe(true);
    });
  });
});
