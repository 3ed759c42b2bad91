// Scale benchmark of issue 16 on a control plane of its own (docs/scaling.md):
//   1. 100 kwok nodes, 20 namespaces, 51 Deployments each (one crash-looping: ~2 % of pods),
//      scaled to 1k / 5k / 10k pods; at each step the operator starts, settles, and its RSS,
//      peak RSS (VmHWM) and heap (its /metrics) are read (RSS after its idle-memory release, when it
//      makes one within 20 s: runtime/memory-release.ts; the peak rows are the peaks before it);
//   2. raw ConfigMap creates, then 500 and (topped up to) 2,000 Diagnose SreTasks: diagnosed/s
//      against the raw creates of the same run, DiagnosisRun duration p50/p99/max, reconcile errors;
//   3. a restart with 2,000 finished tasks: a new task's time to Accepted and to Diagnosed;
//   4. the same restart on embedded PGlite instead of PostgreSQL: what PGlite adds.
// With --baseline DIR (a `git worktree` of an older commit) the baseline operator is measured in
// the same run: every pod step, the first task batch and the restart. Loopback only.
// kcm and the scheduler run with --kube-api-qps/--kube-api-burst raised (AISRE_CP_KUBE_API_QPS),
// or 10k pods alone take minutes to appear.
// Usage: npm run bench:scale -- [--pods 1000 --tasks 100] [--baseline /tmp/base]; --help for all.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BenchCluster, hack, kubectl, pool } from "./scale/cluster.ts";
import { OperatorRun, type MemorySample } from "./scale/operator.ts";
import { parseOptions, type ScaleOptions } from "./scale/options.ts";
import { Report, pct } from "./scale/report.ts";
import { rawCreates, restartLatency, taskBatch, type Layout } from "./scale/tasks.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RSS_TARGET = 300;
const opts: ScaleOptions = parseOptions(process.argv.slice(2), REPO);
const work = mkdtempSync(path.join(tmpdir(), "aisre-scale-"));
const report = new Report();
const t0 = performance.now();
const cpEnv = {
  AISRE_CP_DIR: opts.cpDir,
  AISRE_KWOK_NODES: String(opts.nodes),
  AISRE_CP_KUBE_API_QPS: String(opts.kubeApiQps),
};
const pgEnv = { AISRE_PG_DIR: opts.pgDir };
const log = (msg: string) =>
  console.error(`[scale +${((performance.now() - t0) / 1000).toFixed(0)}s] ${msg}`);

interface Variant {
  name: string;
  dir: string;
  env: Record<string, string>;
}

let kubectlPath = "";

async function setUp(): Promise<{ cluster: BenchCluster; variants: Variant[]; layout: Layout }> {
  log(
    `starting the control plane (${opts.nodes} kwok nodes, kcm/scheduler at ${opts.kubeApiQps} qps) and PostgreSQL`,
  );
  await hack(REPO, "control-plane.sh", ["start"], cpEnv);
  const kubeconfig = await hack(REPO, "control-plane.sh", ["kubeconfig"], cpEnv);
  const bin = await hack(REPO, "control-plane.sh", ["bin-dir"], cpEnv);
  kubectlPath = `${bin}/kubectl`;
  await kubectl(`${bin}/kubectl`, kubeconfig, [
    "apply",
    "--server-side",
    "--force-conflicts",
    "-f",
    `${REPO}/crds/`,
  ]);
  await kubectl(`${bin}/kubectl`, kubeconfig, ["wait", "--for=condition=Established", "-f", `${REPO}/crds/`]);
  await hack(REPO, "postgres.sh", ["start"], pgEnv);
  const url = await hack(REPO, "postgres.sh", ["url"], pgEnv);
  const cluster = new BenchCluster(kubeconfig);
  const namespaces = Array.from({ length: opts.namespaces }, (_, i) => `scale-${String(i).padStart(2, "0")}`);
  for (const ns of [...namespaces, "aisre-system"]) await cluster.namespace(ns);
  const variant = (name: string, dir: string, db: string): Variant => ({
    name,
    dir,
    env: {
      KUBECONFIG: kubeconfig,
      AISRE_NAMESPACE: "aisre-system",
      AISRE_INCIDENT_STORE: "true",
      DATABASE_URL: url.replace(/\/[^/]*$/, `/${db}`),
      ...(opts.workers ? { AISRE_MAX_CONCURRENT_RECONCILES: String(opts.workers) } : {}),
    },
  });
  // Each operator gets its own database: an older commit must not meet a newer schema.
  for (const db of ["aisre_scale", "aisre_scale_base"])
    await hack(REPO, "postgres.sh", ["psql", "-qc", `CREATE DATABASE ${db}`], pgEnv).catch(() => undefined);
  const variants = [variant("this", opts.operatorDir, "aisre_scale")];
  if (opts.baselineDir) variants.push(variant("baseline", opts.baselineDir, "aisre_scale_base"));
  const layout: Layout = {
    namespaces,
    deploymentsPerNamespace: opts.deploymentsPerNamespace,
    concurrency: opts.concurrency,
    taskTimeoutMs: opts.taskTimeoutMs,
  };
  return { cluster, variants, layout };
}

