import type { V1Deployment } from "@kubernetes/client-node";
import { AppsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll } from "vitest";
import type { AgentConfig, RemediationPlan } from "../../crds/index.ts";
import type { TestCluster } from "../support/cluster.ts";
import { installCrds, kubectl } from "../support/cluster.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { kwokDeployment } from "../support/workloads.ts";

/** A Deployment whose pods kwok runs (or drives into `simulate`, e.g. CrashLoopBackOff). */
export function deployment(
  name: string,
  opts: { simulate?: string; image?: string; replicas?: number; minReadySeconds?: number } = {},
): V1Deployment {
  return kwokDeployment(name, opts);
}

/** The AgentConfig "default" of a test namespace: plans may act there, with the policy overrides given. */
export function agentConfig(namespace: string, policy: Record<string, unknown> = {}): AgentConfig {
  return {
    apiVersion: "aisre.io/v1alpha1",
    kind: "AgentConfig",
    metadata: { name: "default", namespace },
    spec: {
      policy: {
        autoRemediation: false,
        enabledActions: ["RolloutUndo", "ScaleWorkload", "RolloutRestart", "RunbookOnly"],
        allowedNamespaces: [namespace],
        maxAffectedPods: 50,
        cooldownSeconds: 0,
        maxConcurrentPlans: 10,
        approvalTTLSeconds: 3600,
        ...policy,
      },
    } as AgentConfig["spec"],
  };
}

/** Installs the CRDs and runs one operator for the suite's namespace (incident store off unless env turns it on). */
export function useOperator(cluster: TestCluster | undefined, ns: { name: string }) {
  const state: { op?: OperatorProcess; apps?: AppsV1Api } = {};
  const start = async (env: Record<string, string> = {}) => {
    state.op = await startNamespaceOperator(cluster!, ns.name, env);
    return state.op;
  };
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    state.apps = cluster.kc.makeApiClient(AppsV1Api);
  });
  afterAll(() => stopOperator(state.op));
  return { state, start };
}

/** Reads a RemediationPlan (with status). */
export async function readPlan(
  cluster: TestCluster,
  namespace: string,
  name: string,
): Promise<RemediationPlan> {
  return (await cluster.objects.read({
    apiVersion: "aisre.io/v1alpha1",
    kind: "RemediationPlan",
    metadata: { name, namespace },
  })) as RemediationPlan;
}

/** Waits until the plan reaches one of phases. */
export function waitForPlan(
  cluster: TestCluster,
  namespace: string,
  name: string,
  phases: string[],
  timeoutMs = 90_000,
): Promise<RemediationPlan> {
  return eventually(async () => {
    const p = await readPlan(cluster, namespace, name);
    return phases.includes(p.status?.phase ?? "") && p;
  }, timeoutMs);
}

/** The username the API server sees for the test kubeconfig (`kubectl auth whoami`). */
export async function kubectlUser(cluster: TestCluster): Promise<string> {
  const r = await kubectl(cluster, ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]);
  if (r.code !== 0 || !r.stdout) throw new Error(`kubectl auth whoami failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Approves a plan the documented kubectl way: spec.approval with the approver's own username
 * (the aisre-remediationplan-approval policy checks it and the verb approve). Returns that user.
 */
export async function approveWithKubectl(
  cluster: TestCluster,
  namespace: string,
  name: string,
): Promise<string> {
  const user = await kubectlUser(cluster);
  const r = await kubectl(cluster, [
    "-n",
    namespace,
    "patch",
    "remediationplan",
    name,
    "--type",
    "merge",
    "-p",
    JSON.stringify({ spec: { approval: { decision: "Approved", decidedBy: user } } }),
  ]);
  if (r.code !== 0) throw new Error(`kubectl patch failed: ${r.stderr}`);
  return user;
}

/** Applies an object as YAML/JSON through kubectl (as a user would). */
export async function kubectlApply(cluster: TestCluster, obj: unknown): Promise<void> {
  const r = await kubectl(cluster, ["apply", "-f", "-"], JSON.stringify(obj));
  if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
}

/** A hand-written (GitOps) plan with the given steps. */
export function handPlan(
  namespace: string,
  name: string,
  steps: RemediationPlan["spec"]["steps"],
  extra: Partial<RemediationPlan["spec"]> = {},
): RemediationPlan {
  return {
    apiVersion: "aisre.io/v1alpha1",
    kind: "RemediationPlan",
    metadata: { name, namespace },
    spec: { steps, ...extra },
  };
}
