// A task burst against the bench's kept control plane (npm run bench:scale -- --keep), for profiling:
// one operator of DIR (default this checkout) with NODE_OPTIONS passed through (--import a preload),
// N new Diagnose tasks, then SIGUSR2 (a preload may dump on it) and a stop. Prints tasks/s.
// Usage: node bench/scale/probe.ts [N] [DIR]   (AISRE_CP_DIR / AISRE_PG_DIR as the bench's)
// `node bench/scale/probe.ts restart [DIR]` instead times one restart (a new task's workers,
// Accepted and Diagnosed from the spawn) against the tasks the cluster holds; `start [DIR]` starts
// one, lets it settle 10 s and prints its memory (the start-up peak RSS is VmHWM).
// Requests per task: NODE_OPTIONS="--import ./bench/scale/request-count.mjs" AISRE_REQ_DUMP=/tmp/req.txt
// AISRE_PROBE_IDLE_S=60 then samples the idle operator's memory every 10 s for that long.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BenchCluster, hack } from "./cluster.ts";
import { cpuBetween, cpuSample } from "./cpu.ts";
import { OperatorRun } from "./operator.ts";
import { restartLatency, taskBatch } from "./tasks.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const restart = process.argv[2] === "restart";
const startOnly = process.argv[2] === "start";
const n = restart || startOnly ? 0 : Number(process.argv[2] ?? 100);
const dir = path.resolve(process.argv[3] ?? repo);
const cpEnv = { AISRE_CP_DIR: process.env.AISRE_CP_DIR ?? "/tmp/cp-scale-bench" };
const pgEnv = { AISRE_PG_DIR: process.env.AISRE_PG_DIR ?? "/tmp/pg-scale-bench" };
const kubeconfig = await hack(repo, "control-plane.sh", ["kubeconfig"], cpEnv);
const url = await hack(repo, "postgres.sh", ["url"], pgEnv);
const cluster = new BenchCluster(kubeconfig);
const namespaces = Array.from({ length: 20 }, (_, i) => `scale-${String(i).padStart(2, "0")}`);
const env = {
  KUBECONFIG: kubeconfig,
  AISRE_NAMESPACE: "aisre-system",
  DATABASE_URL: url.replace(/\/[^/]*$/, "/aisre_scale"),
  ...(process.env.AISRE_MAX_CONCURRENT_RECONCILES
    ? { AISRE_MAX_CONCURRENT_RECONCILES: process.env.AISRE_MAX_CONCURRENT_RECONCILES }
    : {}),
};
const layout = { namespaces, deploymentsPerNamespace: 51, concurrency: 32, taskTimeoutMs: 900_000 };
if (restart) {
  const start = () => OperatorRun.start(dir, env, `/tmp/probe-${Date.now()}.log`);
  const { op, result } = await restartLatency(cluster, layout, "probe-restart", start);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `restart: workers ${s(result.workersMs)}, Accepted ${s(result.acceptedMs)}, Diagnosed ${s(result.diagnosedMs)}`,
  );
  await op.stop();
  process.exit(0);
}
if (startOnly) {
  const op = await OperatorRun.start(dir, env, `/tmp/probe-${Date.now()}.log`);
  const workersMs = await op.waitForWorkers();
  await op.settle(10_000);
  console.log(`start: workers ${(workersMs / 1000).toFixed(1)} s, ${JSON.stringify(await op.memory())}`);
  await op.stop();
  process.exit(0);
}
const op = await OperatorRun.start(dir, env, `/tmp/probe-${Date.now()}.log`);
try {
  console.log(`workers after ${((await op.waitForWorkers()) / 1000).toFixed(1)} s`);
  await op.settle(2_000);
  const batch = `probe-${Date.now().toString(36)}`;
  const cpuBefore = cpuSample();
  const r = await taskBatch(cluster, layout, batch, n, 0);
  const cpu = cpuBetween(cpuBefore, cpuSample());
  console.log(
    `${r.n} tasks in ${(r.doneMs / 1000).toFixed(1)} s: ${(r.n / (r.doneMs / 1000)).toFixed(2)} /s`,
  );
  console.log(JSON.stringify(await op.memory()));
  for (let s = 10; s <= Number(process.env.AISRE_PROBE_IDLE_S ?? 0); s += 10) {
    await new Promise((r) => setTimeout(r, 10_000));
    console.log(`idle ${s} s: ${JSON.stringify(await op.memory())}`);
  }
  const total = cpu.reduce((sum, [, s]) => sum + s, 0);
  console.log(
    `CPU during the burst: ${total.toFixed(1)} s (${((total / r.doneMs) * 1000).toFixed(2)} cores)`,
  );
  for (const [program, s] of cpu)
    console.log(
      `  ${s.toFixed(1).padStart(6)} s  ${((s / r.n) * 1000).toFixed(1).padStart(6)} ms/task  ${program}`,
    );
  // SIGUSR2 ends a Node process that has no handler: only a preload (--import) installs one.
  if (process.env.NODE_OPTIONS?.includes("--import")) {
    op.proc.kill("SIGUSR2");
    await new Promise((r) => setTimeout(r, 1000));
  }
  await cluster.deleteTasks(namespaces, batch);
} finally {
  await op.stop();
}
