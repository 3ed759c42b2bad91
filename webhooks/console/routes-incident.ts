/**
 * GET /console/api/incidents/:id: one incident with everything the detail page shows — the
 * alert, the root cause (with what changed), findings, impact, recommendations, runbooks, the
 * diagnosis history, similar incidents, the task and the plan with its audit. 404 both when the
 * incident does not exist and when the user may not get its SreTask, so existence never leaks.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import { APPROVE_VERB } from "../../crds/approval.ts";
import { DIAGNOSISRUN, REMEDIATIONPLAN, SRETASK } from "../../crds/resources.ts";
import type { Diagnosis, Incident, IncidentDetail, Queryable, RemediationAction } from "../../store/index.ts";
import { getIncident, similarIncidents } from "../../store/index.ts";
import type { UserInfo } from "../auth/kube-auth.ts";
import { HttpError } from "../errors.ts";
import { pathOf } from "../kube.ts";
import type { ConsoleDeps } from "./deps.ts";
import { storeError, storeOf } from "./deps.ts";
import { sessionOf } from "./session-guard.ts";
import { planView } from "./views.ts";

/** The list fields of an incident. */
export const incidentSummary = (i: Incident) => ({
  id: i.id,
  namespace: i.taskNamespace,
  task: i.taskName,
  alertname: i.alertname,
  severity: i.severity,
  category: i.category,
  status: i.status,
  summary: i.summary,
  openedAt: i.openedAt,
  resolvedAt: i.resolvedAt,
  diagnosedAt: i.diagnosedAt,
  target: i.target,
});

/** Reads with the sidecar's credentials; undefined when absent or not readable by the sidecar. */
async function readQuietly<T>(deps: ConsoleDeps, path: string): Promise<T | undefined> {
  try {
    return await deps.kube.client.request<T>("GET", path);
  } catch (err) {
    deps.logger.debug({ path, err: (err as Error).message }, "Skipped an object the console could not read");
    return undefined;
  }
}

async function planOf(
  deps: ConsoleDeps,
  user: UserInfo,
  namespace: string,
  name: string | null | undefined,
  audit: RemediationAction[],
) {
  if (!name) return null;
  const check = { resource: REMEDIATIONPLAN.plural, namespace, name };
  if (!(await deps.access.can(user, { verb: "get", ...check }))) return null;
  const plan = await deps.gateway.getPlan(namespace, name).catch(() => undefined);
  if (!plan) return null;
  return planView(plan, await deps.access.can(user, { verb: APPROVE_VERB, ...check }), audit);
}

function history(detail: IncidentDetail): { diagnoses: Diagnosis[]; actions: RemediationAction[] } {
  const diagnoses: Diagnosis[] = [];
  const actions: RemediationAction[] = [];
  for (const e of detail.timeline) {
    if (e.kind === "diagnosis") diagnoses.push(e.diagnosis);
    if (e.kind === "action") actions.push(e.action);
  }
  return { diagnoses, actions };
}

/** Registers the incident detail route. */
export const incidentRoutes: FastifyPluginAsync<ConsoleDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/incidents/:id",
    { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
    async (request) => {
      const user = sessionOf(request).user;
      const store = storeOf(deps);
      const detail = await getIncident(store, { id: request.params.id }).catch(storeError);
      const notFound = new HttpError(404, `incident ${request.params.id} not found`);
      if (!detail) throw notFound;
      const { taskNamespace: namespace, taskName: name } = detail.incident;
      const taskCheck = { verb: "get", resource: SRETASK.plural, namespace, name };
      if (!(await deps.access.can(user, taskCheck))) throw notFound;

      return assemble(deps, user, detail, store);
    },
  );
};

async function similarOf(deps: ConsoleDeps, user: UserInfo, store: Queryable, incident: Incident) {
  const readable = new Set(await deps.access.readable(user));
  const similar = await similarIncidents(store, {
    id: incident.id,
    fingerprint: incident.fingerprint,
    category: incident.category,
    namespace: incident.namespace,
    target: incident.target,
  }).catch(storeError);
  return similar
    .filter((s) => readable.has(s.incident.taskNamespace))
    .map((s) => ({ ...incidentSummary(s.incident), match: s.match }));
}

/** The detail page's answer: the store's rows joined with the task, its run and its plan. */
async function assemble(deps: ConsoleDeps, user: UserInfo, detail: IncidentDetail, store: Queryable) {
  const { incident } = detail;
  const ns = incident.taskNamespace;
  const task = await deps.gateway.getTask(ns, incident.taskName).catch(() => undefined);
  const status = task?.status ?? {};
  const run = await runOf(deps, ns, status.diagnosisRunRef?.name ?? incident.diagnosisRef);
  const { diagnoses, actions } = history(detail);
  const latest = diagnoses.at(-1);
  return {
    incident: incidentSummary(incident),
    alert: alertOf(task, incident),
    ...diagnosisParts(run, latest, incident),
    rootCause: status.rootCause ?? run?.status?.rootCause ?? storedRootCause(incident, latest),
    history: diagnoses,
    timeline: detail.timeline,
    similar: await similarOf(deps, user, store, incident),
    task: { namespace: ns, name: incident.taskName, phase: status.phase ?? null },
    plan: await planOf(deps, user, ns, status.remediationPlanRef?.name ?? incident.planRef, actions),
  };
}

/** The task's DiagnosisRun, when it has one the sidecar can read. */
async function runOf(deps: ConsoleDeps, ns: string, name: string | null | undefined) {
  return name ? readQuietly<DiagnosisRun>(deps, pathOf(DIAGNOSISRUN, ns, name)) : undefined;
}

/** What the diagnosis found: from the DiagnosisRun when readable, else the stored history. */
function diagnosisParts(run: DiagnosisRun | undefined, latest: Diagnosis | undefined, incident: Incident) {
  const rs = run?.status ?? {};
  return {
    findings: rs.findings ?? latest?.findings ?? [],
    impact: rs.impact ?? null,
    recommendations: rs.recommendations ?? latest?.recommendedActions ?? incident.recommendedActions,
    runbooks: rs.runbooks ?? [],
    explanation: rs.explanation ?? null,
    evidenceGaps: rs.evidenceGaps ?? [],
  };
}

function alertOf(task: SreTask | undefined, incident: Incident) {
  if (task?.spec.alert) return task.spec.alert;
  if (!incident.alertname && !incident.fingerprint) return null;
  return {
    labels: { alertname: incident.alertname ?? "", severity: incident.severity ?? "" },
    fingerprint: incident.fingerprint,
    annotations: { summary: incident.summary ?? "" },
    startsAt: incident.openedAt,
  };
}

/** The root cause as the store has it, when the task is gone. */
function storedRootCause(incident: Incident, latest: Diagnosis | undefined) {
  const summary = incident.rootCause ?? latest?.rootCause;
  if (!summary) return null;
  return {
    summary,
    category: incident.category ?? latest?.category ?? null,
    confidence: latest?.confidence ?? null,
    resource: incident.target,
  };
}
