/** The parts of an incident's detail page: alert, root cause, findings, recommendations, runbooks, history. */
import { Card, Descriptions, List, Space, Table, Tag, Typography } from "antd";
import type { IncidentDetail, RootCause } from "../../api/types.ts";
import { formatRef, formatTime, formatValue } from "../../components/format.ts";
import { KeyValues } from "../../components/KeyValues.tsx";
import { PhaseTag, RiskTag, SeverityTag } from "../../components/Tags.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { hrefOf } from "../../route.ts";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function LabelMap({ value }: { value?: Record<string, string> }) {
  if (!value || Object.keys(value).length === 0) return <Typography.Text>—</Typography.Text>;
  return (
    <Space wrap size={[4, 4]}>
      {Object.entries(value).map(([k, v]) => (
        <Tag key={k}>{`${k}=${v}`}</Tag>
      ))}
    </Space>
  );
}

/** The alert that opened the incident. */
export function AlertSection({ alert }: { alert: IncidentDetail["alert"] }) {
  const { t, lang } = useI18n();
  if (!alert) return null;
  return (
    <Card title={t("incident.alert")} style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={1}>
        {alert.startsAt && (
          <Descriptions.Item label={t("incident.startsAt")}>
            {formatTime(alert.startsAt, lang)}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t("incident.labels")}>
          <LabelMap value={alert.labels} />
        </Descriptions.Item>
        <Descriptions.Item label={t("incident.annotations")}>
          <LabelMap value={alert.annotations} />
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** The root cause, what changed first, then the evidence (the findings of its resource). */
export function RootCauseSection({
  rootCause,
  evidence,
}: {
  rootCause?: RootCause | null;
  evidence: string[];
}) {
  const { t, lang } = useI18n();
  return (
    <Card title={t("incident.rootCause")} data-testid="root-cause" style={{ marginBottom: 16 }}>
      {!rootCause ? (
        <Typography.Text>{t("incident.noRootCause")}</Typography.Text>
      ) : (
        <Space direction="vertical" style={{ width: "100%" }}>
          {rootCause.change && (
            <Typography.Paragraph style={{ margin: 0 }}>
              <Typography.Text strong>{t("incident.change")}: </Typography.Text>
              {formatRef(rootCause.change)}
              {rootCause.change.at
                ? ` ${t("incident.changeAt", { at: formatTime(rootCause.change.at, lang) })}`
                : ""}
              {rootCause.change.what ? ` · ${rootCause.change.what}` : ""}
            </Typography.Paragraph>
          )}
          <Space wrap>
            <Tag>{rootCause.category}</Tag>
            <Typography.Text strong>{formatRef(rootCause.resource)}</Typography.Text>
            {rootCause.confidence !== undefined && (
              <Typography.Text>
                {t("incident.confidence", {
                  n: Math.round(rootCause.confidence * (rootCause.confidence <= 1 ? 100 : 1)),
                })}
              </Typography.Text>
            )}
          </Space>
          {rootCause.summary && (
            <Typography.Paragraph style={{ margin: 0 }}>{rootCause.summary}</Typography.Paragraph>
          )}
          {evidence.length > 0 && (
            <List
              size="small"
              header={<Typography.Text strong>{t("incident.evidence")}</Typography.Text>}
              dataSource={evidence}
              renderItem={(e) => (
                <List.Item>
                  <Typography.Text code>{e}</Typography.Text>
                </List.Item>
              )}
            />
          )}
        </Space>
      )}
    </Card>
  );
}

/** Every finding, with its evidence. */
export function FindingsSection({ findings }: { findings: IncidentDetail["findings"] }) {
  const { t } = useI18n();
  if (!findings?.length) return null;
  return (
    <Card title={t("incident.findings")} style={{ marginBottom: 16 }}>
      <List
        dataSource={findings}
        renderItem={(f) => (
          <List.Item>
            <Space direction="vertical" size={2}>
              <Space wrap>
                <SeverityTag value={f.severity} />
                <Tag>{f.category}</Tag>
                <Typography.Text strong>{formatRef(f.resource)}</Typography.Text>
              </Space>
              {f.message && <Typography.Text>{f.message}</Typography.Text>}
              {f.evidence?.map((e, i) => (
                <Typography.Text code key={i}>
                  {e}
                </Typography.Text>
              ))}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** The proposed actions, each with its risk and rationale. */
export function RecommendationsSection({ items }: { items: IncidentDetail["recommendations"] }) {
  const { t } = useI18n();
  if (!items?.length) return null;
  return (
    <Card title={t("incident.recommendations")} style={{ marginBottom: 16 }}>
      <List
        dataSource={items}
        renderItem={(r) => (
          <List.Item>
            <Space direction="vertical" size={2}>
              <Space wrap>
                <Typography.Text code>{r.action}</Typography.Text>
                <RiskTag value={r.risk} />
                <Typography.Text>{formatRef(r.target)}</Typography.Text>
              </Space>
              {r.rationale && (
                <Typography.Text>{`${t("incident.rationale")}: ${r.rationale}`}</Typography.Text>
              )}
              {r.params && Object.keys(r.params).length > 0 && (
                <Typography.Text>{`${t("incident.params")}: ${formatValue(r.params)}`}</Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** The impact, runbooks, similar incidents and diagnosis history. */
export function ContextSections({ detail }: { detail: IncidentDetail }) {
  const { t, lang } = useI18n();
  const history = detail.history ?? [];
  return (
    <>
      {detail.impact !== undefined && detail.impact !== null && (
        <Card title={t("incident.impact")} style={{ marginBottom: 16 }}>
          <KeyValues value={detail.impact} />
        </Card>
      )}
      {detail.runbooks && detail.runbooks.length > 0 && (
        <Card title={t("incident.runbooks")} style={{ marginBottom: 16 }}>
          <List
            dataSource={detail.runbooks}
            renderItem={(r) => (
              <List.Item>
                <Typography.Text strong>{r.title ?? r.name}</Typography.Text>
                <Typography.Text>{` ${r.namespace ? `${r.namespace}/` : ""}${r.name}`}</Typography.Text>
                {r.matchedOn && (
                  <Typography.Text>{` · ${t("incident.matchedOn")}: ${formatValue(r.matchedOn)}`}</Typography.Text>
                )}
              </List.Item>
            )}
          />
        </Card>
      )}
      {history.length > 0 && (
        <Card title={t("incident.history")} style={{ marginBottom: 16 }}>
          <Table
            size="small"
            pagination={false}
            rowKey={(_, i) => String(i)}
            dataSource={history}
            columns={[
              {
                title: t("incident.at"),
                render: (_, h) => formatTime(str(h.at) ?? str(h.createdAt) ?? str(h.diagnosedAt), lang),
              },
              { title: t("common.phase"), render: (_, h) => <PhaseTag value={str(h.phase)} /> },
              { title: t("common.category"), render: (_, h) => str(h.category) ?? "" },
              { title: t("incidents.summary"), render: (_, h) => str(h.summary) ?? str(h.rootCause) ?? "" },
            ]}
          />
        </Card>
      )}
      {detail.similar && detail.similar.length > 0 && (
        <Card title={t("incident.similar")} style={{ marginBottom: 16 }}>
          <List
            dataSource={detail.similar}
            renderItem={(s) => (
              <List.Item>
                <a href={hrefOf({ page: "incident", id: s.id })}>{s.alertname ?? s.task}</a>
                <Typography.Text>{` ${s.namespace} · ${formatTime(s.openedAt, lang)} · ${s.summary ?? ""}`}</Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      )}
    </>
  );
}
