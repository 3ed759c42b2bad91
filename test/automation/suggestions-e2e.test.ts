/**
 * Automation suggestions and history risk end to end: the operator (its own process, on the real
 * control plane, with a real PostgreSQL incident store) learns from three resolved incidents of
 * the same alert on the same workload, resolved by a verified RolloutUndo, and lists the
 * suggestion in the AgentConfig's status.suggestions; the sidecar's GET /api/v1/suggestions shows
 * it to a caller who may list that namespace's AgentConfigs and refuses one who may not. A plan
 * whose action failed twice on its target has its risk raised and needs approval; the same action
 * on a target without that history does not.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { AgentConfig } from "../../crds/index.ts";
import { createLogger } from "../../logging/logger.ts";
import type { Database } from "../../store/index.ts";
import { migrate, recordRemediationAction, upsertIncident } from "../../store/index.ts";
import { openPostgres } from "../../store/postgres.ts";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import {
  agentConfig,
  handPlan,
  kubectlApply,
  readPlan,
  useOperator,
  waitForPlan,
} from "../remediation/support.ts";
import type { RunningSidecar } from "../sidecar/support.ts";
import { serviceAccountToken, startSidecar } from "../sidecar/support.ts";

const run = promisify(execFile);
const cluster = controlPlane();
const it = itOnCluster(cluster);
const pgEnv = { ...process.env, AISRE_PG_DIR: path.join(tmpdir(), `aisre-pg-suggestions-${process.pid}`) };
const pgScript = async (cmd: string) =>
  (await run("bash", ["hack/postgres.sh", cmd], { env: pgEnv, timeout: 120_000 })).stdout.trim();
const hoursAgo = (h: number, s = 0) => new Date(Date.now() - h * 3_600_000 + s * 1000).toISOString();

/** Seeds what earlier incidents left in the store: audit rows of plan steps and resolved incidents. */
async function seed(db: Database, ns: string): Promise<void> {
  const target = (name: string) => ({ kind: "Deployment", namespace: ns, name });
  const step = async (id: string, action: string, name: string, h: number, end: string) => {
    const [plan, task] = [`plan-${id}`, `task-${id}`];
    let rv = 1;
    for (const [phase, s] of [
      ["Running", 0],
      ["Verifying", 5],
      [end, 35],
    ] as const) {
      if (end === "Failed" && phase === "Verifying") continue;
      await recordRemediationAction(db, {
        planUid: plan,
        planName: plan,
        planNamespace: ns,
        taskUid: task,
        stepIndex: 0,
        phase,
        action,
        target: target(name),
        resourceVersion: String(rv++),
        occurredAt: hoursAgo(h, s),
        outcome: phase,
        message: `${action} ${phase}`,
      });
    }
  };
  for (const [i, h] of [72, 48, 24].entries()) {
    await step(`${i}`, "RolloutUndo", "checkout", h, "Succeeded");
    await upsertIncident(db, {
      taskUid: `task-${i}`,
      taskName: `checkout-down-${i}`,
      taskNamespace: ns,
      resourceVersion: "1",
      status: "resolved",
      openedAt: hoursAgo(h + 1),
      resolvedAt: hoursAgo(h, 60),
      fingerprint: `fp-${ns}-${i}`,
      alertname: "CheckoutDown",
      namespace: ns,
      target: target("checkout"),
      category: "BadRollout",
    });
  }
  // RolloutRestart failed on web twice: its record there is bad.
  await step("w0", "RolloutRestart", "web", 30, "Failed");
  await step("w1", "RolloutRestart", "web", 20, "Failed");
}

