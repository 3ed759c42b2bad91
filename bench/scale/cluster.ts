// The bench's own control plane (hack/control-plane.sh, 100 kwok nodes, kcm/scheduler at a
// higher client qps), its own PostgreSQL (hack/postgres.sh), and the kube calls of the load.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { shareConnections } from "../../kube/connections.ts";

const run = promisify(execFile);
const GROUP = "aisre.io";
const VERSION = "v1alpha1";
export const BENCH_LABEL = "aisre.io/bench";

/** Runs hack/<script> with extra env; returns stdout, throws with the tail of stderr. */
export async function hack(repo: string, script: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout } = await run("bash", [`hack/${script}`, ...args], {
      cwd: repo,
      env: { ...process.env, ...env },
      maxBuffer: 64 << 20,
      timeout: 30 * 60_000,
    });
    return stdout.trim();
  } catch (err) {
    const tail = String((err as { stderr?: string }).stderr ?? err)
      .split("\n")
      .slice(-5)
      .join("\n");
    throw new Error(`hack/${script} ${args.join(" ")} failed:\n${tail}`, { cause: err });
  }
}

/** Runs the control plane's kubectl. */
export async function kubectl(kubectlPath: string, kubeconfig: string, args: string[]): Promise<string> {
  const { stdout } = await run(kubectlPath, ["--kubeconfig", kubeconfig, ...args], { maxBuffer: 64 << 20 });
  return stdout;
}

/** Runs fn(i) for i < n with `concurrency` in flight; returns the elapsed ms. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return performance.now() - t0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loose SreTask as the bench reads it. */
export interface TaskView {
  metadata: { name: string; namespace: string; creationTimestamp?: string };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}

/** The bench's kube calls on one cluster. */
export class BenchCluster {
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly custom: k8s.CustomObjectsApi;

  readonly kubeconfig: string;
  private readonly kc: k8s.KubeConfig;

  constructor(kubeconfig: string) {
    this.kubeconfig = kubeconfig;
    const kc = new k8s.KubeConfig();
    this.kc = kc;
    kc.loadFromFile(kubeconfig);
    // Like the operator and the sidecar: one connection pool, not a TLS handshake per request
    // (which charged the API server for the load's own connections, creates and raw creates alike).
    shareConnections(kc);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
  }

  /** Creates a namespace unless it exists. */
  async namespace(name: string): Promise<void> {
    await this.core
      .createNamespace({ body: { metadata: { name, labels: { [BENCH_LABEL]: "scale" } } } })
      .catch((err: { code?: number }) => {
        if (err.code !== 409) throw err;
      });
  }

