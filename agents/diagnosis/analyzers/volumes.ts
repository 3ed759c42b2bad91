/**
 * Why a scheduled pod is stuck before its containers start: kubelet FailedMount
 * and attach/detach FailedAttachVolume wording (missing ConfigMap/Secret volume,
 * Multi-Attach, MountVolume.SetUp failed), or a claim that is still not bound.
 */
import { showEvent } from "../events.ts";
import type { Pod } from "../k8s.ts";
import type { ClusterView } from "../view.ts";
import { missingObject } from "./containers.ts";
import type { PodProblem } from "./problem.ts";
import { ageMs, freshEvents } from "./util.ts";

const CONFIG_MISSING =
  /(configmap|secret)s? "[^"]+" not found|couldn't find key|configmap references non-existent config key/i;

/** The volume problem of a pod whose containers have not started, or null. */
export function volumeProblem(view: ClusterView, pod: Pod): PodProblem | null {
  const events = freshEvents(view, pod).filter(
    (e) => e.reason === "FailedMount" || e.reason === "FailedAttachVolume",
  );
  if (events.length === 0) return null;
  const config = events.find((e) => CONFIG_MISSING.test(e.message));
  if (config) {
    return {
      category: "MissingConfig",
      severity: "critical",
      message: `pod cannot mount a volume: ${config.message.slice(0, 240)}`,
      evidence: [`status.phase=${pod.status?.phase ?? "?"}`, showEvent(config)],
      facts: { detail: config.message, object: missingObject(config.message), reason: config.reason },
      strength: 0.95,
    };
  }
  const multi = events.find((e) => /Multi-Attach error/i.test(e.message));
  const first = multi ?? events.find((e) => e.reason === "FailedAttachVolume") ?? events[0]!;
  const others = events.filter((e) => e !== first).slice(0, 1);
  return {
    category: "VolumeMountFailure",
    severity: ageMs(view, pod) > 2 * 60_000 || first.count > 2 ? "critical" : "warning",
    message: `pod cannot attach or mount a volume: ${first.message.slice(0, 240)}`,
    evidence: [`status.phase=${pod.status?.phase ?? "?"}`, showEvent(first), ...others.map(showEvent)],
    facts: { detail: first.message, reason: first.reason },
    strength: 0.9,
  };
}
