// CLI start-up benchmark: wall time and peak RSS (medians of 5 runs) of `aisre version`,
// `aisre diagnose --snapshot` on the largest scenario of the corpus and, with a kubeconfig,
// `aisre diagnose --namespace` (against k8sgpt when it is on the PATH), next to a bare
// `node -e 0` measured in the same run. Each line prints the figure, its target and PASS/MISS.
// Usage: node bench/cli.ts [--runs 5] [--root DIR]   (DIR: another checkout to measure)
// Live: KUBECONFIG=... [AISRE_BENCH_NAMESPACE=default] node bench/cli.ts
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "5" }, root: { type: "string" } },
});
const RUNS = Number(values.runs);
const root = resolve(values.root ?? fileURLToPath(new URL("..", import.meta.url)));
const aisre = join(root, "bin/aisre.mjs");
/** About 100 objects: the largest snapshot of the scenario corpus (78 objects, 3 namespaces). */
const SNAPSHOT = join(root, "test/fixtures/scenarios/healthy/eks-shop-steady-state.yaml");
const GNU_TIME = "/usr/bin/time";

interface Sample {
  seconds: number;
  mb: number;
}

/** One run: wall time around the child, peak RSS from GNU time (or the child's own report). */
function once(cmd: string, args: string[]): Sample {
  const t0 = performance.now();
  const r = existsSync(GNU_TIME)
    ? spawnSync(GNU_TIME, ["-f", "AISRE_MAXRSS_KB=%M", cmd, ...args], { encoding: "utf8" })
    : spawnSync(cmd, ["--import", REPORT_RSS, ...args], { encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  const kb = /AISRE_MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1];
  if (!kb) throw new Error(`${cmd} ${args.join(" ")}: no peak RSS reported`);
  return { seconds, mb: Number(kb) / 1024 };
}
// Without GNU time a Node child reports its own peak RSS (process.resourceUsage) on exit.
const REPORT_RSS = `data:text/javascript,process.on("exit",()=>process.stderr.write("AISRE_MAXRSS_KB="+process.resourceUsage().maxRSS+"\\n"))`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(cmd: string, args: string[]): Sample {
  once(cmd, args); // warm the page cache (and the compile cache, if any) first
  const samples = Array.from({ length: RUNS }, () => once(cmd, args));
  return { seconds: median(samples.map((s) => s.seconds)), mb: median(samples.map((s) => s.mb)) };
}

function line(what: string, s: Sample, target: string, pass: boolean): void {
  const figure = `${s.seconds.toFixed(3)} s ${s.mb.toFixed(0).padStart(4)} MB`;
  console.log(
    `${what.padEnd(34)} ${figure.padEnd(18)} target ${target.padEnd(30)} ${pass ? "PASS" : "MISS"}`,
  );
}

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const file = join(dir, bin);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

const node = process.execPath;
console.log(`node ${process.version}, ${RUNS} runs each (medians), root ${root}`);
const bare = measure(node, ["-e", "0"]);
line("node -e 0", bare, "(baseline)", true);

const version = measure(node, [aisre, "version"]);
const versionMax = 5 * bare.seconds;
line(
  "aisre version",
  version,
  `<= ${versionMax.toFixed(3)} s (5x), <= 80 MB`,
  version.seconds <= versionMax && version.mb <= 80,
);

const snapshot = measure(node, [aisre, "diagnose", "--snapshot", SNAPSHOT, "--output", "json"]);
line(
  "aisre diagnose --snapshot (78 obj)",
  snapshot,
  "<= 0.300 s, <= 120 MB",
  snapshot.seconds <= 0.3 && snapshot.mb <= 120,
);

const k8sgpt = onPath("k8sgpt");
if (!k8sgpt) console.log("k8sgpt: not found");
if (!process.env.KUBECONFIG) {
  console.log("aisre diagnose --namespace: skipped (KUBECONFIG is unset)");
} else {
  const ns = process.env.AISRE_BENCH_NAMESPACE ?? "default";
  const live = measure(node, [aisre, "diagnose", "--namespace", ns, "--output", "json"]);
  if (k8sgpt) {
    // k8sgpt's analyzers alone (no AI backend): the same kind of work as a live diagnosis.
    const theirs = measure(k8sgpt, ["analyze", "--namespace", ns, "--output", "json"]);
    line(`k8sgpt analyze --namespace ${ns}`, theirs, "(comparison)", true);
    line(
      `aisre diagnose --namespace ${ns}`,
      live,
      `<= k8sgpt ${theirs.seconds.toFixed(3)} s`,
      live.seconds <= theirs.seconds,
    );
  } else {
    line(
      `aisre diagnose --namespace ${ns}`,
      live,
      "<= 1.000 s, <= 150 MB",
      live.seconds <= 1 && live.mb <= 150,
    );
  }
}
