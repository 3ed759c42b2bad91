/**
 * Approve or reject one plan with a reason (data-testid "reason", "approve", "reject"). Shown
 * only when the server says the user may approve; the API server decides anyway. A refused
 * decision keeps the reason typed and shows the server's message beside the field.
 */
import { useState } from "react";
import { App, Button, Form, Input, Space } from "antd";
import { api } from "../api/client.ts";
import { applyFieldError } from "../api/fields.ts";
import type { Plan } from "../api/types.ts";
import { useI18n } from "../i18n/index.tsx";
import { ErrorAlert } from "./ErrorAlert.tsx";

type Decision = "approve" | "reject";

/** The decision form of a plan; onDecided gets the plan as the server returns it. */
export function Decide({ plan, onDecided }: { plan: Plan; onDecided: (p: Plan) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason?: string }>();
  const [busy, setBusy] = useState<Decision | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const ref = `${plan.namespace}/${plan.name}`;

  const decide = async (decision: Decision) => {
    const reason = (form.getFieldValue("reason") as string | undefined)?.trim() ?? "";
    if (decision === "reject" && !reason) {
      form.setFields([{ name: "reason", errors: [t("plans.reasonRequired")] }]);
      return;
    }
    setBusy(decision);
    setError(undefined);
    try {
      const path = `/plans/${encodeURIComponent(plan.namespace)}/${encodeURIComponent(plan.name)}/${decision}`;
      const decided = await api<Plan>("POST", path, { body: { reason } });
      void message.success(t(decision === "approve" ? "plans.approved" : "plans.rejected", { plan: ref }));
      onDecided(decided);
    } catch (err) {
      if (!applyFieldError(form, err, [["reason"]])) setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Form form={form} layout="vertical" requiredMark={false} onValuesChange={() => setError(undefined)}>
      <ErrorAlert error={error} />
      <Form.Item
        name="reason"
        label={t("plans.reason")}
        extra={t("plans.reasonHelp")}
        rules={[{ max: 1024, message: t("plans.reasonTooLong") }]}
      >
        <Input.TextArea data-testid="reason" rows={2} maxLength={1024} />
      </Form.Item>
      <Space>
        <Button
          type="primary"
          data-testid="approve"
          loading={busy === "approve"}
          disabled={busy !== undefined}
          onClick={() => void decide("approve")}
        >
          {t("plans.approve")}
        </Button>
        <Button
          danger
          data-testid="reject"
          loading={busy === "reject"}
          disabled={busy !== undefined}
          onClick={() => void decide("reject")}
        >
          {t("plans.reject")}
        </Button>
      </Space>
    </Form>
  );
}
