/** Runbooks: list and search (Chinese and English), with the incidents each matched. */
import { useState } from "react";
import { Input, Space, Table, Tag, Typography } from "antd";
import { query } from "../api/client.ts";
import type { RunbookItem } from "../api/types.ts";
import { useApi } from "../api/useApi.ts";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { useI18n } from "../i18n/index.tsx";
import { hrefOf } from "../route.ts";

/** The runbooks page. */
export default function Runbooks() {
  const { t } = useI18n();
  const [q, setQ] = useState<string | undefined>(undefined);
  const { data, error, loading, reload } = useApi<{ items: RunbookItem[] }>(`/runbooks${query({ q })}`);
  return (
    <div data-testid="page-runbooks">
      <Typography.Title level={2}>{t("nav.runbooks")}</Typography.Title>
      <div role="search" style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t("runbooks.search")}
          placeholder={t("runbooks.searchPlaceholder")}
          allowClear
          style={{ maxWidth: 420 }}
          onSearch={(v) => setQ(v.trim() || undefined)}
        />
      </div>
      <ErrorAlert error={error} onRetry={reload} />
      <Table<RunbookItem>
        rowKey={(r) => `${r.namespace}/${r.name}`}
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t("common.noData") }}
        columns={[
          { title: t("runbooks.titleCol"), render: (_, r) => r.title ?? r.name },
          { title: t("common.namespace"), dataIndex: "namespace" },
          { title: t("common.name"), dataIndex: "name" },
          {
            title: t("runbooks.categories"),
            render: (_, r) => (
              <Space wrap size={[4, 4]}>
                {(r.categories ?? []).map((c) => (
                  <Tag key={c}>{c}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t("runbooks.matched"),
            render: (_, r) => (
              <Space wrap size={[8, 4]}>
                {(r.matchedIncidents ?? []).map((id) => (
                  <a key={id} href={hrefOf({ page: "incident", id })}>
                    {id}
                  </a>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