/** Starts an operator of a variant, waits for it to settle, and returns its memory. */
async function idleMemory(v: Variant, label: string): Promise<MemorySample & { startMs: number }> {
  const op = await OperatorRun.start(v.dir, v.env, path.join(work, `${v.name}-${label}.log`));
  try {
    const startMs = await op.waitForWorkers();
    await op.settle(10_000);
    await op.waitForRelease(0);
    return { ...(await op.memory()), startMs };
  } finally {
    await op.stop();
  }
}

/** Scales to each pod step and measures every variant idle there; returns the last pod count. */
async function podSteps(cluster: BenchCluster, variants: Variant[], layout: Layout): Promise<number> {
  let reached = 0;
  const deployments = layout.namespaces.flatMap((ns) =>
    Array.from({ length: layout.deploymentsPerNamespace }, (_, j) => ({ ns, name: `app-${j}` })),
  );
  const crashing = new Set(layout.namespaces.map((ns) => `${ns}/app-0`));
  for (const [step, pods] of opts.pods.entries()) {
    const replicas = Math.max(1, Math.round(pods / deployments.length));
    const total = replicas * deployments.length;
    reached = total;
    const ms = await pool(deployments.length, layout.concurrency, (i) => {
      const d = deployments[i]!;
      return step === 0
        ? cluster.deployment(d.ns, d.name, replicas, crashing.has(`${d.ns}/${d.name}`))
        : cluster.scale(d.ns, d.name, replicas);
    });
    const waited = await cluster.waitForPods(kubectlPath, total, 40 * 60_000);
    log(
      `${total} pods (${crashing.size * replicas} crash-looping) in ${((ms + waited) / 1000).toFixed(0)} s`,
    );
    const mem: Record<string, MemorySample & { startMs: number }> = {};
    for (const v of variants) mem[v.name] = await idleMemory(v, `pods-${total}`);
    const [cur, base] = [mem.this!, mem.baseline];
    report.add({ figure: `RSS at ${total} pods, no task`, value: cur.rss, unit: "MiB", baseline: base?.rss });
    report.add({
      figure: `peak RSS at ${total} pods (start-up)`,
      value: cur.peak,
      unit: "MiB",
      baseline: base?.peak,
    });
    report.add({
      figure: `heap used at ${total} pods`,
      value: cur.heapUsed,
      unit: "MiB",
      baseline: base?.heapUsed,
    });
    report.add({
      figure: `start to workers at ${total} pods`,
      value: cur.startMs / 1000,
      unit: "s",
      baseline: base && base.startMs / 1000,
    });
  }
  return reached;
}

