import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { KubeClient, statusCode, type ResourceType } from "../../../kube/kube-api.ts";
import { kubeListWatcher } from "../../../kube/list-watch.ts";
import type { ObjectLister } from "./view.ts";

/**
 * A one-shot lister straight from the API server (for `aisre diagnose --namespace`):
 * namespaced kinds in one namespace, cluster-scoped kinds in full. A kind the caller may
 * not read, or that is not installed, reads as empty and is logged as an evidence gap.
 */
export function apiLister(kc: KubeConfig, namespace: string | undefined, logger?: Logger): ObjectLister {
  const client = KubeClient.fromKubeConfig(kc);
  return async (rt: ResourceType): Promise<readonly KubernetesObject[]> => {
    const ns = rt.namespaced ? namespace : undefined;
    try {
      const { items } = await kubeListWatcher(kc, client, rt, { namespace: ns }).list();
      return items;
    } catch (err) {
      const code = statusCode(err);
      if (code === 403 || code === 404) {
        logger?.warn({ kind: rt.kind, status: code }, "Skipped a kind the diagnosis cannot read");
        return [];
      }
      throw err;
    }
  };
}
