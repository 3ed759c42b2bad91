import { addDiagnosisRunController } from "../controllers/diagnosisrun/controller.ts";
import { addSreTaskController } from "../controllers/sretask/controller.ts";
import type { OperatorConfig } from "./config/config.ts";
import type { Logger } from "./logging/logger.ts";
import { Manager } from "./runtime/index.ts";

/** Runs the operator until SIGTERM/SIGINT (exit 0) or a lost lease (exit 1); returns the exit code. */
export async function runOperator(cfg: OperatorConfig, logger: Logger): Promise<number> {
  const mgr = new Manager({
    logger,
    metricsPort: cfg.metricsPort,
    healthPort: cfg.healthPort,
    leaderElection: cfg.leaderElect ? { namespace: cfg.namespace, name: cfg.leaseName } : false,
  });
  const opts = { maxConcurrentReconciles: cfg.maxConcurrentReconciles, namespace: cfg.watchNamespace };
  addSreTaskController(mgr, opts);
  addDiagnosisRunController(mgr, { namespace: cfg.watchNamespace });
  logger.info({ namespace: cfg.namespace, watchNamespace: cfg.watchNamespace ?? "*" }, "Starting operator");
  return mgr.run();
}
