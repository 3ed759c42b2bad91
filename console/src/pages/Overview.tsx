/** Overview: open incidents, MTTD/MTTR, charts by severity, phase and category, agents' health. */
import { useState } from "react";
import { Alert, Card, Col, List, Radio, Row, Space, Statistic, Typography } from "antd";
import { useApi } from "../api/useApi.ts";
import type { Overview as OverviewData } from "../api/types.ts";
import { Chart, barOption, pieOption } from "../components/Chart.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { formatDuration } from "../components/format.ts";
import { useI18n } from "../i18n/index.tsx";
import type { MessageKey } from "../i18n/index.tsx";
import { TAG_COLORS } from "../theme.ts";

const SEVERITIES = ["critical", "warning", "info"] as const;

function AgentsHealth({ agents }: { agents: OverviewData["agents"] }) {
  const { t } = useI18n();
  return (
    <List
      size="small"
      dataSource={agents}
      locale={{ emptyText: t("common.noData") }}
      renderItem={(a) => (
        <List.Item>
          <Space direction="vertical" size={0}>
            <Typography.Text strong>{`${a.namespace}/${a.name}`}</Typography.Text>
            <Typography.Text style={{ color: a.ready ? TAG_COLORS.good : TAG_COLORS.bad }}>
              {a.ready ? t("overview.ready") : t("overview.notReady")}
              {a.reason && a.reason !== "Ready" ? ` · ${a.reason}` : ""}
            </Typography.Text>
            {a.message && <Typography.Text>{a.message}</Typography.Text>}
          </Space>
        </List.Item>
      )}
    />
  );
}

function Charts({ data }: { data: OverviewData }) {
  const { t } = useI18n();
  const label = (prefix: string, v: string) => {
    const text = t(`${prefix}.${v}` as MessageKey);
    return text === `${prefix}.${v}` ? v : text;
  };
  const severity = SEVERITIES.map((s) => ({
    name: label("severity", s),
    value: data.incidentsBySeverity[s] ?? 0,
    color: TAG_COLORS[s],
  }));
  const phases = Object.entries(data.tasksByPhase);
  const cats = data.topCategories;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card title={t("overview.bySeverity")}>
          <Chart label={t("overview.bySeverity")} option={pieOption(severity)} />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t("overview.byPhase")}>
          <Chart
            label={t("overview.byPhase")}
            option={barOption(
              phases.map(([p]) => label("phase", p)),
              phases.map(([, n]) => n),
            )}
          />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t("overview.topCategories")}>
          <Chart
            label={t("overview.topCategories")}
            option={barOption(
              cats.map((c) => c.category),
              cats.map((c) => c.count),
              true,
            )}
          />
        </Card>
      </Col>
    </Row>
  );
}

/** The overview page. */
export default function Overview() {
  const { t, lang } = useI18n();
  const [days, setDays] = useState<7 | 30>(7);
  const { data, error, reload } = useApi<OverviewData>(`/overview?days=${days}`);
  return (
    <div data-testid="page-overview">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t("nav.overview")}
        </Typography.Title>
        <Radio.Group
          aria-label={t("overview.period")}
          value={days}
          onChange={(e) => setDays(e.target.value as 7 | 30)}
          optionType="button"
          options={[7, 30].map((n) => ({ value: n, label: t("overview.days", { n }) }))}
        />
      </Space>
      <ErrorAlert error={error} onRetry={reload} />
      {data?.storeAvailable === false && (
        <Alert type="info" showIcon title={t("overview.noStore")} style={{ marginBottom: 16 }} />
      )}
      {data && (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} md={8}>
              <Card>
                <Statistic title={t("overview.openIncidents")} value={data.openIncidents} />
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card>
                <Statistic title={t("overview.mttd")} value={formatDuration(data.mttdSeconds, lang)} />
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card>
                <Statistic title={t("overview.mttr")} value={formatDuration(data.mttrSeconds, lang)} />
              </Card>
            </Col>
          </Row>
          <Charts data={data} />
          <Card title={t("overview.agents")} style={{ marginTop: 16 }}>
            <AgentsHealth agents={data.agents} />
          </Card>
        </>
      )}
    </div>
  );
}
