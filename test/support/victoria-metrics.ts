/**
 * A real VictoriaMetrics (Debian's `victoria-metrics` single-node binary) on loopback, loaded
 * with the same OpenMetrics history the Prometheus tests backfill with promtool, through its
 * Prometheus import API, and queried through its Prometheus-compatible query API.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** A running VictoriaMetrics: its base URL (the Prometheus API is at /api/v1/...). */
export interface TestVictoriaMetrics {
  url: string;
  stop(): Promise<void>;
}

const BINARY = process.env.AISRE_VICTORIA_METRICS ?? "victoria-metrics";
const HOW = "apt-get install victoria-metrics";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * OpenMetrics history (seconds timestamps, `# TYPE` lines, `# EOF`) as Prometheus exposition
 * text with millisecond timestamps, which /api/v1/import/prometheus reads; and its sample count.
 */
export function importText(openMetrics: string): { text: string; samples: number; series: number } {
  const lines: string[] = [];
  const series = new Set<string>();
  for (const line of openMetrics.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    const ts = Number(line.slice(cut + 1));
    const head = line.slice(0, cut);
    series.add(head.slice(0, head.lastIndexOf(" ")));
    lines.push(`${head} ${Math.round(ts * 1000)}`);
  }
  return { text: `${lines.join("\n")}\n`, samples: lines.length, series: series.size };
}

async function waitReady(url: string, failed: Promise<never>): Promise<void> {
  const ready = (async () => {
    for (let i = 0; i < 120; i++) {
      const ok = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("victoria-metrics did not become ready in 30 s");
  })();
  await Promise.race([ready, failed]);
}

/** Imports the history and waits until every sample can be read back (export counts them). */
async function load(url: string, openMetrics: string): Promise<void> {
  const { text, samples, series } = importText(openMetrics);
  const res = await fetch(`${url}/api/v1/import/prometheus`, { method: "POST", body: text });
  if (!res.ok) throw new Error(`victoria-metrics import answered ${res.status}: ${await res.text()}`);
  let seen = { samples: 0, series: 0 };
  for (let i = 0; i < 120; i++) {
    // Makes the freshly imported rows searchable now, rather than after the next periodic flush.
    await fetch(`${url}/internal/force_flush`).catch(() => undefined);
    const body = await fetch(
      `${url}/api/v1/export?${new URLSearchParams({ "match[]": '{__name__=~".+"}', start: "0" })}`,
    ).then((r) => r.text());
    const rows = body
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { values: unknown[] });
    seen = { series: rows.length, samples: rows.reduce((n, r) => n + r.values.length, 0) };
    if (seen.series >= series && seen.samples >= samples) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `victoria-metrics holds ${seen.series}/${series} series, ${seen.samples}/${samples} samples after 30 s`,
  );
}

/**
 * Starts VictoriaMetrics with a temp -storageDataPath, optionally loaded with OpenMetrics
 * history; rejects with a one-line reason when the binary is not installed.
 */
export async function startVictoriaMetrics(opts: { history?: string } = {}): Promise<TestVictoriaMetrics> {
  const dir = mkdtempSync(join(tmpdir(), "aisre-vm-"));
  const port = await freePort();
  const proc: ChildProcess = spawn(
    BINARY,
    [
      `-storageDataPath=${join(dir, "data")}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      "-retentionPeriod=100y",
      // Answer with the newest samples at once: by default the last 30 s are hidden and results cached.
      "-search.latencyOffset=0s",
      "-search.disableCache",
      "-loggerLevel=ERROR",
    ],
    { stdio: "ignore" },
  );
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const failed = new Promise<never>((_, reject) => {
    proc.on("error", (err) => reject(new Error(`victoria-metrics not runnable (${HOW}): ${err.message}`)));
    proc.on("exit", (code) => reject(new Error(`victoria-metrics exited with ${code} at start`)));
  });
  failed.catch(() => undefined);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, failed);
    if (opts.history) await load(url, opts.history);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

/** A suite's VictoriaMetrics: `current` once started; `missing` says why it is not (outside CI only). */
export interface SuiteVictoriaMetrics {
  current?: TestVictoriaMetrics;
  missing?: string;
}

/**
 * Starts VictoriaMetrics before the suite's later hooks and stops it after. Under CI=true a
 * missing binary fails the suite; elsewhere tests call ctx.skip() on `missing`, after one line
 * saying how to get it.
 */
export function useVictoriaMetrics(
  opts: { history?: () => string; timeoutMs?: number } = {},
): SuiteVictoriaMetrics {
  const suite: SuiteVictoriaMetrics = {};
  beforeAll(async () => {
    try {
      suite.current = await startVictoriaMetrics(opts.history ? { history: opts.history() } : {});
    } catch (err) {
      if (process.env.CI === "true") throw err;
      suite.missing = (err as Error).message;
      console.warn(`skipped: ${suite.missing}`);
    }
  }, opts.timeoutMs ?? 60_000);
  afterAll(async () => suite.current?.stop());
  return suite;
}