describe("automation suggestions and history risk on the real control plane", () => {
  const ns = useNamespace(cluster, "suggest");
  const other = useNamespace(cluster, "suggest-other");
  const operator = useOperator(cluster, ns);
  let db: Database | undefined;
  let sidecar: RunningSidecar | undefined;

  beforeAll(async () => {
    if (!cluster) return;
    try {
      await pgScript("start");
    } catch (err) {
      throw new Error(`PostgreSQL unavailable (apt-get install postgresql): ${String(err)}`, { cause: err });
    }
    const url = await pgScript("url");
    db = openPostgres(url, { logger: createLogger("suggestions-e2e", "error") });
    await migrate(db);
    await seed(db, ns.name);
    // The cluster policy (the operator's namespace is the other one) and the namespace's own
    // AgentConfig both let the policy approve plans below medium risk of tasks in Auto mode.
    const policy = { autoRemediation: true, approvalRequiredAtRisk: "medium" };
    await kubectlApply(cluster, agentConfig(other.name, { ...policy, allowedNamespaces: [ns.name] }));
    await kubectlApply(cluster, agentConfig(ns.name, policy));
    await operator.start({ AISRE_INCIDENT_STORE: "true", DATABASE_URL: url, AISRE_NAMESPACE: other.name });
    sidecar = await startSidecar(cluster.kc, { namespace: ns.name, authCacheSeconds: 0 });
  });
  afterAll(async () => {
    await sidecar?.close();
    await db?.close();
    await pgScript("stop").catch(() => undefined);
  });

  it("lists the learnt suggestion in status and over REST, only to callers allowed in the namespace", async () => {
    const config = await eventually(async () => {
      const r = await kubectl(cluster!, ["-n", ns.name, "get", "agentconfig", "default", "-o", "json"]);
      const c = JSON.parse(r.stdout) as AgentConfig;
      return (c.status?.suggestions?.length ?? 0) > 0 && c;
    }, 90_000);
    expect(config.status!.suggestions).toEqual([
      expect.objectContaining({
        kind: "PolicyRule",
        action: "RolloutUndo",
        target: `Deployment/${ns.name}/checkout`,
        trigger: "alert CheckoutDown",
        occurrences: 3,
      }),
    ]);
    expect(config.status!.suggestions![0]!.evidence).toMatch(/verified, 3 times in 30 days/);

    const reader = await serviceAccountToken(cluster!, ns.name, "reader", [
      { resources: ["agentconfigs"], verbs: ["list"] },
    ]);
    const outsider = await serviceAccountToken(cluster!, other.name, "outsider", [
      { resources: ["agentconfigs"], verbs: ["list"] },
    ]);
    const get = (query: string, token: string) =>
      fetch(`${sidecar!.url}/api/v1/suggestions${query}`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await get(`?namespace=${ns.name}`, reader);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      namespace: ns.name,
      items: [{ ...config.status!.suggestions![0], agentConfig: "default" }],
    });
    const refused = await get(`?namespace=${ns.name}`, outsider);
    expect(refused.status).toBe(403);
    // The outsider's own namespace (the operator's, not watched here) has nothing suggested.
    expect(await (await get(`?namespace=${other.name}`, outsider)).json()).toEqual({
      namespace: other.name,
      items: [],
    });
    // The CLI lists the same, from the kubeconfig's identity.
    const cli = await run(process.execPath, ["bin/aisre.mjs", "suggestions", "-n", ns.name, "-o", "json"], {
      env: { ...process.env, KUBECONFIG: cluster!.kubeconfigPath },
    });
    expect(JSON.parse(cli.stdout)).toEqual({
      items: [{ ...config.status!.suggestions![0], namespace: ns.name, agentConfig: "default" }],
    });
    const table = await run(process.execPath, ["bin/aisre.mjs", "suggestions", "-n", ns.name], {
      env: { ...process.env, KUBECONFIG: cluster!.kubeconfigPath },
    });
    expect(table.stdout).toMatch(
      /PolicyRule\s+RolloutUndo\s+Deployment\/\S+\/checkout\s+alert CheckoutDown\s+3/,
    );
    const missing = await get("", reader);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toContain("namespace");
  });

  it("raises the risk of an action with a bad record on its target, which then needs approval", async () => {
    // A task in Auto mode: its plans are approved by policy when nothing requires a person.
    await kubectlApply(cluster!, {
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name: "auto-task", namespace: ns.name },
      spec: {
        type: "Diagnose",
        source: "Manual",
        description: "restart what hangs",
        remediation: { mode: "Auto" },
      },
    });
    const restart = (name: string) => [
      {
        name: "restart",
        action: "RolloutRestart" as const,
        target: { kind: "Deployment", namespace: ns.name, name },
      },
    ];
    const taskRef = { taskRef: { name: "auto-task" } };
    await kubectlApply(cluster!, handPlan(ns.name, "restart-web", restart("web"), taskRef));
    await kubectlApply(cluster!, handPlan(ns.name, "restart-api", restart("api"), taskRef));
    const web = await waitForPlan(cluster!, ns.name, "restart-web", ["AwaitingApproval"]);
    const raised = `risk raised to medium: 2 of 2 RolloutRestart on ${ns.name}/web failed or were undone`;
    expect(web.status?.risk).toBe("medium");
    expect(web.status?.message).toContain(raised);
    expect(web.status?.message).toContain(
      "plan risk medium is at or above policy.approvalRequiredAtRisk medium",
    );
    // The record shows with the step, in the policy's condition.
    const policy = web.status?.conditions?.find((c) => c.type === "PolicyAllowed");
    expect(policy?.message).toContain(`RolloutRestart on ${ns.name}/web: 0 of 2 verified`);
    // Without that history the catalog risk (low) stands, under the threshold: the policy approves it.
    const api = await waitForPlan(cluster!, ns.name, "restart-api", [
      "Approved",
      "Running",
      "Succeeded",
      "Failed",
      "RolledBack",
    ]);
    expect(api.status?.risk).toBe("low");
    expect(api.status?.approval).toMatchObject({ decision: "Approved", via: "Policy" });
    // The reason is on the plan's Event too.
    await eventually(async () => {
      const events = (await cluster!.core.listNamespacedEvent({ namespace: ns.name })).items;
      return events.some((e) => e.involvedObject.name === "restart-web" && e.message?.includes(raised));
    }, 30_000);
    expect((await readPlan(cluster!, ns.name, "restart-web")).status?.phase).toBe("AwaitingApproval");
  });
});
