import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";

/** A running HTTP server: the port it bound (useful with port 0) and how to close it. */
export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** Options of the metrics server. */
export interface MetricsServerOptions {
  registry: Registry;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  logger?: Logger;
}

/** Serves GET /metrics in the Prometheus text format. */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    opts.registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": opts.registry.contentType }).end(body),
      (err: unknown) => {
        opts.logger?.error({ err }, "Failed to collect metrics");
        res.writeHead(500, { "content-type": "text/plain" }).end("failed to collect metrics\n");
      },
    );
  });
  const running = await listen(server, opts.port, opts.host);
  opts.logger?.info({ port: running.port }, "Serving metrics");
  return running;
}

/** Listens on host:port and returns the bound port and a close that also drops keep-alive connections. */
export async function listen(server: Server, port: number, host = "0.0.0.0"): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