/** Runs the task batches on one operator; returns its rows' values by batch total. */
async function taskLoad(cluster: BenchCluster, layout: Layout, v: Variant, limit: number) {
  const op = await OperatorRun.start(v.dir, v.env, path.join(work, `${v.name}-tasks.log`));
  const out: Array<{
    total: number;
    perSecond: number;
    createPerSecond: number;
    durations: number[];
    mem: MemorySample;
    errors: number;
    missing: number;
  }> = [];
  try {
    await op.waitForWorkers();
    // A kept control plane (--keep) may hold an earlier run's batches of the same names.
    for (const total of opts.tasks) await cluster.deleteTasks(layout.namespaces, `${v.name}-t${total}`);
    // From a ready operator, as the later batches: the restart figure covers a cold start.
    await op.settle(2_000);
    let offset = 0;
    for (const total of opts.tasks.filter((t) => t <= limit)) {
      const batch = `${v.name}-t${total}`;
      const releases = await op.memoryReleases();
      const r = await taskBatch(cluster, layout, batch, total - offset, offset);
      offset = total;
      await op.settle(2_000);
      await op.waitForRelease(releases);
      const durations = await cluster.runDurations(batch);
      const errors = Object.values(await op.reconcileErrors()).reduce((a, b) => a + b, 0);
      const mem = await op.memory();
      log(
        `${v.name}: ${r.n} tasks (to ${total}) diagnosed in ${(r.doneMs / 1000).toFixed(1)} s, ${r.failed} Failed, ${r.missing} not done`,
      );
      out.push({
        total,
        perSecond: (r.n - r.missing) / (r.doneMs / 1000),
        createPerSecond: r.n / (r.createMs / 1000),
        durations,
        mem,
        errors,
        missing: r.missing,
      });
    }
  } finally {
    await op.stop();
  }
  return out;
}

