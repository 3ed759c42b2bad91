// Self-approval, on the real control plane: approving a RemediationPlan is the RBAC verb approve,
// checked by the API server through the aisre-remediationplan-approval ValidatingAdmissionPolicy
// (installed with the CRDs), and the recorded approver is the requesting user. Before it, a plan
// created with spec.approval.decision Approved ran with nobody involved, and the approver on
// record was a field manager the client chose (field-manager:security-team-lead).
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { RemediationPlan } from "../../crds/index.ts";
import { KubeClient } from "../../kube/kube-api.ts";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import {
  agentConfig,
  deployment,
  handPlan,
  kubectlApply,
  useOperator,
  waitForPlan,
} from "../remediation/support.ts";
import { serviceAccountToken, startSidecar } from "../sidecar/support.ts";
import { impersonationRules } from "../../cdk8s/admission.ts";
import { actingClient } from "../../webhooks/acting.ts";
import { KubeGateway } from "../../webhooks/gateway-kube.ts";
import { pino } from "pino";
import type { RunningSidecar } from "../sidecar/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const PLANS = (ns: string) => `/apis/aisre.io/v1alpha1/namespaces/${ns}/remediationplans`;
const MERGE = "application/merge-patch+json";
const PLAN_RIGHTS = ["get", "list", "watch", "create", "patch"];

/** A kubeconfig that authenticates with only this bearer token. */
function kubeConfigFor(token: string): KubeConfig {
  const c = cluster!.kc.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [c],
    users: [{ name: "sa", token }],
    contexts: [{ name: "sa", cluster: c.name, user: "sa" }],
    currentContext: "sa",
  });
  return kc;
}

/** A client that authenticates with only this bearer token. */
const clientFor = (token: string): KubeClient => KubeClient.fromKubeConfig(kubeConfigFor(token));

/** The HTTP status and the API server's message of a request that should fail. */
async function refusal(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: number; body?: { message?: string } | string };
    const message = typeof e.body === "string" ? e.body : (e.body?.message ?? String(err));
    return { code: e.code ?? 0, message };
  }
  return { code: 200, message: "accepted" };
}

