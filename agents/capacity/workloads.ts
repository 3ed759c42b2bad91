/**
 * Right-sizing per workload of one namespace (issue 13 §3, the way KRR does it): usage history
 * per container from cAdvisor, today's requests from kube-state-metrics, the recommendation from
 * right-size.ts. A pod belongs to the workload its name says (Deployment pods end in
 * -<template hash>-<5>, StatefulSet pods in -<ordinal>): no API read, so it works on the TSDB alone.
 */
import type { PrometheusClient } from "../../tools/prometheus/client.ts";
import type { RightSize } from "./right-size.ts";
import { rightSize } from "./right-size.ts";

/** One container of one workload: what it asks for, what it should ask for, what that frees. */
export interface WorkloadRightSize {
  namespace: string;
  kind: "Deployment" | "StatefulSet" | "Pod";
  name: string;
  container: string;
  /** The largest request among its pods today (cores, bytes); null when none is set. */
  current: { cpuCores: number | null; memoryBytes: number | null };
  recommended: RightSize;
  /** Requests above the recommendation, per pod (0 when under). */
  excess: { cpuCores: number; memoryBytes: number };
}

/** The workload a pod name belongs to. */
export function workloadOf(pod: string): { kind: WorkloadRightSize["kind"]; name: string } {
  const deploy = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  if (deploy) return { kind: "Deployment", name: deploy[1]! };
  const sts = /^(.+)-\d+$/.exec(pod);
  if (sts) return { kind: "StatefulSet", name: sts[1]! };
  return { kind: "Pod", name: pod };
}

const idOf = (ns: string, pod: string, container: string) => {
  const w = workloadOf(pod);
  return { id: `${ns}\0${w.kind}\0${w.name}\0${container}`, ...w };
};

interface Acc {
  namespace: string;
  kind: WorkloadRightSize["kind"];
  name: string;
  container: string;
  cpu: number[];
  mem: number[];
  cpuReq: number | null;
  memReq: number | null;
}

/** The namespace's workloads, most excess memory request first, then CPU. */
export async function collectRightSizing(
  prom: PrometheusClient,
  namespace: string,
  opts: { historyDays?: number; stepSeconds?: number; now?: Date } = {},
): Promise<WorkloadRightSize[]> {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace))
    throw new Error(`not a namespace name: ${namespace}`);
  const end = opts.now ?? new Date();
  const start = new Date(end.getTime() - (opts.historyDays ?? 14) * 86_400_000);
  const step = opts.stepSeconds ?? 3600;
  const sel = `namespace="${namespace}",container!="",container!="POD"`;
  // CPU over 10 minutes: two samples even at a 5-minute scrape interval. Requests: the last sample
  // within an hour, since one scrape gap must not hide a request.
  const [cpu, mem, requests] = await Promise.all([
    prom.queryRange(
      `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${sel}}[10m]))`,
      start,
      end,
      step,
    ),
    prom.queryRange(
      `max by (namespace, pod, container) (container_memory_working_set_bytes{${sel}})`,
      start,
      end,
      step,
    ),
    prom.query(
      `max by (pod, container, resource) (last_over_time(kube_pod_container_resource_requests{${sel}}[1h]))`,
      end,
    ),
  ]);
  const acc = accumulate(namespace, cpu, mem, requests);
  return [...acc.values()]
    .filter((a) => a.cpu.length || a.mem.length)
    .map(toRightSize)
    .sort((x, y) => y.excess.memoryBytes - x.excess.memoryBytes || y.excess.cpuCores - x.excess.cpuCores);
}

type SeriesList = Awaited<ReturnType<PrometheusClient["queryRange"]>>;
type Samples = Awaited<ReturnType<PrometheusClient["query"]>>;

