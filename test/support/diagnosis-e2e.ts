/**
 * What every live diagnosis suite (test/e2e/diagnosis-v2-*) does around its scenario: install
 * the CRDs and start the operator on the suite's namespace before its tests, stop it after, and
 * diagnose a Deployment by creating a Diagnose SreTask and waiting for its DiagnosisRun.
 */
import { afterAll, beforeAll } from "vitest";
import type { DiagnosisRun } from "../../crds/index.ts";
import type { TestCluster } from "./cluster.ts";
import { installCrds } from "./cluster.ts";
import type { OperatorProcess } from "./operator-process.ts";
import { eventually, startNamespaceOperator, stopOperator } from "./operator-process.ts";
import { createTask } from "./tasks.ts";

/** The suite's operator: `current` once started. */
export interface SuiteOperator {
  current?: OperatorProcess;
}

/**
 * Installs the CRDs and starts a namespace operator on `ns` before the suite's tests (after
 * `beforeStart`, e.g. a precondition or a clean slate), and stops it after them (then `afterStop`).
 */
export function useDiagnosisOperator(
  cluster: TestCluster | undefined,
  ns: { name: string },
  hooks: {
    beforeStart?: (c: TestCluster) => Promise<void>;
    afterStop?: (c: TestCluster) => Promise<void>;
  } = {},
): SuiteOperator {
  const suite: SuiteOperator = {};
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await hooks.beforeStart?.(cluster);
    suite.current = await startNamespaceOperator(cluster, ns.name);
  });
  afterAll(async () => {
    await stopOperator(suite.current);
    if (cluster) await hooks.afterStop?.(cluster);
  });
  return suite;
}

/** Creates a Diagnose task `name` for Deployment `target` and waits until its DiagnosisRun is Completed. */
export async function diagnoseDeployment(
  cluster: TestCluster,
  namespace: string,
  name: string,
  target: string,
  timeoutMs = 90_000,
): Promise<DiagnosisRun> {
  await createTask(cluster, {
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: { name, namespace },
    spec: { type: "Diagnose", target: { kind: "Deployment", namespace, name: target } },
  });
  return eventually(async () => {
    const run = (await cluster.objects
      .read({ apiVersion: "aisre.io/v1alpha1", kind: "DiagnosisRun", metadata: { name, namespace } })
      .catch(() => undefined)) as DiagnosisRun | undefined;
    return run?.status?.phase === "Completed" && run;
  }, timeoutMs);
}
