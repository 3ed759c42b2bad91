import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import type { TestCluster } from "./cluster.ts";
import { kwokDeployment } from "./workloads.ts";

/** A minimal valid SreTask about a Deployment, as a user would `kubectl apply` it. */
export function sampleTask(namespace: string, name: string): SreTask {
  return {
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: { name, namespace },
    spec: {
      type: "Diagnose",
      source: "Manual",
      description: "checkout keeps restarting",
      target: { kind: "Deployment", namespace, name: "checkout" },
    },
  };
}

/** Creates the Deployment sampleTask targets (a run whose target is missing ends Failed). */
export async function createSampleTarget(cluster: TestCluster, namespace: string): Promise<void> {
  const deployment = kwokDeployment("checkout", { replicas: 1 });
  await cluster.objects.create({ ...deployment, metadata: { ...deployment.metadata, namespace } });
}

/** Creates an SreTask through the API server. */
export async function createTask(cluster: TestCluster, task: SreTask): Promise<SreTask> {
  return (await cluster.objects.create(task)) as SreTask;
}

/** Reads an SreTask (with status) through the API server. */
export async function readTask(cluster: TestCluster, namespace: string, name: string): Promise<SreTask> {
  return (await cluster.objects.read({
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: { name, namespace },
  })) as SreTask;
}

/** Reads a DiagnosisRun (with status) through the API server. */
export async function readRun(cluster: TestCluster, namespace: string, name: string): Promise<DiagnosisRun> {
  return (await cluster.objects.read({
    apiVersion: "aisre.io/v1alpha1",
    kind: "DiagnosisRun",
    metadata: { name, namespace },
  })) as DiagnosisRun;
}

/** True when the SreTask's Accepted condition is True for its current generation. */
export function accepted(task: SreTask): boolean {
  const cond = task.status?.conditions?.find((c) => c.type === "Accepted");
  return cond?.status === "True" && task.status?.observedGeneration === task.metadata.generation;
}
