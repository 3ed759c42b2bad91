/**
 * One incident: the alert, the root cause with what changed and its evidence, impact, findings,
 * recommendations, runbooks, history, the plan with dry run and audit steps, and the task's
 * live progress while the investigation runs (the page reloads when the stream says done).
 */
import { useEffect, useState } from "react";
import { Alert, Space, Typography } from "antd";
import type { IncidentDetail as Detail, Finding, Plan, RootCause } from "../api/types.ts";
import { useApi } from "../api/useApi.ts";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { PlanCard } from "../components/PlanCard.tsx";
import { Progress } from "../components/Progress.tsx";
import { PhaseTag, SeverityTag, StatusTag } from "../components/Tags.tsx";
import { useI18n } from "../i18n/index.tsx";
import type { Route } from "../route.ts";
import { hrefOf } from "../route.ts";
import { useTaskStream } from "../sse/useTaskStream.ts";
import {
  AlertSection,
  ContextSections,
  FindingsSection,
  RecommendationsSection,
  RootCauseSection,
} from "./incident/Sections.tsx";

/** Task phases after which the investigation has nothing more to stream (the server's DONE_PHASES). */
const DONE = new Set(["Diagnosed", "AwaitingApproval", "Succeeded", "Failed", "Resolved"]);

/** The evidence of the root cause: the evidence of the findings on its resource. */
function evidenceOf(rootCause: RootCause | null | undefined, findings: Finding[]): string[] {
  const r = rootCause?.resource;
  if (!r) return [];
  const onCause = (f: Finding) =>
    f.resource?.kind === r.kind && f.resource?.name === r.name && f.category === rootCause.category;
  return findings.filter(onCause).flatMap((f) => f.evidence ?? []);
}

/** How long a diagnosed incident is re-read while its plan may still be proposed. */
const PLAN_WAIT_MS = 120_000;
const PLAN_POLL_MS = 5_000;

/** Re-reads a diagnosed incident without a plan for a while: the plan follows the diagnosis. */
function usePlanWait(d: Detail, reload: () => void): void {
  const waiting = d.task?.phase === "Diagnosed" && !d.plan;
  useEffect(() => {
    if (!waiting) return;
    const until = Date.now() + PLAN_WAIT_MS;
    const timer = setInterval(() => {
      if (Date.now() > until) clearInterval(timer);
      else reload();
    }, PLAN_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, reload]);
}

function Notes({ detail }: { detail: Detail }) {
  const { t } = useI18n();
  return (
    <>
      {detail.explanation && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title={t("incident.explanation")}
          description={detail.explanation}
        />
      )}
      {detail.evidenceGaps && detail.evidenceGaps.length > 0 && (
        <Alert
          type="warning"
          style={{ marginBottom: 16 }}
          title={t("incident.evidenceGaps")}
          description={detail.evidenceGaps.join("; ")}
        />
      )}
    </>
  );
}

function Heading({ detail, phase }: { detail: Detail; phase: string | undefined }) {
  const { t } = useI18n();
  const i = detail.incident;
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <SeverityTag value={i.severity} />
      <StatusTag value={i.status} />
      <Typography.Text>{`${i.namespace} · ${t("incident.task")} ${i.task}`}</Typography.Text>
      <PhaseTag value={phase ?? detail.task?.phase} />
      {i.summary && <Typography.Text>{i.summary}</Typography.Text>}
    </Space>
  );
}

function PlanPart({ detail }: { detail: Detail }) {
  const { t } = useI18n();
  const [plan, setPlan] = useState<Plan | null | undefined>(undefined);
  useEffect(() => setPlan(detail.plan), [detail]);
  if (!plan) return <Typography.Paragraph>{t("incident.noPlan")}</Typography.Paragraph>;
  return <PlanCard plan={plan} onDecided={(p) => setPlan({ ...plan, ...p })} />;
}

/** The task to follow live: the incident's task while its investigation runs. */
function liveTask(d: Detail | undefined): { namespace?: string; name?: string } {
  const task = d?.task;
  return task && !DONE.has(task.phase ?? "") ? task : {};
}

function Body({ data, reload }: { data: Detail; reload: () => void }) {
  const live = liveTask(data);
  const progress = useTaskStream(live.namespace, live.name);
  useEffect(() => {
    if (progress.finished) reload();
  }, [progress.finished, reload]);
  usePlanWait(data, reload);
  const rootCause = data.rootCause ?? progress.rootCause;
  const findings = data.findings?.length ? data.findings : progress.findings;
  return (
    <>
      <Heading detail={data} phase={progress.phase} />
      {live.name && <Progress progress={progress} />}
      <RootCauseSection rootCause={rootCause} evidence={evidenceOf(rootCause, findings)} />
      <Notes detail={data} />
      <AlertSection alert={data.alert} />
      <FindingsSection findings={findings} />
      <RecommendationsSection items={data.recommendations} />
      <PlanPart detail={data} />
      <ContextSections detail={data} />
    </>
  );
}

/** The incident detail page. */
export default function IncidentDetail({ route }: { route: Route }) {
  const { t } = useI18n();
  const { data, error, reload } = useApi<Detail>(`/incidents/${encodeURIComponent(route.id ?? "")}`);
  const i = data?.incident;
  return (
    <div data-testid="page-incident">
      <Typography.Paragraph>
        <a href={hrefOf({ page: "incidents" })}>{t("incident.back")}</a>
      </Typography.Paragraph>
      <Typography.Title level={2}>
        {t("incident.title", { id: i?.alertname ?? route.id ?? "" })}
      </Typography.Title>
      <ErrorAlert error={error} onRetry={reload} />
      {data && <Body data={data} reload={reload} />}
    </div>
  );
}
