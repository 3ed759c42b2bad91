/**
 * The grouping key of a root cause (docs/alert-storms.md): alerts share an incident only when
 * their diagnoses name the same failing dependency, the same node or cluster DNS. Any other
 * root cause has no key, so unrelated causes never group.
 */
import type { ObjectReference, RootCause } from "../../crds/index.ts";

/** What the key is read from: the task's root cause, the run's impact and the alerted target. */
export interface KeyInput {
  rootCause?: RootCause;
  /** DiagnosisRun status.impact.dependency: the dependency many callers fail on. */
  dependency?: ObjectReference;
  /** The alerted workload (the task's target); a root cause elsewhere went through a dependency. */
  target?: ObjectReference;
}

const NODE_CATEGORIES: ReadonlySet<string> = new Set(["NodeNotReady", "NodePressure"]);

function refKey(ref: ObjectReference, fallbackNamespace?: string): string {
  const ns = ref.namespace ?? fallbackNamespace;
  return ns ? `${ref.kind}/${ns}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

function sameObject(a: ObjectReference, b: ObjectReference): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");
}

/**
 * The grouping key of a diagnosis: `node:<name>`, `dns:cluster`, `dependency:<Kind/ns/name>`,
 * or undefined when the root cause is the alerted workload's own (it groups with nothing).
 */
export function groupingKey(input: KeyInput): string | undefined {
  const cause = input.rootCause;
  if (!cause) return undefined;
  if (NODE_CATEGORIES.has(cause.category) && cause.resource.kind === "Node")
    return `node:${cause.resource.name}`;
  if (cause.category === "DNSFailure") return "dns:cluster";
  // The engine names the dependency its callers fail on; the deepest cause behind it (an
  // unbound claim, a crashing pod) is the same for every caller, so the dependency is the key.
  if (input.dependency) return `dependency:${refKey(input.dependency, cause.resource.namespace)}`;
  if (cause.category === "DependencyUnavailable") return undefined;
  // A root cause outside the alerted workload: the chain went through a dependency.
  if (input.target && !sameObject(cause.resource, input.target) && !isOwnPart(cause.resource, input.target))
    return `dependency:${refKey(cause.resource, input.target.namespace)}`;
  return undefined;
}

// A pod or ReplicaSet of the alerted Deployment is the workload's own failure, not a dependency.
function isOwnPart(resource: ObjectReference, target: ObjectReference): boolean {
  if (!["Pod", "ReplicaSet", "Job"].includes(resource.kind)) return false;
  return (
    (resource.namespace ?? target.namespace) === target.namespace &&
    resource.name.startsWith(`${target.name}-`)
  );
}

/** The human name of a key for messages: "orders-db", "node worker-3", "cluster DNS". */
export function keyLabel(key: string): string {
  if (key === "dns:cluster") return "cluster DNS";
  if (key.startsWith("node:")) return `node ${key.slice(5)}`;
  const ref = key.replace(/^dependency:/, "").split("/");
  return ref[ref.length - 1] ?? key;
}
