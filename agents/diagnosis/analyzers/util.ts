/** Small helpers the analyzers share: freshness, readiness, logs. */
import type { ClusterEvent } from "../events.ts";
import type { K8sObject, Pod } from "../k8s.ts";
import { condition, toMs } from "../k8s.ts";
import type { ClusterView } from "../view.ts";

/** Events older than this (relative to view.now) are stale evidence. */
export const EVENT_WINDOW_MS = 60 * 60 * 1000;
/** A container termination older than this no longer counts as a live restart loop. */
export const RESTART_WINDOW_MS = 30 * 60 * 1000;

/** True when the event was seen within the window (events without a time count as fresh). */
export function isFresh(view: ClusterView, e: ClusterEvent, windowMs = EVENT_WINDOW_MS): boolean {
  return e.lastSeen === undefined || view.now - e.lastSeen <= windowMs;
}

/** Fresh events of an object, newest first. */
export function freshEvents(view: ClusterView, obj: K8sObject, windowMs = EVENT_WINDOW_MS): ClusterEvent[] {
  return view
    .eventsFor(obj)
    .filter((e) => isFresh(view, e, windowMs))
    .sort((a, b) => (b.lastSeen ?? view.now) - (a.lastSeen ?? view.now));
}

/** Fresh events of an object with one of the reasons. */
export function eventsWithReason(view: ClusterView, obj: K8sObject, ...reasons: string[]): ClusterEvent[] {
  return freshEvents(view, obj).filter((e) => reasons.includes(e.reason));
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return condition(pod.status?.conditions, "Ready")?.status === "True";
}

/** True for pods that finished (Succeeded/Failed): they serve nothing and retry nothing. */
export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** Age of an object in ms (0 when unknown). */
export function ageMs(view: ClusterView, obj: K8sObject): number {
  const created = toMs(obj.metadata?.creationTimestamp);
  return created === undefined ? 0 : view.now - created;
}

const STRONG =
  /(\w*(Error|Exception)\b:?|panic:|fatal|FATAL|ERROR|not found|no such file|permission denied|denied|refused|Operation not permitted|cannot|unable to)/;
const WEAK = /(error|fail|invalid|missing|killed|exit)/i;
const WRAPPER = /^(npm (error|ERR!)|at\s|goroutine\s|Node\.js v|\.\.\.|\^+$|\}|\{$|[-=]+$)/;

/** The most telling line of a log: the last "Caused by", else the last error line, else the last line. */
export function lastMeaningfulLine(log: string | undefined): string | undefined {
  if (!log) return undefined;
  const lines = log
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !WRAPPER.test(l));
  if (lines.length === 0) return undefined;
  const tail = lines.slice(-40).reverse();
  const line =
    tail.find((l) => l.startsWith("Caused by:")) ??
    tail.find((l) => STRONG.test(l)) ??
    tail.find((l) => WEAK.test(l)) ??
    tail[0];
  return line?.slice(0, 200);
}

/** The image tag (or digest prefix) of an image reference. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(at + 1, at + 20);
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : "latest";
}
