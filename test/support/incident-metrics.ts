/**
 * Metric histories of typical incidents, for a backfilled Prometheus: 5xx storms, slow
 * answers, CPU throttling, a memory leak and a filling volume, next to healthy series.
 * Metric names and labels are those cAdvisor, the kubelet and HTTP client libraries expose.
 */
import type { HistorySeries, HistoryWindow } from "./metric-history.ts";
import { counter, gauge, histogram } from "./metric-history.ts";

const MI = 1024 ** 2;
const GI = 1024 ** 3;

/** Seven hours of history at 30 s resolution, ending five seconds ago. */
export function recentWindow(): HistoryWindow {
  return { endSeconds: Math.floor(Date.now() / 1000) - 5, spanSeconds: 7 * 3600, stepSeconds: 30 };
}

type PodLabels = { namespace: string; pod: string };

/** Requests at `perSecond`, an `errorShare` of them answered 500. */
export function requests(
  p: PodLabels,
  perSecond: number,
  errorShare: number,
  w: HistoryWindow,
): HistorySeries[] {
  return [
    counter("http_requests_total", { ...p, code: "200" }, perSecond * (1 - errorShare), w),
    counter("http_requests_total", { ...p, code: "500" }, perSecond * errorShare, w),
  ];
}

/** A latency histogram whose p99 lies between 2.5 s and 5 s when slow, under 0.25 s when not. */
export function latency(p: PodLabels, slow: boolean, w: HistoryWindow): HistorySeries[] {
  const buckets: Array<[number, number]> = slow
    ? [
        [0.25, 0.5],
        [1, 0.8],
        [2.5, 0.95],
        [5, 0.999],
      ]
    : [
        [0.25, 0.995],
        [1, 1],
        [2.5, 1],
        [5, 1],
      ];
  return histogram(
    "http_request_duration_seconds",
    p,
    { perSecond: 20, buckets, meanSeconds: slow ? 0.9 : 0.05 },
    w,
  );
}

/** CFS periods of a container, `share` of them throttled. */
export function cfs(p: PodLabels & { container: string }, share: number, w: HistoryWindow): HistorySeries[] {
  return [
    counter("container_cpu_cfs_periods_total", p, 10, w),
    counter("container_cpu_cfs_throttled_periods_total", p, 10 * share, w),
  ];
}

/** A working set of `nowMi` growing by `miPerHour` (0 for a flat one, with a little noise). */
export function workingSet(
  p: PodLabels & { container: string },
  nowMi: number,
  miPerHour: number,
): HistorySeries {
  return gauge("container_memory_working_set_bytes", p, (ago) =>
    Math.round(Math.max(20, nowMi - (miPerHour * ago) / 3600) * MI + ((ago / 30) % 2 ? 1 : -1) * MI),
  );
}

/** A claim of `capacityGi` with `usedGi` used now, growing by `giPerHour`. */
export function volume(
  p: { namespace: string; persistentvolumeclaim: string },
  capacityGi: number,
  usedGi: number,
  giPerHour: number,
): HistorySeries[] {
  return [
    gauge("kubelet_volume_stats_capacity_bytes", p, () => capacityGi * GI),
    gauge("kubelet_volume_stats_used_bytes", p, (ago) =>
      Math.round((usedGi - (giPerHour * ago) / 3600) * GI),
    ),
  ];
}
