// CPU seconds each process of the machine spent between two samples (/proc/PID/stat utime+stime),
// grouped by program: says which part of the stack (API server, etcd, kwok, operator, database)
// a task burst costs, on a machine where they all share the same cores.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Clock ticks per process, keyed by pid, with the program's name. */
export type CpuSample = Map<string, { ticks: number; program: string }>;

const TICKS_PER_SECOND = 100;

function programOf(pid: string): string {
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  // PostgreSQL backends rename themselves ("postgres: user db host state"): one program.
  const exe = path.basename(argv[0] ?? "?").split(/[: ]/)[0] || "?";
  // node processes are told apart by their script (the operator, the bench, a test runner).
  const script = exe === "node" ? argv.slice(1).find((a) => !a.startsWith("-")) : undefined;
  return script ? `node ${script.split("/").slice(-2).join("/")}` : exe;
}

/** Reads every process's CPU ticks so far. */
export function cpuSample(): CpuSample {
  const out: CpuSample = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(pid, { ticks: Number(fields[11]) + Number(fields[12]), program: programOf(pid) });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

/** CPU seconds per program between two samples, largest first (programs above 0.1 s). */
export function cpuBetween(before: CpuSample, after: CpuSample): [string, number][] {
  const byProgram = new Map<string, number>();
  for (const [pid, { ticks, program }] of after) {
    const spent = (ticks - (before.get(pid)?.ticks ?? 0)) / TICKS_PER_SECOND;
    byProgram.set(program, (byProgram.get(program) ?? 0) + spent);
  }
  return [...byProgram].filter(([, s]) => s >= 0.1).sort((a, b) => b[1] - a[1]);
}
