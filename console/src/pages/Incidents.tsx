/** Incidents: filters (namespace, severity, category, status, time), full-text search, server-side pages. */
import { useEffect, useState } from "react";
import { DatePicker, Input, Select, Space, Table, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { CATEGORIES } from "../../../crds/categories.ts";
import { query } from "../api/client.ts";
import { useNamespaces } from "../api/session.tsx";
import type { IncidentItem, Page } from "../api/types.ts";
import { useApi } from "../api/useApi.ts";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { formatTime } from "../components/format.ts";
import { SeverityTag, StatusTag } from "../components/Tags.tsx";
import { useI18n } from "../i18n/index.tsx";
import { hrefOf } from "../route.ts";

interface Filters {
  namespace?: string;
  severity?: string;
  category?: string;
  status?: string;
  since?: string;
  until?: string;
  q?: string;
}

interface DateLike {
  toISOString(): string;
}

function useColumns(): TableColumnsType<IncidentItem> {
  const { t, lang } = useI18n();
  return [
    { title: t("incidents.opened"), dataIndex: "openedAt", render: (v: string) => formatTime(v, lang) },
    {
      title: t("incidents.alert"),
      dataIndex: "alertname",
      render: (v: string | undefined, r) => (
        <a href={hrefOf({ page: "incident", id: r.id })}>{v || r.task}</a>
      ),
    },
    { title: t("common.namespace"), dataIndex: "namespace" },
    { title: t("common.severity"), dataIndex: "severity", render: (v?: string) => <SeverityTag value={v} /> },
    { title: t("common.category"), dataIndex: "category" },
    { title: t("common.status"), dataIndex: "status", render: (v?: string) => <StatusTag value={v} /> },
    { title: t("incidents.summary"), dataIndex: "summary", ellipsis: true },
  ];
}

function FilterBar({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  const { t } = useI18n();
  const namespaces = useNamespaces();
  const set = (patch: Filters) => onChange({ ...filters, ...patch });
  const opt = (v: string, label = v) => ({ value: v, label });
  return (
    <Space wrap style={{ marginBottom: 16 }} role="search" aria-label={t("incidents.filters")}>
      <Select
        aria-label={t("common.namespace")}
        placeholder={t("common.namespace")}
        allowClear
        style={{ width: 180 }}
        value={filters.namespace}
        onChange={(v?: string) => set({ namespace: v })}
        options={namespaces.map((n) => opt(n.name))}
      />
      <Select
        aria-label={t("common.severity")}
        placeholder={t("common.severity")}
        allowClear
        style={{ width: 130 }}
        value={filters.severity}
        onChange={(v?: string) => set({ severity: v })}
        options={(["critical", "warning", "info"] as const).map((s) => opt(s, t(`severity.${s}`)))}
      />
      <Select
        aria-label={t("common.category")}
        placeholder={t("common.category")}
        allowClear
        showSearch
        style={{ width: 220 }}
        value={filters.category}
        onChange={(v?: string) => set({ category: v })}
        options={CATEGORIES.map((c) => opt(c))}
      />
      <Select
        aria-label={t("common.status")}
        placeholder={t("common.status")}
        allowClear
        style={{ width: 130 }}
        value={filters.status}
        onChange={(v?: string) => set({ status: v })}
        options={(["open", "resolved"] as const).map((s) => opt(s, t(`status.${s}`)))}
      />
      <DatePicker.RangePicker
        aria-label={t("incidents.timeRange")}
        showTime
        onChange={(range) => {
          const [from, to] = (range ?? []) as (DateLike | null)[];
          set({ since: from?.toISOString(), until: to?.toISOString() });
        }}
      />
      <Input.Search
        aria-label={t("incidents.search")}
        placeholder={t("incidents.searchPlaceholder")}
        allowClear
        style={{ width: 320 }}
        defaultValue={filters.q}
        onSearch={(q) => set({ q: q.trim() || undefined })}
      />
    </Space>
  );
}

/** The list's filters and page, kept while the console is open: back from a detail, the list is as left. */
let remembered: { filters: Filters; page: number; pageSize: number } = { filters: {}, page: 1, pageSize: 20 };

/** The incident list. */
export default function Incidents() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>(remembered.filters);
  const [page, setPage] = useState(remembered.page);
  const [pageSize, setPageSize] = useState(remembered.pageSize);
  useEffect(() => {
    // The time range is not kept: its picker cannot show a remembered range without dayjs.
    const { since: _since, until: _until, ...kept } = filters;
    remembered = { filters: kept, page, pageSize };
  }, [filters, page, pageSize]);
  const { data, error, loading, reload } = useApi<Page<IncidentItem>>(
    `/incidents${query({ ...filters, page, pageSize })}`,
  );
  const columns = useColumns();
  return (
    <div data-testid="page-incidents">
      <Typography.Title level={2}>{t("nav.incidents")}</Typography.Title>
      <FilterBar
        filters={filters}
        onChange={(f) => {
          setFilters(f);
          setPage(1);
        }}
      />
      <ErrorAlert error={error} onRetry={reload} />
      <Table<IncidentItem>
        rowKey="id"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        locale={{ emptyText: t("common.noData") }}
        onRow={(r) =>
          ({
            "data-testid": "incident-row",
            onClick: (e) => {
              if (!(e.target instanceof HTMLAnchorElement))
                location.hash = hrefOf({ page: "incident", id: r.id });
            },
            style: { cursor: "pointer" },
          }) as React.HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t("common.total", { total }),
          onChange: (p, size) => {
            setPage(size === pageSize ? p : 1);
            setPageSize(size);
          },
        }}
      />
    </div>
  );
}