async function main(): Promise<void> {
  const { cluster, variants, layout } = await setUp();
  const [current, baseline] = variants as [Variant, Variant | undefined];
  const pods = await podSteps(cluster, variants, layout);

  const deltas = opts.tasks.map((t, i) => t - (opts.tasks[i - 1] ?? 0));
  const raw = [];
  for (const [i, n] of deltas.entries())
    raw.push(n / ((await rawCreates(cluster, layout, `raw-${i}`, n)) / 1000));
  let base: Awaited<ReturnType<typeof taskLoad>> = [];
  if (baseline) {
    base = await taskLoad(cluster, layout, baseline, opts.baselineTasks);
    for (const b of base) await cluster.deleteTasks(layout.namespaces, `baseline-t${b.total}`);
  }
  const cur = await taskLoad(cluster, layout, current, Infinity);
  for (const [i, c] of cur.entries()) {
    const b = base.find((x) => x.total === c.total);
    report.add({ figure: `raw ConfigMap creates/s (${deltas[i]})`, value: raw[i], unit: "/s" });
    report.add({
      figure: `SreTask creates/s (${deltas[i]})`,
      value: c.createPerSecond,
      unit: "/s",
      baseline: b?.createPerSecond,
    });
    report.add({
      figure: `tasks diagnosed/s (${deltas[i]} new, ${c.total} total)`,
      value: c.perSecond,
      unit: "/s",
      baseline: b?.perSecond,
      target: { min: 20 },
    });
    report.add({
      figure: `raw creates / diagnosed (${deltas[i]})`,
      value: raw[i]! / c.perSecond,
      unit: "x",
      baseline: b && raw[i]! / b.perSecond,
    });
    for (const [p, name] of [
      [50, "p50"],
      [99, "p99"],
      [100, "max"],
    ] as const)
      report.add({
        figure: `DiagnosisRun duration ${name} (${deltas[i]})`,
        value: pct(c.durations, p),
        unit: "ms",
        baseline: b && pct(b.durations, p),
      });
    report.add({
      figure: `reconcile errors (to ${c.total} tasks)`,
      value: c.errors + c.missing,
      unit: "",
      baseline: b && b.errors + b.missing,
      target: { max: 0 },
    });
    report.add({
      figure: `RSS at ${pods} pods + ${c.total} tasks (PostgreSQL)`,
      value: c.mem.rss,
      unit: "MiB",
      baseline: b?.mem.rss,
      target: c.total === opts.tasks.at(-1) ? { max: RSS_TARGET } : undefined,
    });
    report.add({
      figure: `peak RSS to ${c.total} tasks`,
      value: c.mem.peak,
      unit: "MiB",
      baseline: b?.mem.peak,
    });
    report.add({
      figure: `heap used / total at ${c.total} tasks`,
      value: c.mem.heapUsed,
      unit: "MiB",
      baseline: b?.mem.heapUsed,
      note: `total ${c.mem.heapTotal.toFixed(0)}${b ? `, baseline ${b.mem.heapTotal.toFixed(0)}` : ""} MiB`,
    });
  }

  const finished = opts.tasks.at(-1)!;
  const restart = async (v: Variant, name: string, env: Record<string, string> = {}) => {
    const { op, result } = await restartLatency(cluster, layout, name, () =>
      OperatorRun.start(v.dir, { ...v.env, ...env }, path.join(work, `${name}.log`)),
    );
    try {
      await op.settle(5_000);
      await op.waitForRelease(0);
      return { ...result, mem: await op.memory() };
    } finally {
      await op.stop();
    }
  };
  const rCur = await restart(current, "restart-this");
  const rBase = baseline ? await restart(baseline, "restart-baseline") : undefined;
  for (const [key, what] of [
    ["workersMs", "workers started"],
    ["acceptedMs", "new task Accepted"],
    ["diagnosedMs", "new task Diagnosed"],
  ] as const)
    report.add({
      figure: `restart with ${finished} finished tasks: ${what}`,
      value: rCur[key] / 1000,
      unit: "s",
      baseline: rBase && rBase[key] / 1000,
      target: key === "diagnosedMs" ? { max: 5 } : undefined,
    });
  report.add({
    figure: `restart with ${finished} finished tasks: workers started to new task Diagnosed`,
    value: (rCur.diagnosedMs - rCur.workersMs) / 1000,
    unit: "s",
    baseline: rBase && (rBase.diagnosedMs - rBase.workersMs) / 1000,
  });
  report.add({
    figure: `RSS after the restart, settled (PostgreSQL)`,
    value: rCur.mem.rss,
    unit: "MiB",
    baseline: rBase?.mem.rss,
    target: { max: RSS_TARGET },
  });
  if (opts.pglite) {
    const dataDir = path.join(work, "pgdata");
    const rLite = await restart(current, "restart-pglite", { DATABASE_URL: "", AISRE_DATA_DIR: dataDir });
    report.add({
      figure: `restart on PGlite: new task Diagnosed`,
      value: rLite.diagnosedMs / 1000,
      unit: "s",
      target: { max: 5 },
    });
    report.add({ figure: `RSS after the restart on PGlite, settled`, value: rLite.mem.rss, unit: "MiB" });
    report.add({ figure: `peak RSS on PGlite`, value: rLite.mem.peak, unit: "MiB" });
    report.add({
      figure: `what PGlite adds (RSS, settled)`,
      value: rLite.mem.rss - rCur.mem.rss,
      unit: "MiB",
    });
  }
}

try {
  await main();
  console.log(
    `\nbench:scale — ${opts.nodes} kwok nodes, ${opts.namespaces} namespaces, pods ${opts.pods.join("/")}, tasks ${opts.tasks.join("/")}, kcm/scheduler --kube-api-qps ${opts.kubeApiQps}${opts.baselineDir ? `, baseline ${opts.baselineDir}` : ""}`,
  );
  console.log(report.table(opts.baselineDir ? "baseline" : undefined));
  console.log(`\ntook ${((performance.now() - t0) / 60_000).toFixed(1)} min; operator logs in ${work}`);
} finally {
  if (opts.teardown) {
    await hack(REPO, "control-plane.sh", ["stop"], cpEnv).catch((e: unknown) => log(String(e)));
    await hack(REPO, "postgres.sh", ["stop"], pgEnv).catch((e: unknown) => log(String(e)));
  }
}
