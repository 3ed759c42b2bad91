/**
 * The capacity view of the MCP `capacity` tool, pure: the PromQL it asks (requests and limits
 * from kube-state-metrics, usage from cAdvisor, per pod then the busiest pod of each workload)
 * and the shaping of the answers into headroom and a memory trend. Numbers only come from
 * Prometheus; a metric Prometheus does not have is named in `missing`, its fields left null.
 */

/** The metrics the view needs, by what they give. */
export const CAPACITY_METRICS = {
  requests: "kube_pod_container_resource_requests",
  limits: "kube_pod_container_resource_limits",
  cpu: "container_cpu_usage_seconds_total",
  memory: "container_memory_working_set_bytes",
} as const;

/** Workloads shown at most (the rest are counted in `truncated`). */
export const MAX_WORKLOADS = 50;

/** What to look at: a namespace, optionally one workload, over the last windowHours. */
export interface CapacityScope {
  namespace: string;
  workload?: string;
  windowHours: number;
}

/** The query names, each answered with one sample per workload. */
export type CapacityQuery =
  | "pods"
  | "cpuRequest"
  | "cpuLimit"
  | "cpuP95"
  | "memRequest"
  | "memLimit"
  | "memP95"
  | "memNow"
  | "memPerHour";

// A Deployment's pod is <name>-<replicaset hash>-<5 chars>, a StatefulSet's <name>-<ordinal>;
// the shortest prefix that leaves such a suffix is the workload (bare pods keep their name).
const WORKLOAD_RE = "(.+?)(?:-[a-z0-9]{5,10}-[a-z0-9]{5}|-[0-9]+)?";

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The label matchers of the scope: the namespace, and the workload's pods when one is named. */
function matchers(scope: CapacityScope, extra = ""): string {
  const pod = scope.workload ? `,pod=~"${escapeRe(scope.workload)}(-.+)?"` : "";
  return `{namespace="${scope.namespace}"${pod}${extra}}`;
}

/** Per-pod expression → the busiest pod's value per workload, at most MAX_WORKLOADS + 1 series. */
const perWorkload = (perPod: string, agg = "max") =>
  `topk(${MAX_WORKLOADS + 1}, ${agg} by (workload) (label_replace(${perPod}, "workload", "$1", "pod", "${WORKLOAD_RE}")))`;

/** The subquery resolution of a window: about 360 points, at least one a minute. */
export function resolutionSeconds(windowHours: number): number {
  return Math.max(60, Math.ceil((windowHours * 3600) / 360));
}

/** The PromQL of each part of the view; every selector is held to the scope's namespace. */
export function capacityQueries(scope: CapacityScope): Record<CapacityQuery, string> {
  const { requests, limits, cpu, memory } = CAPACITY_METRICS;
  const range = `[${scope.windowHours}h:${resolutionSeconds(scope.windowHours)}s]`;
  const containers = matchers(scope, `,container!="",container!="POD"`);
  const cpuRate = `sum by (pod) (rate(${cpu}${containers}[5m]))`;
  const mem = `sum by (pod) (${memory}${containers})`;
  const res = (metric: string, resource: string) =>
    `sum by (pod) (${metric}${matchers(scope, `,resource="${resource}"`)})`;
  return {
    pods: perWorkload(`count by (pod) (${memory}${containers})`, "count"),
    cpuRequest: perWorkload(res(requests, "cpu")),
    cpuLimit: perWorkload(res(limits, "cpu")),
    cpuP95: perWorkload(`quantile_over_time(0.95, (${cpuRate})${range})`),
    memRequest: perWorkload(res(requests, "memory")),
    memLimit: perWorkload(res(limits, "memory")),
    memP95: perWorkload(`quantile_over_time(0.95, (${mem})${range})`),
    memNow: perWorkload(mem),
    memPerHour: perWorkload(`deriv((${mem})${range}) * 3600`),
  };
}

/** The query asking which of the needed metrics Prometheus has for the namespace. */
export function presenceQuery(namespace: string): string {
  const names = Object.values(CAPACITY_METRICS).join("|");
  return `group by (__name__) ({__name__=~"${names}",namespace="${namespace}"})`;
}

/** One workload's figures; null where Prometheus had no number. */
export interface WorkloadCapacity {
  workload: string;
  pods: number | null;
  cpu: {
    requestCores: number | null;
    limitCores: number | null;
    p95Cores: number | null;
    /** request − p95: negative means the busiest pod uses more than it reserves. */
    headroomToRequestCores: number | null;
    p95OfLimitPercent: number | null;
  };
  memory: {
    requestBytes: number | null;
    limitBytes: number | null;
    p95Bytes: number | null;
    headroomToLimitBytes: number | null;
    p95OfLimitPercent: number | null;
    /** Linear trend of the working set over the window (deriv), bytes per hour. */
    trendBytesPerHour: number | null;
    /** When growing: hours until the current working set reaches the limit at that trend. */
    hoursToLimit: number | null;
  };
}

