/**
 * Grafana annotations from the operator process on the real control plane: with Grafana down,
 * a task opens and an approved plan runs to Succeeded all the same; the annotator retries, and
 * once Grafana is back the incident and the executed step land as Grafana documents them
 * (Bearer token from the AgentConfig's Secret, tags namespace/workload, dashboardUID).
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import { startGrafana } from "../../notify/grafana/testing.ts";
import type { GrafanaStandIn } from "../../notify/grafana/testing.ts";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import { createTask, sampleTask } from "../support/tasks.ts";
import {
  agentConfig,
  approveWithKubectl,
  deployment,
  handPlan,
  kubectlApply,
  useOperator,
  waitForPlan,
} from "../remediation/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const TOKEN = "glsa_operator_annotations_token";

describe("Grafana annotations from the operator, with Grafana down and back", () => {
  const ns = useNamespace(cluster, "grafana-ann");
  const { state, start } = useOperator(cluster, ns);
  let grafana: GrafanaStandIn;

  beforeAll(async () => {
    grafana = await startGrafana(TOKEN);
    grafana.down = true;
    if (!cluster) return;
    await cluster.core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "grafana" }, stringData: { token: TOKEN } },
    });
    const config = agentConfig(ns.name, { enabledActions: ["ScaleWorkload"] });
    config.spec.grafana = {
      url: grafana.url,
      tokenSecretRef: { name: "grafana", key: "token" },
      dashboardUID: "aisre-incidents",
      events: ["IncidentOpened", "RemediationStep"],
    };
    await kubectlApply(cluster, config);
    await state.apps!.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment("web", { replicas: 1 }),
    });
    await start();
  }, 120_000);
  afterAll(() => grafana?.close());

  it("the flow completes while Grafana is down, and the annotations arrive by retry once it is back", async () => {
    const task = sampleTask(ns.name, "slow-web");
    task.spec.target = { kind: "Deployment", namespace: ns.name, name: "web" };
    await createTask(cluster!, task);
    const target = { kind: "Deployment", namespace: ns.name, name: "web" };
    await kubectlApply(
      cluster!,
      handPlan(
        ns.name,
        "scale-web",
        [{ name: "scale", action: "ScaleWorkload", target, params: { replicas: 2 } }],
        {
          verification: { timeoutSeconds: 60 },
        },
      ),
    );
    await waitForPlan(cluster!, ns.name, "scale-web", ["AwaitingApproval"]);
    await approveWithKubectl(cluster!, ns.name, "scale-web");
    const done = await waitForPlan(
      cluster!,
      ns.name,
      "scale-web",
      ["Succeeded", "Failed", "RolledBack"],
      120_000,
    );
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("Succeeded");
    // Grafana refused the attempts so far; nothing has landed.
    await eventually(async () => grafana.refused >= 2, 60_000);
    expect(grafana.annotations).toEqual([]);

    grafana.down = false;
    await eventually(async () => grafana.annotations.length >= 2, 90_000);
    const byEvent = (e: string) =>
      grafana.annotations.find((a) => (a.tags as string[]).includes(`event:${e}`));
    expect(byEvent("IncidentOpened")).toMatchObject({
      dashboardUID: "aisre-incidents",
      tags: expect.arrayContaining([`namespace:${ns.name}`, "workload:Deployment/web"]),
      text: expect.stringContaining(`IncidentOpened ${ns.name}/slow-web`),
    });
    const step = byEvent("RemediationStep")!;
    expect(step).toMatchObject({
      tags: expect.arrayContaining([
        `namespace:${ns.name}`,
        "workload:Deployment/web",
        "action:ScaleWorkload",
        "outcome:Succeeded",
      ]),
      text: expect.stringContaining(`plan ${ns.name}/scale-web`),
    });
    expect(step.timeEnd as number).toBeGreaterThanOrEqual(step.time as number);
    expect(grafana.posts.filter((p) => p.status === 200).every((p) => p.auth === `Bearer ${TOKEN}`)).toBe(
      true,
    );
  });
});
