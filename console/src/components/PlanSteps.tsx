/** A plan's steps, each with its phase, dry run and audit rows (who approved, outcome, when). */
import { List, Space, Timeline, Typography } from "antd";
import type { AuditRow, PlanStep } from "../api/types.ts";
import { useI18n } from "../i18n/index.tsx";
import { formatRef, formatTime, formatValue } from "./format.ts";
import { PhaseTag, RiskTag } from "./Tags.tsx";

function Audit({ rows }: { rows: AuditRow[] }) {
  const { t, lang } = useI18n();
  return (
    <List
      size="small"
      dataSource={rows}
      renderItem={(a) => (
        <List.Item>
          <Space wrap>
            <Typography.Text>{formatTime(a.occurredAt, lang)}</Typography.Text>
            <PhaseTag value={a.phase} />
            {a.approvedBy && <Typography.Text>{`${t("incident.by")}: ${a.approvedBy}`}</Typography.Text>}
            {a.outcome && <Typography.Text strong>{a.outcome}</Typography.Text>}
            {a.message && <Typography.Text>{a.message}</Typography.Text>}
          </Space>
        </List.Item>
      )}
    />
  );
}

/** The steps of a plan as a timeline. */
export function PlanSteps({ steps }: { steps: PlanStep[] }) {
  const { t } = useI18n();
  return (
    <Timeline
      items={steps.map((s, i) => ({
        key: s.name ?? i,
        children: (
          <Space direction="vertical" size={2} style={{ width: "100%" }}>
            <Space wrap>
              <Typography.Text strong>{s.name ?? `#${i + 1}`}</Typography.Text>
              <Typography.Text code>{s.action}</Typography.Text>
              <Typography.Text>{formatRef(s.target)}</Typography.Text>
              <PhaseTag value={s.phase} />
              <RiskTag value={s.risk} />
            </Space>
            {s.description && <Typography.Text>{s.description}</Typography.Text>}
            {s.params && Object.keys(s.params).length > 0 && (
              <Typography.Text>{`${t("incident.params")}: ${formatValue(s.params)}`}</Typography.Text>
            )}
            {s.message && <Typography.Text>{s.message}</Typography.Text>}
            {s.dryRun !== undefined && s.dryRun !== null && (
              <>
                <Typography.Text strong>{t("incident.dryRun")}</Typography.Text>
                <pre className="aisre-pre">{formatValue(s.dryRun)}</pre>
              </>
            )}
            {s.audit && s.audit.length > 0 && <Audit rows={s.audit} />}
          </Space>
        ),
      }))}
    />
  );
}
