import { Counter } from "prom-client";
import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import { DiagnosisRunPhase } from "../../crds/index.ts";
import type { Manager, Reconciler } from "../../runtime/index.ts";
import { ExponentialRateLimiter, ownerUidIndex } from "../../runtime/index.ts";
import { controllerOwnerOf } from "../../runtime/handlers.ts";
import type { Database } from "../../store/index.ts";
import {
  isTransientStoreError,
  loadProjectionState,
  markDiagnosed,
  recordDiagnosis,
  upsertIncident,
} from "../../store/index.ts";
import { DIAGNOSISRUN, SRETASK } from "../../crds/resources.ts";
import { currentRunName } from "../sretask/episode.ts";
import { diagnosisOf, incidentOf, mirroredByTask } from "./project.ts";
import { recordGroupMembership } from "../../store/incident-groups.ts";
import { groupMembershipOf } from "../storms/project.ts";
import { ProjectionMemory } from "./memory.ts";
import type { ProjectionInput } from "./memory.ts";

const RUN_FINISHED: readonly string[] = [DiagnosisRunPhase.Completed, DiagnosisRunPhase.Failed];

/** Options of the incident projection. */
export interface IncidentProjectionOptions {
  namespace?: string;
  /** Longest wait between retries while the database is down. Default 30 s. */
  maxRetryDelayMs?: number;
}

/** How long a task's changes gather before one projection writes them (docs/scaling.md). */
export const PROJECTION_COALESCE_MS = 1_000;

/**
 * Registers the incident projection: every SreTask (and its finished DiagnosisRuns) is
 * upserted into the incident store, idempotently and guarded by resourceVersion, so a
 * replay or a retry after a database outage writes each row exactly once. While the
 * database is down the CRs hold the state and the workqueue retries with backoff. A
 * reopened task (a new episode, docs/adr/0004) reopens its incident row.
 */
export function addIncidentProjection(
  mgr: Manager,
  db: Database,
  opts: IncidentProjectionOptions = {},
): void {
  const scope = opts.namespace ? { namespace: opts.namespace } : {};
  const tasks = mgr.informer<SreTask>(SRETASK, scope);
  const runs = mgr.informer<DiagnosisRun>(DIAGNOSISRUN, scope);
  runs.addIndex("owner", ownerUidIndex);

  const memory = new ProjectionMemory(() => loadProjectionState(db));
  const projections = new Counter({
    name: "aisre_incident_projections_total",
    help: "SreTask states projected into the incident store: written, or skipped as already stored.",
    labelNames: ["outcome"],
    registers: [mgr.metrics.registry],
  });

  /** The task with its finished runs; only the current episode's run sets the incident's diagnosis. */
  const inputOf = (task: SreTask): ProjectionInput => {
    const uid = task.metadata.uid ?? "";
    const currentName = currentRunName(task);
    const input: ProjectionInput = { task, diagnoses: [] };
    for (const run of runs.byIndex("owner", uid)) {
      const finished = diagnosisOf(run, uid);
      if (!finished) continue;
      input.diagnoses.push(finished);
      if (run.metadata.name === currentName && finished.phase === "Completed") input.current = finished;
    }
    return input;
  };

  const reconcile: Reconciler = async ({ namespace, name }, { logger }) => {
    const key = `${namespace}/${name}`;
    const task = tasks.get(namespace, name);
    if (!task?.metadata.uid) {
      memory.forget(key);
      return;
    }
    const input = inputOf(task);
    try {
      if (await memory.holds(key, input)) {
        projections.inc({ outcome: "skipped" });
        return;
      }
      await upsertIncident(db, incidentOf(task));
      if (task.spec.alert) await recordGroupMembership(db, groupMembershipOf(task));
      // Every episode's finished run joins the diagnosis history (idempotent by run uid).
      for (const finished of input.diagnoses) await recordDiagnosis(db, finished);
      const diagnosis = input.current;
      if (diagnosis)
        await markDiagnosed(db, {
          taskUid: task.metadata.uid,
          diagnosisUid: diagnosis.diagnosisUid,
          resourceVersion: diagnosis.resourceVersion,
          diagnosedAt: diagnosis.completedAt ?? new Date(),
          rootCause: diagnosis.rootCause,
          category: diagnosis.category,
          recommendedActions: diagnosis.recommendedActions,
          diagnosisRef: diagnosis.name,
        });
      memory.remember(key, input);
      projections.inc({ outcome: "written" });
    } catch (err) {
      if (isTransientStoreError(err)) logger.warn({ task: key }, "Incident store unavailable; will retry");
      throw err;
    }
  };

  mgr
    .addController<SreTask>({
      name: "incident-projection",
      for: tasks,
      reconcile,
      maxConcurrentReconciles: 2,
      // A task passes through three or four states (created, accepted and diagnosing, run
      // completed, diagnosed): those within a second of each other cost one projection.
      coalesceMs: PROJECTION_COALESCE_MS,
      rateLimiter: () => new ExponentialRateLimiter(50, opts.maxRetryDelayMs ?? 30_000),
    })
    // Only a finished run is a diagnosis to record (its creation would cost an upsert that
    // changes nothing), and only one its task will not mirror: the mirror's event projects it.
    .owns(runs, { group: SRETASK.group, kind: SRETASK.kind }, (e) => {
      if (!RUN_FINISHED.includes(e.obj.status?.phase ?? "")) return false;
      const owner = controllerOwnerOf(SRETASK.group, SRETASK.kind)(e.obj)[0];
      return !mirroredByTask(e.obj, owner && tasks.get(owner.namespace, owner.name));
    });
}
