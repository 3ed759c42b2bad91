import { monitorEventLoopDelay } from "node:perf_hooks";
import { Gauge, type Registry } from "prom-client";

/** The quantiles exported, as a Prometheus summary would label them ("1" is the maximum). */
const QUANTILES: ReadonlyArray<[string, (h: ReturnType<typeof monitorEventLoopDelay>) => number]> = [
  ["0.5", (h) => h.percentile(50)],
  ["0.99", (h) => h.percentile(99)],
  ["1", (h) => h.max],
];

/**
 * Registers aisre_event_loop_lag_seconds{quantile}: the event-loop delay (perf_hooks
 * monitorEventLoopDelay, 10 ms resolution) since the previous scrape, so a reconcile that
 * blocks the loop shows up even when prom-client's default metrics are off. Returns a stop.
 */
export function registerEventLoopLag(registry: Registry, resolutionMs = 10): () => void {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  new Gauge({
    name: "aisre_event_loop_lag_seconds",
    help: "Event-loop delay since the previous scrape: median, p99 and maximum (quantile 1)",
    labelNames: ["quantile"],
    registers: [registry],
    collect() {
      // An idle window has no samples: report 0 rather than NaN (the histogram's empty value).
      const empty = histogram.count === 0;
      for (const [quantile, read] of QUANTILES)
        this.set({ quantile }, empty ? 0 : Math.max(0, read(histogram) - resolutionMs * 1e6) / 1e9);
      histogram.reset();
    },
  });
  return () => histogram.disable();
}
