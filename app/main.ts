import { addConfigControllers } from "../controllers/config/controller.ts";
import { addDiagnosisRunController } from "../controllers/diagnosisrun/controller.ts";
import { addIncidentProjection } from "../controllers/incident/controller.ts";
import { storeAuditSink } from "../controllers/remediationplan/audit.ts";
import { addRemediationPlanController } from "../controllers/remediationplan/controller.ts";
import { addNotificationController } from "../controllers/notification/controller.ts";
import { addSreTaskController } from "../controllers/sretask/controller.ts";
import type { Database } from "../store/index.ts";
import { openStore, redactDatabaseUrl, storeOptionsFromEnv } from "../store/index.ts";
import { createNotifier, loadWeComEnv, type WeComNotifier } from "../webhooks/wecom/index.ts";
import type { OperatorConfig } from "./config/config.ts";
import type { Logger } from "../logging/logger.ts";
import { Manager } from "../runtime/index.ts";

/** Opens the incident store (running migrations once); the URL's password never reaches a log. */
async function openIncidentStore(logger: Logger): Promise<Database> {
  const options = storeOptionsFromEnv();
  const where = options.databaseUrl ? redactDatabaseUrl(options.databaseUrl) : `PGlite at ${options.dataDir}`;
  const db = await openStore({ ...options, logger });
  logger.info({ store: where }, "Opened incident store");
  return db;
}

/** The WeCom notifier when the app API or a robot is configured; a bad setting is logged, not fatal. */
function wecomNotifier(logger: Logger): WeComNotifier | undefined {
  try {
    return createNotifier(loadWeComEnv(), logger);
  } catch (err) {
    logger.warn({ error: (err as Error).message }, "Skipped WeCom notifications: incomplete configuration");
    return undefined;
  }
}

/** Runs the operator until SIGTERM/SIGINT (exit 0) or a lost lease (exit 1); returns the exit code. */
export async function runOperator(cfg: OperatorConfig, logger: Logger): Promise<number> {
  const mgr = new Manager({
    logger,
    metricsPort: cfg.metricsPort,
    healthPort: cfg.healthPort,
    leaderElection: cfg.leaderElect ? { namespace: cfg.namespace, name: cfg.leaseName } : false,
  });
  const opts = { maxConcurrentReconciles: cfg.maxConcurrentReconciles, namespace: cfg.watchNamespace };
  addSreTaskController(mgr, { ...opts, operatorNamespace: cfg.namespace });
  addDiagnosisRunController(mgr, { namespace: cfg.watchNamespace, operatorNamespace: cfg.namespace });
  addConfigControllers(mgr, cfg.watchNamespace);
  const db = cfg.incidentStore ? await openIncidentStore(logger) : undefined;
  if (db) addIncidentProjection(mgr, db, { namespace: cfg.watchNamespace });
  const notifier = wecomNotifier(logger);
  if (notifier) addNotificationController(mgr, notifier, cfg.watchNamespace);
  addRemediationPlanController(mgr, {
    ...opts,
    operatorNamespace: cfg.namespace,
    ...(db ? { audit: storeAuditSink(db) } : {}),
  });
  logger.info({ namespace: cfg.namespace, watchNamespace: cfg.watchNamespace ?? "*" }, "Starting operator");
  try {
    return await mgr.run();
  } finally {
    await db?.close();
  }
}
