/**
 * A gauge the test controls, scraped by a real Prometheus every second: a tiny HTTP exporter
 * (`/metrics` in the text exposition format) and Debian's prometheus (test/support/prometheus.ts)
 * with a config naming it. Flipping the value makes a check's result appear or vanish at the
 * next scrape.
 */
import { createServer, type Server } from "node:http";
import { startPrometheus } from "../support/prometheus.ts";

/** The exporter and its Prometheus. */
export interface ScrapedGauge {
  /** Prometheus' base URL. */
  url: string;
  /** Sets the gauge's value (it is exported as `name{labels} value`). */
  set(value: number): void;
  stop(): Promise<void>;
}

/** Starts the exporter and a Prometheus scraping it; rejects with a one-line reason when prometheus is missing. */
export async function startScrapedGauge(name: string, labels: Record<string, string>): Promise<ScrapedGauge> {
  let value = 0;
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");
  const exporter: Server = createServer((_req, res) => {
    res.setHeader("Content-Type", "text/plain; version=0.0.4");
    res.end(`# TYPE ${name} gauge\n${name}{${text}} ${value}\n`);
  });
  await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", r));
  const closeExporter = () => new Promise((r) => exporter.close(r));
  const target = `127.0.0.1:${(exporter.address() as { port: number }).port}`;
  let prom;
  try {
    prom = await startPrometheus({ targets: [target] });
  } catch (err) {
    await closeExporter();
    throw err;
  }
  return {
    url: prom.url,
    set: (v) => void (value = v),
    async stop() {
      await prom.stop();
      await closeExporter();
    },
  };
}
