/**
 * Capacity forecasts end to end: the operator (its own process, on the real control plane) runs
 * the capacity loop for a tenant's AgentConfig against a real VictoriaMetrics holding 14 days of
 * a real PVC filling. The forecast opens one Capacity SreTask in the tenant's namespace (none
 * about the other namespace's filling volume, which the tenant may not see), the task's diagnosis
 * starts from the forecast and recommends expanding the volume; a filling quota's task names the
 * real ResourceQuota and recommends SetResources with the right-sizing numbers; the AgentConfig's
 * status counts both, the forecasts land in the incident store (PGlite), and a shorter horizon resolves the task.
 *
 * Run alone: npx vitest run --project integration test/capacity/capacity-e2e.test.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { capacityTaskName } from "../../agents/capacity/task.ts";
import type { AgentConfig, DiagnosisRun, SreTask } from "../../crds/index.ts";
import { latestCapacityForecasts } from "../../store/capacity-forecasts.ts";
import { openStore } from "../../store/database.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { counter, gauge, openMetrics } from "../support/metric-history.ts";
import type { OperatorProcess } from "../support/operator-process.ts";
import { eventually, startOperator, stopOperator } from "../support/operator-process.ts";
import { useVictoriaMetrics } from "../support/victoria-metrics.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const GiB = 2 ** 30;
const DAY = 86_400;
const MiB = 2 ** 20;

describe("capacity forecasts open Capacity tasks on the real control plane with VictoriaMetrics", () => {
  const tenant = useNamespace(cluster, "cap");
  // The operator's own namespace: its volume fills too, but the tenant's AgentConfig must not see it.
  const ops = useNamespace(cluster, "cap-ops");
  const END = Math.floor(Date.now() / 1000 / 600) * 600;
  const history = () => {
    const pvc = (namespace: string, name: string) => ({ namespace, persistentvolumeclaim: name });
    const w = { endSeconds: END, spanSeconds: 14 * DAY, stepSeconds: 1800 };
    const quota = (type: string) => ({ namespace: tenant.name, resource: "requests.memory", type });
    const api = { namespace: tenant.name, pod: "api-7d9f8b6c5d-x2k4q", container: "api", node: "n1" };
    // 2 GiB 14 days ago, +0.4 GiB a day, of 10 GiB: 7.6 GiB now, full in about 6 days.
    const filling = (ago: number) => (2 + (0.4 * (14 * DAY - ago)) / DAY) * GiB;
    return openMetrics(
      [
        gauge("kubelet_volume_stats_used_bytes", pvc(tenant.name, "data-db-0"), filling),
        gauge("kubelet_volume_stats_capacity_bytes", pvc(tenant.name, "data-db-0"), () => 10 * GiB),
        gauge("kubelet_volume_stats_used_bytes", pvc(tenant.name, "cache"), () => 1 * GiB),
        gauge("kubelet_volume_stats_capacity_bytes", pvc(tenant.name, "cache"), () => 10 * GiB),
        gauge("kubelet_volume_stats_used_bytes", pvc(ops.name, "wal-0"), filling),
        gauge("kubelet_volume_stats_capacity_bytes", pvc(ops.name, "wal-0"), () => 10 * GiB),
        // The quota: 6 GiB of requests.memory 14 days ago, +0.5 GiB a day, of 16: about 6 days left.
        gauge("kube_resourcequota", quota("used"), (ago) => (6 + (0.5 * (14 * DAY - ago)) / DAY) * GiB),
        gauge("kube_resourcequota", quota("hard"), () => 16 * GiB),
        // Its workload asks for 1 core and 2 GiB but uses 0.1 core and 400 MiB.
        counter("container_cpu_usage_seconds_total", api, 0.1, w),
        gauge("container_memory_working_set_bytes", api, () => 400 * MiB),
        gauge("kube_pod_container_resource_requests", { ...api, resource: "cpu" }, () => 1),
        gauge("kube_pod_container_resource_requests", { ...api, resource: "memory" }, () => 2 * GiB),
      ],
      w,
    );
  };
  const vm = useVictoriaMetrics({ history, timeoutMs: 120_000 });
  const dataDir = mkdtempSync(join(tmpdir(), "aisre-capacity-e2e-"));
  let op: OperatorProcess | undefined;
  const taskName = capacityTaskName("default", {
    scope: "volume",
    key: `${tenant.name}/data-db-0`,
    resource: "storage",
  });

  async function get<T>(args: string[]): Promise<T> {
    const r = await kubectl(cluster!, [...args, "-o", "json"]);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }
  const apply = async (obj: object) => {
    const r = await kubectl(cluster!, ["apply", "-f", "-"], JSON.stringify(obj));
    if (r.code !== 0) throw new Error(r.stderr);
  };
  const quotaTaskName = capacityTaskName("default", {
    scope: "namespace",
    key: `${tenant.name}/requests.memory`,
    resource: "requests.memory",
  });
  const task = (name = taskName) => get<SreTask>(["-n", tenant.name, "get", "sretask", name]);
  const config = () => get<AgentConfig>(["-n", tenant.name, "get", "agentconfig", "default"]);

  beforeAll(async () => {
    if (!cluster || !vm.current) return;
    await installCrds(cluster);
    await apply({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data-db-0", namespace: tenant.name },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
    });
    await apply({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "compute", namespace: tenant.name },
      spec: { hard: { "requests.memory": "16Gi" } },
    });
    await apply({
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
      metadata: { name: "default", namespace: tenant.name },
      spec: {
        tools: { prometheus: { url: vm.current.url } },
        monitoring: { capacity: { enabled: true, horizonDays: 14, historyDays: 14 } },
      },
    });
    op = startOperator(cluster, {
      AISRE_WATCH_NAMESPACE: tenant.name,
      AISRE_NAMESPACE: ops.name,
      AISRE_LEADER_ELECT: "false",
      AISRE_CAPACITY_INTERVAL_SECONDS: "15",
      // PGlite under a temp dir; DATABASE_URL cleared so a CI PostgreSQL URL does not redirect it.
      AISRE_INCIDENT_STORE: "true",
      AISRE_DATA_DIR: dataDir,
      DATABASE_URL: "",
    });
    await op.waitForLog(/Started workers/, 60_000);
  }, 180_000);
  afterAll(async () => {
    await stopOperator(op);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a forecast inside the horizon opens one Capacity task, listed by kubectl get sretasks", async (ctx) => {
    if (vm.missing) ctx.skip();
    const listed = await eventually(async () => {
      const r = await kubectl(cluster!, ["-n", tenant.name, "get", "sretasks"]);
      return r.stdout.includes(taskName) && r.stdout;
    }, 120_000);
    expect(listed).toContain(taskName);
    const t = await task();
    expect(t.spec).toMatchObject({
      type: "Capacity",
      source: "Monitor",
      agentConfigRef: { name: "default" },
    });
    expect(t.spec.alert!.labels).toMatchObject({
      alertname: "CapacityForecast",
      scope: "volume",
      key: `${tenant.name}/data-db-0`,
      resource: "storage",
      namespace: tenant.name,
      persistentvolumeclaim: "data-db-0",
    });
    const notes = t.spec.alert!.annotations!;
    expect(notes.target).toBe(`PersistentVolumeClaim ${tenant.name}/data-db-0`);
    const days = Number(notes.daysToExhaustion);
    // 2.4 GiB left at 0.4 GiB a day: about 6 days, inside the band.
    expect(days).toBeGreaterThanOrEqual(4);
    expect(days).toBeLessThanOrEqual(8);
    expect(Number(notes.bandEarliest)).toBeLessThanOrEqual(days);
    expect(Number(notes.utilization)).toBeGreaterThan(0.7);
    expect(Number(notes.trendPerDay)).toBeGreaterThan(0.3 * GiB);
    // Only the tenant's own volume: the steady one and the other namespace's never become tasks.
    const all = (await get<{ items: SreTask[] }>(["-n", tenant.name, "get", "sretasks"])).items;
    expect(
      all
        .filter((x) => x.spec.type === "Capacity")
        .map((x) => x.metadata.name)
        .sort(),
    ).toEqual([taskName, quotaTaskName].sort());
    expect(JSON.stringify(all)).not.toContain(ops.name);
  }, 200_000);

  it("the task is diagnosed from its forecast and recommends expanding the volume", async (ctx) => {
    if (vm.missing) ctx.skip();
    const done = await eventually(async () => {
      const t = await task();
      return t.status?.rootCause && t;
    }, 120_000);
    expect(done.status!.classification?.type).toBe("Capacity");
    expect(done.status!.rootCause).toMatchObject({
      category: "DiskFillForecast",
      resource: { kind: "PersistentVolumeClaim", namespace: tenant.name, name: "data-db-0" },
    });
    const run = await get<DiagnosisRun>([
      "-n",
      tenant.name,
      "get",
      "diagnosisrun",
      done.status!.diagnosisRunRef!.name,
    ]);
    const [first] = run.status!.findings!;
    expect(first!.message).toMatch(/^Capacity forecast: volume .*data-db-0 storage usage is at \d+%/);
    expect((first!.evidence ?? []).join("\n")).toMatch(/exhausted in \d+ days \(80% band/);
    expect(run.status!.recommendations).toContainEqual(
      expect.objectContaining({
        action: "RunbookOnly",
        target: { kind: "PersistentVolumeClaim", namespace: tenant.name, name: "data-db-0" },
      }),
    );
  }, 200_000);

  it("a filling quota's task names the ResourceQuota and recommends SetResources with the right-sizing numbers", async (ctx) => {
    if (vm.missing) ctx.skip();
    const t = await task(quotaTaskName);
    expect(t.spec.alert!.annotations!.target).toBe(`ResourceQuota ${tenant.name}/compute`);
    expect(t.spec.alert!.annotations!.rightSizing).toMatch(
      /^Deployment\/api api cpu=\d+m mem=460Mi \(now cpu=1000m mem=2048Mi\)$/,
    );
    const done = await eventually(async () => {
      const x = await task(quotaTaskName);
      return x.status?.rootCause && x;
    }, 120_000);
    expect(done.status!.rootCause).toMatchObject({
      category: "QuotaExceeded",
      resource: { kind: "ResourceQuota", namespace: tenant.name, name: "compute" },
    });
    const run = await get<DiagnosisRun>([
      "-n",
      tenant.name,
      "get",
      "diagnosisrun",
      done.status!.diagnosisRunRef!.name,
    ]);
    const set = run.status!.recommendations!.find((r) => r.action === "SetResources");
    expect(set).toMatchObject({
      target: { kind: "Deployment", namespace: tenant.name, name: "api" },
      params: { container: "api", requests: { memory: "460Mi" }, limits: { memory: "460Mi" } },
    });
    expect(run.status!.recommendations!.at(-1)!.action).toBe("RunbookOnly");
  }, 200_000);

  it("the AgentConfig's status counts the forecast and the open task, without gaps", async (ctx) => {
    if (vm.missing) ctx.skip();
    const cap = await eventually(async () => {
      const c = (await config()).status?.monitoring?.capacity;
      return c?.open === 2 && c;
    }, 60_000);
    expect(cap).toMatchObject({ found: 2, open: 2, gaps: [] });
    expect(Date.parse(cap.lastEvaluation!)).toBeGreaterThan(Date.now() - 120_000);
  }, 90_000);

  it("a horizon the forecast no longer falls in resolves the task", async (ctx) => {
    if (vm.missing) ctx.skip();
    const r = await kubectl(cluster!, [
      "-n",
      tenant.name,
      "patch",
      "agentconfig",
      "default",
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { monitoring: { capacity: { horizonDays: 1 } } } }),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const t = await eventually(async () => {
      const x = await task();
      return x.spec.alert?.status === "resolved" && x;
    }, 90_000);
    expect(t.spec.alert!.endsAt).toBeTruthy();
  }, 120_000);

  it("each cycle's forecasts are rows of the incident store, the tenant's only", async (ctx) => {
    if (vm.missing) ctx.skip();
    await stopOperator(op);
    const db = await openStore({ dataDir });
    try {
      const rows = await latestCapacityForecasts(db);
      expect(rows.map((x) => x.key).sort()).toEqual(
        [`${tenant.name}/cache`, `${tenant.name}/data-db-0`, `${tenant.name}/requests.memory`].sort(),
      );
      const filling = rows.find((x) => x.key.endsWith("/data-db-0"))!;
      expect(filling).toMatchObject({
        scope: "volume",
        resource: "storage",
        measure: "usage",
        capacity: 10 * GiB,
      });
      expect(filling.agentConfig).toBe(`${tenant.name}/default`);
      expect(filling.daysToExhaustion).toBeGreaterThan(0);
      expect(rows.find((x) => x.key.endsWith("/cache"))!.daysToExhaustion).toBeNull();
      const cycles = await db.query<{ n: number }>(
        "SELECT count(DISTINCT generated_at)::int AS n FROM capacity_forecasts",
      );
      expect(cycles[0]!.n).toBeGreaterThanOrEqual(2);
    } finally {
      await db.close();
    }
  }, 120_000);
});
