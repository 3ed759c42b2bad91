/** The helm binary (hack/build-helm.sh) and small helpers around it for the chart suites. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";

const run = promisify(execFile);

/** The repository root and the generated chart. */
export const ROOT = join(import.meta.dirname, "../..");
export const CHART = join(ROOT, "charts/aisre");

/**
 * The built helm binary, or undefined outside CI (after one line saying how to get it).
 * Under CI=true a missing helm throws: .ci/run builds it before the tests.
 */
export async function helmBinary(): Promise<string | undefined> {
  try {
    const { stdout } = await run("bash", [join(ROOT, "hack/build-helm.sh"), "--cached"]);
    return stdout.trim();
  } catch (err) {
    if (process.env.CI === "true")
      throw new Error(`helm unavailable under CI: ${String(err)}`, { cause: err });
    console.warn("skipped: helm is not built; run 'bash hack/build-helm.sh' (needs Go, about 10 minutes)");
    return undefined;
  }
}

/** Runs helm; never throws on a non-zero exit. */
export function helm(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { maxBuffer: 64 << 20, cwd: ROOT }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
    });
  });
}

/** A Kubernetes object as parsed from YAML. */
export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The objects of a multi-document YAML text (empty documents dropped). */
export const objects = (text: string): Obj[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);

/** kind/name, the key objects are compared by. */
export const key = (o: Obj) => `${o.kind}/${o.metadata?.name}`;
