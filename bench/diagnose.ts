// Diagnosis benchmark: synthetic clusters of 1k / 5k / 20k pods (200 nodes at 5k) with
// 50 failures of mixed categories. Each size runs in a fresh child process so peak
// heap and RSS are its own. Prints time, heap, RSS and the ratio to the 1k baseline.
// Usage: node bench/diagnose.ts [--sizes 1000,5000,20000]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { K8sObject } from "../agents/diagnosis/k8s.ts";

const NOW = Date.parse("2026-11-20T10:00:00Z");
const iso = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString();

interface Cluster {
  objects: K8sObject[];
  logs: Record<string, string>;
}

function failureOf(i: number): string {
  const kinds = ["crash", "oom", "image", "config", "unschedulable", "pvc", "quota", "job", "probe", "node"];
  return kinds[i % kinds.length]!;
}

function podStatus(kind: string | undefined): Record<string, unknown> {
  const ready = {
    phase: "Running",
    conditions: [{ type: "Ready", status: "True" }],
    containerStatuses: [
      { name: "app", ready: true, restartCount: 0, state: { running: { startedAt: iso(3000) } } },
    ],
  };
  const waiting = (reason: string, message = "") => ({
    phase: kind === "config" ? "Pending" : "Running",
    conditions: [{ type: "Ready", status: "False" }],
    containerStatuses: [
      {
        name: "app",
        ready: false,
        restartCount: 5,
        state: { waiting: { reason, message } },
        lastState: {
          terminated: {
            reason: kind === "oom" ? "OOMKilled" : "Error",
            exitCode: kind === "oom" ? 137 : 1,
            finishedAt: iso(1),
          },
        },
      },
    ],
  });
  switch (kind) {
    case "crash":
    case "oom":
      return waiting("CrashLoopBackOff");
    case "image":
      return waiting("ImagePullBackOff", 'Back-off pulling image "x:404"');
    case "config":
      return waiting("CreateContainerConfigError", 'configmap "missing" not found');
    case "probe":
      return {
        ...ready,
        conditions: [{ type: "Ready", status: "False" }],
        containerStatuses: [
          { name: "app", ready: false, restartCount: 0, state: { running: { startedAt: iso(30) } } },
        ],
      };
    case "unschedulable":
    case "pvc":
      return {
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message:
              kind === "pvc"
                ? "0/200 nodes are available: pod has unbound immediate PersistentVolumeClaims."
                : "0/200 nodes are available: 200 Insufficient cpu.",
          },
        ],
      };
    default:
      return ready;
  }
}

interface App {
  ns: string;
  app: string;
  pods: number;
  nodes: number;
  fail: string | undefined;
}

function addApp(c: Cluster, { ns, app, pods, nodes, fail }: App, seq: { n: number }): void {
  const o = c.objects;
  o.push({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: app, namespace: ns, uid: `d-${app}` },
    spec: { replicas: pods, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } } } },
    status: { replicas: pods, readyReplicas: fail ? 0 : pods },
  });
  o.push({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${app}-7d9c5`,
      namespace: ns,
      uid: `rs-${app}`,
      annotations: { "deployment.kubernetes.io/revision": "2" },
      ownerReferences: [{ kind: "Deployment", name: app, uid: `d-${app}`, controller: true }],
    },
    spec: { replicas: pods },
    status: { replicas: pods, readyReplicas: fail ? 0 : pods },
  });
  o.push({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${app}-5b8f4`,
      namespace: ns,
      uid: `rs0-${app}`,
      annotations: { "deployment.kubernetes.io/revision": "1" },
      ownerReferences: [{ kind: "Deployment", name: app, uid: `d-${app}`, controller: true }],
    },
    spec: { replicas: 0 },
    status: { replicas: 0 },
  });
  o.push({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: app, namespace: ns },
    spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  if (fail === "pvc")
    o.push({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: `${app}-data`, namespace: ns, creationTimestamp: iso(60) },
      spec: { storageClassName: "nope" },
      status: { phase: "Pending" },
    });
  if (fail === "quota")
    o.push({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `q-${app}`, namespace: ns },
      involvedObject: { kind: "ReplicaSet", namespace: ns, name: `${app}-7d9c5` },
      reason: "FailedCreate",
      type: "Warning",
      message: `Error creating: pods "${app}-7d9c5-x" is forbidden: exceeded quota: q, requested: cpu=1, used: cpu=10, limited: cpu=10`,
      lastTimestamp: iso(1),
    });
  for (let p = 0; p < pods; p++) {
    const name = `${app}-7d9c5-${String(seq.n++).padStart(5, "0")}`;
    const status = fail === "quota" ? podStatus(undefined) : podStatus(fail);
    const spec: Record<string, unknown> = {
      containers: [{ name: "app", image: `${app}:2`, ports: [{ containerPort: 8080 }] }],
    };
    if (!(fail === "unschedulable" || fail === "pvc"))
      spec.nodeName = fail === "node" ? "node-0" : `node-${1 + (seq.n % (nodes - 1))}`;
    if (fail === "pvc") spec.volumes = [{ name: "d", persistentVolumeClaim: { claimName: `${app}-data` } }];
    o.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: ns,
        uid: `u-${name}`,
        labels: { app, "pod-template-hash": "7d9c5" },
        creationTimestamp: iso(3000),
        ownerReferences: [{ kind: "ReplicaSet", name: `${app}-7d9c5`, uid: `rs-${app}`, controller: true }],
      },
      spec,
      status,
    });
    for (const [reason, type] of [
      ["Scheduled", "Normal"],
      ["Pulled", "Normal"],
    ] as const) {
      o.push({
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `${name}.${reason}`, namespace: ns },
        involvedObject: { kind: "Pod", namespace: ns, name, uid: `u-${name}` },
        reason,
        type,
        message: reason,
        lastTimestamp: iso(3000),
      });
    }
    if (fail && fail !== "quota") c.logs[`${ns}/${name}/app:previous`] = "starting\nError: boom\n";
  }
}

