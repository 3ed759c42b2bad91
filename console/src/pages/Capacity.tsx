/** Capacity: days to exhaustion per node pool, namespace and volume, when forecasts exist. */
import { Alert, Card, Table, Typography } from "antd";
import type { Capacity as CapacityData, CapacityItem } from "../api/types.ts";
import { useApi } from "../api/useApi.ts";
import { Chart, barOption } from "../components/Chart.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { formatValue } from "../components/format.ts";
import { useI18n } from "../i18n/index.tsx";

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The name of a forecast: its explicit name, else namespace/name, else its resource. */
export function forecastName(f: CapacityItem): string {
  const name = f.name ?? f.resource ?? f.target ?? f.pool;
  const ns = typeof f.namespace === "string" ? `${f.namespace}/` : "";
  return `${ns}${formatValue(name)}`;
}

/** Days to exhaustion of a forecast, whatever the backend calls it. */
export function daysOf(f: CapacityItem): number | undefined {
  return num(f.daysToExhaustion) ?? num(f.days) ?? num(f.daysLeft);
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
              { title: t("capacity.kind"), render: (_, f) => formatValue(f.kind ?? f.scope) },
              { title: t("capacity.resource"), render: (_, f) => forecastName(f) },
              { title: t("capacity.usage"), render: (_, f) => formatValue(f.usage ?? f.used) },
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
