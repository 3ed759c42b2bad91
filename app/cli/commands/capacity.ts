import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";

const OPTIONS = {
  prometheus: { type: "string" },
  days: { type: "string" },
  horizon: { type: "string" },
  "pool-label": { type: "string", multiple: true },
  output: { type: "string", short: "o" },
} as const;

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 365)
    throw new UsageError(`${flag} must be a whole number of days from 1 to 365, not '${value}'`);
  return n;
}

export const capacityCommand: Command = {
  name: "capacity",
  summary:
    "Forecast days until node pools, nodes, namespace quotas and volumes run out, with right-sizing per workload",
  usage: [
    "aisre capacity [--prometheus URL] [--days N] [--horizon D] [--pool-label LABEL]... [-o text|json]",
    "",
    "  --prometheus URL     Prometheus or VictoriaMetrics to read (default $AISRE_PROMETHEUS_URL)",
    "  --days N             history to fit, in days (default 14)",
    "  --horizon D          text output: only what runs out within D days",
    "  --pool-label LABEL   node label naming a node pool (repeatable; default Karpenter, EKS, GKE, AKS, node-pool)",
    "  -o, --output FORMAT  text (default) or json",
    "",
    "Exit status: 0 reported, 1 Prometheus could not answer any query, 2 bad usage.",
  ].join("\n"),
  async run(argv) {
    let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>["values"];
    try {
      ({ values } = parseArgs({ args: argv, options: OPTIONS }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const url = values.prometheus ?? process.env.AISRE_PROMETHEUS_URL;
    if (!url) throw new UsageError("--prometheus URL (or AISRE_PROMETHEUS_URL) is required");
    const output = values.output ?? "text";
    if (output !== "text" && output !== "json")
      throw new UsageError(`--output must be text or json, not '${output}'`);
    const historyDays = positiveInt("--days", values.days, 14);
    const horizon = values.horizon === undefined ? undefined : positiveInt("--horizon", values.horizon, 30);
    const [{ PrometheusClient }, { collectCapacity }, { renderCapacity }, sizing] = await Promise.all([
      import("../../../tools/prometheus/client.ts"),
      import("../../../agents/capacity/collect.ts"),
      import("../../../agents/capacity/render.ts"),
      import("../../../agents/capacity/right-size-report.ts"),
    ]);
    const prom = new PrometheusClient(url, 30_000);
    const base = await collectCapacity(prom, {
      historyDays,
      ...(values["pool-label"] ? { poolLabels: values["pool-label"] } : {}),
    });
    // Right-sizing comes with the namespace forecasts: what the quota's workloads should ask for.
    const report = await sizing.withRightSizing(prom, base);
    console.log(
      output === "json"
        ? JSON.stringify(report, null, 2)
        : renderCapacity(report, horizon) + sizing.renderRightSizing(report.rightSizing),
    );
    return report.items.length === 0 && report.gaps.length > 0 ? 1 : 0;
  },
};