function addJob(c: Cluster, ns: string, i: number): void {
  c.objects.push({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: `job-${i}`, namespace: ns },
    status: {
      failed: 7,
      conditions: [
        { type: "Failed", status: "True", reason: "BackoffLimitExceeded", lastTransitionTime: iso(10) },
      ],
    },
  });
}

/** A synthetic cluster with `pods` pods, 10 per Deployment, and 50 failing workloads. */
export function cluster(pods: number): Cluster {
  const c: Cluster = { objects: [], logs: {} };
  const nodes = Math.max(20, Math.round(pods / 25));
  for (let n = 0; n < nodes; n++) {
    const ready =
      n === 0
        ? { type: "Ready", status: "False", reason: "KubeletNotReady" }
        : { type: "Ready", status: "True" };
    c.objects.push({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: `node-${n}` },
      status: { conditions: [ready] },
    });
  }
  const apps = Math.ceil(pods / 10);
  const seq = { n: 0 };
  let failures = 0;
  for (let a = 0; a < apps; a++) {
    const ns = `team-${a % 40}`;
    const fail = a % Math.floor(apps / 50) === 0 && failures < 50 ? failureOf(failures++) : undefined;
    if (fail === "job") addJob(c, ns, a);
    addApp(c, { ns, app: `app-${a}`, pods: 10, nodes, fail: fail === "job" ? undefined : fail }, seq);
  }
  return c;
}

async function measure(pods: number): Promise<void> {
  const { MemoryView } = await import("../agents/diagnosis/view.ts");
  const { diagnose } = await import("../agents/diagnosis/diagnose.ts");
  const c = cluster(pods);
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const view = new MemoryView(c.objects, { now: NOW, logs: c.logs });
  const result = diagnose(view, {});
  const ms = performance.now() - t0;
  const heap = process.memoryUsage().heapUsed - before;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      pods,
      objects: c.objects.length,
      ms,
      heapMB: heap / 2 ** 20,
      rssMB: rss,
      findings: result.findings.length,
      root: result.rootCause?.category,
    }),
  );
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf("--child");
  if (arg > 0) return measure(Number(process.argv[arg + 1]));
  const sizesArg = process.argv.indexOf("--sizes");
  const sizes = sizesArg > 0 ? process.argv[sizesArg + 1]!.split(",").map(Number) : [1000, 5000, 20000];
  const self = fileURLToPath(import.meta.url);
  const rows: { pods: number; objects: number; ms: number; heapMB: number; rssMB: number; root: string }[] =
    [];
  for (const n of sizes) {
    const r = spawnSync(process.execPath, ["--expose-gc", self, "--child", String(n)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    rows.push(JSON.parse(r.stdout.trim().split("\n").pop()!));
  }
  const base = rows[0]!;
  console.log("pods    objects   time(ms)  heap(MB)  maxRSS(MB)  time x1k  heap x1k  root cause");
  for (const r of rows) {
    console.log(
      `${String(r.pods).padEnd(7)} ${String(r.objects).padEnd(9)} ${r.ms.toFixed(0).padStart(8)} ${r.heapMB.toFixed(1).padStart(9)} ${r.rssMB.toFixed(0).padStart(11)} ${(r.ms / base.ms).toFixed(2).padStart(9)} ${(r.heapMB / base.heapMB).toFixed(2).padStart(9)}  ${r.root}`,
    );
  }
}

await main();
