import { readFileSync } from "node:fs";
import { parseArgs as parseArgv } from "node:util";
import { diagnose } from "../../../agents/diagnosis/diagnose.ts";
import { canonicalKind } from "../../../agents/diagnosis/focus.ts";
import { renderText } from "../../../agents/diagnosis/render.ts";
import { SnapshotError, parseSnapshot, snapshotView } from "../../../agents/diagnosis/snapshot.ts";
import type { DiagnosisResult, Focus, ResourceRef } from "../../../agents/diagnosis/types.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";

interface Options {
  snapshot?: string;
  output: "json" | "text";
  namespace?: string;
  target?: string;
  prometheus?: string;
}

const OPTIONS = {
  snapshot: { type: "string" },
  output: { type: "string", short: "o" },
  namespace: { type: "string", short: "n" },
  target: { type: "string" },
  prometheus: { type: "string" },
} as const;

type Token = NonNullable<ReturnType<typeof parseArgv>["tokens"]>[number];

/** The value of one option token, or a UsageError naming the option. */
function optionValue(token: Token & { kind: "option" }): string {
  const flag = token.rawName;
  if (!Object.hasOwn(OPTIONS, token.name))
    throw new UsageError(`unknown option '${flag}' (try 'aisre diagnose --help')`);
  // `-o=json` as before parseArgs: the short form's inline value without its "=".
  const value = token.inlineValue && !flag.startsWith("--") ? token.value?.replace(/^=/, "") : token.value;
  if (value === undefined || value === "") throw new UsageError(`${flag} needs a value`);
  return value;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { output: "text" };
  if (process.env.AISRE_PROMETHEUS_URL) opts.prometheus = process.env.AISRE_PROMETHEUS_URL;
  // Not strict: the tokens let every usage error name its option in our own words.
  const { tokens } = parseArgv({ args: argv, options: OPTIONS, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind === "positional") throw new UsageError(`unexpected argument '${token.value}'`);
    if (token.kind === "option-terminator") continue;
    const value = optionValue(token);
    const name = token.name as keyof typeof OPTIONS;
    if (name !== "output") opts[name] = value;
    else if (value === "json" || value === "text") opts.output = value;
    else throw new UsageError(`--output must be json or text, not '${value}'`);
  }
  return opts;
}

/** "Deployment/checkout" (+ --namespace) as a target reference. */
function parseTarget(target: string, namespace: string | undefined): ResourceRef {
  const m = /^([A-Za-z]+)\/([^/]+)$/.exec(target);
  if (!m) throw new UsageError(`--target must be Kind/name, not '${target}'`);
  return { kind: canonicalKind(m[1]!), namespace: namespace ?? "", name: m[2]! };
}

function readSnapshotFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SnapshotError(
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : `cannot read (${code ?? String(err)})`,
    );
  }
}

function print(result: ReturnType<typeof diagnose>, output: Options["output"]): void {
  if (output === "json") {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  console.log(renderText(result, colour));
}

/** An error as one line (no stack, no newlines) for stderr. */
function oneLine(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : "";
  return `${err instanceof Error ? err.message : String(err)}${cause}`.replace(/\s*\n\s*/g, " ");
}

/** Diagnoses the live cluster of the current kubeconfig; undefined (after one stderr line) when unreachable. */
async function diagnoseLive(
  namespace: string,
  target: ResourceRef | undefined,
  prometheusUrl: string | undefined,
): Promise<DiagnosisResult | undefined> {
  // The live path alone needs the Kubernetes client and the Prometheus client: a snapshot
  // diagnosis does not load them (docs/adr/0007-cli-startup.md).
  const [{ KubeConfig }, { apiLister }, { liveView }, { collectMetrics }, { PrometheusClient }] =
    await Promise.all([
      import("@kubernetes/client-node"),
      import("../../../agents/diagnosis/live/api-lister.ts"),
      import("../../../agents/diagnosis/live/view.ts"),
      import("../../../agents/diagnosis/metrics/index.ts"),
      import("../../../tools/prometheus/client.ts"),
    ]);
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (err) {
    const file = process.env.KUBECONFIG ?? "~/.kube/config";
    console.error(`aisre diagnose: cannot load the kubeconfig ${file}: ${oneLine(err)}`);
    return undefined;
  }
  try {
    const metrics = prometheusUrl
      ? await collectMetrics(new PrometheusClient(prometheusUrl), { namespace })
      : undefined;
    const view = await liveView(apiLister(kc, namespace));
    return diagnose(view, target ? { target } : {}, metrics ? { metrics } : {});
  } catch (err) {
    console.error(
      `aisre diagnose: cannot read the cluster at ${kc.getCurrentCluster()?.server ?? "?"}: ${oneLine(err)}`,
    );
    return undefined;
  }
}

export const diagnoseCommand: Command = {
  name: "diagnose",
  summary: "Find the root cause of an incident, in a cluster snapshot or the live cluster",
  usage: [
    "aisre diagnose --snapshot FILE [--output json|text] [--target Kind/name [--namespace NS]]",
    "aisre diagnose --namespace NS [--target Kind/name] [--prometheus URL] [--output json|text]",
    "",
    "  --snapshot FILE   ClusterSnapshot or `kubectl get -o yaml` List, YAML or JSON (docs/diagnosis.md)",
    "  --output FORMAT   json (the diagnosis contract) or text (a report for a person; default)",
    "  --target K/name   start the walk at this resource instead of the snapshot's alert/target",
    "  --namespace NS    namespace of --target",
    "  --prometheus URL  live only: also check error rate, latency, CPU throttling, memory leaks and",
    "                    volumes filling up from this Prometheus (default: $AISRE_PROMETHEUS_URL)",
    "",
    "Exit status: 0 when the diagnosis ran (whatever it found), 2 for bad usage or an unreadable/invalid snapshot.",
    "Live: aisre diagnose --namespace NS [--target Kind/name] [--output json|text] reads the cluster of",
    "the current kubeconfig (KUBECONFIG) instead of a snapshot; exit 1 when the API server cannot be read.",
  ].join("\n"),
  async run(argv) {
    const opts = parseArgs(argv);
    const focusTarget = opts.target ? parseTarget(opts.target, opts.namespace) : undefined;
    if (!opts.snapshot) {
      if (!opts.namespace)
        throw new UsageError("pass --snapshot FILE, or --namespace NS to diagnose the live cluster");
      const result = await diagnoseLive(opts.namespace, focusTarget, opts.prometheus);
      if (result === undefined) return 1;
      print(result, opts.output);
      return 0;
    }
    let snapshot;
    try {
      snapshot = parseSnapshot(readSnapshotFile(opts.snapshot));
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      console.error(`aisre diagnose: ${opts.snapshot}: ${err.message}`);
      return 2;
    }
    const focus: Focus = focusTarget
      ? { target: focusTarget }
      : { alert: snapshot.alert, target: snapshot.target };
    print(diagnose(snapshotView(snapshot), focus), opts.output);
    return 0;
  },
};
