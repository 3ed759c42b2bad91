import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { crashingContainers } from "../../agents/diagnosis/log-candidates.ts";
import type { Pod } from "../../agents/diagnosis/k8s.ts";

/** At most this many pods' previous logs per diagnosis (agents/diagnosis/log-candidates.ts chooses whose). */
export const MAX_LOG_PODS = 3;
const TAIL_LINES = 50;
const LIMIT_BYTES = 16_384;
const TIMEOUT_MS = 3_000;

// A node whose kubelet does not answer must not stall the diagnosis.
function withTimeout<T>(p: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, TIMEOUT_MS, undefined)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Fetches the previous-run log tail of the crashing containers of the chosen pods, keyed as
 * the snapshot contract keys them ("ns/pod/container:previous"). Bounded in pods, lines and
 * bytes; a log that cannot be read is an evidence gap, never an error.
 */
export async function previousLogs(kc: KubeConfig, pods: readonly Pod[]): Promise<Record<string, string>> {
  const api = kc.makeApiClient(CoreV1Api);
  const logs: Record<string, string> = {};
  await Promise.all(
    pods.slice(0, MAX_LOG_PODS).flatMap((pod) =>
      crashingContainers(pod).map(async (container) => {
        const { name = "", namespace = "" } = pod.metadata ?? {};
        try {
          const text = await withTimeout(
            api.readNamespacedPodLog({
              name,
              namespace,
              container,
              previous: true,
              tailLines: TAIL_LINES,
              limitBytes: LIMIT_BYTES,
            }),
          );
          if (text) logs[`${namespace}/${name}/${container}:previous`] = text;
        } catch {
          // No kubelet log endpoint (or no previous run): the diagnosis goes on without it.
        }
      }),
    ),
  );
  return logs;
}
