/**
 * Which pods a drain evicts, skips or refuses, as `kubectl drain` decides: DaemonSet pods
 * and static-pod mirrors stay, finished pods do not matter, and pods nothing would recreate
 * (no controller) or whose emptyDir data would be lost are refused unless allowed.
 */
import type { V1Pod } from "@kubernetes/client-node";
import { podKey } from "./kube.ts";

/** How the drain treats special pods. */
export interface DrainOptions {
  /** Leave DaemonSet pods (their controller would recreate them on the node anyway). */
  ignoreDaemonSets: boolean;
  /** Evict pods with emptyDir volumes, losing that data. */
  deleteEmptyDirData: boolean;
}

/** The drain's verdict over the pods of a node. */
export interface DrainPlan {
  evict: V1Pod[];
  /** Pods already terminating: not evicted again, but the drain waits for them. */
  terminating: V1Pod[];
  problems: string[];
}

const MIRROR = "kubernetes.io/config.mirror";

const controller = (p: V1Pod) => p.metadata?.ownerReferences?.find((r) => r.controller === true);
const finished = (p: V1Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

/** The reason a running pod blocks the drain, if it does. */
function refusal(p: V1Pod, o: DrainOptions): string | undefined {
  const name = podKey(p.metadata?.namespace, p.metadata?.name);
  if (!controller(p)) return `pod ${name} has no controller; evicting it would lose it`;
  if (!o.deleteEmptyDirData && (p.spec?.volumes ?? []).some((v) => v.emptyDir))
    return `pod ${name} has emptyDir data; set deleteEmptyDirData to evict it`;
  return undefined;
}

/** Sorts a node's pods into evict, wait-for and refuse. */
export function planDrain(pods: V1Pod[], o: DrainOptions): DrainPlan {
  const out: DrainPlan = { evict: [], terminating: [], problems: [] };
  for (const p of pods) {
    if (p.metadata?.annotations?.[MIRROR] !== undefined || finished(p)) continue;
    if (controller(p)?.kind === "DaemonSet") {
      if (!o.ignoreDaemonSets)
        out.problems.push(
          `pod ${podKey(p.metadata?.namespace, p.metadata?.name)} belongs to a DaemonSet; set ignoreDaemonSets`,
        );
      continue;
    }
    if (p.metadata?.deletionTimestamp) {
      out.terminating.push(p);
      continue;
    }
    const why = refusal(p, o);
    if (why) out.problems.push(why);
    else out.evict.push(p);
  }
  return out;
}
