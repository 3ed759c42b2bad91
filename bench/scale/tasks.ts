// Task load: a batch of Diagnose SreTasks timed from the first create to the last diagnosis,
// the same number of raw ConfigMap creates, and a new task's latency across an operator restart.
import { isAccepted, isDiagnosed, pool, type BenchCluster } from "./cluster.ts";
import type { OperatorRun } from "./operator.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where task i of a run lives and what it targets: spread over namespaces and Deployments. */
export interface Layout {
  namespaces: string[];
  deploymentsPerNamespace: number;
  concurrency: number;
  taskTimeoutMs: number;
}

/** How one batch went. */
export interface BatchResult {
  n: number;
  createMs: number;
  /** From the first create until every task of the batch is Diagnosed (or Failed). */
  doneMs: number;
  failed: number;
  /** Tasks not done at the timeout. */
  missing: number;
}

const placeOf = (layout: Layout, i: number) => {
  const ns = layout.namespaces[i % layout.namespaces.length]!;
  const app = Math.floor(i / layout.namespaces.length) % layout.deploymentsPerNamespace;
  return { ns, target: `app-${app}` };
};

/** Creates n tasks labelled `batch` (task indexes from offset) and waits until all are diagnosed. */
export async function taskBatch(
  cluster: BenchCluster,
  layout: Layout,
  batch: string,
  n: number,
  offset: number,
): Promise<BatchResult> {
  const timeoutMs = layout.taskTimeoutMs;
  const t0 = performance.now();
  const createMs = await pool(n, layout.concurrency, (i) => {
    const { ns, target } = placeOf(layout, offset + i);
    return cluster.task(ns, `${batch}-${offset + i}`, target, batch);
  });
  const { done, failed } = await cluster.waitForDiagnosed(batch, n, timeoutMs - (performance.now() - t0));
  return { n, createMs, doneMs: performance.now() - t0, failed, missing: n - done };
}

/** Creates n ConfigMaps at the same concurrency (then deletes them); returns the create ms. */
export async function rawCreates(cluster: BenchCluster, layout: Layout, batch: string, n: number) {
  const ms = await pool(n, layout.concurrency, (i) =>
    cluster.configMap(layout.namespaces[i % layout.namespaces.length]!, `${batch}-${i}`, batch),
  );
  await cluster.deleteConfigMaps(layout.namespaces, batch);
  return ms;
}

/** A new task's latencies after a restart, in ms since the operator process was spawned. */
export interface RestartResult {
  workersMs: number;
  acceptedMs: number;
  diagnosedMs: number;
}

/**
 * Creates one new task while no operator runs, starts one (start), and times its workers, the
 * task's Accepted and its diagnosis from the spawn.
 */
export async function restartLatency(
  cluster: BenchCluster,
  layout: Layout,
  name: string,
  start: () => Promise<OperatorRun>,
  timeoutMs = 300_000,
): Promise<{ op: OperatorRun; result: RestartResult }> {
  const { ns, target } = placeOf(layout, 7);
  // A kept control plane (--keep) may hold the task of an earlier run.
  name = `${name}-${Date.now().toString(36)}`;
  await cluster.task(ns, name, target, "restart");
  const op = await start();
  const workers = op.waitForWorkers(timeoutMs);
  let acceptedMs = NaN;
  let diagnosedMs = NaN;
  while (performance.now() - op.startedAt < timeoutMs) {
    const task = await cluster.readTask(ns, name);
    const now = performance.now() - op.startedAt;
    if (Number.isNaN(acceptedMs) && isAccepted(task)) acceptedMs = now;
    if (isDiagnosed(task)) {
      diagnosedMs = now;
      break;
    }
    await sleep(100);
  }
  return { op, result: { workersMs: await workers, acceptedMs, diagnosedMs } };
}
