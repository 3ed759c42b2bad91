/**
 * Running `kubectl aisre` as a user would: the control plane's real kubectl, with a PATH directory
 * holding `kubectl-aisre` (a symlink to bin/kubectl-aisre.mjs, the name kubectl looks up), and a
 * kubeconfig per identity.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestCluster } from "../support/cluster.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

/** What one command printed and its exit code. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** A directory for PATH whose kubectl-aisre is this checkout's bin/kubectl-aisre.mjs. */
export function pluginDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "kubectl-aisre-"));
  symlinkSync(join(ROOT, "bin", "kubectl-aisre.mjs"), join(dir, "kubectl-aisre"));
  return dir;
}

/** A kubeconfig file for the cluster that authenticates with this bearer token (context namespace optional). */
export function tokenKubeconfig(cluster: TestCluster, token: string, namespace?: string): string {
  const c = cluster.kc.getCurrentCluster()!;
  const file = join(mkdtempSync(join(tmpdir(), "kubeconfig-")), "config");
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "t", cluster: { server: c.server, ...ca(cluster) } }],
      users: [{ name: "u", user: { token } }],
      contexts: [{ name: "t", context: { cluster: "t", user: "u", ...(namespace ? { namespace } : {}) } }],
      "current-context": "t",
    }),
  );
  return file;
}

/** The cluster's CA as the test kubeconfig gives it (a file or inline data). */
function ca(cluster: TestCluster): Record<string, string> {
  const c = cluster.kc.getCurrentCluster()!;
  if (c.caData) return { "certificate-authority-data": c.caData };
  if (c.caFile) return { "certificate-authority": c.caFile };
  throw new Error("the test kubeconfig names no CA");
}

let kubectlBin: string | undefined;
/** The control plane's kubectl (hack/control-plane.sh bin-dir), the version the API server matches. */
async function kubectlPath(): Promise<string> {
  if (!kubectlBin) {
    const { stdout } = await run("bash", ["hack/control-plane.sh", "bin-dir"], { cwd: ROOT });
    kubectlBin = join(stdout.trim(), "kubectl");
  }
  return kubectlBin;
}

/** Runs `kubectl aisre ARGS` with the given kubeconfig (KUBECONFIG) and extra environment. */
export async function kubectlAisre(
  cluster: TestCluster,
  args: string[],
  opts: { kubeconfig?: string; env?: Record<string, string>; dir: string },
): Promise<Result> {
  const kubectl = await kubectlPath();
  const env = {
    ...process.env,
    KUBECONFIG: opts.kubeconfig ?? cluster.kubeconfigPath,
    PATH: `${opts.dir}:${process.env.PATH ?? ""}`,
    NO_COLOR: "1",
    LANG: "C",
    ...opts.env,
  };
  try {
    const { stdout, stderr } = await run(kubectl, ["aisre", ...args], {
      env,
      timeout: 90_000,
      cwd: tmpdir(),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** A kubeconfig as the admin's (same client certificate) whose context namespace is `namespace`. */
export function adminKubeconfig(cluster: TestCluster, namespace: string): string {
  const c = cluster.kc.getCurrentCluster()!;
  const u = cluster.kc.getCurrentUser()!;
  const file = join(mkdtempSync(join(tmpdir(), "kubeconfig-")), "config");
  const user = u.certFile
    ? { "client-certificate": u.certFile, "client-key": u.keyFile }
    : { "client-certificate-data": u.certData, "client-key-data": u.keyData };
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "t", cluster: { server: c.server, ...ca(cluster) } }],
      users: [{ name: "admin", user }],
      contexts: [{ name: "t", context: { cluster: "t", user: "admin", namespace } }],
      "current-context": "t",
    }),
  );
  return file;
}
