/**
 * The policy that governs one plan: the cluster policy (the AgentConfig `default` of the
 * operator's namespace) bounds everything, and the AgentConfig of the plan's namespace can only
 * narrow it (docs/adr/0006-cluster-policy.md). Pure: no I/O. Without a cluster policy the safe
 * defaults hold: a plan changes its own namespace only (never kube-system), and no plan may run
 * Node or EC2 actions.
 */
import type { ActionName, Risk } from "../../crds/actions.ts";
import { ACTION_NAMES } from "../../crds/actions.ts";
import { CLUSTER_SCOPED_ACTIONS, DEFAULT_ENABLED_ACTIONS } from "../../crds/agentconfig-policy.ts";
import type { AgentConfigSpec } from "../../crds/agentconfig.ts";

/** An AgentConfig as policy sees it. */
export interface PolicyConfig {
  metadata?: { namespace?: string; name?: string };
  spec?: AgentConfigSpec;
}

/** The AgentConfigs that govern a plan. */
export interface GoverningConfigs {
  /** The AgentConfig `default` of the operator's namespace; absent: the safe defaults. */
  cluster?: PolicyConfig | undefined;
  /** The AgentConfig the plan uses (its namespace's, else the cluster policy itself). */
  namespace?: PolicyConfig | undefined;
}

/** The defaults of crds/agentconfig-policy.ts, restated where the engine needs numbers. */
export const POLICY_DEFAULTS = {
  maxAffectedPods: 10,
  maxAffectedInstances: 1,
  cooldownSeconds: 600,
  maxConcurrentPlans: 1,
  approvalRequiredAtRisk: "low" as Risk,
  approvalTTLSeconds: 3600,
} as const;

/** Fields that count only in the cluster policy; set elsewhere they are ignored. */
export const CLUSTER_ONLY_FIELDS = ["clusterGrants"] as const;

const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };
const CLUSTER_SCOPED: readonly string[] = CLUSTER_SCOPED_ACTIONS;

/** The policy one plan runs under, cluster ∩ namespace. */
export interface EffectivePolicy {
  /** The plan's namespace: the only namespace whose objects its steps may name. */
  home: string;
  /** Why automation is off (agents.automation.enabled false in either config), or undefined. */
  disabledBy: string | undefined;
  /** Namespaced actions the cluster policy enables (cluster-scoped ones come from clusterGrants). */
  clusterActions: readonly string[];
  /** Actions the namespace's AgentConfig enables. */
  namespaceActions: readonly string[];
  /** Whether the cluster policy lets plans of home change home. */
  homeByCluster: boolean;
  /** The namespace AgentConfig's allowedNamespaces when it narrows (undefined: no narrowing). */
  narrowing: readonly string[] | undefined;
  /** Cluster-scoped actions granted to home, each with the namespaces (besides home) whose pods it may disrupt. */
  grants: ReadonlyMap<string, readonly string[]>;
  /** tools.aws.allowTag of the AgentConfig whose AWS access EC2 actions use. */
  ec2Configured: boolean;
  autoRemediation: boolean;
  approvalRequiredAtRisk: Risk;
  maxAffectedPods: number;
  maxAffectedInstances: number;
  cooldownSeconds: number;
  maxConcurrentPlans: number;
  approvalTTLSeconds: number;
  /** Where the policy comes from, for messages: "AgentConfig ns/name". */
  clusterSource: string;
  namespaceSource: string | undefined;
  /** Cluster-only fields the namespace's AgentConfig sets, ignored. */
  ignored: string[];
}

/** True when policy lets plans change (or disrupt pods in) this namespace: * never covers kube-system. */
export function namespaceAllowed(ns: string, allowed: readonly string[]): boolean {
  if (ns === "kube-system") return allowed.includes("kube-system");
  return allowed.includes("*") || allowed.includes(ns);
}

const source = (c: PolicyConfig) =>
  `AgentConfig ${c.metadata?.namespace ?? ""}/${c.metadata?.name ?? "default"}`;
const same = (a: PolicyConfig | undefined, b: PolicyConfig | undefined) =>
  a !== undefined &&
  b !== undefined &&
  (a === b ||
    (a.metadata?.namespace === b.metadata?.namespace &&
      (a.metadata?.name ?? "default") === (b.metadata?.name ?? "default")));
// The cluster's value (absent: the default); a namespace value only narrows it, absent narrows nothing.
const smaller = (cluster: number | undefined, ns: number | undefined, def: number) =>
  ns === undefined ? (cluster ?? def) : Math.min(cluster ?? def, ns);

/** Cluster-only fields set in a namespace's AgentConfig (they widen nothing: ignored). */
export function ignoredClusterFields(spec: AgentConfigSpec | undefined): string[] {
  return CLUSTER_ONLY_FIELDS.filter((f) => spec?.policy?.[f] !== undefined).map((f) => `spec.policy.${f}`);
}

