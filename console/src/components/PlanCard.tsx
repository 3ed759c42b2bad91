/** One remediation plan: phase, risk, blast radius, dry run, expiry, actions, audit steps, decision. */
import { Card, Descriptions, List, Space, Timeline, Typography } from "antd";
import type { Plan } from "../api/types.ts";
import { useI18n } from "../i18n/index.tsx";
import { Decide } from "./Decide.tsx";
import { formatRef, formatTime, formatValue } from "./format.ts";
import { KeyValues } from "./KeyValues.tsx";
import { PhaseTag, RiskTag } from "./Tags.tsx";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function Steps({ steps }: { steps: Record<string, unknown>[] }) {
  const { t, lang } = useI18n();
  return (
    <Timeline
      items={steps.map((s, i) => {
        const when = str(s.at) ?? str(s.time) ?? str(s.finishedAt) ?? str(s.startedAt);
        const by = str(s.by) ?? str(s.user) ?? str(s.actor);
        const { action, phase, message } = s as { action?: string; phase?: string; message?: string };
        return {
          key: i,
          children: (
            <Space direction="vertical" size={0}>
              <Space wrap>
                <Typography.Text strong>
                  {action ?? str(s.event) ?? str(s.type) ?? `#${i + 1}`}
                </Typography.Text>
                <PhaseTag value={phase} />
                {when && (
                  <Typography.Text>{`${t("incident.at")}: ${formatTime(when, lang)}`}</Typography.Text>
                )}
                {by && <Typography.Text>{`${t("incident.by")}: ${by}`}</Typography.Text>}
              </Space>
              {message && <Typography.Text>{message}</Typography.Text>}
              {s.dryRun !== undefined && <pre className="aisre-pre">{formatValue(s.dryRun)}</pre>}
            </Space>
          ),
        };
      })}
    />
  );
}

/** A plan card; the decision form appears only when plan.canApprove and the plan awaits approval. */
export function PlanCard({ plan, onDecided }: { plan: Plan; onDecided: (p: Plan) => void }) {
  const { t, lang } = useI18n();
  const ref = `${plan.namespace}/${plan.name}`;
  const task = typeof plan.task === "string" ? plan.task : plan.task?.name;
  const awaiting = plan.phase === "AwaitingApproval";
  return (
    <Card title={`${t("plans.plan")} ${ref}`} data-plan={ref} style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t("common.phase")}>
          <PhaseTag value={plan.phase} />
        </Descriptions.Item>
        <Descriptions.Item label={t("common.risk")}>
          <RiskTag value={plan.risk} />
        </Descriptions.Item>
        {task && <Descriptions.Item label={t("plans.task")}>{task}</Descriptions.Item>}
        {plan.expiresAt && (
          <Descriptions.Item label={t("incident.expiresAt")}>
            {formatTime(plan.expiresAt, lang)}
          </Descriptions.Item>
        )}
      </Descriptions>
      {plan.actions && plan.actions.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{t("common.actions")}</Typography.Text>}
          dataSource={plan.actions}
          renderItem={(a) => (
            <List.Item>
              <Typography.Text code>{a.action}</Typography.Text> {formatRef(a.target)}{" "}
              {a.params && Object.keys(a.params).length > 0 ? formatValue(a.params) : ""}
            </List.Item>
          )}
        />
      )}
      {plan.blastRadius !== undefined && plan.blastRadius !== null && (
        <>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            {t("incident.blastRadius")}
          </Typography.Title>
          <KeyValues value={plan.blastRadius} />
        </>
      )}
      {plan.dryRun !== undefined && plan.dryRun !== null && (
        <>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            {t("incident.dryRun")}
          </Typography.Title>
          <KeyValues value={plan.dryRun} />
        </>
      )}
      {plan.steps && plan.steps.length > 0 && (
        <>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            {t("incident.steps")}
          </Typography.Title>
          <Steps steps={plan.steps} />
        </>
      )}
      {plan.canApprove && awaiting && <Decide plan={plan} onDecided={onDecided} />}
    </Card>
  );
}
