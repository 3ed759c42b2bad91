/**
 * Alert → SreTask, idempotently. A firing alert creates its task (409 AlreadyExists is fine);
 * a resolved alert marks spec.alert resolved (status belongs to the operator) and resolves the
 * incident in the store. An in-process LRU remembers which alert states were already applied,
 * keyed by task, status and startsAt, so a duplicate delivery costs no API call at all; a
 * missing entry only costs a read, and a resolved (or new episode) always has a key of its own,
 * so eviction can never swallow a transition.
 */
import type { Logger } from "pino";
import type { SreTask } from "../../crds/index.ts";
import { isConflict, isNotFound } from "../../kube/kube-api.ts";
import type { KubeClient } from "../../kube/kube-api.ts";
import type { Queryable } from "../../store/index.ts";
import { markResolved } from "../../store/index.ts";
import { alertTaskName } from "../alertmanager/naming.ts";
import type { NamespacePolicy } from "../alertmanager/namespace.ts";
import type { WebhookAlert } from "../alertmanager/schema.ts";
import { SIDECAR_FIELD_MANAGER, listPathOf, pathOf } from "../kube.ts";
import { SRETASK } from "../../crds/resources.ts";
import type { SidecarMetrics } from "../metrics.ts";
import { alertTask, specAlert, startedAfter } from "./alert-spec.ts";
import { LruSet } from "./lru.ts";

/** What an alert did to its task. */
export type AlertOutcome =
  "created" | "existing" | "reopened" | "resolved" | "unchanged" | "absent" | "cached";

/** An alert's task and what happened to it. */
export interface AlertTaskRef {
  fingerprint: string;
  namespace: string;
  name: string;
  outcome: AlertOutcome;
}

export interface AlertTasksDeps {
  client: KubeClient;
  namespaces: NamespacePolicy;
  metrics: SidecarMetrics;
  logger: Logger;
  store?: Queryable;
  /** Alert states remembered; 0 turns deduplication off. */
  cacheSize: number;
}

// An applied state is trusted this long: a task deleted by hand is recreated by a later repeat.
const APPLIED_TTL_MS = 10 * 60_000;
const WRITE = { query: { fieldManager: SIDECAR_FIELD_MANAGER } };

/** Applies alerts to SreTasks. */
export class AlertTasks {
  private readonly deps: AlertTasksDeps;
  private readonly applied: LruSet;
  private readonly inflight = new Map<string, Promise<AlertTaskRef>>();

  constructor(deps: AlertTasksDeps) {
    this.deps = deps;
    this.applied = new LruSet(deps.cacheSize, APPLIED_TTL_MS);
  }