/** The cluster-scoped actions granted to home, with the pod namespaces each may disrupt. */
function grantsOf(cluster: PolicyConfig | undefined, home: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of cluster?.spec?.policy?.clusterGrants ?? []) {
    if (!namespaceAllowed(home, g.namespaces)) continue;
    for (const a of g.actions) out.set(a, [...new Set([...(out.get(a) ?? []), ...(g.podNamespaces ?? [])])]);
  }
  return out;
}

type Policy = NonNullable<AgentConfigSpec["policy"]>;
type Limits = Pick<
  EffectivePolicy,
  "maxAffectedPods" | "maxAffectedInstances" | "cooldownSeconds" | "maxConcurrentPlans" | "approvalTTLSeconds"
>;
const LIMIT_KEYS = [
  "maxAffectedPods",
  "maxAffectedInstances",
  "maxConcurrentPlans",
  "approvalTTLSeconds",
] as const;

/** Limits: the minimum of both (absent: the default), the cooldown the maximum. */
function limitsOf(c: Policy | undefined, n: Policy | undefined): Limits {
  const out = {} as Limits;
  for (const k of LIMIT_KEYS) out[k] = smaller(c?.[k], n?.[k], POLICY_DEFAULTS[k]);
  const clusterCooldown = c?.cooldownSeconds ?? POLICY_DEFAULTS.cooldownSeconds;
  out.cooldownSeconds = Math.max(clusterCooldown, n?.cooldownSeconds ?? clusterCooldown);
  return out;
}

/**
 * The lower of both approval thresholds: approval starts at the stricter one. A namespace
 * without its own policy narrows nothing, so the cluster's threshold stands alone (the default
 * applied for it would otherwise make every plan need approval).
 */
function thresholdOf(c: Policy | undefined, n: Policy | undefined): Risk {
  const own = n ? [n.approvalRequiredAtRisk] : [];
  return [c?.approvalRequiredAtRisk, ...own]
    .map((r) => r ?? POLICY_DEFAULTS.approvalRequiredAtRisk)
    .reduce((a, b) => (RANK[b] < RANK[a] ? b : a));
}

/** Where each part comes from, for messages, and what of the namespace's config is ignored or off. */
function sourcesOf(cluster: PolicyConfig | undefined, own: PolicyConfig | undefined) {
  const off = [cluster, own].find((x) => x?.spec?.agents?.automation?.enabled === false);
  return {
    disabledBy: off ? `agents.automation.enabled is false in ${source(off)}` : undefined,
    clusterSource: cluster
      ? `the cluster policy (${source(cluster)})`
      : "the cluster policy (none: the safe defaults)",
    namespaceSource: own ? source(own) : undefined,
    ignored: own ? ignoredClusterFields(own.spec) : [],
  };
}

/** Which actions each side enables; a namespace without its own config narrows nothing. */
function actionsOf(c: Policy | undefined, n: Policy | undefined, hasOwn: boolean) {
  return {
    clusterActions: (c?.enabledActions ?? DEFAULT_ENABLED_ACTIONS).filter((a) => !CLUSTER_SCOPED.includes(a)),
    namespaceActions: n?.enabledActions ?? (hasOwn ? DEFAULT_ENABLED_ACTIONS : ACTION_NAMES),
  };
}

/** Where plans of home may act: home itself (cluster, then narrowed) and the cluster's grants. */
function scopeOf(home: string, cluster: PolicyConfig | undefined, n: Policy | undefined) {
  return {
    homeByCluster: namespaceAllowed(home, cluster?.spec?.policy?.allowedNamespaces ?? ["*"]),
    narrowing: n?.allowedNamespaces,
    grants: grantsOf(cluster, home),
  };
}

/**
 * Merges the cluster policy and the namespace's AgentConfig for a plan of namespace home:
 * enabled actions and namespaces intersect, limits take the minimum (cooldown the maximum),
 * auto-remediation needs both, approval starts at the lower risk, clusterGrants only count in
 * the cluster policy. A namespace config that is the cluster policy itself narrows nothing.
 */
export function mergePolicy(home: string, configs: GoverningConfigs): EffectivePolicy {
  const { cluster } = configs;
  const own = same(configs.namespace, cluster) ? undefined : configs.namespace;
  const c = cluster?.spec?.policy;
  const n = own?.spec?.policy;
  return {
    home,
    ...sourcesOf(cluster, own),
    ...actionsOf(c, n, own !== undefined),
    ...scopeOf(home, cluster, n),
    ec2Configured: (configs.namespace ?? cluster)?.spec?.tools?.aws?.allowTag !== undefined,
    autoRemediation: c?.autoRemediation === true && (own === undefined || n?.autoRemediation === true),
    approvalRequiredAtRisk: thresholdOf(c, n),
    ...limitsOf(c, n),
  };
}

/** Whether the action is enabled for the plan: by the namespace, and by the cluster (a grant for Node/EC2 actions). */
export function actionEnabled(p: EffectivePolicy, action: ActionName): "yes" | "namespace" | "cluster" {
  if (!p.namespaceActions.includes(action)) return "namespace";
  const byCluster = CLUSTER_SCOPED.includes(action)
    ? p.grants.has(action)
    : p.clusterActions.includes(action);
  return byCluster ? "yes" : "cluster";
}
