/** DiskFillForecast: volumes whose usage trend reaches their capacity within the horizon. */
import type { Fault } from "../fault.ts";
import { formatBytes } from "../quantity.ts";
import { ref, refKey, refOf } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import { percent, short } from "./group.ts";
import type { Thresholds } from "./thresholds.ts";
import { humanDuration, linearTrend, secondsUntil, sinceLastReset } from "./trend.ts";
import type { MetricEvidence, VolumeSeries } from "./types.ts";

function forecast(v: VolumeSeries, at: number, t: Thresholds) {
  const points = sinceLastReset(v.points);
  const trend = linearTrend(points);
  if (!trend || points.length < 5 || trend.r2 < t.diskMinR2) return undefined;
  const used = points[points.length - 1]![1];
  const eta = secondsUntil(trend, v.capacityBytes, at / 1000);
  if (eta === undefined || eta > t.diskHorizonSeconds) return undefined;
  const free = Math.max(0, 1 - used / v.capacityBytes);
  if (free > t.diskMaxFreeShare && eta > t.diskCriticalSeconds) return undefined;
  return { trend, used, eta, free, span: points[points.length - 1]![0] - points[0]![0] };
}

/** PersistentVolumeClaims predicted to fill up (kubelet volume stats). */
export function analyzeVolumes(view: ClusterView, m: MetricEvidence, t: Thresholds): Fault[] {
  const faults: Fault[] = [];
  for (const v of m.volumes) {
    const f = forecast(v, m.at, t);
    if (!f) continue;
    const claim = ref("PersistentVolumeClaim", v.namespace, v.claim);
    const pods = view.podsUsingClaim(v.namespace, v.claim);
    const size = formatBytes(v.capacityBytes);
    const rate = `${formatBytes(f.trend.slope * 3600)}/h`;
    const message = `PVC ${v.claim} fills up in about ${humanDuration(f.eta)} at ${rate} (${percent(1 - f.free)} of ${size} used)`;
    faults.push({
      category: "DiskFillForecast",
      severity: f.eta <= t.diskCriticalSeconds ? "critical" : "warning",
      resource: claim,
      subject: claim,
      message,
      evidence: [
        `kubelet_volume_stats_used_bytes ${formatBytes(f.used)} of capacity ${size} (${percent(f.free)} free)`,
        `linear trend +${rate} (r²=${short(f.trend.r2)} over ${humanDuration(f.span)}): full in ~${humanDuration(f.eta)}, horizon ${humanDuration(t.diskHorizonSeconds)}`,
        ...(pods.length ? [`used by ${pods.map((p) => `pod ${p.metadata?.name}`).join(", ")}`] : []),
      ],
      pods: pods.map((p) => refKey(refOf({ ...p, kind: "Pod" }))),
      facts: { detail: `full in ~${humanDuration(f.eta)}` },
      strength: Math.min(1, 0.4 + f.trend.r2 / 2),
    });
  }
  return faults;
}
