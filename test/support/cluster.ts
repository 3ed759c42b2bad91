import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, inject, it } from "vitest";

const run = promisify(execFile);

/** A connection to the shared test control plane. */
export interface TestCluster {
  kubeconfigPath: string;
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  objects: k8s.KubernetesObjectApi;
}

/**
 * Returns the shared control plane, or undefined when it is missing outside CI (after
 * printing one line on how to get it). Under CI=true a missing control plane throws.
 */
export function controlPlane(): TestCluster | undefined {
  const path = inject("kubeconfig");
  if (!path) {
    const why = inject("controlPlaneError");
    if (process.env.CI === "true") throw new Error(`control plane unavailable under CI: ${why}`);
    console.warn(`skipped: no control plane (${why}); run 'bash hack/control-plane.sh start' (needs Go)`);
    return undefined;
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  return {
    kubeconfigPath: path,
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(kc),
  };
}

/** Like vitest's `it`, skipped outside CI when the control plane is missing. */
export const itOnCluster = (cluster: TestCluster | undefined): typeof it =>
  (cluster ? it : it.skip) as typeof it;

/** Gives the calling suite a fresh namespace (created before, deleted after) and returns its name holder. */
export function useNamespace(cluster: TestCluster | undefined, prefix = "t"): { name: string } {
  const ns = { name: `${prefix}-${randomBytes(3).toString("hex")}` };
  beforeAll(async () => {
    if (cluster) await cluster.core.createNamespace({ body: { metadata: { name: ns.name } } });
  });
  afterAll(async () => {
    if (cluster) await cluster.core.deleteNamespace({ name: ns.name }).catch(() => undefined);
  });
  return ns;
}

/** Runs the control plane's kubectl with the test kubeconfig; never throws on a non-zero exit. */
export async function kubectl(
  cluster: TestCluster,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = await kubectlPath();
  return new Promise((resolve) => {
    const child = execFile(
      bin,
      ["--kubeconfig", cluster.kubeconfigPath, ...args],
      { maxBuffer: 32 << 20 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

let cachedKubectl: string | undefined;
async function kubectlPath(): Promise<string> {
  if (!cachedKubectl) {
    const { stdout } = await run("bash", ["hack/control-plane.sh", "bin-dir"]);
    cachedKubectl = `${stdout.trim()}/kubectl`;
  }
  return cachedKubectl;
}

/** Applies the generated CRDs and waits until the API server serves them. */
export async function installCrds(cluster: TestCluster): Promise<void> {
  const applied = await kubectl(cluster, ["apply", "--server-side", "--force-conflicts", "-f", "crds/"]);
  if (applied.code !== 0) throw new Error(`kubectl apply crds failed: ${applied.stderr}`);
  const waited = await kubectl(cluster, [
    "wait",
    "--for=condition=Established",
    "--timeout=60s",
    "-f",
    "crds/",
  ]);
  if (waited.code !== 0) throw new Error(`CRDs not established: ${waited.stderr}`);
  // Shipped with the CRDs: approving a plan needs the verb approve (cdk8s/admission.ts).
  const policy = await kubectl(cluster, [
    "apply",
    "--server-side",
    "--force-conflicts",
    "-f",
    APPROVAL_POLICY,
  ]);
  if (policy.code !== 0) throw new Error(`kubectl apply ${APPROVAL_POLICY} failed: ${policy.stderr}`);
}

/** The generated approval ValidatingAdmissionPolicy, its binding and the approver ClusterRole. */
export const APPROVAL_POLICY = "deploy/approval-policy.yaml";
