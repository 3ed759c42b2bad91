/** Plans: pending approvals first; approve or reject with a reason where the user may. */
import { useEffect, useState } from "react";
import { Select, Space, Typography } from "antd";
import { query } from "../api/client.ts";
import { useNamespaces } from "../api/session.tsx";
import type { Plan } from "../api/types.ts";
import { useApi } from "../api/useApi.ts";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { PlanCard } from "../components/PlanCard.tsx";
import { useI18n } from "../i18n/index.tsx";

/** Pending approvals first, then the server's order. */
export function pendingFirst(plans: Plan[]): Plan[] {
  const pending = plans.filter((p) => p.phase === "AwaitingApproval");
  return [...pending, ...plans.filter((p) => p.phase !== "AwaitingApproval")];
}

/** The plans page. */
export default function Plans() {
  const { t } = useI18n();
  const namespaces = useNamespaces();
  const [namespace, setNamespace] = useState<string | undefined>(undefined);
  const { data, error, reload } = useApi<{ items: Plan[] }>(`/plans${query({ namespace })}`);
  const [plans, setPlans] = useState<Plan[]>([]);
  useEffect(() => setPlans(pendingFirst(data?.items ?? [])), [data]);
  const replace = (p: Plan) =>
    setPlans((all) =>
      all.map((x) => (x.namespace === p.namespace && x.name === p.name ? { ...x, ...p } : x)),
    );
  return (
    <div data-testid="page-plans">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t("nav.plans")}
        </Typography.Title>
        <Select
          aria-label={t("common.namespace")}
          placeholder={t("common.namespace")}
          allowClear
          style={{ width: 200 }}
          value={namespace}
          onChange={(v?: string) => setNamespace(v)}
          options={namespaces.map((n) => ({ value: n.name, label: n.name }))}
        />
      </Space>
      <Typography.Paragraph>{t("plans.pendingFirst")}</Typography.Paragraph>
      <ErrorAlert error={error} onRetry={reload} />
      {data && plans.length === 0 && <Typography.Paragraph>{t("common.noData")}</Typography.Paragraph>}
      {plans.map((p) => (
        <PlanCard key={`${p.namespace}/${p.name}`} plan={p} onDecided={replace} />
      ))}
    </div>
  );
}
