/** One remediation plan: phase, risk, blast radius, dry run, expiry, decision, audit steps, and the decision form. */
import { Alert, Card, Descriptions, Typography } from "antd";
import type { Plan } from "../api/types.ts";
import { useI18n } from "../i18n/index.tsx";
import { Decide } from "./Decide.tsx";
import { formatTime } from "./format.ts";
import { KeyValues } from "./KeyValues.tsx";
import { PlanSteps } from "./PlanSteps.tsx";
import { PhaseTag, RiskTag } from "./Tags.tsx";

/** Whether the user can still decide: allowed, awaiting approval, and nobody decided yet. */
export function decidable(plan: Plan): boolean {
  return plan.canApprove && plan.phase === "AwaitingApproval" && !plan.approval?.decision;
}

function dryRunText(dryRun: unknown, t: (k: "common.yes" | "common.no") => string): string | undefined {
  if (!dryRun || typeof dryRun !== "object") return undefined;
  const passed = (dryRun as { passed?: boolean | null }).passed;
  return passed === true ? t("common.yes") : passed === false ? t("common.no") : undefined;
}

function Decision({ plan }: { plan: Plan }) {
  const { t, lang } = useI18n();
  const a = plan.approval;
  if (!a?.decision) return null;
  const parts = [
    a.decidedBy ? `${t("incident.by")}: ${a.decidedBy}` : "",
    formatTime(a.decidedAt, lang),
    a.reason ?? "",
  ];
  return (
    <Alert
      type={a.decision === "Approved" ? "success" : "warning"}
      showIcon
      style={{ margin: "12px 0" }}
      title={t(a.decision === "Approved" ? "phase.Approved" : "phase.Rejected")}
      description={parts.filter(Boolean).join(" · ")}
    />
  );
}

/** A plan card; the decision form appears only while the user may decide (decidable). */
export function PlanCard({ plan, onDecided }: { plan: Plan; onDecided: (p: Plan) => void }) {
  const { t, lang } = useI18n();
  const ref = `${plan.namespace}/${plan.name}`;
  const task = typeof plan.task === "string" ? plan.task : plan.task?.name;
  const passed = dryRunText(plan.dryRun, t);
  return (
    <Card title={`${t("plans.plan")} ${ref}`} data-plan={ref} style={{ marginBottom: 16 }}>
      {plan.description && <Typography.Paragraph>{plan.description}</Typography.Paragraph>}
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t("common.phase")}>
          <PhaseTag value={plan.phase} />
        </Descriptions.Item>
        <Descriptions.Item label={t("common.risk")}>
          <RiskTag value={plan.risk} />
        </Descriptions.Item>
        {task && <Descriptions.Item label={t("plans.task")}>{task}</Descriptions.Item>}
        {plan.blastRadius !== undefined &&
          plan.blastRadius !== null &&
          typeof plan.blastRadius !== "object" && (
            <Descriptions.Item label={t("incident.blastRadius")}>
              {String(plan.blastRadius)}
            </Descriptions.Item>
          )}
        {passed && <Descriptions.Item label={t("incident.dryRun")}>{passed}</Descriptions.Item>}
        {plan.expiresAt && (
          <Descriptions.Item label={t("incident.expiresAt")}>
            {formatTime(plan.expiresAt, lang)}
          </Descriptions.Item>
        )}
        {plan.message && <Descriptions.Item label={t("common.message")}>{plan.message}</Descriptions.Item>}
      </Descriptions>
      {typeof plan.blastRadius === "object" && <KeyValues value={plan.blastRadius} />}
      <Decision plan={plan} />
      {plan.steps && plan.steps.length > 0 && (
        <>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            {t("incident.steps")}
          </Typography.Title>
          <PlanSteps steps={plan.steps} />
        </>
      )}
      {decidable(plan) && <Decide plan={plan} onDecided={onDecided} />}
    </Card>
  );
}
