/**
 * Whose previous-run logs a diagnosis reads. Each log is an API request proxied to a kubelet,
 * so the choice follows the focus: its own crashing pods first; the namespace's other crashing
 * pods only when a focus pod crashed (its logs may name a dependency whose logs explain it) or
 * when the focus names no workload (a namespace, a Service, a Node: any pod may be the cause).
 */
import { resolveFocus } from "./focus.ts";
import type { K8sObject, Pod, Workload } from "./k8s.ts";
import { podsOfWorkload } from "./owners.ts";
import type { Focus } from "./types.ts";
import type { ClusterView } from "./view.ts";

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]);

/** Containers of a pod whose previous run is worth reading: restarted, or waiting in CrashLoopBackOff. */
export function crashingContainers(pod: Pod): string[] {
  return (pod.status?.containerStatuses ?? [])
    .filter((c) => (c.restartCount ?? 0) > 0 || c.state?.waiting?.reason === "CrashLoopBackOff")
    .map((c) => c.name);
}

/** The focus's own pods, or undefined when the focus names no workload or pod in the view. */
export function focusPods(view: ClusterView, focus: Focus): Pod[] | undefined {
  const { refs } = resolveFocus(view, focus);
  if (refs.length === 0) return undefined;
  const pods: Pod[] = [];
  for (const r of refs) {
    const obj = view.get<K8sObject>(r.kind, r.namespace, r.name);
    if (!obj) return undefined;
    if (r.kind === "Pod") pods.push(obj as Pod);
    else if (WORKLOAD_KINDS.has(r.kind))
      pods.push(...podsOfWorkload(view, { ...obj, kind: r.kind } as Workload));
    else return undefined;
  }
  return pods;
}

/**
 * The crashing pods of `namespace` whose previous logs the diagnosis of `focus` reads, most
 * relevant first, at most `max`.
 */
export function logCandidates(view: ClusterView, focus: Focus, namespace: string, max: number): Pod[] {
  const crashing = (pods: readonly Pod[]) =>
    pods.filter((p) => p.metadata?.namespace === namespace && crashingContainers(p).length > 0);
  const inNamespace = () => crashing(view.list<Pod>("Pod", namespace));
  const own = focusPods(view, focus);
  if (own === undefined) return inNamespace().slice(0, max);
  const first = crashing(own);
  if (first.length === 0) return [];
  const chosen = new Set(first.map((p) => p.metadata?.uid ?? p.metadata?.name));
  const others = inNamespace().filter((p) => !chosen.has(p.metadata?.uid ?? p.metadata?.name));
  return [...first, ...others].slice(0, max);
}
