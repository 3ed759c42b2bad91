/**
 * Agents and configuration: each AgentConfig's Ready conditions, LLM on/off and its last error,
 * Prometheus reachability, effective policy and notification channels; edit when allowed.
 */
import { useState } from "react";
import { Button, Card, Descriptions, Space, Tag, Typography } from "antd";
import type { AgentConfigItem } from "../api/types.ts";
import { useApi } from "../api/useApi.ts";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { KeyValues } from "../components/KeyValues.tsx";
import { TAG_COLORS } from "../theme.ts";
import { useI18n } from "../i18n/index.tsx";
import { AgentEdit } from "./agents/AgentEdit.tsx";

function Conditions({ c }: { c: AgentConfigItem }) {
  return (
    <Space direction="vertical" size={2}>
      {(c.conditions ?? []).map((k) => (
        <span key={k.type}>
          <Tag color={k.status === "True" ? TAG_COLORS.good : TAG_COLORS.bad} variant="solid">
            {`${k.type}=${k.status}`}
          </Tag>
          {k.reason && <Typography.Text>{k.reason}</Typography.Text>}
          {k.message && <Typography.Text>{` · ${k.message}`}</Typography.Text>}
        </span>
      ))}
    </Space>
  );
}

function AgentCard({ c, onEdit }: { c: AgentConfigItem; onEdit: () => void }) {
  const { t } = useI18n();
  const ref = `${c.namespace}/${c.name}`;
  const prom = c.prometheus;
  const promText = !prom?.url
    ? t("agents.notConfigured")
    : `${prom.url} · ${prom.reachable ? t("agents.reachable") : t("agents.unreachable")}`;
  return (
    <Card
      title={ref}
      data-agentconfig={ref}
      style={{ marginBottom: 16 }}
      extra={
        c.canEdit ? (
          <Button onClick={onEdit} aria-label={`${t("agents.edit")} ${ref}`}>
            {t("agents.edit")}
          </Button>
        ) : undefined
      }
    >
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t("agents.conditions")}>
          <Conditions c={c} />
        </Descriptions.Item>
        <Descriptions.Item label={t("agents.llm")}>
          {c.llm?.enabled ? t("agents.on") : t("agents.off")}
          {c.llm?.model ? ` · ${c.llm.model}` : ""}
        </Descriptions.Item>
        {c.llm?.lastError && (
          <Descriptions.Item label={t("agents.lastError")}>{c.llm.lastError}</Descriptions.Item>
        )}
        <Descriptions.Item label={t("agents.prometheus")}>{promText}</Descriptions.Item>
        <Descriptions.Item label={t("agents.channels")}>
          {c.channels?.length ? c.channels.map((ch) => <Tag key={ch}>{ch}</Tag>) : t("common.none")}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 12 }}>
        {t("agents.policy")}
      </Typography.Title>
      <KeyValues value={c.effectivePolicy ?? c.policy} />
    </Card>
  );
}

/** The agents page. */
export default function Agents() {
  const { t } = useI18n();
  const { data, error, reload } = useApi<{ items: AgentConfigItem[] }>("/agentconfigs");
  const [editing, setEditing] = useState<AgentConfigItem | undefined>(undefined);
  return (
    <div data-testid="page-agents">
      <Typography.Title level={2}>{t("nav.agents")}</Typography.Title>
      <ErrorAlert error={error} onRetry={reload} />
      {data && data.items.length === 0 && <Typography.Paragraph>{t("common.noData")}</Typography.Paragraph>}
      {data?.items.map((c) => (
        <AgentCard key={`${c.namespace}/${c.name}`} c={c} onEdit={() => setEditing(c)} />
      ))}
      {editing && (
        <AgentEdit
          config={editing}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) reload();
          }}
        />
      )}
    </div>
  );
}
