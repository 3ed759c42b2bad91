/**
 * The deployed executor role suffices: every Kubernetes action of the catalog runs its
 * preconditions, blast radius, dry run, execute, crash-recovery observer, verify and undo
 * under a ServiceAccount bound only to the aisre-executor ClusterRole read from the generated
 * deploy/rbac.yaml (not from the per-action declarations the other suites use), so a rule
 * the generator drops or an action forgets to declare fails here with a 403.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import * as k8s from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { Action, Step, UndoState } from "../../agents/automation/action.ts";
import { catalog } from "../../agents/automation/catalog.ts";
import type { ActionName } from "../../crds/actions.ts";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import type { TestCluster } from "../support/cluster.ts";
import {
  createKwokNode,
  createReadyDeployment,
  createReadyStatefulSet,
  deployment,
  step,
  useAutomationIdentity,
  verifyUntilDone,
  waitFor,
} from "./support.ts";

/** The rules of the generated executor ClusterRole, as deployed. */
function generatedExecutorRules(): k8s.V1PolicyRule[] {
  const text = readFileSync(join(import.meta.dirname, "../../deploy/rbac.yaml"), "utf8");
  const objects = parseAllDocuments(text).map((d) => d.toJS() as k8s.V1ClusterRole);
  const role = objects.find((o) => o.kind === "ClusterRole" && o.metadata?.name === "aisre-executor");
  if (!role?.rules) throw new Error("deploy/rbac.yaml has no aisre-executor ClusterRole; run npm run synth");
  return role.rules;
}

/** Actions this suite does not run, and why. */
const SKIPPED: Partial<Record<ActionName, string>> = {
  Ec2RebootInstance: "EC2 API, not Kubernetes RBAC (test/automation/ec2.test.ts)",
  Ec2StartInstance: "EC2 API, not Kubernetes RBAC (test/automation/ec2.test.ts)",
  Ec2StopInstance: "EC2 API, not Kubernetes RBAC (test/automation/ec2.test.ts)",
  ExternalAutomation: "the operations platform's HTTP API (test/automation/external-automation.test.ts)",
};

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "exec-rbac");
const id = useAutomationIdentity(cluster, { rules: generatedExecutorRules });
const nodeName = `aisre-exec-${randomBytes(3).toString("hex")}`;
const c = () => cluster as TestCluster;
const apps = () => c().kc.makeApiClient(k8s.AppsV1Api);
const batch = () => c().kc.makeApiClient(k8s.BatchV1Api);
const STRATEGIC = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch);
const target = (kind: string, name: string) => ({ kind, namespace: ns.name, name });

/** Cordons or uncordons our node as an admin. */
const setCordon = (on: boolean) =>
  c().core.patchNode(
    { name: nodeName, body: { spec: { unschedulable: on ? true : null } } },
    k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
  );

/** A ready Deployment of kwok pods. */
const ready = (name: string, replicas = 1, node?: string) =>
  createReadyDeployment(c(), ns.name, deployment(name, { replicas, node }));

/** A second revision of a Deployment or StatefulSet, rolled out, so RolloutUndo has one to go back to. */
async function secondRevision(kind: "Deployment" | "StatefulSet", name: string): Promise<void> {
  const body = {
    spec: { template: { spec: { containers: [{ name: "app", image: "example.com/app:v2" }] } } },
  };
  const p = { name, namespace: ns.name, body };
  if (kind === "Deployment") await apps().patchNamespacedDeployment(p, STRATEGIC);
  else await apps().patchNamespacedStatefulSet(p, STRATEGIC);
  await waitFor(`${kind} ${name} at revision 2`, async () => {
    const verdict = await catalog
      .get("RolloutUndo")!
      .verify(id.ctx, step("RolloutUndo", target(kind, name)), {});
    return verdict.done && verdict.ok;
  });
}

/** A finished Job, or a CronJob, of one kwok pod. */
const jobSpec = (): k8s.V1JobSpec => ({
  template: {
    spec: { restartPolicy: "Never", containers: [{ name: "task", image: "example.com/task:v1" }] },
  },
});

/** Creates a CronJob as an admin. */
const cronJob = (name: string) =>
  batch().createNamespacedCronJob({
    namespace: ns.name,
    body: { metadata: { name }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: jobSpec() } } },
  });

/** One run: what to set up as an admin, and what to check as an admin after undo. */
interface Scenario {
  action: ActionName;
  label: string;
  setup(): Promise<Step>;
  undone?(s: Step, state: UndoState): Promise<void>;
}

