/** Live progress of a task (data-testid="progress"), with the reconnect notice while the stream is lost. */
import { Alert, Card, List, Space, Typography } from "antd";
import { useI18n } from "../i18n/index.tsx";
import type { TaskProgress } from "../sse/useTaskStream.ts";
import { formatRef } from "./format.ts";
import { PhaseTag, SeverityTag } from "./Tags.tsx";

/** Shows the phase, the findings and the root cause as they stream in. */
export function Progress({ progress }: { progress: TaskProgress }) {
  const { t } = useI18n();
  const { phase, message, findings, rootCause, reconnecting, finished, endedWith } = progress;
  return (
    <Card
      title={t("incident.progress")}
      data-testid="progress"
      aria-live="polite"
      style={{ marginBottom: 16 }}
    >
      {reconnecting && (
        <Alert
          type="warning"
          showIcon
          data-testid="reconnecting"
          title={t("incident.reconnecting")}
          style={{ marginBottom: 12 }}
        />
      )}
      <Space wrap>
        <PhaseTag value={phase} />
        {message && <Typography.Text>{message}</Typography.Text>}
      </Space>
      {rootCause && (
        <Typography.Paragraph style={{ marginTop: 12 }}>
          <Typography.Text strong>{t("incident.rootCause")}: </Typography.Text>
          {rootCause.category} · {formatRef(rootCause.resource)}{" "}
          {rootCause.summary ? `· ${rootCause.summary}` : ""}
        </Typography.Paragraph>
      )}
      {findings.length > 0 && (
        <List
          size="small"
          dataSource={findings}
          renderItem={(f, i) => (
            <List.Item key={i}>
              <Space wrap>
                <SeverityTag value={f.severity} />
                <Typography.Text>{f.category}</Typography.Text>
                <Typography.Text>{formatRef(f.resource)}</Typography.Text>
                <Typography.Text>{f.message}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      {finished && (
        <Typography.Paragraph style={{ marginTop: 12 }}>
          {endedWith ? t("incident.ended", { message: endedWith }) : t("incident.finished")}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