/** Usage samples and today's requests, per workload container. */
function accumulate(
  namespace: string,
  cpu: SeriesList,
  mem: SeriesList,
  requests: Samples,
): Map<string, Acc> {
  const acc = new Map<string, Acc>();
  const get = (labels: Record<string, string>): Acc => {
    const { id, kind, name } = idOf(namespace, labels.pod ?? "", labels.container ?? "");
    let a = acc.get(id);
    if (!a) {
      a = {
        namespace,
        kind,
        name,
        container: labels.container ?? "",
        cpu: [],
        mem: [],
        cpuReq: null,
        memReq: null,
      };
      acc.set(id, a);
    }
    return a;
  };
  for (const s of cpu) get(s.labels).cpu.push(...s.points.map((p) => p[1]));
  for (const s of mem) get(s.labels).mem.push(...s.points.map((p) => p[1]));
  for (const r of requests) {
    const a = get(r.labels);
    if (r.labels.resource === "cpu") a.cpuReq = Math.max(a.cpuReq ?? 0, r.value);
    if (r.labels.resource === "memory") a.memReq = Math.max(a.memReq ?? 0, r.value);
  }
  return acc;
}

function toRightSize(a: Acc): WorkloadRightSize {
  const recommended = rightSize(a.cpu, a.mem);
  const over = (now: number | null, rec: number | null) =>
    now === null || rec === null ? 0 : Math.max(0, now - rec);
  return {
    namespace: a.namespace,
    kind: a.kind,
    name: a.name,
    container: a.container,
    current: { cpuCores: a.cpuReq, memoryBytes: a.memReq },
    recommended,
    excess: {
      cpuCores: over(a.cpuReq, recommended.cpuRequestCores),
      memoryBytes: over(a.memReq, recommended.memoryRequestBytes),
    },
  };
}

/** CPU cores as a Kubernetes quantity (millicores). */
export const cpuQuantity = (cores: number): string => `${Math.max(1, Math.ceil(cores * 1000))}m`;
/** Bytes as a Kubernetes quantity (Mi, rounded up). */
export const memoryQuantity = (bytes: number): string => `${Math.ceil(bytes / 2 ** 20)}Mi`;

/** The compact form carried on a task's alert: "kind/name container cpu=…m mem=…Mi (now …)" per line. */
export function rightSizingAnnotation(items: readonly WorkloadRightSize[], max: number): string {
  const lines: string[] = [];
  let size = 0;
  for (const w of items) {
    const r = w.recommended;
    const now = `now cpu=${w.current.cpuCores === null ? "unset" : cpuQuantity(w.current.cpuCores)} mem=${
      w.current.memoryBytes === null ? "unset" : memoryQuantity(w.current.memoryBytes)
    }`;
    const line =
      `${w.kind}/${w.name} ${w.container} cpu=${r.cpuRequestCores === null ? "-" : cpuQuantity(r.cpuRequestCores)} ` +
      `mem=${r.memoryRequestBytes === null ? "-" : memoryQuantity(r.memoryRequestBytes)} (${now})`;
    if (size + line.length + 1 > max) break;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n");
}

/** One line of the annotation, parsed back (the diagnosis reads it); undefined when malformed. */
export interface RightSizingLine {
  kind: string;
  name: string;
  container: string;
  cpu?: string;
  memory?: string;
  currentCpu?: string;
  currentMemory?: string;
}

/** Parses rightSizingAnnotation's text. */
export function parseRightSizing(text: string | undefined): RightSizingLine[] {
  const out: RightSizingLine[] = [];
  for (const line of (text ?? "").split("\n")) {
    const m = /^(\w+)\/(\S+) (\S+) cpu=(\S+) mem=(\S+) \(now cpu=(\S+) mem=(\S+)\)$/.exec(line.trim());
    if (!m) continue;
    const q = (s: string) => (s === "-" || s === "unset" ? undefined : s);
    out.push({
      kind: m[1]!,
      name: m[2]!,
      container: m[3]!,
      cpu: q(m[4]!),
      memory: q(m[5]!),
      currentCpu: q(m[6]!),
      currentMemory: q(m[7]!),
    });
  }
  return out;
}
