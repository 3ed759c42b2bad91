// One `aisre operator` process started as a user would (bin/aisre.mjs of a checkout, settings
// from the environment), with its RSS sampled from /proc and its /metrics scraped.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";

/** Memory of the operator at one moment, in MiB. */
export interface MemorySample {
  rss: number;
  /** VmHWM: the peak RSS since the process started. */
  peak: number;
  heapUsed: number;
  heapTotal: number;
}

/** Free loopback TCP port. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Sums every sample of a metric (optionally whose labels contain `labels`) in Prometheus text. */
export function metricSum(text: string, name: string, labels = ""): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name) || (line[name.length] !== "{" && line[name.length] !== " ")) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A running operator. */
export class OperatorRun {
  readonly proc: ChildProcess;
  readonly startedAt = performance.now();
  private readonly exited: Promise<void>;
  private readonly port: number;
  private readonly healthPort: number;

  private constructor(proc: ChildProcess, port: number, healthPort: number) {
    this.proc = proc;
    this.port = port;
    this.healthPort = healthPort;
    this.exited = new Promise((r) => proc.on("exit", () => r()));
  }

  /** Spawns `node <dir>/bin/aisre.mjs operator`; logs go to logFile. */
  static async start(dir: string, env: Record<string, string>, logFile: string): Promise<OperatorRun> {
    const port = await freePort();
    const healthPort = await freePort();
    const log = openSync(logFile, "a");
    const proc = spawn(process.execPath, [path.join(dir, "bin", "aisre.mjs"), "operator"], {
      cwd: dir,
      env: {
        ...process.env,
        AISRE_METRICS_PORT: String(port),
        AISRE_HEALTH_PORT: String(healthPort),
        AISRE_LEADER_ELECT: "false",
        AISRE_LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", log, log],
    });
    return new OperatorRun(proc, port, healthPort);
  }

  /** The /metrics text, or "" while the server is not up. */
  async metrics(): Promise<string> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/metrics`, {
        signal: AbortSignal.timeout(10_000),
      });
      return res.ok ? await res.text() : "";
    } catch {
      return "";
    }
  }

  /** True when /readyz answers 200: running, every cache listed (the deferred Pod and Event ones too), workers started. */
  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.healthPort}/readyz`, {
        signal: AbortSignal.timeout(5_000),
      });
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Waits until the SreTask controller's workers run (its caches are synced); returns ms since spawn. */
  async waitForWorkers(timeoutMs = 300_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`operator exited with ${this.proc.exitCode}`);
      const text = await this.metrics();
      if (metricSum(text, "controller_runtime_max_concurrent_reconciles", 'controller="sretask"') > 0)
        return performance.now() - this.startedAt;
      await sleep(200);
    }
    throw new Error(`operator workers did not start within ${timeoutMs} ms`);
  }

  /**
   * Waits until the operator is ready (every cache listed: before that a diagnosis reads its
   * namespace from the API server, a start-up cost the restart figure measures) and every work
   * queue is empty and no worker busy, three scrapes in a row.
   */
  async settle(minMs = 5_000, timeoutMs = 300_000): Promise<void> {
    const start = performance.now();
    let quiet = 0;
    while (performance.now() - start < timeoutMs) {
      const text = await this.metrics();
      const busy = metricSum(text, "workqueue_depth") + metricSum(text, "controller_runtime_active_workers");
      quiet = text && busy === 0 && (await this.ready()) ? quiet + 1 : 0;
      if (quiet >= 3 && performance.now() - start >= minMs) return;
      await sleep(1000);
    }
  }

  /** Idle-memory releases so far (aisre_memory_releases_total); undefined for a checkout without them. */
  async memoryReleases(): Promise<number | undefined> {
    const text = await this.metrics();
    return /^aisre_memory_releases_total /m.test(text)
      ? metricSum(text, "aisre_memory_releases_total")
      : undefined;
  }

  /**
   * Waits (at most timeoutMs) for an idle-memory release after `since` releases, so the memory read
   * next is the settled one (runtime/memory-release.ts); returns at once for a checkout without it.
   * None comes when the RSS grew less than the release's threshold or the last one was under a minute ago.
   */
  async waitForRelease(since: number | undefined, timeoutMs = 20_000): Promise<void> {
    const start = performance.now();
    while (performance.now() - start < timeoutMs) {
      const now = await this.memoryReleases();
      if (since === undefined || now === undefined || now > since) return;
      await sleep(500);
    }
  }

  /** RSS and peak from /proc, heap from the operator's own metrics. */
  async memory(): Promise<MemorySample> {
    const status = readFileSync(`/proc/${this.proc.pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    const text = await this.metrics();
    return {
      rss: kb("VmRSS") / 1024,
      peak: kb("VmHWM") / 1024,
      heapUsed: metricSum(text, "nodejs_heap_size_used_bytes") / MiB,
      heapTotal: metricSum(text, "nodejs_heap_size_total_bytes") / MiB,
    };
  }

  /** Reconcile errors per controller so far. */
  async reconcileErrors(): Promise<Record<string, number>> {
    const text = await this.metrics();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(
      /^controller_runtime_reconcile_errors_total\{controller="([^"]+)"\} (\S+)$/gm,
    ))
      if (Number(m[2]) > 0) out[m[1]!] = Number(m[2]);
    return out;
  }

  /** SIGTERM, then SIGKILL after 30 s. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill("SIGTERM");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}
