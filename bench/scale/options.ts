// Command-line options of bench/scale.ts.
import path from "node:path";

/** What one bench run does; the defaults are the sizes of issue 16. */
export interface ScaleOptions {
  /** Pod steps, each reached by scaling the same Deployments (replicas = pods / deployments). */
  pods: number[];
  /** Task batches: the first creates tasks[0], each next one tops the total up to tasks[i]. */
  tasks: number[];
  namespaces: number;
  /** Deployments per namespace; one of them crash-loops (1/51 ≈ 2 % of pods at the default). */
  deploymentsPerNamespace: number;
  nodes: number;
  /** The operator under test: a checkout of this repository (default: this one). */
  operatorDir: string;
  /** A checkout of the starting commit measured in the same run (git worktree), or undefined. */
  baselineDir?: string;
  /** Largest task batch the baseline runs (it is ~50x slower). */
  baselineTasks: number;
  /** Concurrency of the bench's own creates (tasks and ConfigMaps alike). */
  concurrency: number;
  workers?: number;
  /** Control-plane state dir (a private one: never the default CI dir). */
  cpDir: string;
  pgDir: string;
  /** kcm/scheduler client qps (hack/control-plane.sh AISRE_CP_KUBE_API_QPS). */
  kubeApiQps: number;
  /** Stop the control plane and PostgreSQL at the end (default true). */
  teardown: boolean;
  /** Also restart once on embedded PGlite to say what it adds (default true). */
  pglite: boolean;
  taskTimeoutMs: number;
}

const HELP = `Usage: node bench/scale.ts [--pods 1000,5000,10000] [--tasks 500,2000] [--namespaces 20]
  [--deployments 51] [--nodes 100] [--operator-dir DIR] [--baseline DIR] [--baseline-tasks 500]
  [--concurrency 32] [--workers N] [--kube-api-qps 200] [--no-pglite] [--keep] [--task-timeout-s 900]
  [--cp-dir /tmp/cp-scale-bench] [--pg-dir /tmp/pg-scale-bench]
Quick run: node bench/scale.ts --pods 1000 --tasks 100`;

function list(raw: string, name: string): number[] {
  const values = raw.split(",").map(Number);
  if (!values.length || values.some((v) => !Number.isInteger(v) || v <= 0))
    throw new Error(`--${name} must be positive integers separated by commas, got ${raw}`);
  return values;
}

/** Parses argv (without node and script); throws naming the bad flag. */
export function parseOptions(argv: string[], repo: string): ScaleOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") {
      console.log(HELP);
      process.exit(0);
    }
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}\n${HELP}`);
    const bool = ["--keep", "--no-pglite"].includes(a);
    flags.set(a.slice(2), bool ? "true" : (argv[++i] ?? ""));
  }
  const num = (name: string, def: number): number => {
    const raw = flags.get(name);
    if (raw === undefined) return def;
    const v = Number(raw);
    if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer, got ${raw}`);
    return v;
  };
  const dir = (name: string): string | undefined => {
    const raw = flags.get(name);
    return raw ? path.resolve(raw) : undefined;
  };
  const known = new Set(HELP.match(/--[a-z-]+/g)!.map((f) => f.slice(2)));
  for (const f of flags.keys()) if (!known.has(f)) throw new Error(`unknown flag --${f}\n${HELP}`);
  return {
    pods: list(flags.get("pods") ?? "1000,5000,10000", "pods"),
    tasks: list(flags.get("tasks") ?? "500,2000", "tasks"),
    namespaces: num("namespaces", 20),
    deploymentsPerNamespace: num("deployments", 51),
    nodes: num("nodes", 100),
    operatorDir: dir("operator-dir") ?? repo,
    baselineDir: dir("baseline"),
    baselineTasks: num("baseline-tasks", 500),
    concurrency: num("concurrency", 32),
    workers: flags.has("workers") ? num("workers", 4) : undefined,
    cpDir: dir("cp-dir") ?? "/tmp/cp-scale-bench",
    pgDir: dir("pg-dir") ?? "/tmp/pg-scale-bench",
    kubeApiQps: num("kube-api-qps", 200),
    teardown: !flags.has("keep"),
    pglite: !flags.has("no-pglite"),
    taskTimeoutMs: num("task-timeout-s", 900) * 1000,
  };
}
