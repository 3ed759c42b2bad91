import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A real Prometheus (Debian's package) on loopback, scraping itself every second. */
export interface TestPrometheus {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Turns OpenMetrics text into TSDB blocks under dataDir with Debian's promtool. */
function backfill(dir: string, dataDir: string, openMetrics: string): void {
  const input = join(dir, "history.om");
  writeFileSync(input, openMetrics);
  try {
    execFileSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input, dataDir], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? "").trim();
    throw new Error(`promtool backfill failed (apt-get install prometheus): ${stderr || String(err)}`, {
      cause: err,
    });
  }
}

/**
 * Starts `prometheus` from PATH, optionally with history backfilled from OpenMetrics text;
 * rejects with a one-line reason when it is not installed.
 */
export async function startPrometheus(
  opts: {
    history?: string;
    /** Further host:port targets scraped every second (job "targets"). */
    targets?: string[];
  } = {},
): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "aisre-prometheus-"));
  if (opts.history) backfill(dir, join(dir, "data"), opts.history);
  const port = await freePort();
  const config = join(dir, "prometheus.yml");
  const targets = opts.targets?.length
    ? `  - job_name: targets\n    static_configs: [{targets: ${JSON.stringify(opts.targets)}}]\n`
    : "";
  writeFileSync(
    config,
    `global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{targets: ["127.0.0.1:${port}"]}]\n${targets}`,
  );
  const proc: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      // Backfilled histories reach a few weeks back; the default 15 d would delete their start.
      "--storage.tsdb.retention.time=60d",
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: "ignore" },
  );
  const failed = new Promise<never>((_, reject) =>
    proc.on("error", (err) =>
      reject(new Error(`prometheus not runnable (apt-get install prometheus): ${err.message}`)),
    ),
  );
  const url = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 120; i++) {
      const ok = await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("prometheus did not become ready in 30 s");
  })();
  await Promise.race([ready, failed]);
  return {
    url,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A suite's Prometheus: `current` once started; `missing` says why it is not (outside CI only). */
export interface SuitePrometheus {
  current?: TestPrometheus;
  missing?: string;
}

/**
 * Starts a Prometheus before the suite's later hooks and stops it after. Under CI=true a
 * missing prometheus fails the suite; elsewhere tests call ctx.skip() on `missing`, after one
 * line saying how to get it.
 */
export function usePrometheus(opts: { history?: () => string; timeoutMs?: number } = {}): SuitePrometheus {
  const suite: SuitePrometheus = {};
  beforeAll(async () => {
    try {
      suite.current = await startPrometheus(opts.history ? { history: opts.history() } : {});
    } catch (err) {
      if (process.env.CI === "true") throw err;
      suite.missing = (err as Error).message;
      console.warn(`skipped: ${suite.missing}`);
    }
  }, opts.timeoutMs ?? 60_000);
  afterAll(async () => suite.current?.stop());
  return suite;
}
