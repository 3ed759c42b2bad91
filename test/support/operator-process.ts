import { spawn, type ChildProcess } from "node:child_process";
import type { TestCluster } from "./cluster.ts";

/** An `aisre operator` child process started as a user would, with its captured JSON logs. */
export interface OperatorProcess {
  proc: ChildProcess;
  /** Log lines parsed as JSON (non-JSON lines kept as {msg}). */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line whose msg matches, or rejects after timeoutMs. */
  waitForLog(msg: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or 128+n for a signal). */
  exited: Promise<number>;
}

/** Starts `node bin/aisre.mjs operator` against the test cluster with random ports. */
export function startOperator(cluster: TestCluster, env: Record<string, string> = {}): OperatorProcess {
  const proc = spawn(process.execPath, ["bin/aisre.mjs", "operator"], {
    env: {
      ...process.env,
      KUBECONFIG: cluster.kubeconfigPath,
      AISRE_METRICS_PORT: "0",
      AISRE_HEALTH_PORT: "0",
      AISRE_LOG_LEVEL: "debug",
      // Tests that want the incident store pass DATABASE_URL and AISRE_INCIDENT_STORE=true.
      AISRE_INCIDENT_STORE: "false",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<{ re: RegExp; resolve: (l: Record<string, unknown>) => void }> = [];
  let buffer = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { msg: line };
      }
      logs.push(entry);
      for (const w of [...waiters]) {
        if (w.re.test(String(entry.msg))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
    }
  });
  const exited = new Promise<number>((resolve) =>
    proc.on("exit", (code, signal) => resolve(code ?? (signal === "SIGKILL" ? 137 : 143))),
  );
  const waitForLog = (re: RegExp, timeoutMs = 30_000): Promise<Record<string, unknown>> => {
    const seen = logs.find((l) => re.test(String(l.msg)));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const tail = logs
          .slice(-10)
          .map((l) => JSON.stringify(l))
          .join("\n");
        reject(new Error(`operator did not log ${re} within ${timeoutMs} ms; last lines:\n${tail}`));
      }, timeoutMs);
      waiters.push({
        re,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  };
  return { proc, logs, waitForLog, exited };
}

/** Polls fn until it returns a truthy value, or throws the last error after timeoutMs. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
}

/** Starts the operator on one namespace (watched, its own, no leader election) and waits for its workers. */
export async function startNamespaceOperator(
  cluster: TestCluster,
  namespace: string,
  env: Record<string, string> = {},
): Promise<OperatorProcess> {
  const op = startOperator(cluster, {
    AISRE_WATCH_NAMESPACE: namespace,
    AISRE_NAMESPACE: namespace,
    AISRE_LEADER_ELECT: "false",
    ...env,
  });
  await op.waitForLog(/Started workers/);
  return op;
}

/** Stops an operator with SIGTERM when it still runs, and waits for it to exit. */
export async function stopOperator(op: OperatorProcess | undefined): Promise<void> {
  if (op && op.proc.exitCode === null) op.proc.kill("SIGTERM");
  await op?.exited;
}
