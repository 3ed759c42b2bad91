/**
 * One ECharts chart. This module (and ECharts with it) is loaded only when a page first draws a
 * chart (Chart.tsx), so the shell's first load stays small. Only the chart types used are
 * registered, so the rest of ECharts is shaken out.
 */
import { useEffect, useRef } from "react";
import { BarChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import type { ChartProps } from "./Chart.tsx";

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** Draws option into a sized box, resizing with the window. */
export default function EChart({ option, label, height = 260 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: "svg" });
    const onResize = () => chart.resize();
    window.addEventListener("resize", onResize);
    return () => {
      window.removeEventListener("resize", onResize);
      chart.dispose();
    };
  }, []);
  useEffect(() => {
    if (!box.current) return;
    echarts.getInstanceByDom(box.current)?.setOption(option as echarts.EChartsCoreOption, true);
  }, [option]);
  return <div ref={box} role="img" aria-label={label} style={{ width: "100%", height }} />;
}
