import { createServer } from "node:http";
import type { Logger } from "pino";
import { listen, type RunningServer } from "../metrics/server.ts";

/** A named health check; false or a throw means failing. */
export type Check = () => boolean | Promise<boolean>;

/** Options of the health server. */
export interface HealthServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Checks behind /healthz and /livez (is the process alive?). */
  liveness?: Record<string, Check>;
  /** Checks behind /readyz (should it receive work / count as available?). */
  readiness?: Record<string, Check>;
  logger?: Logger;
}

/** The running health server; checks can be added after start. */
export interface HealthServer extends RunningServer {
  addLivenessCheck(name: string, check: Check): void;
  addReadinessCheck(name: string, check: Check): void;
}

/**
 * Serves /healthz, /livez and /readyz like the API server does: 200 "ok" when every
 * check passes, otherwise 503 listing "[+]name ok" / "[-]name failed" (also on ?verbose).
 */
export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const liveness = new Map(Object.entries(opts.liveness ?? {}));
  const readiness = new Map(Object.entries(opts.readiness ?? {}));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const checks =
      url.pathname === "/readyz"
        ? readiness
        : ["/healthz", "/livez"].includes(url.pathname)
          ? liveness
          : undefined;
    if (req.method !== "GET" || !checks) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    void evaluate(checks).then(({ ok, lines }) => {
      const verbose = url.searchParams.has("verbose");
      const body = ok && !verbose ? "ok\n" : `${lines.join("\n")}\n${ok ? "check passed" : "check failed"}\n`;
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain; charset=utf-8" }).end(body);
    });
  });
  const running = await listen(server, opts.port, opts.host);
  opts.logger?.info({ port: running.port }, "Serving health probes");
  return {
    ...running,
    addLivenessCheck: (name, check) => void liveness.set(name, check),
    addReadinessCheck: (name, check) => void readiness.set(name, check),
  };
}

async function evaluate(checks: Map<string, Check>): Promise<{ ok: boolean; lines: string[] }> {
  const results = await Promise.all(
    [...checks].map(async ([name, check]) => {
      const passed = await Promise.resolve()
        .then(check)
        .catch(() => false);
      return { name, passed };
    }),
  );
  return {
    ok: results.every((r) => r.passed),
    lines: results.map((r) => (r.passed ? `[+]${r.name} ok` : `[-]${r.name} failed`)),
  };
}
