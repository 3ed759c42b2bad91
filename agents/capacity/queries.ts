/**
 * The PromQL of capacity forecasts, pure: for each kind of capacity, what is used and what
 * there is, per key (node pool, node, namespace quota, volume), from kube-state-metrics,
 * cAdvisor and the kubelet's volume stats.
 */

/** Where capacity runs out. */
export type CapacityScope = "nodePool" | "node" | "namespace" | "volume";

/** One pair of queries: what is used and what there is, both `by (keys)`. */
export interface CapacityQuery {
  scope: CapacityScope;
  /** cpu, memory, pods, storage, or a ResourceQuota resource name (requests.memory…). */
  resource: string;
  /** requests (what the scheduler counts) or usage (what the kernel counts). */
  measure: "requests" | "usage";
  /** Labels that name the thing (node, pool, namespace, persistentvolumeclaim, resource). */
  keys: string[];
  used: string;
  capacity: string;
}

/**
 * Node labels that name a node pool, as kube-state-metrics exposes them (label_<name>, when
 * allowed by --metric-labels-allowlist): Karpenter, EKS, GKE, AKS, then a generic one.
 */
export const POOL_LABELS = [
  "karpenter.sh/nodepool",
  "eks.amazonaws.com/nodegroup",
  "cloud.google.com/gke-nodepool",
  "kubernetes.azure.com/agentpool",
  "node-pool",
];

const ksmLabel = (k8sLabel: string) => `label_${k8sLabel.replace(/[^a-zA-Z0-9_]/g, "_")}`;

/** kube_node_labels with a `pool` label from the first pool label a node carries. */
function nodePools(poolLabels: readonly string[]): string {
  // label_replace leaves the series alone when the source label is empty, so the first label
  // in the list that a node has wins when applied last.
  return [...poolLabels]
    .reverse()
    .reduce(
      (expr, l) => `label_replace(${expr}, "pool", "$1", "${ksmLabel(l)}", "(.+)")`,
      "kube_node_labels",
    );
}

/** All capacity queries; `poolLabels` overrides the node-pool labels (first match wins). */
export function capacityQueries(poolLabels: readonly string[] = POOL_LABELS): CapacityQuery[] {
  const pools = nodePools(poolLabels);
  const byPool = (expr: string) =>
    `sum by (pool) (sum by (node) (${expr}) * on (node) group_left (pool) ${pools})`;
  const out: CapacityQuery[] = [];
  for (const resource of ["cpu", "memory"] as const) {
    const requests = `kube_pod_container_resource_requests{resource="${resource}"}`;
    const allocatable = `kube_node_status_allocatable{resource="${resource}"}`;
    const usage =
      resource === "cpu"
        ? `rate(container_cpu_usage_seconds_total{container!="",node!=""}[5m])`
        : `container_memory_working_set_bytes{container!="",node!=""}`;
    out.push(
      {
        scope: "nodePool",
        resource,
        measure: "requests",
        keys: ["pool"],
        used: byPool(requests),
        capacity: byPool(allocatable),
      },
      {
        scope: "node",
        resource,
        measure: "requests",
        keys: ["node"],
        used: `sum by (node) (${requests})`,
        capacity: `sum by (node) (${allocatable})`,
      },
      {
        scope: "node",
        resource,
        measure: "usage",
        keys: ["node"],
        used: `sum by (node) (${usage})`,
        capacity: `sum by (node) (${allocatable})`,
      },
    );
  }
  out.push(
    {
      scope: "namespace",
      resource: "quota",
      measure: "requests",
      keys: ["namespace", "resource"],
      used: `sum by (namespace, resource) (kube_resourcequota{type="used"})`,
      capacity: `sum by (namespace, resource) (kube_resourcequota{type="hard"})`,
    },
    {
      scope: "volume",
      resource: "storage",
      measure: "usage",
      keys: ["namespace", "persistentvolumeclaim"],
      used: `sum by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes)`,
      capacity: `sum by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)`,
    },
  );
  return out;
}

/**
 * The queries one namespace may see: its quota and its volumes, each selector narrowed to
 * `namespace="<ns>"` so nothing of another namespace is even read (a tenant's AgentConfig).
 */
export function namespaceQueries(namespace: string): CapacityQuery[] {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace))
    throw new Error(`not a namespace name: ${namespace}`);
  // Every selector of these queries is a bare metric or `metric{...}`: add the matcher inside.
  const narrow = (expr: string) =>
    expr.replace(
      /(kube_resourcequota|kubelet_volume_stats_\w+)(\{)?/g,
      (_, metric: string, brace?: string) =>
        brace ? `${metric}{namespace="${namespace}",` : `${metric}{namespace="${namespace}"}`,
    );
  return capacityQueries()
    .filter((q) => q.scope === "namespace" || q.scope === "volume")
    .map((q) => ({ ...q, used: narrow(q.used), capacity: narrow(q.capacity) }));
}

/** The key of a series: its key labels joined, e.g. "shop/data-orders-db-0". */
export const keyOf = (q: CapacityQuery, labels: Record<string, string>): string =>
  q.keys.map((k) => labels[k] ?? "").join("/");