  /** Makes the alert's task reflect the alert; resolves once the task exists (or is marked resolved). */
  async apply(alert: WebhookAlert): Promise<AlertTaskRef> {
    const namespace = await this.deps.namespaces.choose(alert.labels);
    const name = alertTaskName(alert.labels.alertname, alert.fingerprint);
    const key = `${namespace}/${name}|${alert.status}|${alert.startsAt ?? ""}`;
    if (this.applied.has(key)) {
      this.deps.metrics.alertsDeduplicated.inc();
      return { fingerprint: alert.fingerprint, namespace, name, outcome: "cached" };
    }
    // One call per key at a time: concurrent deliveries of one alert share it.
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.run(namespace, name, alert, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async run(
    namespace: string,
    name: string,
    alert: WebhookAlert,
    key: string,
  ): Promise<AlertTaskRef> {
    const ref =
      alert.status === "firing"
        ? await this.ensureFiring(namespace, name, alert)
        : await this.ensureResolved(namespace, name, alert);
    this.deps.metrics.alertTasks.inc({ outcome: ref.outcome });
    if (ref.storeSynced) this.applied.add(key);
    return { fingerprint: ref.fingerprint, namespace: ref.namespace, name: ref.name, outcome: ref.outcome };
  }

  private async ensureFiring(wanted: string, name: string, alert: WebhookAlert): Promise<Applied> {
    const { ns, created } = await this.create(wanted, name, alert);
    const done = (outcome: AlertOutcome): Applied => ({
      fingerprint: alert.fingerprint,
      namespace: ns,
      name,
      outcome,
      storeSynced: true,
    });
    if (created) return done("created");
    const existing = await this.get(ns, name);
    const current = existing?.spec.alert;
    // Deleted between create and get, still open, or an older episode: nothing to change.
    if (!existing || current?.status !== "resolved" || !startedAfter(alert.startsAt, current.startsAt))
      return done("existing");
    // The same fingerprint fires again after it resolved: a new episode reopens the task.
    await this.deps.client.request("PATCH", pathOf(SRETASK, ns, name), {
      ...WRITE,
      contentType: "application/json-patch+json",
      // Replace, not merge: the new episode's annotations must not inherit the old ones.
      body: [{ op: "replace", path: "/spec/alert", value: specAlert(alert) }],
    });
    this.deps.logger.info(
      { namespace: ns, name, fingerprint: alert.fingerprint },
      "Reopened SreTask for a refiring alert",
    );
    return done("reopened");
  }

  /**
   * Creates the task (created false when it already exists) and says in which namespace. A
   * chosen namespace that does not exist falls back to the default one.
   */
  private async create(
    ns: string,
    name: string,
    alert: WebhookAlert,
  ): Promise<{ ns: string; created: boolean }> {
    try {
      await this.deps.client.request("POST", listPathOf(SRETASK, ns), {
        ...WRITE,
        body: alertTask(ns, name, alert),
      });
      return { ns, created: true };
    } catch (err) {
      if (isConflict(err)) return { ns, created: false };
      const fallback = this.deps.namespaces.defaultNamespace;
      if (!isNotFound(err) || ns === fallback) throw err;
      this.deps.logger.warn(
        { namespace: ns, name },
        "Found no namespace for the alert task; used the default one",
      );
      return this.create(fallback, name, alert);
    }
  }

  private async get(ns: string, name: string): Promise<SreTask | undefined> {
    try {
      return await this.deps.client.request<SreTask>("GET", pathOf(SRETASK, ns, name));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The task in ns, else in the default namespace (where a vanished namespace's task went). */
  private async find(ns: string, name: string): Promise<SreTask | undefined> {
    const task = await this.get(ns, name);
    const fallback = this.deps.namespaces.defaultNamespace;
    return task || ns === fallback ? task : this.get(fallback, name);
  }

  private async ensureResolved(wanted: string, name: string, alert: WebhookAlert): Promise<Applied> {
    const task = await this.find(wanted, name);
    const ns = task?.metadata.namespace ?? wanted;
    const result = (outcome: AlertOutcome, storeSynced = true): Applied => ({
      fingerprint: alert.fingerprint,
      namespace: ns,
      name,
      outcome,
      storeSynced,
    });
    if (!task) {
      // Never seen firing (or deleted): no task to mark, but an open incident may remain.
      return result("absent", await this.resolveIncident({ fingerprint: alert.fingerprint }, alert));
    }
    const current = task.spec.alert;
    if (startedAfter(current?.startsAt, alert.startsAt)) return result("unchanged"); // an older episode
    let patched = task;
    if (current?.status !== "resolved") {
      const endsAt = specAlert(alert).endsAt ?? new Date().toISOString();
      patched = await this.deps.client.request<SreTask>("PATCH", pathOf(SRETASK, ns, name), {
        ...WRITE,
        contentType: "application/merge-patch+json",
        body: { spec: { alert: { status: "resolved", endsAt } } },
      });
      this.deps.logger.info(
        { namespace: ns, name, fingerprint: alert.fingerprint },
        "Marked SreTask alert resolved",
      );
    }
    const synced = await this.resolveIncident(
      { taskUid: task.metadata.uid! },
      alert,
      patched.metadata.resourceVersion,
    );
    return result(current?.status === "resolved" ? "unchanged" : "resolved", synced);
  }

  /** markResolved in the store; false (logged, counted) when the store failed: the CR holds the truth. */
  private async resolveIncident(
    ref: { taskUid: string } | { fingerprint: string },
    alert: WebhookAlert,
    resourceVersion?: string,
  ): Promise<boolean> {
    const { store } = this.deps;
    if (!store) return true;
    try {
      await markResolved(store, ref, { resolvedAt: specAlert(alert).endsAt, resourceVersion });
      return true;
    } catch (err) {
      this.deps.metrics.storeErrors.inc({ operation: "markResolved" });
      this.deps.logger.warn(
        { err, fingerprint: alert.fingerprint },
        "Failed to mark incident resolved; the projection will catch up",
      );
      return false;
    }
  }
}

interface Applied extends AlertTaskRef {
  /** False when the store write failed, so a repeat delivery tries it again. */
  storeSynced: boolean;
}
