/** A chart, loaded lazily: ECharts arrives in its own chunk the first time a chart is drawn. */
import { Suspense, lazy } from "react";
import { Skeleton } from "antd";

export interface ChartProps {
  /** An ECharts option object. */
  option: Record<string, unknown>;
  /** What the chart shows, for screen readers. */
  label: string;
  height?: number;
}

const EChart = lazy(() => import("./EChart.tsx"));

/** Renders an ECharts option; a skeleton while ECharts loads. */
export function Chart(props: ChartProps) {
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: "100%", height: props.height ?? 260 }} />}>
      <EChart {...props} />
    </Suspense>
  );
}

/** The option of a simple bar chart of labelled counts. */
export function barOption(labels: string[], values: number[], horizontal = false): Record<string, unknown> {
  const cat = { type: "category", data: labels, axisLabel: { color: "#333" } };
  const val = { type: "value", minInterval: 1, axisLabel: { color: "#333" } };
  return {
    tooltip: { trigger: "axis" },
    grid: { left: horizontal ? 140 : 40, right: 20, top: 20, bottom: 40 },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: [{ type: "bar", data: values, itemStyle: { color: "#0958d9" } }],
  };
}

/** The option of a pie chart of labelled counts with fixed colours. */
export function pieOption(data: { name: string; value: number; color?: string }[]): Record<string, unknown> {
  return {
    tooltip: { trigger: "item" },
    legend: { bottom: 0, textStyle: { color: "#333" } },
    series: [
      {
        type: "pie",
        radius: ["40%", "70%"],
        data: data.map((d) => ({
          name: d.name,
          value: d.value,
          itemStyle: d.color ? { color: d.color } : undefined,
        })),
        label: { color: "#333", formatter: "{b}: {c}" },
      },
    ],
  };
}
