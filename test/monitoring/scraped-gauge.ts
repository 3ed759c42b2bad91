/**
 * A gauge the test controls, scraped by a real Prometheus every second: a tiny HTTP exporter
 * (`/metrics` in the text exposition format) and Debian's prometheus with a config naming it.
 * Flipping the value makes a check's result appear or vanish at the next scrape.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The exporter and its Prometheus. */
export interface ScrapedGauge {
  /** Prometheus' base URL. */
  url: string;
  /** Sets the gauge's value (it is exported as `name{labels} value`). */
  set(value: number): void;
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

/** Starts the exporter and a Prometheus scraping it; rejects with a one-line reason when prometheus is missing. */
export async function startScrapedGauge(name: string, labels: Record<string, string>): Promise<ScrapedGauge> {
  let value = 0;
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");
  const exporter: Server = createHttpServer((_req, res) => {
    res.setHeader("Content-Type", "text/plain; version=0.0.4");
    res.end(`# TYPE ${name} gauge\n${name}{${text}} ${value}\n`);
  });
  await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", r));
  const target = `127.0.0.1:${(exporter.address() as { port: number }).port}`;
  const dir = mkdtempSync(join(tmpdir(), "aisre-monitor-prom-"));
  const port = await freePort();
  const config = join(dir, "prometheus.yml");
  writeFileSync(
    config,
    `global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: gauge\n    static_configs: [{targets: ["${target}"]}]\n`,
  );
  const proc: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: "ignore" },
  );
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    }
    await new Promise((r) => exporter.close(r));
    rmSync(dir, { recursive: true, force: true });
  };
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
  try {
    await Promise.race([ready, failed]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, set: (v) => void (value = v), stop };
}
