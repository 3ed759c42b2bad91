// The MCP capacity tool as a desktop client meets it: the SDK's stdio client spawning `aisre mcp`
// against the real control plane (access checks) and Debian's Prometheus holding seven hours of
// backfilled kube-state-metrics and cAdvisor series.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import { recentWindow } from "../support/incident-metrics.ts";
import type { HistorySeries } from "../support/metric-history.ts";
import { counter, gauge, openMetrics } from "../support/metric-history.ts";
import { usePrometheus } from "../support/prometheus.ts";
import { accountToken, stdioClient, textOf, tokenKubeconfig } from "./support.ts";

const MI = 1024 ** 2;
const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "mcp-cap");
const bare = useNamespace(cluster, "mcp-cap-bare");
const other = useNamespace(cluster, "mcp-cap-other");

/** kube-state-metrics' requests and limits of one container. */
function resources(namespace: string, pod: string, cpu: [number, number], memMi: [number, number]) {
  const l = (resource: string, unit: string) => ({ namespace, pod, container: "app", resource, unit });
  return [
    gauge("kube_pod_container_resource_requests", l("cpu", "core"), () => cpu[0]),
    gauge("kube_pod_container_resource_requests", l("memory", "byte"), () => memMi[0] * MI),
    gauge("kube_pod_container_resource_limits", l("cpu", "core"), () => cpu[1]),
    gauge("kube_pod_container_resource_limits", l("memory", "byte"), () => memMi[1] * MI),
  ];
}

function history(): string {
  const w = recentWindow();
  const app = (namespace: string, pod: string) => ({ namespace, pod, container: "app" });
  const cpu = (namespace: string, pod: string, cores: number) =>
    counter("container_cpu_usage_seconds_total", app(namespace, pod), cores, w);
  const mem = (namespace: string, pod: string, nowMi: number, miPerHour = 0) =>
    gauge("container_memory_working_set_bytes", app(namespace, pod), (ago) =>
      Math.round((nowMi - (miPerHour * ago) / 3600) * MI),
    );
  const series: HistorySeries[] = [
    // checkout: a Deployment of two pods, the busier at 0.45 of its 0.5-core request.
    cpu(ns.name, "checkout-7d4b9c8f6d-x2k9p", 0.3),
    cpu(ns.name, "checkout-7d4b9c8f6d-q7wzt", 0.45),
    mem(ns.name, "checkout-7d4b9c8f6d-x2k9p", 200),
    mem(ns.name, "checkout-7d4b9c8f6d-q7wzt", 180),
    // db: a StatefulSet whose working set grows 30 Mi an hour towards its 512 Mi limit.
    cpu(ns.name, "db-0", 0.1),
    mem(ns.name, "db-0", 400, 30),
    // A namespace without kube-state-metrics, and another team's workload.
    cpu(bare.name, "api-5f6c7d8b9-abcde", 0.2),
    mem(bare.name, "api-5f6c7d8b9-abcde", 100),
    cpu("finance", "billing-5f6c7d8b9-abcde", 3),
    mem("finance", "billing-5f6c7d8b9-abcde", 900),
  ];
  // OpenMetrics wants each family's samples together.
  const byFamily = [
    ...series.filter((s) => s.family === "container_cpu_usage_seconds"),
    ...series.filter((s) => s.family === "container_memory_working_set_bytes"),
    ...[
      ...resources(ns.name, "checkout-7d4b9c8f6d-x2k9p", [0.5, 1], [256, 512]),
      ...resources(ns.name, "checkout-7d4b9c8f6d-q7wzt", [0.5, 1], [256, 512]),
      ...resources(ns.name, "db-0", [0.25, 0.5], [384, 512]),
    ].sort((a, b) => a.family.localeCompare(b.family)),
  ];
  return openMetrics(byFamily, w);
}

