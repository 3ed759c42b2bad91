// The REST facade on the real API server: two ServiceAccounts with different Roles, tokens from
// the TokenRequest API, TokenReview + SubjectAccessReview deciding every request, approvals
// recorded with the caller's identity, and SSE following a task's phase live.
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { RemediationPlan, SreTask } from "../../crds/index.ts";
import { KubeClient } from "../../kube/kube-api.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { serviceAccountToken, startSidecar, waitFor } from "./support.ts";
import type { RunningSidecar } from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "sc-rest");
const GROUP = "/apis/aisre.io/v1alpha1";

let sidecar: RunningSidecar;
let viewer: string;
let operator: string;

const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
  fetch(`${sidecar.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function createRaw(body: unknown): Promise<void> {
  await cluster!.objects.create(body as never);
}

describe("REST facade with Kubernetes RBAC", () => {
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    viewer = await serviceAccountToken(cluster, ns.name, "viewer", [
      { resources: ["sretasks"], verbs: ["get", "list", "watch"] },
      { resources: ["remediationplans"], verbs: ["get"] },
    ]);
    operator = await serviceAccountToken(cluster, ns.name, "operator", [
      { resources: ["sretasks"], verbs: ["get", "list", "watch", "create"] },
      { resources: ["remediationplans"], verbs: ["get", "patch", "approve"] },
      { resources: ["agentconfigs"], verbs: ["get", "list"] },
    ]);
    sidecar = await startSidecar(cluster.kc, { namespace: ns.name, authCacheSeconds: 0 });
  });
  afterAll(async () => sidecar?.close());

  it("401 for a token the API server does not know", async () => {
    const res = await call("GET", `/api/v1/tasks?namespace=${ns.name}`, "not-a-token");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "Unauthorized" });
  });

  it("lets the operator create a task and records who asked; refuses the viewer", async () => {
    const denied = await call("POST", "/api/v1/tasks", viewer, {
      namespace: ns.name,
      description: "checkout is slow",
    });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toBe(
      `system:serviceaccount:${ns.name}:viewer may not create aisre.io sretasks in namespace ${ns.name}`,
    );
    const res = await call("POST", "/api/v1/tasks", operator, {
      namespace: ns.name,
      description: "checkout is slow",
      target: { kind: "Deployment", namespace: ns.name, name: "checkout" },
    });
    expect(res.status).toBe(201);
    const { name } = (await res.json()) as { name: string };
    const task = (await (await call("GET", `/api/v1/tasks/${ns.name}/${name}`, viewer)).json()) as SreTask;
    expect(task.spec).toMatchObject({
      source: "REST",
      requestedBy: `system:serviceaccount:${ns.name}:operator`,
      target: { name: "checkout" },
    });
    const list = (await (await call("GET", `/api/v1/tasks?namespace=${ns.name}`, viewer)).json()) as {
      items: SreTask[];
    };
    expect(list.items.map((t) => t.metadata.name)).toContain(name);
    // The Role is namespaced: a cluster-wide list is refused.
    expect((await call("GET", "/api/v1/tasks", viewer)).status).toBe(403);
  });

  it("approves through REST as the caller (their token, verb approve), recording them; the viewer may not; the decision is final", async () => {
    await createRaw({
      apiVersion: "aisre.io/v1alpha1",
      kind: "RemediationPlan",
      metadata: { name: "restart-checkout", namespace: ns.name },
      spec: {
        description: "restart checkout",
        steps: [
          {
            name: "restart",
            action: "RolloutRestart",
            target: { kind: "Deployment", namespace: ns.name, name: "checkout" },
          },
        ],
      },
    });
    const path = `/api/v1/plans/${ns.name}/restart-checkout`;
    // The viewer may read the plan, so the sidecar tries: the API server refuses its patch.
    const refused = await call("POST", `${path}/approve`, viewer);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain(
      `system:serviceaccount:${ns.name}:viewer`,
    );
    const res = await call("POST", `${path}/approve`, operator);
    expect(res.status).toBe(200);
    const plan = (await cluster!.objects.read({
      apiVersion: "aisre.io/v1alpha1",
      kind: "RemediationPlan",
      metadata: { name: "restart-checkout", namespace: ns.name },
    })) as unknown as RemediationPlan;
    // Made with the caller's own token: the API server saw them, and decidedBy is their username.
    expect(plan.spec.approval).toEqual({
      decision: "Approved",
      decidedBy: `system:serviceaccount:${ns.name}:operator`,
    });
    const manager = plan.metadata.managedFields?.find((f) => f.manager === "aisre-sidecar-rest");
    expect(manager?.fieldsV1).toHaveProperty(["f:spec", "f:approval"]);
    const flip = await call("POST", `${path}/reject`, operator);
    expect(flip.status).toBe(409);
    const after = (await (await call("GET", path, viewer)).json()) as RemediationPlan;
    expect(after.spec.approval?.decision).toBe("Approved");
  });

  it("lists AgentConfigs for the operator only", async () => {
    await createRaw({
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
      metadata: { name: "default", namespace: ns.name },
      spec: {},
    });
    const res = await call("GET", `/api/v1/agents?namespace=${ns.name}`, operator);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect((await call("GET", `/api/v1/agents/${ns.name}/default`, viewer)).status).toBe(403);
  });

  it("streams phase changes over SSE as the operator writes status", async () => {
    await createRaw({
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name: "sse-task", namespace: ns.name },
      spec: { description: "watch me" },
    });
    const res = await call("GET", `/api/v1/tasks/${ns.name}/sse-task/events`, viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const events = () =>
      [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => [m[1], JSON.parse(m[2]!).phase]);
    const readUntil = async (n: number) =>
      waitFor(`${n} events`, async () => {
        while (events().length < n) {
          const { value, done } = await reader.read();
          if (done) break;
          text += value;
        }
        return events().length >= n;
      });
    await readUntil(1);
    expect(events()[0]).toEqual(["phase", "Pending"]);
    await statusPatch(ns.name, "sse-task", { phase: "Diagnosing" });
    await readUntil(2);
    await statusPatch(ns.name, "sse-task", { phase: "Succeeded", message: "done" });
    await readUntil(4);
    expect(events()).toEqual([
      ["phase", "Pending"],
      ["phase", "Diagnosing"],
      ["phase", "Succeeded"],
      ["end", "Succeeded"],
    ]);
  });
});

/** Writes SreTask status through /status like the operator does. */
async function statusPatch(namespace: string, name: string, status: Record<string, unknown>): Promise<void> {
  const client = KubeClient.fromKubeConfig(cluster!.kc);
  await client.request("PATCH", `${GROUP}/namespaces/${namespace}/sretasks/${name}/status`, {
    contentType: "application/merge-patch+json",
    body: { status },
  });
}
