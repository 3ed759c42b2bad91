/** The diagnosis report of an asked task: found through the incident of the task, with links. */
import { Space, Spin, Typography } from "antd";
import { query } from "../../api/client.ts";
import type { IncidentDetail, IncidentItem, Page } from "../../api/types.ts";
import { useApi } from "../../api/useApi.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { hrefOf } from "../../route.ts";
import { FindingsSection, RecommendationsSection, RootCauseSection } from "../incident/Sections.tsx";

/** Shows the report of task namespace/name once its incident exists. */
export function AskReport({ task }: { task: { namespace: string; name: string } }) {
  const { t } = useI18n();
  const list = useApi<Page<IncidentItem>>(
    `/incidents${query({ namespace: task.namespace, q: task.name, pageSize: 50 })}`,
  );
  const hit = list.data?.items.find((i) => i.task === task.name);
  const detail = useApi<IncidentDetail>(hit ? `/incidents/${encodeURIComponent(hit.id)}` : null);
  if (list.loading || detail.loading) return <Spin />;
  return (
    <section aria-label={t("ask.report")}>
      <Typography.Title level={3}>{t("ask.report")}</Typography.Title>
      <ErrorAlert error={list.error ?? detail.error} />
      {detail.data && (
        <>
          <RootCauseSection rootCause={detail.data.rootCause} evidence={[]} />
          <FindingsSection findings={detail.data.findings} />
          <RecommendationsSection items={detail.data.recommendations} />
        </>
      )}
      <Space>
        {hit && <a href={hrefOf({ page: "incident", id: hit.id })}>{t("ask.openIncident")}</a>}
        <a href={hrefOf({ page: "plans" })}>{t("ask.openPlans")}</a>
      </Space>
    </section>
  );
}
