import { CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";

const MAX_PODS = 3;
const TAIL_LINES = 50;
const LIMIT_BYTES = 16_384;
const TIMEOUT_MS = 3_000;

// A node whose kubelet does not answer must not stall the diagnosis.
function withTimeout<T>(p: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, TIMEOUT_MS, undefined)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function crashingContainers(pod: V1Pod): string[] {
  return (pod.status?.containerStatuses ?? [])
    .filter((c) => (c.restartCount ?? 0) > 0 || c.state?.waiting?.reason === "CrashLoopBackOff")
    .map((c) => c.name);
}

/**
 * Fetches the previous-run log tail of crashing containers in one namespace, keyed as the
 * snapshot contract keys them ("ns/pod/container:previous"). Bounded in pods, lines and
 * bytes; a log that cannot be read is an evidence gap, never an error.
 */
export async function previousLogs(
  kc: KubeConfig,
  pods: readonly V1Pod[],
  namespace: string,
): Promise<Record<string, string>> {
  const api = kc.makeApiClient(CoreV1Api);
  const logs: Record<string, string> = {};
  const candidates = pods
    .filter((p) => p.metadata?.namespace === namespace && crashingContainers(p).length > 0)
    .slice(0, MAX_PODS);
  await Promise.all(
    candidates.flatMap((pod) =>
      crashingContainers(pod).map(async (container) => {
        const name = pod.metadata?.name ?? "";
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
