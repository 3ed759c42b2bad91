/**
 * Diagnosis while the caches still list: right after a start, the cluster-wide informers of
 * pods and Events take seconds to list a large cluster (10k pods), and a run scoped to one
 * namespace need not wait for them. Until every diagnosis cache has synced, such a run reads
 * its namespace (and the cluster-scoped kinds, runbooks and NetworkPolicies in full, as the
 * cached view does) straight from the API server, as `aisre diagnose --namespace` does.
 * A run that looks at the whole cluster (a Node target) still waits for the caches.
 */
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { apiLister } from "../../agents/diagnosis/live/api-lister.ts";
import type { ObjectLister } from "../../agents/diagnosis/live/view.ts";
import type { ResourceType } from "../../kube/kube-api.ts";
import { cacheTransform } from "./live-cache.ts";

// As the store view: listed whole even when the run looks at one namespace.
const WHOLE_KINDS = new Set(["Runbook", "NetworkPolicy"]);

/** Routes each kind to the namespace's list or the whole one, and lists each kind once per run. */
export function warmLister(scoped: ObjectLister, whole: ObjectLister): ObjectLister {
  const lists = new Map<string, Promise<readonly KubernetesObject[]>>();
  return (rt: ResourceType) => {
    let list = lists.get(rt.kind);
    if (!list) {
      list = Promise.resolve(WHOLE_KINDS.has(rt.kind) ? whole(rt) : scoped(rt));
      lists.set(rt.kind, list);
    }
    return list;
  };
}

/**
 * The API lister of one run's namespace while the caches warm up. An optional kind the caches
 * do not watch (cert-manager's, not served) reads as empty without asking: no 404 per run.
 */
export function warmUpLister(
  kc: KubeConfig,
  namespace: string,
  watched: (rt: ResourceType) => boolean,
  logger: Logger,
): ObjectLister {
  // Shaped as the caches shape them: without last-applied-configuration (it holds literal env
  // values a diagnosis and its LLM must never see), with managedFields compacted.
  const shaped =
    (lister: ObjectLister): ObjectLister =>
    async (rt) => {
      const shape = cacheTransform(rt);
      return (await lister(rt)).map(shape).filter((o): o is KubernetesObject => o !== undefined);
    };
  const list = warmLister(shaped(apiLister(kc, namespace, logger)), shaped(apiLister(kc, undefined, logger)));
  return (rt) => (watched(rt) ? list(rt) : []);
}
