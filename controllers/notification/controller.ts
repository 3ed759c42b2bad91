import type { AgentConfig, SreTask } from "../../crds/index.ts";
import type { Notification, NotificationRouter } from "../../notify/index.ts";
import { notificationFor } from "../../notify/index.ts";
import type { Manager, Reconciler } from "../../runtime/index.ts";
import { objectPath } from "../../runtime/index.ts";
import { SRETASK } from "../../crds/resources.ts";
import { agentConfigCache, lookupAgentConfig } from "../agentconfig/lookup.ts";
import {
  dueNotification,
  NOTIFIED_ANNOTATION,
  notifiedKinds,
  notifiedToken,
  notifiedValue,
} from "./events.ts";
import { groupingSettings } from "../storms/settings.ts";
import { createStormGate } from "../storms/notify-gate.ts";

/** Options of the notification controller. */
export interface NotificationControllerOptions {
  /** Watch one namespace only. */
  namespace?: string;
  /** Where the fallback AgentConfig `default` lives. Default aisre-system. */
  operatorNamespace?: string;
  /** Called once per notification with its AgentConfig; must return at once (Grafana annotations). */
  annotate?: (event: Notification, config: AgentConfig | undefined) => void;
}

/**
 * Registers the notification controller (leader only, so two replicas never both send):
 * incident opened, diagnosed, awaiting approval, remediated or failed, each once per task
 * episode (a refiring alert notifies again) — the kinds sent are recorded in an annotation
 * after a successful send. The channels are the task's AgentConfig spec.notifications, else the
 * operator-wide default (notify/routing.ts).
 */
export function addNotificationController(
  mgr: Manager,
  router: NotificationRouter,
  opts: NotificationControllerOptions = {},
): void {
  const tasks = mgr.informer<SreTask>(SRETASK, opts.namespace ? { namespace: opts.namespace } : {});
  const configs = agentConfigCache(mgr, opts.namespace);
  // The cache can lag behind our own annotation patch; remember what this process sent.
  const sentHere = new Map<string, Set<string>>();
  // Alert storms (docs/alert-storms.md): members stay silent, a primary speaks once for all.
  const storms = createStormGate(Date.now, (n) => tasks.list(n));

  const reconcile: Reconciler = async ({ namespace: ns, name }, { logger }) => {
    const task = tasks.get(ns, name);
    const uid = `${ns}/${name}`;
    if (!task) return void (sentHere.delete(uid), storms.forget(uid));
    const current = notificationFor(task);
    if (!current) return;
    const local = sentHere.get(uid) ?? new Set<string>();
    const sent = [...new Set([...notifiedKinds(task), ...local])];
    // From the shared cache when it covers the namespaces: a storm's tasks would each cost two GETs.
    const config = await lookupAgentConfig(
      mgr.client,
      {
        namespace: ns,
        refName: task.spec.agentConfigRef?.name,
        operatorNamespace: opts.operatorNamespace ?? "aisre-system",
      },
      configs,
    );
    const event = dueNotification(task, current, sent, groupingSettings(config) !== undefined);
    let token = notifiedToken(task, event.kind);
    if (sent.includes(token) && !storms.mayUpdate(task, sent)) return;
    const gate = storms.decide(task, config, sent, token);
    if (gate.action === "skip") return;
    if (gate.action === "hold") return { requeueAfter: gate.ms };
    event.task = gate.task;
    token = gate.token ?? token;
    opts.annotate?.(event, config);
    const result = await router.send(event, config);
    if (!result.sent || !result.route) return;
    sentHere.set(uid, local.add(token));
    const value = notifiedValue(task, sent, token);
    await mgr.client.request("PATCH", objectPath(SRETASK, ns, name), {
      contentType: "application/merge-patch+json",
      body: { metadata: { annotations: { [NOTIFIED_ANNOTATION]: value, ...gate.annotations } } },
    });
    const route = result.route;
    logger.info(
      {
        task: uid,
        kind: event.kind,
        channels: route.channels.map((c) => c.name),
        via: route.source === "AgentConfig" ? `AgentConfig ${route.agentConfig}` : "operator default",
      },
      "Sent a notification",
    );
  };

  mgr.addController<SreTask>({
    name: "notification",
    for: tasks,
    reconcile,
    maxConcurrentReconciles: 1,
  });
}
