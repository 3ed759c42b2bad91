/**
 * Container logs for kwok-run pods: the text is written to CRI-format files (as a kubelet
 * keeps them) and a kwok `Logs` object (kwok.x-k8s.io/v1alpha1, one per pod, same name and
 * namespace) tells kwok's kubelet API to serve them, so `kubectl logs [-p]` and the operator
 * read them exactly as from a real node. hack/control-plane.sh installs the Logs CRD and
 * starts kwok with `--enable-crds Logs`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestCluster } from "./cluster.ts";

/** The current and previous run's log text of one container. */
export interface ContainerLogs {
  current?: string;
  previous?: string;
}

let dir: string | undefined;
function logDir(): string {
  return (dir ??= mkdtempSync(join(tmpdir(), "aisre-kwok-logs-")));
}

/** Text as CRI log lines, one second apart, ending at `end`: "<RFC3339Nano> stdout F <line>". */
export function criLog(text: string, end = new Date()): string {
  const lines = text.split("\n").filter((l) => l.length > 0);
  return lines
    .map((line, i) => {
      const at = new Date(end.getTime() - (lines.length - 1 - i) * 1000).toISOString();
      return `${at.replace("Z", "000000Z")} stdout F ${line}`;
    })
    .join("\n")
    .concat("\n");
}

/** True when the control plane's kwok serves `Logs` objects (its CRD is installed). */
export async function kwokLogsServed(cluster: TestCluster): Promise<boolean> {
  try {
    await cluster.objects.list("kwok.x-k8s.io/v1alpha1", "Logs", "default");
    return true;
  } catch {
    return false;
  }
}

/** Makes kwok serve these logs for a pod's containers (files plus its Logs object). */
export async function servePodLogs(
  cluster: TestCluster,
  namespace: string,
  pod: string,
  containers: Record<string, ContainerLogs>,
): Promise<void> {
  const logs = Object.entries(containers).map(([name, l]) => {
    const base = join(logDir(), `${namespace}_${pod}_${name}`);
    writeFileSync(`${base}.cri`, criLog(l.current ?? ""));
    writeFileSync(`${base}.previous.cri`, criLog(l.previous ?? ""));
    return {
      containers: [name],
      logsFile: `${base}.cri`,
      previousLogsFile: `${base}.previous.cri`,
      follow: false,
    };
  });
  await cluster.objects.create({
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "Logs",
    metadata: { name: pod, namespace },
    spec: { logs },
  } as never);
}

/** Reads a container's log through the API server (kubelet proxy to kwok), as the operator does. */
export async function readPodLog(
  cluster: TestCluster,
  namespace: string,
  pod: string,
  container: string,
  previous = false,
): Promise<string> {
  return cluster.core.readNamespacedPodLog({ name: pod, namespace, container, previous });
}
