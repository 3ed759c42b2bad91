/**
 * One shape for core/v1 Events and events.k8s.io/v1 Events, so analyzers read
 * reason, message, count and last-seen time the same way for both.
 */
import type { K8sObject, Time } from "./k8s.ts";
import { toMs } from "./k8s.ts";

export interface EventRef {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  fieldPath?: string;
}

/** A normalised Kubernetes Event. */
export interface ClusterEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** Last time it was seen (ms), undefined when the event carries no time. */
  lastSeen?: number;
  firstSeen?: number;
  regarding: EventRef;
  namespace: string;
  source: string;
}

interface CoreEvent extends K8sObject {
  involvedObject?: EventRef;
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: Time;
  lastTimestamp?: Time;
  eventTime?: Time;
  series?: { count?: number; lastObservedTime?: Time };
  source?: { component?: string };
  reportingComponent?: string;
}

interface EventsV1Event extends K8sObject {
  regarding?: EventRef;
  reason?: string;
  note?: string;
  type?: string;
  deprecatedCount?: number;
  deprecatedFirstTimestamp?: Time;
  deprecatedLastTimestamp?: Time;
  eventTime?: Time;
  series?: { count?: number; lastObservedTime?: Time };
  reportingController?: string;
  deprecatedSource?: { component?: string };
}

/** True for both Event API groups. */
export function isEvent(obj: K8sObject): boolean {
  return obj.kind === "Event";
}

function maxTime(...times: (Time | undefined)[]): number | undefined {
  let best: number | undefined;
  for (const t of times) {
    const ms = toMs(t);
    if (ms !== undefined && (best === undefined || ms > best)) best = ms;
  }
  return best;
}

function regardingOf(
  r: EventRef | undefined,
  ns: string | undefined,
): { regarding: EventRef; namespace: string } {
  const regarding = r ?? {};
  return { regarding, namespace: ns ?? regarding.namespace ?? "" };
}

function fromCore(e: CoreEvent): ClusterEvent {
  const count = e.series?.count ?? e.count ?? 1;
  return {
    type: e.type ?? "Normal",
    reason: e.reason ?? "",
    message: e.message ?? "",
    count,
    lastSeen: maxTime(e.lastTimestamp, e.series?.lastObservedTime, e.eventTime),
    firstSeen: toMs(e.firstTimestamp) ?? toMs(e.eventTime),
    ...regardingOf(e.involvedObject, e.metadata?.namespace),
    source: e.source?.component ?? e.reportingComponent ?? "",
  };
}

function fromV1(e: EventsV1Event): ClusterEvent {
  const count = e.series?.count ?? e.deprecatedCount ?? 1;
  return {
    type: e.type ?? "Normal",
    reason: e.reason ?? "",
    message: e.note ?? "",
    count,
    lastSeen: maxTime(e.series?.lastObservedTime, e.eventTime, e.deprecatedLastTimestamp),
    firstSeen: toMs(e.deprecatedFirstTimestamp) ?? toMs(e.eventTime),
    ...regardingOf(e.regarding, e.metadata?.namespace),
    source: e.reportingController ?? e.deprecatedSource?.component ?? "",
  };
}

/** Normalises either Event API version. */
export function normaliseEvent(obj: K8sObject): ClusterEvent {
  const v1 = (obj.apiVersion ?? "").startsWith("events.k8s.io") || "regarding" in obj || "note" in obj;
  return v1 ? fromV1(obj as EventsV1Event) : fromCore(obj as CoreEvent);
}

/** Evidence text: `event Reason (xN): message`. */
export function showEvent(e: ClusterEvent): string {
  const count = e.count > 1 ? ` (x${e.count})` : "";
  return `event ${e.reason}${count}: ${e.message}`.slice(0, 400);
}
