/**
 * Edits an AgentConfig through server-side apply with the user's token (PATCH, field manager
 * aisre-console), so admission and RBAC decide. An apply states every field the manager means to
 * keep (a field it owned and leaves out is removed), so the body holds the fields the user
 * touched plus those the spec already sets. A field the API server rejects shows its message
 * beside the field; what the user typed stays.
 */
import { useState } from "react";
import { App, Form, Input, InputNumber, Modal, Select, Switch, Typography } from "antd";
import { api } from "../../api/client.ts";
import { applyFieldError } from "../../api/fields.ts";
import type { AgentConfigItem } from "../../api/types.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { useI18n } from "../../i18n/index.tsx";

/** The spec paths this form edits. */
export const EDITABLE: string[][] = [
  ["llm", "enabled"],
  ["llm", "model"],
  ["tools", "prometheus", "url"],
  ["policy", "autoRemediation"],
  ["policy", "approvalRequiredAtRisk"],
  ["policy", "maxAffectedPods"],
];

/** Whether a spec value is set (false and "" count as unset: they are the defaults). */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "" && v !== false;
}

/** The value at a path of a nested object. */
export function valueAt(obj: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = obj;
  for (const key of path)
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** The partial spec of the given paths: nested objects built from the paths, "" as null. */
export function partialSpec(
  values: (path: string[]) => unknown,
  touched: string[][],
): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const path of touched) {
    let node = spec;
    for (const key of path.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    const v = values(path);
    node[path[path.length - 1]!] = v === "" ? null : v;
  }
  return spec;
}

function initialOf(c: AgentConfigItem): Record<string, unknown> {
  const p = c.policy ?? {};
  return {
    llm: { enabled: c.llm?.enabled ?? false, model: c.llm?.model ?? undefined },
    tools: { prometheus: { url: c.prometheus?.url ?? undefined } },
    policy: {
      autoRemediation: p.autoRemediation ?? false,
      approvalRequiredAtRisk: p.approvalRequiredAtRisk,
      maxAffectedPods: p.maxAffectedPods,
    },
  };
}

interface Props {
  config: AgentConfigItem;
  onClose: (saved: boolean) => void;
}

/** The edit dialog of one AgentConfig. */
export function AgentEdit({ config, onClose }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const ref = `${config.namespace}/${config.name}`;

  const save = async () => {
    const touched = EDITABLE.filter((p) => form.isFieldTouched(p));
    if (touched.length === 0) {
      void message.info(t("agents.nothingChanged"));
      return;
    }
    const initial = initialOf(config);
    const paths = EDITABLE.filter((p) => touched.includes(p) || isSet(valueAt(initial, p)));
    setBusy(true);
    setError(undefined);
    try {
      const body = partialSpec((p) => form.getFieldValue(p), paths);
      const path = `/agentconfigs/${encodeURIComponent(config.namespace)}/${encodeURIComponent(config.name)}`;
      await api("PATCH", path, { body });
      void message.success(t("agents.saved", { ref }));
      onClose(true);
    } catch (err) {
      if (!applyFieldError(form, err, EDITABLE)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t("agents.editTitle", { ref })}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onOk={() => void save()}
      onCancel={() => onClose(false)}
    >
      <Typography.Paragraph>{t("agents.editHelp")}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={initialOf(config)}>
        <Form.Item name={["llm", "enabled"]} label={t("agents.llmEnabled")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name={["llm", "model"]} label={t("agents.llmModel")}>
          <Input />
        </Form.Item>
        <Form.Item name={["tools", "prometheus", "url"]} label={t("agents.prometheusUrl")}>
          <Input />
        </Form.Item>
        <Form.Item
          name={["policy", "autoRemediation"]}
          label={t("agents.autoRemediation")}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item name={["policy", "approvalRequiredAtRisk"]} label={t("agents.approvalRisk")}>
          <Select
            allowClear
            options={(["low", "medium", "high"] as const).map((r) => ({ value: r, label: t(`risk.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name={["policy", "maxAffectedPods"]} label={t("agents.maxAffectedPods")}>
          <InputNumber min={0} max={10000} style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
