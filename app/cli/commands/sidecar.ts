import { readFileSync } from "node:fs";
import { buildSidecar } from "../../../webhooks/server.ts";
import type { SidecarPlugin } from "../../../webhooks/server.ts";
import { ConfigError, ENV_HELP, loadConfig } from "../../../webhooks/config.ts";
import { loadKubeConfig, sidecarKube } from "../../../webhooks/kube.ts";
import { wecomFromEnv } from "../../../webhooks/plugins.ts";
import { openStore, redactDatabaseUrl } from "../../../store/index.ts";
import type { Database } from "../../../store/index.ts";
import { createLogger } from "../../../logging/logger.ts";
import { onShutdownSignals } from "../../../runtime/signals.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";

const USAGE = [
  "aisre sidecar [--port N] [--host ADDR] [--namespace NS] [--kubeconfig FILE]",
  "",
  "Serves POST /alerts/alertmanager, /api/v1 (REST + SSE, Kubernetes RBAC), /openapi.json,",
  "/healthz, /readyz and /metrics; /wecom/callback when WeCom is configured. SIGTERM drains.",
  "",
  "Environment (flags win):",
  ...ENV_HELP.map(([name, help]) => `  ${name.padEnd(32)} ${help}`),
].join("\n");

function config(argv: string[]) {
  try {
    return loadConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

function plugins(): SidecarPlugin[] {
  try {
    const wecom = wecomFromEnv();
    return wecom ? [wecom] : [];
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * AISRE_TLS_CERT_FILE and AISRE_TLS_KEY_FILE (PEM, e.g. a mounted kubernetes.io/tls Secret):
 * both or neither; with them the sidecar serves HTTPS.
 */
export function tlsFromEnv(env: NodeJS.ProcessEnv = process.env): { cert: Buffer; key: Buffer } | undefined {
  const cert = env.AISRE_TLS_CERT_FILE?.trim();
  const key = env.AISRE_TLS_KEY_FILE?.trim();
  if (!cert && !key) return undefined;
  if (!cert || !key)
    throw new UsageError("AISRE_TLS_CERT_FILE and AISRE_TLS_KEY_FILE must be set together (HTTPS)");
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new UsageError(`${name}: cannot read ${file}: ${(err as Error).message}`);
    }
  };
  return { cert: read("AISRE_TLS_CERT_FILE", cert), key: read("AISRE_TLS_KEY_FILE", key) };
}

export const sidecarCommand: Command = {
  name: "sidecar",
  summary: "Run the webhook and REST sidecar (Alertmanager, REST, SSE, WeCom)",
  usage: USAGE,
  async run(argv) {
    const cfg = config(argv);
    const extra = plugins();
    const https = tlsFromEnv();
    const logger = createLogger("sidecar");
    const kube = sidecarKube(loadKubeConfig(cfg.kubeconfig));
    let store: Database | undefined;
    if (cfg.databaseUrl) {
      // The operator applies migrations; the sidecar only reads and marks incidents resolved.
      store = await openStore({ databaseUrl: cfg.databaseUrl, migrate: false, logger });
      logger.info({ url: redactDatabaseUrl(cfg.databaseUrl) }, "Connected the incident store");
    }
    const app = await buildSidecar({ kube, config: cfg, logger, store, plugins: extra, https });
    await app.listen({ port: cfg.port, host: cfg.host });
    logger.info(
      {
        port: cfg.port,
        host: cfg.host,
        namespace: cfg.namespace,
        tls: https !== undefined,
        tokenAudience: cfg.tokenAudience,
      },
      "Started sidecar",
    );
    return new Promise<number>((resolve) => {
      const off = onShutdownSignals(process, (signal, count) => {
        if (count > 1) {
          logger.warn({ signal }, "Received a second signal; exited without draining");
          resolve(130);
          return;
        }
        logger.info({ signal }, "Received shutdown signal; draining");
        void app
          .close()
          .then(() => store?.close())
          .then(
            () => {
              off();
              logger.info("Stopped sidecar");
              resolve(0);
            },
            (err: unknown) => {
              logger.error({ err }, "Failed to shut down cleanly");
              resolve(1);
            },
          );
      });
    });
  },
};
