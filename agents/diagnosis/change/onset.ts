/**
 * The onset of a root cause: the earliest time its failure shows in the snapshot (Warning
 * events, container terminations, conditions that turned bad). A change can only explain a
 * failure that began after it.
 */
import type { Condition, ContainerStatus, K8sObject, Node, Pod } from "../k8s.ts";
import { toMs } from "../k8s.ts";
import type { ClusterView } from "../view.ts";

function earliest(times: (number | undefined)[]): number | undefined {
  let min: number | undefined;
  for (const t of times) if (t !== undefined && (min === undefined || t < min)) min = t;
  return min;
}

function warningEvents(view: ClusterView, obj: K8sObject): (number | undefined)[] {
  return view
    .eventsFor(obj)
    .filter((e) => e.type === "Warning")
    .map((e) => e.firstSeen ?? e.lastSeen);
}

function failedRun(cs: ContainerStatus): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const st of [cs.lastState?.terminated, cs.state?.terminated]) {
    if (!st || (st.exitCode === 0 && st.reason !== "OOMKilled")) continue;
    out.push(toMs(st.finishedAt) ?? toMs(st.startedAt));
  }
  return out;
}

const BAD_WHEN_FALSE = new Set(["Ready", "ContainersReady", "PodScheduled", "Initialized"]);

function badConditions(
  conditions: Condition[] | undefined,
  badWhenTrue: (type: string) => boolean,
): number[] {
  const out: number[] = [];
  for (const c of conditions ?? []) {
    const bad = c.status === "True" ? badWhenTrue(c.type) : BAD_WHEN_FALSE.has(c.type);
    const t = toMs(c.lastTransitionTime);
    if (bad && t !== undefined) out.push(t);
  }
  return out;
}

/** A pod is unready while it starts: readiness lost this soon after creation is no failure yet. */
const STARTING_MS = 10_000;

/**
 * The earliest failure time of a pod, or undefined when it shows none. A pod unready since
 * its creation fails from its first crash or Warning event; its Ready condition counts only
 * when that is all there is.
 */
export function podOnset(view: ClusterView, pod: Pod): number | undefined {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const born = toMs(pod.metadata?.creationTimestamp) ?? -Infinity;
  const conditions = badConditions(pod.status?.conditions, () => false);
  const direct = earliest([
    ...warningEvents(view, pod),
    ...statuses.flatMap(failedRun),
    ...conditions.filter((t) => t > born + STARTING_MS),
  ]);
  return direct ?? earliest(conditions);
}

/** The earliest failure time of a node (NotReady, a pressure condition, Warning events). */
export function nodeOnset(view: ClusterView, node: Node): number | undefined {
  const conditions = (node.status as { conditions?: Condition[] } | undefined)?.conditions;
  const bad = badConditions(conditions, (type) => type !== "Ready");
  const notReady = conditions?.find((c) => c.type === "Ready" && c.status !== "True");
  return earliest([
    ...warningEvents(view, node),
    ...bad,
    notReady ? toMs(notReady.lastTransitionTime) : undefined,
  ]);
}

/**
 * The onset of the failure seen on these pods and objects (the root's subject, its
 * ReplicaSets): the earliest of their failure times, or undefined when none shows a time.
 */
export function onsetOf(
  view: ClusterView,
  pods: readonly Pod[],
  objects: readonly K8sObject[],
): number | undefined {
  return earliest([
    ...pods.map((p) => podOnset(view, p)),
    ...objects.map((o) =>
      o.kind === "Node" ? nodeOnset(view, o as Node) : earliest(warningEvents(view, o)),
    ),
  ]);
}
