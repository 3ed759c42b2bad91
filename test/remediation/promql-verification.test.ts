/**
 * Plan-level verification (spec.verification.promql) against Debian's real Prometheus, on
 * the real control plane, with the incident store on (embedded PGlite) so the audit rows the
 * controller writes per step can be read back afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { RemediationPlan } from "../../crds/index.ts";
import { createLogger } from "../../logging/logger.ts";
import { openPglite } from "../../store/pglite.ts";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import { usePrometheus } from "../support/prometheus.ts";
import {
  agentConfig,
  approveWithKubectl,
  deployment,
  handPlan,
  kubectlApply,
  readPlan,
  useOperator,
  waitForPlan,
} from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const HEALTHY = 'up{job="prometheus"} == 1';
const NEVER = 'up{job="prometheus"} == 0';

const condition = (p: RemediationPlan, type: string) => p.status?.conditions?.find((c) => c.type === type);

describe("plan-level PromQL verification with Debian's Prometheus, on the real control plane", () => {
  const ns = useNamespace(cluster, "promql");
  const { state, start } = useOperator(cluster, ns);
  const dataDir = mkdtempSync(join(tmpdir(), "aisre-promql-audit-"));
  // PGlite under a temp dir; DATABASE_URL cleared so a CI PostgreSQL URL does not redirect it.
  const storeEnv = { AISRE_INCIDENT_STORE: "true", AISRE_DATA_DIR: dataDir, DATABASE_URL: "" };
  const prom = usePrometheus();

  beforeAll(async () => {
    if (!cluster || !prom.current) return;
    const config = agentConfig(ns.name);
    config.spec.tools = { prometheus: { url: prom.current.url } } as NonNullable<typeof config.spec.tools>;
    await kubectlApply(cluster, config);
    await state.apps!.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment("web", { replicas: 1 }),
    });
    await start(storeEnv);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // The approver the audit rows must name: the user kubectl approved as (spec.approval.decidedBy).
  let actor = "";
  const runApproved = async (plan: RemediationPlan) => {
    await kubectlApply(cluster!, plan);
    await waitForPlan(cluster!, ns.name, plan.metadata.name!, ["AwaitingApproval"]);
    actor = await approveWithKubectl(cluster!, ns.name, plan.metadata.name!);
  };

  it("restarts a Deployment, sees the PromQL check return a result, and ends Succeeded and Verified", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const target = { kind: "Deployment", namespace: ns.name, name: "web" };
    await runApproved(
      handPlan(ns.name, "restart-web", [{ name: "restart", action: "RolloutRestart", target }], {
        verification: { promql: HEALTHY, timeoutSeconds: 60 },
      }),
    );
    const done = await waitForPlan(cluster!, ns.name, "restart-web", ["Succeeded", "Failed", "RolledBack"]);
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("Succeeded");
    expect(done.status?.steps?.[0]).toMatchObject({ name: "restart", phase: "Succeeded", attempt: 1 });
    expect(condition(done, "Verified")).toMatchObject({
      status: "True",
      reason: "Verified",
      message: expect.stringContaining(`PromQL check \`${HEALTHY}\` passed`),
    });
    expect(done.status?.verification).toMatchObject({
      passed: true,
      message: expect.stringContaining("PromQL"),
    });
    expect(done.status?.message).toMatch(/^all 1 steps executed and verified; PromQL check/);
  });

  it("undoes a scale whose PromQL check never returns a result, resuming the wait across an operator restart", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const target = { kind: "Deployment", namespace: ns.name, name: "web" };
    await runApproved(
      handPlan(
        ns.name,
        "scale-web",
        [{ name: "scale-up", action: "ScaleWorkload", target, params: { replicas: 2 } }],
        { undoOnFailure: true, verification: { promql: NEVER, timeoutSeconds: 25 } },
      ),
    );
    // Every step verified itself; the plan now polls the check. Restart the operator right here.
    const polling = await eventually(async () => {
      const p = await readPlan(cluster!, ns.name, "scale-web");
      return condition(p, "Verified")?.reason === "VerifyingPromQL" && p;
    }, 60_000);
    expect(polling.status?.phase).toBe("Running");
    expect(polling.status?.steps?.[0]).toMatchObject({ phase: "Succeeded", attempt: 1 });
    state.op!.proc.kill("SIGTERM");
    expect(await state.op!.exited).toBe(0);
    const second = await start(storeEnv);

    const done = await waitForPlan(cluster!, ns.name, "scale-web", ["Succeeded", "Failed", "RolledBack"]);
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("RolledBack");
    // Resumed from status: the step was not executed again, only undone.
    expect(done.status?.steps?.[0]).toMatchObject({
      phase: "Undone",
      attempt: 1,
      undoState: { replicas: 1 },
    });
    const why = `PromQL check \`${NEVER}\` timed out after 25s: returned no result yet`;
    expect(condition(done, "Verified")).toMatchObject({
      status: "False",
      reason: "VerificationFailed",
      message: why,
    });
    expect(condition(done, "Ready")).toMatchObject({
      reason: "RolledBack",
      message: `${why}; executed steps undone`,
    });
    expect(done.status?.verification).toMatchObject({ passed: false, message: why });
    expect(second.logs.some((l) => l.msg === "Moved plan step to VerificationFailed")).toBe(true);
    await eventually(async () => {
      const d = await state.apps!.readNamespacedDeployment({ name: "web", namespace: ns.name });
      return d.spec?.replicas === 1;
    });

    const events = await kubectl(cluster!, [
      "-n",
      ns.name,
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=scale-web,involvedObject.kind=RemediationPlan",
      "-o",
      "json",
    ]);
    const items = (
      JSON.parse(events.stdout) as { items: Array<{ reason: string; message: string; count?: number }> }
    ).items;
    const byReason = (r: string) => items.filter((e) => e.reason === r);
    // One "started" Event: the restarted operator found the wait in status and did not start it again.
    expect(byReason("VerifyingPromQL")).toHaveLength(1);
    expect(byReason("VerifyingPromQL")[0]?.count ?? 1).toBe(1);
    expect(byReason("VerificationFailed")[0]?.message).toBe(why);
    expect(byReason("RolledBack")[0]?.message).toContain("PromQL check");
  });

  it("left an audit row per step move with its action, phase and approver (PGlite incident store)", async (ctx) => {
    if (!prom.current) return ctx.skip();
    state.op!.proc.kill("SIGTERM");
    expect(await state.op!.exited).toBe(0);
    const db = await openPglite(dataDir, { logger: createLogger("audit-test", "error") });
    try {
      const rows = await db.query<{
        plan_name: string;
        step_index: number;
        phase: string;
        action: string;
        approved_by: string | null;
        target: Record<string, string> | null;
        dry_run_result: { passed?: boolean } | null;
        finished_at: Date | null;
      }>(
        `SELECT plan_name, step_index, phase, action, approved_by, target, dry_run_result, finished_at
           FROM remediation_actions WHERE plan_namespace = $1 ORDER BY occurred_at`,
        [ns.name],
      );
      const of = (plan: string) => rows.filter((r) => r.plan_name === plan);
      const target = { kind: "Deployment", namespace: ns.name, name: "web" };
      const stepRows = (plan: string, action: string, phases: string[]) => {
        for (const phase of phases) {
          const row = of(plan).find((r) => r.phase === phase);
          expect(row, `${plan}: no audit row for ${phase} in ${JSON.stringify(of(plan))}`).toMatchObject({
            step_index: 0,
            action,
            approved_by: actor,
            target,
          });
        }
      };
      stepRows("restart-web", "RolloutRestart", ["DryRun", "Running", "Verifying", "Succeeded"]);
      stepRows("scale-web", "ScaleWorkload", ["DryRun", "Running", "Verifying", "Succeeded", "Undone"]);
      // Plan-level decisions have rows of their own: they never overwrite a step's row.
      const planRows = (plan: string, phases: string[]) => {
        for (const phase of phases) {
          const row = of(plan).find((r) => r.phase === `Plan/${phase}`);
          expect(row, `${plan}: no plan row for ${phase} in ${JSON.stringify(of(plan))}`).toMatchObject({
            action: "Plan",
            target: null,
          });
        }
      };
      planRows("restart-web", ["AwaitingApproval", "Approved", "Running", "Succeeded"]);
      planRows("scale-web", [
        "AwaitingApproval",
        "Running",
        "VerifyingPromQL",
        "VerificationFailed",
        "RolledBack",
      ]);
      expect(of("restart-web").find((r) => r.phase === "Succeeded")?.action).toBe("RolloutRestart");
      expect(of("scale-web").find((r) => r.phase === "DryRun")?.dry_run_result?.passed).toBe(true);
      expect(of("scale-web").find((r) => r.phase === "Undone")?.finished_at).toBeInstanceOf(Date);
      // Before the approval there is no approver to record.
      expect(of("scale-web").find((r) => r.phase === "Plan/AwaitingApproval")).toMatchObject({
        approved_by: null,
      });
    } finally {
      await db.close();
    }
  });
});
