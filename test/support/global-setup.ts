import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

const run = promisify(execFile);

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the admin kubeconfig of the shared control plane, or "" when none could start. */
    kubeconfig: string;
    /** Why the control plane is missing, for the skip line. */
    controlPlaneError: string;
  }
}

/**
 * Starts (or reuses) the shared local control plane once for all integration suites.
 * AISRE_TEST_KUBECONFIG points the suites at an existing cluster instead.
 */
export default async function setup(project: TestProject): Promise<void> {
  const given = process.env.AISRE_TEST_KUBECONFIG;
  if (given) {
    project.provide("kubeconfig", given);
    project.provide("controlPlaneError", "");
    return;
  }
  try {
    await run("bash", ["hack/control-plane.sh", "start"], { maxBuffer: 64 << 20, timeout: 60 * 60_000 });
    const { stdout } = await run("bash", ["hack/control-plane.sh", "kubeconfig"]);
    project.provide("kubeconfig", stdout.trim());
    project.provide("controlPlaneError", "");
  } catch (err) {
    const message =
      (err as { stderr?: string }).stderr?.trim().split("\n").slice(-3).join(" ") ?? String(err);
    project.provide("kubeconfig", "");
    project.provide("controlPlaneError", message);
  }
}
