/** Capacity: days to exhaustion per node pool, namespace and volume, when forecasts exist. */
import { Alert, Card, Table, Typography } from "antd";
import type { Capacity as CapacityData, CapacityItem } from "../api/types.ts";
import { useApi } from "../api/useApi.ts";
import { Chart, barOption } from "../components/Chart.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { formatValue } from "../components/format.ts";
import { useI18n } from "../i18n/index.tsx";

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const forecastOf = (f: CapacityItem): Record<string, unknown> =>
  f.forecast && typeof f.forecast === "object" ? (f.forecast as Record<string, unknown>) : {};

/**
 * The name of a forecast: its key (node, pool, namespace/resource, namespace/pvc, as the
 * capacity agent reports it), else namespace/name.
 */
export function forecastName(f: CapacityItem): string {
  if (typeof f.key === "string") return f.key;
  const name = f.name ?? f.target ?? f.pool;
  const ns = typeof f.namespace === "string" ? `${f.namespace}/` : "";
  return `${ns}${formatValue(name)}`;
}

/** Days to exhaustion of a forecast (agents/capacity: forecast.daysToExhaustion). */
export function daysOf(f: CapacityItem): number | undefined {
  return num(forecastOf(f).daysToExhaustion) ?? num(f.daysToExhaustion) ?? num(f.days);
}

/** What is measured: "cpu requests", "storage usage". */
export function measureOf(f: CapacityItem): string {
  return [f.resource, f.measure].filter((v) => typeof v === "string").join(" ");
}

/** Utilization as a percentage, or the row's own usage text; why there is no forecast otherwise. */
export function usageOf(f: CapacityItem): string {
  const u = num(forecastOf(f).utilization);
  if (u !== undefined) return `${Math.round(u * 100)}%`;
  if (typeof f.insufficient === "string") return f.insufficient;
  return formatValue(f.usage);
}

/** The capacity page. */
export default function Capacity() {
  const { t } = useI18n();
  const { data, error, loading, reload } = useApi<CapacityData>("/capacity");
  const items = data?.items ?? [];
  const charted = items
    .map((f) => ({ name: forecastName(f), days: daysOf(f) }))
    .filter((f): f is { name: string; days: number } => f.days !== undefined)
    .sort((a, b) => a.days - b.days)
    .slice(0, 15);
  return (
    <div data-testid="page-capacity">
      <Typography.Title level={2}>{t("nav.capacity")}</Typography.Title>
      <ErrorAlert error={error} onRetry={reload} />
      {data && !data.available && <Alert type="info" showIcon title={t("capacity.notAvailable")} />}
      {data?.available && (
        <>
          {charted.length > 0 && (
            <Card title={t("capacity.chart")} style={{ marginBottom: 16 }}>
              <Chart
                label={t("capacity.chart")}
                option={barOption(
                  charted.map((c) => c.name),
                  charted.map((c) => c.days),
                  true,
                )}
              />
            </Card>
          )}
          <Table<CapacityItem>
            rowKey={(f, i) => `${forecastName(f)}#${i}`}
            loading={loading}
            dataSource={items}
            locale={{ emptyText: t("common.noData") }}
            columns={[
              { title: t("capacity.kind"), render: (_, f) => formatValue(f.scope ?? f.kind) },
              { title: t("common.name"), render: (_, f) => forecastName(f) },
              { title: t("capacity.resource"), render: (_, f) => measureOf(f) },
              { title: t("capacity.usage"), render: (_, f) => usageOf(f) },
              {
                title: t("capacity.daysToExhaustion"),
                render: (_, f) => {
                  const d = daysOf(f);
                  return d === undefined ? t("capacity.never") : d.toFixed(1);
                },
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
