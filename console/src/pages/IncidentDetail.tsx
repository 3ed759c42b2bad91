/**
 * One incident: the alert, the root cause with what changed and its evidence, impact, findings,
 * recommendations, runbooks, history, the plan with dry run and audit steps, and the task's
 * live progress while it runs (reloaded when the stream says it is done).
 */
import { useEffect, useState } from "react";
import { Space, Typography } from "antd";
import type { IncidentDetail as Detail, Plan } from "../api/types.ts";
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

const TERMINAL = new Set(["Succeeded", "Failed", "Resolved"]);

/** The evidence of the root cause: the evidence of the findings on its resource. */
function evidenceOf(d: Detail): string[] {
  const r = d.rootCause?.resource;
  if (!r) return [];
  return (d.findings ?? [])
    .filter(
      (f) =>
        f.resource?.kind === r.kind && f.resource?.name === r.name && f.category === d.rootCause?.category,
    )
    .flatMap((f) => f.evidence ?? []);
}

function Live({ detail, onDone }: { detail: Detail; onDone: () => void }) {
  const running = detail.task && !TERMINAL.has(detail.task.phase ?? "");
  const progress = useTaskStream(
    running ? detail.task?.namespace : undefined,
    running ? detail.task?.name : undefined,
  );
  useEffect(() => {
    if (progress.finished) onDone();
  }, [progress.finished, onDone]);
  if (!running) return null;
  return <Progress progress={progress} />;
}

/** The incident detail page. */
export default function IncidentDetail({ route }: { route: Route }) {
  const { t } = useI18n();
  const { data, error, reload } = useApi<Detail>(`/incidents/${encodeURIComponent(route.id ?? "")}`);
  const [plan, setPlan] = useState<Plan | null | undefined>(undefined);
  useEffect(() => setPlan(data?.plan), [data]);
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
      {data && i && (
        <>
          <Space wrap style={{ marginBottom: 16 }}>
            <SeverityTag value={i.severity} />
            <StatusTag value={i.status} />
            <Typography.Text>{`${i.namespace} · ${t("incident.task")} ${i.task}`}</Typography.Text>
            <PhaseTag value={data.task?.phase} />
            {i.summary && <Typography.Text>{i.summary}</Typography.Text>}
          </Space>
          <Live detail={data} onDone={reload} />
          <RootCauseSection rootCause={data.rootCause} evidence={evidenceOf(data)} />
          <AlertSection alert={data.alert} />
          <FindingsSection findings={data.findings} />
          <RecommendationsSection items={data.recommendations} />
          {plan ? (
            <PlanCard plan={plan} onDecided={(p) => setPlan({ ...plan, ...p })} />
          ) : (
            <Typography.Paragraph>{t("incident.noPlan")}</Typography.Paragraph>
          )}
          <ContextSections detail={data} />
        </>
      )}
    </div>
  );
}