  /** Creates a kwok-run Deployment (crash-looping when asked) unless it exists. */
  async deployment(namespace: string, name: string, replicas: number, crash: boolean): Promise<void> {
    const annotations: Record<string, string> = crash ? { "aisre.io/simulate": "CrashLoopBackOff" } : {};
    const body: k8s.V1Deployment = {
      metadata: { name, namespace, labels: { [BENCH_LABEL]: "scale", app: name } },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name, [BENCH_LABEL]: "scale" }, annotations },
          spec: {
            containers: [
              {
                name: "app",
                image: `registry.example.com/shop/${name}:v1`,
                resources: { requests: { cpu: "1m" } },
              },
            ],
          },
        },
      },
    };
    await this.apps.createNamespacedDeployment({ namespace, body }).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  }

  /** Sets a Deployment's replicas through its scale subresource. */
  async scale(namespace: string, name: string, replicas: number): Promise<void> {
    await this.apps.replaceNamespacedDeploymentScale({
      name,
      namespace,
      body: { metadata: { name, namespace }, spec: { replicas } },
    });
  }

  /**
   * Waits until `pods` bench pods are Running (kwok's crash-looping pods are Running too);
   * counted with kubectl's paged list of names, lighter than full objects. Returns ms.
   */
  async waitForPods(kubectlPath: string, pods: number, timeoutMs: number): Promise<number> {
    const t0 = performance.now();
    let seen = 0;
    while (performance.now() - t0 < timeoutMs) {
      const names = await kubectl(kubectlPath, this.kubeconfig, [
        "get",
        "pods",
        "-A",
        "-l",
        `${BENCH_LABEL}=scale`,
        "--field-selector=status.phase=Running",
        "-o",
        "name",
      ]);
      seen = names.split("\n").filter(Boolean).length;
      if (seen >= pods) return performance.now() - t0;
      await sleep(5000);
    }
    throw new Error(`only ${seen} of ${pods} pods Running after ${timeoutMs} ms`);
  }

  /** Creates one Diagnose SreTask about a Deployment, labelled with its batch. */
  async task(namespace: string, name: string, target: string, batch: string): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace,
      plural: "sretasks",
      body: {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: "SreTask",
        metadata: { name, namespace, labels: { [BENCH_LABEL]: batch } },
        spec: {
          type: "Diagnose",
          source: "Manual",
          description: `bench: ${target} keeps restarting`,
          target: { kind: "Deployment", namespace, name: target },
        },
      },
    });
  }

  /** Creates one ConfigMap (the raw create the task throughput is compared with). */
  async configMap(namespace: string, name: string, batch: string): Promise<void> {
    await this.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name, namespace, labels: { [BENCH_LABEL]: batch } }, data: { a: "b" } },
    });
  }

  /** Deletes the ConfigMaps of a batch in the given namespaces. */
  async deleteConfigMaps(namespaces: string[], batch: string): Promise<void> {
    for (const namespace of namespaces)
      await this.core.deleteCollectionNamespacedConfigMap({
        namespace,
        labelSelector: `${BENCH_LABEL}=${batch}`,
      });
  }

  /** Lists the SreTasks of a batch (all namespaces). */
  async tasks(batch: string): Promise<TaskView[]> {
    const list = (await this.custom.listClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: "sretasks",
      labelSelector: `${BENCH_LABEL}=${batch}`,
    })) as { items: TaskView[] };
    return list.items;
  }

  /**
   * Waits until n tasks of a batch are diagnosed (or the timeout passes), from one list and a
   * watch: polling a list of 2,000 tasks every second loaded the API server being measured.
   */
  async waitForDiagnosed(batch: string, n: number, timeoutMs: number) {
    const state = new Map<string, TaskView>();
    const key = (t: TaskView) => `${t.metadata.namespace}/${t.metadata.name}`;
    const count = () => {
      const all = [...state.values()];
      return {
        done: all.filter(isDiagnosed).length,
        failed: all.filter((t) => t.status?.phase === "Failed").length,
      };
    };
    const deadline = performance.now() + timeoutMs;
    const labelSelector = `${BENCH_LABEL}=${batch}`;
    while (performance.now() < deadline) {
      const list = (await this.custom.listClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: "sretasks",
        labelSelector,
      })) as {
        items: TaskView[];
        metadata: { resourceVersion: string };
      };
      state.clear();
      for (const t of list.items) state.set(key(t), t);
      if (count().done >= n) break;
      // Until n are diagnosed, the deadline passes, or the watch ends (then list again).
      await new Promise<void>((resolve) => {
        let stop: AbortController | undefined;
        const end = () => {
          clearTimeout(timer);
          stop?.abort();
          resolve();
        };
        const timer = setTimeout(end, Math.max(0, deadline - performance.now()));
        void new k8s.Watch(this.kc)
          .watch(
            `/apis/${GROUP}/${VERSION}/sretasks`,
            { labelSelector, resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 120 },
            (type, obj: TaskView) => {
              if (type === "DELETED") state.delete(key(obj));
              else if (type === "ADDED" || type === "MODIFIED") state.set(key(obj), obj);
              if (isDiagnosed(obj) && count().done >= n) end();
            },
            () => end(),
          )
          .then((c) => (stop = c), end);
      });
      if (count().done >= n) break;
    }
    return count();
  }

  /** Reads one SreTask, or undefined while it is not there. */
  async readTask(namespace: string, name: string): Promise<TaskView | undefined> {
    return (await this.custom
      .getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: "sretasks", name })
      .catch(() => undefined)) as TaskView | undefined;
  }

  /** durationMs of every DiagnosisRun whose owning task's name starts with prefix. */
  async runDurations(prefix: string): Promise<number[]> {
    const list = (await this.custom.listClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: "diagnosisruns",
    })) as {
      items: Array<{
        metadata: { ownerReferences?: Array<{ name: string }> };
        status?: { durationMs?: number };
      }>;
    };
    return list.items
      .filter((r) => r.metadata.ownerReferences?.some((o) => o.name.startsWith(prefix)))
      .map((r) => r.status?.durationMs)
      .filter((d): d is number => typeof d === "number");
  }

  /**
   * Deletes the SreTasks of a batch and waits until they and their runs are gone. Foreground:
   * a task stays until the garbage collector has deleted its runs, so thousands of cascading
   * deletes do not run under the next batch's figures (they did under the current variant's).
   */
  async deleteTasks(namespaces: string[], batch: string): Promise<void> {
    for (const namespace of namespaces)
      await this.custom.deleteCollectionNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: "sretasks",
        labelSelector: `${BENCH_LABEL}=${batch}`,
        propagationPolicy: "Foreground",
      });
    while ((await this.tasks(batch)).length > 0) await sleep(1000);
  }
}

/** True once the task's Accepted condition is True. */
export const isAccepted = (t: TaskView | undefined): boolean =>
  !!t?.status?.conditions?.some((c) => c.type === "Accepted" && c.status === "True");

/** True once the task's diagnosis ended (Diagnosed, or Failed). */
export const isDiagnosed = (t: TaskView | undefined): boolean =>
  ["Diagnosed", "Failed"].includes(t?.status?.phase ?? "");
