/**
 * Reading pods' container logs line by line for the analyzers that name a cause outside the
 * pod (RBAC, DNS, NetworkPolicy, certificates): the current and the previous run of every
 * container, newest lines first, and whether the pod is visibly failing.
 */
import type { Pod } from "../k8s.ts";
import type { ClusterView } from "../view.ts";
import { isPodReady, isTerminal } from "./util.ts";

/** One log line with where it came from. */
export interface LogLine {
  pod: Pod;
  container: string;
  previous: boolean;
  line: string;
}

/** Lines read per log: the tail is what explains the current state. */
const TAIL = 200;

function linesOf(text: string, re: RegExp): string[] {
  return text
    .split(/\r?\n/)
    .slice(-TAIL)
    .reverse()
    .filter((l) => re.test(l))
    .map((l) => l.trim().slice(0, 2000));
}

/** The last lines of every log of the pod matching `re` (at most `max`), newest first. */
export function matchingLines(view: ClusterView, pod: Pod, re: RegExp, max = 5): LogLine[] {
  const { namespace: ns = "", name = "" } = pod.metadata ?? {};
  const out: LogLine[] = [];
  const spec = pod.spec ?? {};
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  for (const c of containers) {
    for (const previous of [false, true]) {
      const text = view.log(ns, name, c.name, previous);
      if (!text || !re.test(text)) continue;
      for (const line of linesOf(text, re)) out.push({ pod, container: c.name, previous, line });
      if (out.length >= max) return out.slice(0, max);
    }
  }
  return out;
}

/** True when any container of the pod has a log in the view (cheap pre-check). */
export function hasLogs(view: ClusterView, pod: Pod): boolean {
  const ns = pod.metadata?.namespace ?? "";
  const name = pod.metadata?.name ?? "";
  return (pod.spec?.containers ?? []).some(
    (c) => view.log(ns, name, c.name) !== undefined || view.log(ns, name, c.name, true) !== undefined,
  );
}

/** True when the pod is not serving: not ready, restarting, or waiting in a back-off. */
export function isFailing(pod: Pod): boolean {
  if (isTerminal(pod)) return pod.status?.phase === "Failed";
  if (!isPodReady(pod)) return true;
  return (pod.status?.containerStatuses ?? []).some((s) => !!s.state?.waiting?.reason);
}

/** At most `width` characters of a line around its first match of `re` (evidence stays short). */
export function excerpt(line: string, re: RegExp, width = 300): string {
  if (line.length <= width) return line;
  const at = Math.max(0, (re.exec(line)?.index ?? 0) - 80);
  return `${at > 0 ? "..." : ""}${line.slice(at, at + width)}`;
}

/** Undoes the JSON escaping of quotes that client libraries print in error bodies. */
export function unescapeQuotes(line: string): string {
  return line.replace(/\\+"/g, '"');
}