/** The view the tool returns. */
export interface CapacityView {
  namespace: string;
  windowHours: number;
  method: string;
  missing: string[];
  workloads: WorkloadCapacity[];
  truncated: number;
  notes: string[];
}

/** Samples by query: workload → value. */
export type CapacityAnswers = Partial<Record<CapacityQuery, Map<string, number>>>;

const round = (v: number, digits: number) => Number(v.toFixed(digits));
const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
const diff = (a: number | null, b: number | null, digits: number) =>
  a === null || b === null ? null : round(a - b, digits);
const percent = (part: number | null, whole: number | null) =>
  part === null || whole === null || whole <= 0 ? null : round((100 * part) / whole, 1);

/** One workload's figures from the answers. */
function workloadOf(name: string, a: CapacityAnswers): WorkloadCapacity {
  const v = (q: CapacityQuery) => finite(a[q]?.get(name));
  const cpu = (q: CapacityQuery) => {
    const x = v(q);
    return x === null ? null : round(x, 3);
  };
  const [memLimit, memNow, trend] = [v("memLimit"), v("memNow"), v("memPerHour")];
  const growing = trend !== null && trend > 0 && memLimit !== null && memNow !== null;
  return {
    workload: name,
    pods: v("pods"),
    cpu: {
      requestCores: cpu("cpuRequest"),
      limitCores: cpu("cpuLimit"),
      p95Cores: cpu("cpuP95"),
      headroomToRequestCores: diff(v("cpuRequest"), v("cpuP95"), 3),
      p95OfLimitPercent: percent(v("cpuP95"), v("cpuLimit")),
    },
    memory: {
      requestBytes: v("memRequest"),
      limitBytes: memLimit,
      p95Bytes: v("memP95") === null ? null : Math.round(v("memP95")!),
      headroomToLimitBytes: diff(memLimit, v("memP95"), 0),
      p95OfLimitPercent: percent(v("memP95"), memLimit),
      trendBytesPerHour: trend === null ? null : Math.round(trend),
      hoursToLimit: growing ? round(Math.max(0, memLimit - memNow) / trend, 1) : null,
    },
  };
}

/** The view from the answers and the metrics Prometheus has. */
export function shapeCapacity(
  scope: CapacityScope,
  answers: CapacityAnswers,
  present: string[],
): CapacityView {
  const missing = Object.values(CAPACITY_METRICS).filter((m) => !present.includes(m));
  const names = new Set<string>();
  for (const m of Object.values(answers)) for (const k of m?.keys() ?? []) names.add(k);
  const all = [...names]
    .filter((n) => !scope.workload || n === scope.workload)
    .sort((a, b) => a.localeCompare(b));
  const notes: string[] = [];
  if (missing.length > 0)
    notes.push(
      `Prometheus has no ${missing.join(", ")} in namespace ${scope.namespace}: those figures are null.`,
    );
  if (all.length === 0)
    notes.push(
      scope.workload
        ? `No series of workload ${scope.workload} in namespace ${scope.namespace}.`
        : `No series in namespace ${scope.namespace}.`,
    );
  return {
    namespace: scope.namespace,
    windowHours: scope.windowHours,
    method:
      "Per pod (its containers summed), then the busiest pod of each workload (pods grouped by name: <deployment>-<hash>-<id>, <statefulset>-<n>). p95 over the window; CPU usage is rate(5m); memory is the working set; trend is deriv over the window.",
    missing,
    workloads: all.slice(0, MAX_WORKLOADS).map((n) => workloadOf(n, answers)),
    truncated: Math.max(0, all.length - MAX_WORKLOADS),
    notes,
  };
}

const mib = (b: number | null) => (b === null ? "n/a" : `${Math.round(b / 1024 ** 2)}Mi`);
const num = (v: number | null, unit = "") => (v === null ? "n/a" : `${v}${unit}`);

/** A few lines a person reads before the JSON. */
export function renderCapacity(view: CapacityView): string {
  const head = `Capacity of namespace ${view.namespace} over the last ${view.windowHours} h (busiest pod per workload):`;
  const rows = view.workloads.map((w) => {
    const trend = w.memory.trendBytesPerHour === null ? "n/a" : `${mib(w.memory.trendBytesPerHour)}/h`;
    const eta = w.memory.hoursToLimit === null ? "" : `, limit in ~${w.memory.hoursToLimit} h`;
    return (
      `- ${w.workload}: CPU p95 ${num(w.cpu.p95Cores)} of request ${num(w.cpu.requestCores)} / limit ${num(w.cpu.limitCores)} cores; ` +
      `memory p95 ${mib(w.memory.p95Bytes)} of limit ${mib(w.memory.limitBytes)} (${num(w.memory.p95OfLimitPercent, "%")}), trend ${trend}${eta}`
    );
  });
  return [head, ...rows, ...view.notes].join("\n");
}
