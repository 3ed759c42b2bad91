import type { SreTask } from "../../crds/index.ts";
import type { Manager, Reconciler } from "../../runtime/index.ts";
import { objectPath } from "../../runtime/index.ts";
import type { WeComNotifier } from "../../webhooks/wecom/index.ts";
import { SRETASK } from "../../crds/resources.ts";
import {
  NOTIFIED_ANNOTATION,
  notificationFor,
  notifiedKinds,
  notifiedToken,
  notifiedValue,
} from "./events.ts";

/**
 * Registers the WeCom notification controller (leader only, so two replicas never both
 * send): incident opened, diagnosed, awaiting approval, remediated or failed, each once
 * per task episode (a refiring alert notifies again) — the kinds sent are recorded in an
 * annotation after a successful send.
 */
export function addNotificationController(mgr: Manager, notifier: WeComNotifier, namespace?: string): void {
  const tasks = mgr.informer<SreTask>(SRETASK, namespace ? { namespace } : {});
  // The cache can lag behind our own annotation patch; remember what this process sent.
  const sentHere = new Map<string, Set<string>>();

  const reconcile: Reconciler = async ({ namespace: ns, name }, { logger }) => {
    const task = tasks.get(ns, name);
    const uid = `${ns}/${name}`;
    if (!task) return void sentHere.delete(uid);
    const event = notificationFor(task);
    if (!event) return;
    const local = sentHere.get(uid) ?? new Set<string>();
    const sent = [...new Set([...notifiedKinds(task), ...local])];
    const token = notifiedToken(task, event.kind);
    if (sent.includes(token)) return;
    if (!(await notifier.notify(event))) return;
    sentHere.set(uid, local.add(token));
    const value = notifiedValue(task, sent, token);
    await mgr.client.request("PATCH", objectPath(SRETASK, ns, name), {
      contentType: "application/merge-patch+json",
      body: { metadata: { annotations: { [NOTIFIED_ANNOTATION]: value } } },
    });
    logger.info({ task: `${ns}/${name}`, kind: event.kind }, "Notified WeCom");
  };

  mgr.addController<SreTask>({
    name: "wecom-notification",
    for: tasks,
    reconcile,
    maxConcurrentReconciles: 1,
  });
}
