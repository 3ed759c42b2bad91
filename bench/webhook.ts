// Webhook benchmark on the local control plane (loopback only, bounded).
//   1. raw: bare client-node creates of SreTasks (CustomObjectsApi) at the same concurrency;
//   2. webhook: new alerts POSTed to a real `aisre sidecar` process, each one an SreTask;
//   (1 and 2 alternate in rounds so a growing etcd slows both alike), then
//   3. paced: 100 alerts/s for --seconds (open loop), p50/p99;
//   4. duplicates: the alerts of 2 again, answered from the sidecar's cache.
// Prints alerts/s, p50/p99 and the ratios against the targets (>= 0.9 of raw throughput, issue 15;
// p99 < 100 ms at 100 alerts/s, duplicates >= 10x cheaper than new alerts).
// The machine's load matters: run it on a quiet machine, and compare with the raw rows.
// Usage: node bench/webhook.ts [--alerts 2000] [--concurrency 32] [--rounds 2] [--rate 100] [--seconds 10]
// Needs the control plane (bash hack/control-plane.sh start) with the CRDs applied.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { execFileSync } from "node:child_process";
import { CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";

interface Options {
  alerts: number;
  concurrency: number;
  rounds: number;
  rate: number;
  seconds: number;
}

function options(): Options {
  const get = (name: string, def: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    const v = i > 0 ? Number(process.argv[i + 1]) : def;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  return {
    alerts: get("alerts", 2000),
    concurrency: get("concurrency", 32),
    rounds: get("rounds", 2),
    rate: get("rate", 100),
    seconds: get("seconds", 10),
  };
}

const TOKEN = randomBytes(24).toString("hex");
const RUN = randomBytes(3).toString("hex");

function kubeconfigPath(): string {
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG;
  return execFileSync("bash", ["hack/control-plane.sh", "kubeconfig"], { encoding: "utf8" }).trim();
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Runs fn n times with `concurrency` in flight; returns elapsed ms and each call's latency. */
async function closedLoop(
  n: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<{ ms: number; lat: number[] }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        await fn(i);
        lat.push(performance.now() - s);
      }
    }),
  );
  return { ms: performance.now() - t0, lat };
}

/** Starts fn at a fixed rate for `seconds` (open loop: a slow answer does not slow the sender). */
async function paced(
  rate: number,
  seconds: number,
  fn: (i: number) => Promise<void>,
): Promise<{ ms: number; lat: number[] }> {
  const lat: number[] = [];
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  const total = rate * seconds;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const s = performance.now();
    pending.push(fn(i).then(() => void lat.push(performance.now() - s)));
  }
  await Promise.all(pending);
  return { ms: performance.now() - t0, lat };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

function alertBody(i: number, prefix: string): string {
  const fingerprint = `${prefix}${i.toString(16).padStart(8, "0")}`.padEnd(16, "0").slice(0, 16);
  return JSON.stringify({
    version: "4",
    status: "firing",
    receiver: "bench",
    groupKey: `{}:{alertname="BenchAlert"}`,
    alerts: [
      {
        status: "firing",
        labels: { alertname: "BenchAlert", severity: "warning", instance: `node-${i}` },
        annotations: { summary: `bench alert ${i}` },
        startsAt: "2026-11-20T10:00:00Z",
        endsAt: "0001-01-01T00:00:00Z",
        fingerprint,
      },
    ],
  });
}