const SCENARIOS: Scenario[] = [
  {
    action: "ScaleWorkload",
    label: "Deployment 1 → 2 replicas",
    setup: async () => {
      await ready("scale");
      return step("ScaleWorkload", target("Deployment", "scale"), { replicas: 2 });
    },
    undone: async () => {
      const d = await apps().readNamespacedDeployment({ name: "scale", namespace: ns.name });
      expect(d.spec?.replicas).toBe(1);
    },
  },
  {
    action: "RolloutRestart",
    label: "Deployment",
    setup: async () => {
      await ready("restart");
      return step("RolloutRestart", target("Deployment", "restart"));
    },
  },
  {
    action: "RolloutUndo",
    label: "Deployment (ReplicaSet history)",
    setup: async () => {
      await ready("undo");
      await secondRevision("Deployment", "undo");
      return step("RolloutUndo", target("Deployment", "undo"));
    },
  },
  {
    action: "RolloutUndo",
    label: "StatefulSet (ControllerRevision history)",
    setup: async () => {
      await createReadyStatefulSet(c(), ns.name, "db");
      await secondRevision("StatefulSet", "db");
      return step("RolloutUndo", target("StatefulSet", "db"));
    },
  },
  {
    action: "DeletePod",
    label: "a ReplicaSet's pod",
    setup: async () => {
      await ready("victim");
      const pods = await c().core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=victim" });
      return step("DeletePod", target("Pod", pods.items[0]!.metadata!.name!));
    },
  },
  {
    action: "SetResources",
    label: "Deployment memory limit",
    setup: async () => {
      await ready("res");
      return step("SetResources", target("Deployment", "res"), { container: "app", memory: "256Mi" });
    },
  },
  {
    action: "CordonNode",
    label: "own kwok node",
    setup: async () => step("CordonNode", { kind: "Node", name: nodeName }),
  },
  {
    action: "UncordonNode",
    label: "own kwok node, cordoned by an admin",
    setup: async () => {
      await setCordon(true);
      return step("UncordonNode", { kind: "Node", name: nodeName });
    },
    undone: async () => {
      await setCordon(false);
    },
  },
  {
    action: "DrainNode",
    label: "own kwok node with one pod",
    setup: async () => {
      await ready("movable", 1, nodeName);
      return step("DrainNode", { kind: "Node", name: nodeName });
    },
  },
  {
    action: "SuspendCronJob",
    label: "CronJob",
    setup: async () => {
      await cronJob("nightly");
      return step("SuspendCronJob", target("CronJob", "nightly"));
    },
  },
  {
    action: "RerunJob",
    label: "a finished Job; undo deletes the new Job",
    setup: async () => {
      await batch().createNamespacedJob({
        namespace: ns.name,
        body: { metadata: { name: "report" }, spec: jobSpec() },
      });
      await waitFor("Job report complete", async () => {
        const j = await batch().readNamespacedJob({ name: "report", namespace: ns.name });
        return j.status?.succeeded === 1;
      });
      return step("RerunJob", target("Job", "report"));
    },
    undone: async (_s, state) => {
      await waitFor("the rerun Job deleted", async () => {
        const jobs = await batch().listNamespacedJob({ namespace: ns.name });
        return !jobs.items.some((j) => j.metadata?.name === state.job);
      });
    },
  },
  {
    action: "RerunJob",
    label: "a CronJob's job",
    setup: async () => {
      await cronJob("hourly");
      return step("RerunJob", target("CronJob", "hourly"));
    },
  },
  {
    action: "PatchHPA",
    label: "HPA bounds",
    setup: async () => {
      await ready("scaled", 2);
      await c()
        .kc.makeApiClient(k8s.AutoscalingV2Api)
        .createNamespacedHorizontalPodAutoscaler({
          namespace: ns.name,
          body: {
            metadata: { name: "scaled" },
            spec: {
              scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "scaled" },
              minReplicas: 1,
              maxReplicas: 4,
            },
          },
        });
      return step("PatchHPA", target("HorizontalPodAutoscaler", "scaled"), {
        minReplicas: 2,
        maxReplicas: 6,
      });
    },
  },
  {
    action: "RunbookOnly",
    label: "no API call",
    setup: async () => step("RunbookOnly", target("Deployment", "any"), { note: "call the DBA" }),
  },
];

/** Every hook of the action, in the controller's order, as the executor identity. */
async function runUnderExecutor(action: Action, s: Step): Promise<UndoState> {
  const { ctx } = id;
  expect(await action.preconditions(ctx, s)).toEqual([]);
  await action.blastRadius(ctx, s);
  expect(await action.dryRun(ctx, s)).toMatchObject({ passed: true });
  const observer = action.recovery.mode === "observe" ? action.recovery.observer : undefined;
  const before = await observer?.before(ctx, s);
  const done = await action.execute(ctx, s);
  if (observer) expect(await observer.after(ctx, s, before!)).toBeDefined();
  expect(await verifyUntilDone(action, ctx, s, done.undoState)).toMatchObject({ ok: true });
  await action.undo(ctx, s, done.undoState);
  return done.undoState;
}

describe("every action under the generated aisre-executor ClusterRole", () => {
  beforeAll(async () => {
    if (cluster) await createKwokNode(cluster, nodeName);
  });
  afterAll(async () => {
    if (cluster) await cluster.core.deleteNode({ name: nodeName }).catch(() => undefined);
  });

  it("has a scenario for every action it does not skip", () => {
    const covered = new Set<string>(SCENARIOS.map((s) => s.action));
    const missing = catalog.all().filter((a) => !covered.has(a.name) && !SKIPPED[a.name]);
    expect(missing.map((a) => a.name)).toEqual([]);
    // Skipping is only for actions the Kubernetes RBAC does not govern.
    for (const name of Object.keys(SKIPPED)) expect(catalog.get(name)!.rbac, name).toEqual([]);
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.action} (${scenario.label}): dry run, execute, verify, undo`, async () => {
      const action = catalog.get(scenario.action)!;
      const s = await scenario.setup();
      const state = await runUnderExecutor(action, s);
      await scenario.undone?.(s, state);
    });
  }
});
