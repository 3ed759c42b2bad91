import { ConfigError, operatorConfigFromEnv } from "../../config/config.ts";
import { createLogger } from "../../../logging/logger.ts";
import { runOperator } from "../../main.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";

export const operatorCommand: Command = {
  name: "operator",
  summary: "Run the controllers (SreTask, DiagnosisRun, RemediationPlan, ...) with leader election",
  usage: `aisre operator

Environment:
  KUBECONFIG                        kubeconfig outside a cluster (default: in-cluster service account)
  AISRE_NAMESPACE                   operator namespace: Lease and fallback AgentConfig (default aisre-system)
  AISRE_WATCH_NAMESPACE             watch one namespace only (default: all)
  AISRE_METRICS_PORT                /metrics port, 0 = any free port, off = disabled (default 8080)
  AISRE_HEALTH_PORT                 /healthz and /readyz port (default 8081)
  AISRE_LEADER_ELECT                true/false (default true; Lease AISRE_LEASE_NAME, default aisre-operator)
  AISRE_MAX_CONCURRENT_RECONCILES   workers per controller (default 4)
  AISRE_INCIDENT_STORE              project tasks into the incident store (default true)
  AISRE_MEMORY_RELEASE_IDLE_SECONDS give freed heap back after this many idle seconds (default 5, 0 = never)
  DATABASE_URL                      PostgreSQL for the incident store (default: embedded PGlite)
  AISRE_DATA_DIR                    PGlite data directory when DATABASE_URL is unset (default ./.aisre/pgdata)
  AISRE_LOG_LEVEL                   pino level (default info); JSON logs on stderr`,
  async run(argv) {
    if (argv.length > 0)
      throw new UsageError(`unexpected argument '${argv[0]}' (configure with environment variables)`);
    let cfg;
    try {
      cfg = operatorConfigFromEnv();
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(err.message);
      throw err;
    }
    return runOperator(cfg, createLogger("operator"));
  },
};