interface View {
  missing: string[];
  notes: string[];
  workloads: {
    workload: string;
    pods: number | null;
    cpu: Record<string, number | null>;
    memory: Record<string, number | null>;
  }[];
}
const viewOf = (result: unknown): View =>
  JSON.parse(
    textOf(result)
      .split("\n")
      .slice(1)
      .join("\n")
      .replace(/^[^{]*/s, ""),
  );

describe("the capacity MCP tool over stdio, on a real Prometheus", () => {
  const prom = usePrometheus({ history });
  let admin: Client;
  let outsider: Client;
  let unconfigured: Client;

  beforeAll(async () => {
    if (!cluster || !prom.current) return;
    const token = await accountToken(cluster, other.name, "outsider", [
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
    ]);
    const env = { KUBECONFIG: cluster.kubeconfigPath, AISRE_PROMETHEUS_URL: prom.current.url };
    admin = await stdioClient([], env);
    outsider = await stdioClient([], { ...env, KUBECONFIG: tokenKubeconfig(cluster, token) });
    unconfigured = await stdioClient([], { KUBECONFIG: cluster.kubeconfigPath });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([admin?.close(), outsider?.close(), unconfigured?.close()]);
  });

  it("shows each workload's requests, limits, p95 usage, headroom and memory trend", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const { tools } = await admin.listTools();
    const capacity = tools.find((t) => t.name === "capacity")!;
    expect(capacity.annotations?.readOnlyHint).toBe(true);
    expect(capacity.inputSchema.required).toEqual(["namespace"]);
    const result = await admin.callTool({
      name: "capacity",
      arguments: { namespace: ns.name, windowHours: 6 },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/checkout: CPU p95 0\.45 of request 0\.5 \/ limit 1 cores/);
    const view = viewOf(result);
    expect(view.missing).toEqual([]);
    expect(view.workloads.map((w) => w.workload)).toEqual(["checkout", "db"]);
    const [checkout, db] = view.workloads;
    expect(checkout!.pods).toBe(2);
    expect(checkout!.cpu.p95Cores).toBeCloseTo(0.45, 2);
    expect(checkout!.cpu.headroomToRequestCores).toBeCloseTo(0.05, 2);
    expect(checkout!.cpu.p95OfLimitPercent).toBeCloseTo(45, 0);
    expect(checkout!.memory.p95Bytes! / MI).toBeCloseTo(200, 0);
    expect(checkout!.memory.headroomToLimitBytes! / MI).toBeCloseTo(312, 0);
    expect(checkout!.memory.hoursToLimit).toBeNull();
    expect(db!.memory.trendBytesPerHour! / MI).toBeCloseTo(30, 0);
    // (512 - 400) Mi at 30 Mi an hour.
    expect(db!.memory.hoursToLimit!).toBeGreaterThan(3.5);
    expect(db!.memory.hoursToLimit!).toBeLessThan(3.9);
    expect(textOf(result)).not.toContain("billing");
  });

  it("narrows to one workload", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const result = await admin.callTool({
      name: "capacity",
      arguments: { namespace: ns.name, workload: "db", windowHours: 2 },
    });
    expect(viewOf(result).workloads.map((w) => w.workload)).toEqual(["db"]);
  });

  it("names the metrics Prometheus lacks instead of inventing figures", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const result = await admin.callTool({ name: "capacity", arguments: { namespace: bare.name } });
    const view = viewOf(result);
    expect(view.missing).toEqual([
      "kube_pod_container_resource_requests",
      "kube_pod_container_resource_limits",
    ]);
    expect(view.notes[0]).toContain("kube_pod_container_resource_requests");
    const [api] = view.workloads;
    expect(api!.workload).toBe("api");
    expect(api!.cpu.p95Cores).toBeCloseTo(0.2, 2);
    expect(api!.cpu.requestCores).toBeNull();
    expect(api!.memory.headroomToLimitBytes).toBeNull();
  });

  it("refuses a namespace the caller may not read, validates input, and says when Prometheus is absent", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const refused = await outsider.callTool({ name: "capacity", arguments: { namespace: ns.name } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^forbidden: \S+ may not list pods in namespace mcp-cap-/);
    await expect(
      admin.callTool({ name: "capacity", arguments: { namespace: ns.name, windowHours: 500 } }),
    ).rejects.toThrow(/windowHours must be <= 168/);
    const none = await unconfigured.callTool({ name: "capacity", arguments: { namespace: ns.name } });
    expect(none.isError).toBeFalsy();
    expect(textOf(none)).toMatch(/Prometheus is not configured/);
  });
});