describe("approving a RemediationPlan needs the verb approve, and records the requesting user", () => {
  const ns = useNamespace(cluster, "self-approve");
  const { state, start } = useOperator(cluster, ns);
  const sa = (name: string) => `system:serviceaccount:${ns.name}:${name}`;
  let editor: KubeClient;
  let approver: KubeClient;
  let editorToken: string;
  let approverToken: string;
  let sidecar: RunningSidecar | undefined;

  const scalePlan = (name: string, target: string, approval?: object): RemediationPlan => {
    const plan = handPlan(ns.name, name, [
      {
        name: "scale",
        action: "ScaleWorkload",
        target: { kind: "Deployment", namespace: ns.name, name: target },
        params: { replicas: 2 },
      },
    ]);
    if (approval) (plan.spec as Record<string, unknown>).approval = approval;
    return plan;
  };
  const create = (client: KubeClient, plan: RemediationPlan) =>
    client.request("POST", PLANS(ns.name), { body: plan });
  const decide = (client: KubeClient, name: string, approval: object) =>
    client.request("PATCH", `${PLANS(ns.name)}/${name}`, {
      contentType: MERGE,
      body: { spec: { approval } },
    });

  beforeAll(async () => {
    if (!cluster) return;
    await kubectlApply(cluster, agentConfig(ns.name, { enabledActions: ["ScaleWorkload"] }));
    editorToken = await serviceAccountToken(cluster, ns.name, "editor", [
      { resources: ["remediationplans"], verbs: PLAN_RIGHTS },
    ]);
    approverToken = await serviceAccountToken(cluster, ns.name, "approver", [
      { resources: ["remediationplans"], verbs: [...PLAN_RIGHTS, "approve"] },
    ]);
    editor = clientFor(editorToken);
    approver = clientFor(approverToken);
    for (const name of ["web-kubectl", "web-rest", "web-chat"])
      await state.apps!.createNamespacedDeployment({
        namespace: ns.name,
        body: deployment(name, { replicas: 1 }),
      });
    // The policy is enforced once the API server has loaded it (each case below fails without it).
    await eventually(async () => {
      const r = await refusal(
        create(
          approver,
          scalePlan("probe", "web-kubectl", { decision: "Approved", decidedBy: sa("approver") }),
        ),
      );
      if (r.code === 200) await kubectl(cluster, ["-n", ns.name, "delete", "remediationplan", "probe"]);
      return r.code === 403;
    }, 20_000).catch(() => undefined);
    await start();
  }, 120_000);
  afterAll(async () => {
    await sidecar?.close();
    if (cluster)
      await kubectl(cluster, ["delete", "clusterrole,clusterrolebinding", `chat-impersonator-${ns.name}`]);
  });

  it("(a) refuses a plan created with its approval already set, whoever creates it", async () => {
    for (const [client, who] of [
      [approver, sa("approver")],
      [editor, sa("editor")],
    ] as const) {
      const r = await refusal(
        create(client, scalePlan("self-approved", "web-kubectl", { decision: "Approved", decidedBy: who })),
      );
      expect(r.code).toBe(403);
      expect(r.message).toContain("spec.approval cannot be set at creation");
    }
    // The probe that found the hole: an approval at create, the approver a chosen name.
    const applied = await kubectl(
      cluster!,
      ["apply", "--field-manager", "security-team-lead", "-f", "-"],
      JSON.stringify(scalePlan("self-approved", "web-kubectl", { decision: "Approved" })),
    );
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain("spec.approval cannot be set at creation");
  });

  it("(b) refuses approval fields from a user without the verb approve (403 from admission)", async () => {
    await create(editor, scalePlan("editor-plan", "web-kubectl"));
    for (const decision of ["Approved", "Rejected"]) {
      const r = await refusal(decide(editor, "editor-plan", { decision, decidedBy: sa("editor") }));
      expect(r.code).toBe(403);
      expect(r.message).toContain(
        `user ${sa("editor")} may not decide RemediationPlan ${ns.name}/editor-plan`,
      );
      expect(r.message).toContain("verb approve");
    }
  });

  it("(c) refuses an approver recording anyone but themselves", async () => {
    await create(approver, scalePlan("impostor-plan", "web-kubectl"));
    for (const decidedBy of ["security-team-lead", "field-manager:security-team-lead", sa("editor")]) {
      const r = await refusal(decide(approver, "impostor-plan", { decision: "Approved", decidedBy }));
      expect(r.code).toBe(403);
      expect(r.message).toContain(`spec.approval.decidedBy must be the requesting user ${sa("approver")}`);
    }
    const nameless = await refusal(decide(approver, "impostor-plan", { decision: "Approved" }));
    expect(nameless.code).toBe(403);
  });

  it("(d) lets an approver approve as themselves, and the operator executes the plan", async () => {
    await create(editor, scalePlan("scale-kubectl", "web-kubectl"));
    await waitForPlan(cluster!, ns.name, "scale-kubectl", ["AwaitingApproval"]);
    await decide(approver, "scale-kubectl", { decision: "Approved", decidedBy: sa("approver") });
    const done = await waitForPlan(cluster!, ns.name, "scale-kubectl", ["Succeeded", "Failed", "Rejected"]);
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("Succeeded");
    expect(done.status?.approval).toMatchObject({
      decision: "Approved",
      decidedBy: sa("approver"),
      via: "Kubernetes",
    });
    const d = await state.apps!.readNamespacedDeployment({ name: "web-kubectl", namespace: ns.name });
    expect(d.spec?.replicas).toBe(2);
    // Once decided, the decision and its decider are final, even for an approver.
    const rewrite = await refusal(
      decide(approver, "scale-kubectl", { decision: "Approved", decidedBy: "x" }),
    );
    expect(rewrite.code).not.toBe(200);
  });

  it("(e) REST approves as the caller: 403 in the API server's words without approve, recorded and executed with it", async () => {
    sidecar = await startSidecar(cluster!.kc, { namespace: ns.name, authCacheSeconds: 0 });
    await create(editor, scalePlan("scale-rest", "web-rest"));
    await waitForPlan(cluster!, ns.name, "scale-rest", ["AwaitingApproval"]);
    const post = (token: string) =>
      fetch(`${sidecar!.url}/api/v1/plans/${ns.name}/scale-rest/approve`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
    const denied = await post(editorToken);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toContain(
      `user ${sa("editor")} may not decide RemediationPlan ${ns.name}/scale-rest`,
    );
    const ok = await post(approverToken);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as RemediationPlan).spec.approval).toEqual({
      decision: "Approved",
      decidedBy: sa("approver"),
    });
    const done = await waitForPlan(cluster!, ns.name, "scale-rest", ["Succeeded", "Failed", "Rejected"]);
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("Succeeded");
    expect(done.status?.approval).toMatchObject({
      decision: "Approved",
      decidedBy: sa("approver"),
      via: "REST",
    });
  });

  it("(f) WeCom decides as the mapped user, impersonated under a role limited to exactly the mapped names", async () => {
    const LISI = "li.si@example.com";
    // Cluster policy (this namespace is the gateway's AISRE_NAMESPACE): lisi → LISI; wangwu → a
    // name the impersonation role does not list; zhaoliu unmapped.
    await kubectlApply(cluster!, {
      ...agentConfig(ns.name, { enabledActions: ["ScaleWorkload"] }),
      spec: {
        policy: {
          ...agentConfig(ns.name, { enabledActions: ["ScaleWorkload"] }).spec.policy,
          chatIdentities: [
            { wecomUserId: "lisi", kubernetesUser: LISI },
            { wecomUserId: "wangwu", kubernetesUser: "security-team-lead" },
          ],
        },
      },
    });
    const bindApprover = (user: string) =>
      kubectl(cluster!, [
        ...["-n", ns.name, "create", "rolebinding", `approver-${user.replace(/[^a-z0-9]/g, "-")}`],
        ...["--clusterrole", "aisre-plan-approver", "--user", user],
      ]);
    await bindApprover(LISI);
    await bindApprover("security-team-lead");
    // The sidecar's own identity: read plans and the cluster policy, impersonate exactly LISI.
    const token = await serviceAccountToken(cluster!, ns.name, "chat-sidecar", [
      { resources: ["remediationplans", "agentconfigs"], verbs: ["get"] },
    ]);
    const role = `chat-impersonator-${ns.name}`;
    const rules = impersonationRules([{ kubernetesUser: LISI }]);
    expect(rules).toEqual([
      { apiGroups: [""], resources: ["users"], verbs: ["impersonate"], resourceNames: [LISI] },
    ]);
    await kubectlApply(cluster!, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: role },
      rules,
    });
    await kubectlApply(cluster!, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: role },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
      subjects: [{ kind: "ServiceAccount", name: "chat-sidecar", namespace: ns.name }],
    });
    const kc = kubeConfigFor(token);
    const gateway = new KubeGateway(
      KubeClient.fromKubeConfig(kc),
      ns.name,
      pino({ level: "silent" }),
      actingClient(kc),
    );
    await create(editor, scalePlan("chat-plan", "web-chat"));
    await waitForPlan(cluster!, ns.name, "chat-plan", ["AwaitingApproval"]);
    const wecom = (wecomUserId: string) => ({ via: "WeCom" as const, wecomUserId });
    await expect(
      gateway.decidePlan(ns.name, "chat-plan", "Approved", wecom("zhaoliu")),
    ).rejects.toMatchObject({
      code: "Forbidden",
      message: expect.stringContaining("no Kubernetes identity"),
    });
    // Mapped, bound as an approver, but not in the impersonation role: the API server refuses.
    await expect(gateway.decidePlan(ns.name, "chat-plan", "Approved", wecom("wangwu"))).rejects.toMatchObject(
      {
        code: "Forbidden",
        message: expect.stringContaining("cannot impersonate"),
      },
    );
    const decided = await gateway.decidePlan(ns.name, "chat-plan", "Approved", wecom("lisi"));
    expect(decided.spec.approval).toEqual({ decision: "Approved", decidedBy: LISI });
    const done = await waitForPlan(cluster!, ns.name, "chat-plan", ["Succeeded", "Failed", "Rejected"]);
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("Succeeded");
    expect(done.status?.approval).toMatchObject({ decision: "Approved", decidedBy: LISI, via: "WeCom" });
  });
});
