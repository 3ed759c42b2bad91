/**
 * `helm install` of the generated chart into the local control plane: every object of the
 * release exists, the operator and sidecar pods are scheduled onto the kwok nodes and run,
 * and `helm uninstall` removes the release but keeps the CRDs (Helm never deletes crds/).
 * kwok runs no containers, so `helm test` cannot finish here (its Pod stays Running):
 * chart.test.ts runs the hook's script against a real /readyz instead.
 */
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, kubectl } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import { CHART, helm, helmBinary, key, objects } from "./support.ts";
import type { Obj } from "./support.ts";

const cluster = controlPlane();
const bin = await helmBinary();
const it = itOnCluster(bin ? cluster : undefined);
const ns = `helm-${randomBytes(3).toString("hex")}`;
const CRDS = readdirSync(`${CHART}/crds`).map((f) => f.replace(/\.yaml$/, ""));

/** helm with the test kubeconfig. */
const h = (args: string[]) => helm(bin!, ["--kubeconfig", cluster!.kubeconfigPath, ...args]);
/** kubectl, failing the test with its stderr on a non-zero exit. */
async function k(args: string[], input?: string): Promise<string> {
  const r = await kubectl(cluster!, args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

describe("helm install and uninstall on the local control plane", () => {
  beforeAll(async () => {
    // Other suites share this cluster and apply the CRDs and the approval policy with kubectl.
    if (cluster && bin) await installCrds(cluster);
  });
  afterAll(async () => {
    if (!cluster || !bin) return;
    await h(["uninstall", "aisre", "--namespace", ns, "--ignore-not-found"]);
    await kubectl(cluster, ["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]);
    // The release owned the approval policy other suites rely on: put it back.
    await installCrds(cluster);
  });

  it("creates every object of the release and schedules the operator and sidecar on kwok nodes", async () => {
    // --take-ownership/--force-conflicts: the suites before this one applied the same cluster-wide
    // objects (CRDs, approval policy) with kubectl; a fresh cluster needs neither.
    const installed = await h([
      "install",
      "aisre",
      CHART,
      "--namespace",
      ns,
      "--create-namespace",
      "--take-ownership",
      "--force-conflicts",
      "--wait",
      "--timeout",
      "4m",
    ]);
    expect(installed.code, installed.stderr).toBe(0);
    const status = JSON.parse((await h(["status", "aisre", "--namespace", ns, "-o", "json"])).stdout) as Obj;
    expect(status.info.status).toBe("deployed");

    const manifest = objects((await h(["get", "manifest", "aisre", "--namespace", ns])).stdout);
    expect(manifest.length).toBeGreaterThan(20);
    const found = (
      await k(["get", "-f", "-", "-o", "name"], manifest.map((o) => JSON.stringify(o)).join("\n"))
    )
      .trim()
      .split("\n");
    expect(found).toHaveLength(manifest.length);
    for (const o of manifest.filter((m) => m.metadata.namespace))
      expect(o.metadata.namespace, key(o)).toBe(ns);
    for (const crd of CRDS) await k(["get", "crd", crd]);

    const nodes = JSON.parse(await k(["get", "nodes", "-o", "json"])) as Obj;
    const kwok = new Set(
      nodes.items
        .filter((n: Obj) => n.metadata.annotations?.["kwok.x-k8s.io/node"] === "fake")
        .map((n: Obj) => n.metadata.name as string),
    );
    expect(kwok.size).toBeGreaterThan(0);
    for (const component of ["operator", "sidecar"]) {
      const pods = await eventually(async () => {
        const list = JSON.parse(
          await k(["get", "pods", "-n", ns, "-l", `app.kubernetes.io/component=${component}`, "-o", "json"]),
        ) as Obj;
        const running = list.items.filter((p: Obj) => p.status.phase === "Running" && p.spec.nodeName);
        return running.length === 2 && (running as Obj[]);
      }, 120_000);
      for (const p of pods) expect(kwok, `${component} pod ${p.metadata.name}`).toContain(p.spec.nodeName);
      expect(pods[0]!.spec.serviceAccountName).toBe(`aisre-${component}`);
    }
  }, 420_000); // helm --wait (4 min) and the pods (2 min) under a loaded CI machine

  it("uninstalls the release and keeps the CRDs", async () => {
    const removed = await h(["uninstall", "aisre", "--namespace", ns, "--wait", "--timeout", "3m"]);
    expect(removed.code, removed.stderr).toBe(0);
    await eventually(async () => {
      const left = await kubectl(cluster!, ["get", "deployment", "aisre-operator", "-n", ns]);
      const role = await kubectl(cluster!, ["get", "clusterrole", "aisre-operator"]);
      return left.code !== 0 && role.code !== 0;
    }, 120_000);
    for (const crd of CRDS) {
      const established = await k([
        "get",
        "crd",
        crd,
        "-o",
        "jsonpath={.status.conditions[?(@.type=='Established')].status}",
      ]);
      expect(established, crd).toBe("True");
    }
  }, 300_000);
});