async function startSidecar(kubeconfig: string, namespace: string, port: number): Promise<() => void> {
  const child = spawn(
    process.execPath,
    ["bin/aisre.mjs", "sidecar", "--port", String(port), "--host", "127.0.0.1"],
    {
      env: {
        ...process.env,
        KUBECONFIG: kubeconfig,
        AISRE_NAMESPACE: namespace,
        AISRE_WEBHOOK_TOKEN: TOKEN,
        AISRE_LOG_LEVEL: "warn",
        AISRE_ALERT_CACHE_SIZE: "1000000",
        DATABASE_URL: "",
      },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return () => child.kill("SIGTERM");
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error("the sidecar did not become ready");
}

async function metric(port: number, name: string, label = ""): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split("\n")
    .filter((l) => l.startsWith(name) && l.includes(label))
    .reduce((n, l) => n + Number(l.split(" ").pop()), 0);
}

async function main(): Promise<void> {
  const o = options();
  const kubeconfig = kubeconfigPath();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const server = new URL(kc.getCurrentCluster()!.server);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(server.hostname))
    throw new Error(`refusing to load a non-loopback API server (${server.host})`);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const namespace = `bench-webhook-${RUN}`;
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const port = await freePort();
  const stop = await startSidecar(kubeconfig, namespace, port);
  const url = `http://127.0.0.1:${port}/alerts/alertmanager`;
  const post = async (body: string) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };
  const raw = async (i: number, round: number) => {
    await custom.createNamespacedCustomObject({
      group: "aisre.io",
      version: "v1alpha1",
      namespace,
      plural: "sretasks",
      body: {
        apiVersion: "aisre.io/v1alpha1",
        kind: "SreTask",
        metadata: { name: `raw-${round}-${i}` },
        spec: { description: `raw ${i}` },
      },
    });
  };
  try {
    // Warm up both paths (connections, JIT, AgentConfig cache).
    await closedLoop(50, 8, (i) => raw(i, 99));
    await closedLoop(50, 8, (i) => post(alertBody(i, "ffff")));

    const per = Math.ceil(o.alerts / o.rounds);
    const rawRuns: { ms: number; lat: number[] }[] = [];
    const hookRuns: { ms: number; lat: number[] }[] = [];
    for (let r = 0; r < o.rounds; r++) {
      rawRuns.push(await closedLoop(per, o.concurrency, (i) => raw(i, r)));
      hookRuns.push(await closedLoop(per, o.concurrency, (i) => post(alertBody(r * per + i, "a"))));
    }
    const sum = (runs: { ms: number; lat: number[] }[]) => ({
      ms: runs.reduce((n, x) => n + x.ms, 0),
      lat: runs.flatMap((x) => x.lat),
    });
    const rawAll = sum(rawRuns);
    const hookAll = sum(hookRuns);
    const rawRate = (rawAll.lat.length / rawAll.ms) * 1000;
    const hookRate = (hookAll.lat.length / hookAll.ms) * 1000;

    // The same pace straight at the API server, so the webhook's p99 has a reference.
    const rawPaced = await paced(o.rate, o.seconds, (i) => raw(i, 50));
    const pacedRun = await paced(o.rate, o.seconds, (i) => post(alertBody(i, "b")));

    const writesBefore = await metric(port, "aisre_sidecar_alert_tasks_total");
    const dup = await closedLoop(per * o.rounds, o.concurrency, (i) => post(alertBody(i, "a")));
    const dupWrites = (await metric(port, "aisre_sidecar_alert_tasks_total")) - writesBefore;
    const dupRate = (dup.lat.length / dup.ms) * 1000;

    const row = (name: string, n: number, rate: number, lat: number[]) =>
      console.log(
        `${name.padEnd(34)} ${String(n).padStart(6)} ${rate.toFixed(0).padStart(9)} ${pct(lat, 50).toFixed(2).padStart(9)} ${pct(lat, 99).toFixed(2).padStart(9)}`,
      );
    console.log(
      `\nwebhook benchmark: ${o.alerts} alerts per path, concurrency ${o.concurrency}, ${o.rounds} alternating rounds, API server ${server.host}\n`,
    );
    console.log(
      `${"path".padEnd(34)} ${"n".padStart(6)} ${"per sec".padStart(9)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)}`,
    );
    row("raw client-node creates", rawAll.lat.length, rawRate, rawAll.lat);
    row("webhook, new alerts", hookAll.lat.length, hookRate, hookAll.lat);
    row(
      `raw, paced ${o.rate}/s for ${o.seconds}s`,
      rawPaced.lat.length,
      (rawPaced.lat.length / rawPaced.ms) * 1000,
      rawPaced.lat,
    );
    row(
      `webhook, paced ${o.rate}/s for ${o.seconds}s`,
      pacedRun.lat.length,
      (pacedRun.lat.length / pacedRun.ms) * 1000,
      pacedRun.lat,
    );
    row("webhook, duplicates", dup.lat.length, dupRate, dup.lat);
    const ratio = hookRate / rawRate;
    const p99 = pct(pacedRun.lat, 99);
    const cheaper = pct(hookAll.lat, 50) / pct(dup.lat, 50);
    const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
    console.log("");
    console.log(`webhook / raw throughput   ${ratio.toFixed(2)}   target >= 0.90   ${verdict(ratio >= 0.9)}`);
    console.log(
      `p99 at ${o.rate} alerts/s          ${p99.toFixed(1)} ms   target < 100 ms  ${verdict(p99 < 100)}  (raw creates at that pace: p99 ${pct(rawPaced.lat, 99).toFixed(1)} ms)`,
    );
    console.log(
      `new / duplicate p50        ${cheaper.toFixed(1)}x   target >= 10x    ${verdict(cheaper >= 10)}`,
    );
    console.log(
      `API writes by duplicates   ${dupWrites}        target 0         ${verdict(dupWrites === 0)}`,
    );
  } finally {
    stop();
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  }
}

await main();
