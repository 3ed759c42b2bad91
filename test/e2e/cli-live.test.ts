// `aisre diagnose --namespace` as a user runs it: against the cluster of KUBECONFIG, with
// and without a Prometheus, and with an API server that is not there.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { AppsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import { recentWindow, workingSet } from "../support/incident-metrics.ts";
import { openMetrics } from "../support/metric-history.ts";
import { eventually } from "../support/operator-process.ts";
import { startPrometheus, type TestPrometheus } from "../support/prometheus.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

function aisre(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ["bin/aisre.mjs", "diagnose", ...args], {
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, out, err })));
}

const deployment = (name: string, simulate?: string) =>
  kwokDeployment(name, { replicas: 1, simulate, resources: { limits: { memory: "512Mi" } } });

describe("aisre diagnose --namespace against the live cluster", () => {
  const ns = useNamespace(cluster, "cli-live");
  let prom: TestPrometheus | undefined;
  let leakyPod = "";

  beforeAll(async () => {
    if (!cluster) return;
    const apps = cluster.kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment("checkout", "CrashLoopBackOff"),
    });
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment("api") });
    const podOf = (app: string, ok: (p: V1Pod) => boolean) =>
      eventually(async () => {
        const list = await cluster.core.listNamespacedPod({
          namespace: ns.name,
          labelSelector: `app=${app}`,
        });
        return list.items.find(ok)?.metadata?.name;
      }, 60_000);
    await podOf(
      "checkout",
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff",
    );
    leakyPod = await podOf("api", (p) => p.status?.containerStatuses?.[0]?.ready === true);
    const w = recentWindow();
    prom = await startPrometheus({
      history: openMetrics(
        [workingSet({ namespace: ns.name, pod: leakyPod, container: "app" }, 400, 120)],
        w,
      ),
    });
  }, 120_000);
  afterAll(async () => prom?.stop());

  it("names the crash-looping Deployment from the cluster of KUBECONFIG", async () => {
    const r = await aisre(["--namespace", ns.name, "--output", "json"], {
      KUBECONFIG: cluster!.kubeconfigPath,
    });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.rootCause).toMatchObject({
      category: "CrashLoop",
      resource: { kind: "Deployment", namespace: ns.name, name: "checkout" },
    });
    expect(result.evidenceGaps).toBeUndefined();
  });

  it("adds metric root causes with --prometheus, and says what it could not check", async () => {
    const target = ["--namespace", ns.name, "--target", "Deployment/api", "--output", "json"];
    const withMetrics = await aisre([...target, "--prometheus", prom!.url], {
      KUBECONFIG: cluster!.kubeconfigPath,
    });
    expect(JSON.parse(withMetrics.out).rootCause).toMatchObject({
      category: "MemoryLeak",
      resource: { kind: "Deployment", name: "api" },
    });
    const blind = await aisre(["--namespace", ns.name, "--output", "text"], {
      KUBECONFIG: cluster!.kubeconfigPath,
      AISRE_PROMETHEUS_URL: "http://127.0.0.1:9",
    });
    expect(blind.code).toBe(0);
    expect(blind.out).toMatch(
      /Not checked:\n {2}- HighErrorRate, .* not checked: Prometheus at http:\/\/127\.0\.0\.1:9\//,
    );
  });

  it("exits 1 with one line when the kubeconfig or the API server cannot be read", async () => {
    const empty = await aisre(["--namespace", ns.name], { KUBECONFIG: "/dev/null" });
    expect(empty.code).toBe(1);
    expect(empty.err.trim()).toMatch(/^aisre diagnose: cannot load the kubeconfig \/dev\/null: [^\n]+$/);
    const dir = mkdtempSync(join(tmpdir(), "aisre-kc-"));
    const deadConfig = join(dir, "config");
    writeFileSync(
      deadConfig,
      [
        "apiVersion: v1",
        "kind: Config",
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]',
        "contexts: [{name: c, context: {cluster: c, user: u}}]",
        "users: [{name: u, user: {token: t}}]",
        "current-context: c",
      ].join("\n"),
    );
    const dead = await aisre(["--namespace", ns.name], { KUBECONFIG: deadConfig });
    rmSync(dir, { recursive: true, force: true });
    expect(dead.code).toBe(1);
    expect(dead.err.trim()).toMatch(
      /^aisre diagnose: cannot read the cluster at https:\/\/127\.0\.0\.1:9: [^\n]+$/,
    );
  });
});
