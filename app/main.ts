import {
  configureExternalAutomation,
  kubeAutomationAccess,
} from "../agents/automation/actions/external-automation.ts";
import { addConfigControllers } from "../controllers/config/controller.ts";
import { addDiagnosisRunController } from "../controllers/diagnosisrun/controller.ts";
import { addIncidentProjection } from "../controllers/incident/controller.ts";
import { addCapacityController } from "../controllers/capacity/controller.ts";
import { addMonitoringController } from "../controllers/monitoring/controller.ts";
import { addAnomalyController } from "../controllers/anomaly/controller.ts";
import { addRolloutController } from "../controllers/rollouts/controller.ts";
import { addStormController } from "../controllers/storms/controller.ts";
import {
  auditSinks,
  grafanaAuditSink,
  metricsAuditSink,
  storeAuditSink,
} from "../controllers/remediationplan/audit.ts";
import { addRemediationPlanController } from "../controllers/remediationplan/controller.ts";
import { addSuggestionsController } from "../controllers/suggestions/controller.ts";
import { planHistory } from "../controllers/suggestions/plan-history.ts";
import { addNotificationController } from "../controllers/notification/controller.ts";
import { addSreTaskController } from "../controllers/sretask/controller.ts";
import type { Database } from "../store/index.ts";
import { redactDatabaseUrl, type StoreOptions } from "../store/index.ts";
import { openStoreLazily } from "../store/database.ts";
import { NotificationRouter, kubeSecretReader } from "../notify/index.ts";
import type { NotificationChannel } from "../notify/index.ts";
import { GrafanaAnnotator } from "../notify/grafana/index.ts";
import { DEFAULT_API_BASE, createNotifier, loadWeComEnv, wecomProvider } from "../notify/wecom/index.ts";
import { dingtalkProvider } from "../notify/dingtalk/index.ts";
import { feishuProvider } from "../notify/feishu/index.ts";
import { slackProvider } from "../notify/slack/index.ts";
import type { WeComEnv } from "../notify/wecom/index.ts";
import type { OperatorConfig } from "./config/config.ts";
import type { Logger } from "../logging/logger.ts";
import { Manager } from "../runtime/index.ts";

/**
 * Opens the incident store: PostgreSQL at once (running migrations), embedded PGlite at its
 * first write (docs/scaling.md); the URL's password never reaches a log.
 */
async function openIncidentStore(options: StoreOptions, logger: Logger): Promise<Database> {
  const where = options.databaseUrl ? redactDatabaseUrl(options.databaseUrl) : `PGlite at ${options.dataDir}`;
  const db = await openStoreLazily({ ...options, logger });
  logger.info({ store: where, lazy: !options.databaseUrl }, "Configured incident store");
  return db;
}

/**
 * The notification router: each namespace's AgentConfig spec.notifications, else the
 * operator-wide WeCom channel of the environment (AISRE_WECOM_*) when the app API or a robot is
 * configured; a bad environment setting is logged, not fatal (namespaces can still configure theirs).
 */
function notificationRouter(mgr: Manager, logger: Logger): NotificationRouter {
  let env: WeComEnv;
  try {
    env = loadWeComEnv();
  } catch (err) {
    logger.warn({ error: (err as Error).message }, "Skipped WeCom notifications: incomplete configuration");
    env = { apiBase: DEFAULT_API_BASE, lang: "zh", to: {} };
  }
  const wecom = createNotifier(env, logger);
  const defaults: NotificationChannel[] = wecom ? [wecom] : [];
  logger.info({ defaultChannels: defaults.map((c) => c.name) }, "Configured notifications");
  return new NotificationRouter({
    providers: [
      wecomProvider({ logger, apiBase: env.apiBase, lang: env.lang }),
      dingtalkProvider({ logger }),
      feishuProvider({ logger }),
      slackProvider({ logger }),
    ],
    defaults,
    secrets: kubeSecretReader(mgr.client),
    logger,
  });
}

/** Runs the operator until SIGTERM/SIGINT (exit 0) or a lost lease (exit 1); returns the exit code. */
export async function runOperator(cfg: OperatorConfig, logger: Logger): Promise<number> {
  const mgr = new Manager({
    logger,
    metricsPort: cfg.metricsPort,
    healthPort: cfg.healthPort,
    leaderElection: cfg.leaderElect ? { namespace: cfg.namespace, name: cfg.leaseName } : false,
    memoryRelease: cfg.memoryReleaseIdleSeconds > 0 && { idleMs: cfg.memoryReleaseIdleSeconds * 1000 },
  });
  const opts = { maxConcurrentReconciles: cfg.maxConcurrentReconciles, namespace: cfg.watchNamespace };
  // Opened first: the DiagnosisRun controller recalls similar incidents from it.
  const db = cfg.incidentStore ? await openIncidentStore(cfg.store, logger) : undefined;
  addSreTaskController(mgr, { ...opts, operatorNamespace: cfg.namespace });
  addDiagnosisRunController(mgr, {
    ...opts,
    operatorNamespace: cfg.namespace,
    eventBounds: cfg.eventBounds,
    store: db,
  });
  addConfigControllers(mgr, cfg.watchNamespace, cfg.namespace);
  addMonitoringController(mgr, { namespace: cfg.watchNamespace });
  addAnomalyController(mgr, { namespace: cfg.watchNamespace });
  addRolloutController(mgr, { namespace: cfg.watchNamespace });
  addStormController(mgr, { namespace: cfg.watchNamespace, operatorNamespace: cfg.namespace });
  addCapacityController(mgr, { namespace: cfg.watchNamespace, operatorNamespace: cfg.namespace, store: db });
  if (db)
    addSuggestionsController(mgr, db, { namespace: cfg.watchNamespace, operatorNamespace: cfg.namespace });
  if (db) addIncidentProjection(mgr, db, { namespace: cfg.watchNamespace });
  const grafana = new GrafanaAnnotator({ secrets: kubeSecretReader(mgr.client), logger });
  addNotificationController(mgr, notificationRouter(mgr, logger), {
    namespace: cfg.watchNamespace,
    operatorNamespace: cfg.namespace,
    annotate: (event, config) => grafana.incident(event, config),
  });
  configureExternalAutomation(kubeAutomationAccess(mgr.kubeConfig, cfg.namespace));
  addRemediationPlanController(mgr, {
    ...opts,
    operatorNamespace: cfg.namespace,
    audit: auditSinks(
      db ? storeAuditSink(db) : undefined,
      grafanaAuditSink(grafana, mgr.client, cfg.namespace),
      metricsAuditSink(mgr.metrics.registry),
    ),
    history: db ? planHistory(db) : undefined,
  });
  logger.info({ namespace: cfg.namespace, watchNamespace: cfg.watchNamespace ?? "*" }, "Starting operator");
  try {
    return await mgr.run();
  } finally {
    await db?.close();
  }
}
