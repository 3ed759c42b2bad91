/**
 * Failing workloads whose logs end on a failed connection, and what each failed to reach:
 * the host:port the log names (or, when the client names none, the one its configuration
 * names), resolved to a Service, a pod, a missing Service or an external host.
 */
import { excerpt, isFailing } from "../analyzers/pod-logs.ts";
import type { Pod } from "../k8s.ts";
import { workloadOf } from "../owners.ts";
import { refKey } from "../refs.ts";
import type { ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Endpoint } from "./endpoint.ts";
import { showEndpoint } from "./endpoint.ts";
import type { ConnectFailure } from "./logs.ts";
import { endingFailures, waitingFailure } from "./logs.ts";
import type { ConfiguredEndpoint } from "./pod-config.ts";
import { configuredEndpoints } from "./pod-config.ts";
import type { Target } from "./resolve.ts";
import { resolveEndpoint } from "./resolve.ts";

/** One failed call to a dependency, as a failing pod logged it. */
export interface FailedCall {
  pod: Pod;
  /** "pod/container (previous run): the line", for evidence. */
  line: string;
  failure: ConnectFailure;
  endpoint: Endpoint;
  target: Target;
  /** The setting that names the same host, when the configuration does. */
  configured?: ConfiguredEndpoint;
}

/** A failing workload and the calls its pods failed. */
export interface Caller {
  workload: ResourceRef;
  pods: Pod[];
  calls: FailedCall[];
}

const CLIENT_PORTS: Record<string, number[]> = {
  mysql: [3306],
  kafka: [9092, 9093, 9094],
  postgres: [5432],
  redis: [6379],
  amqp: [5672, 5671],
  mongodb: [27017],
};

/** Pods read per workload: the first few failing ones say what the others would. */
const PODS_READ = 3;

function fitsClient(e: Endpoint, client: string): boolean {
  const scheme = e.scheme ?? "";
  return (
    scheme.startsWith(client === "postgres" ? "postgres" : client) ||
    (CLIENT_PORTS[client] ?? []).includes(e.port ?? 0)
  );
}

function candidates(f: ConnectFailure, configured: () => ConfiguredEndpoint[]): Endpoint[] {
  if (f.endpoints.length > 0) return f.endpoints;
  // Connector/J, Hikari and NoBrokersAvailable name no host: the configuration does.
  return f.client ? configured().filter((e) => fitsClient(e, f.client!)) : [];
}

interface PodLog {
  text: string | undefined;
  where: string;
  /** The current log of an init container that has not finished: it may be waiting on a dependency. */
  waiting?: boolean;
}

function initRunning(pod: Pod, container: string): boolean {
  return !!pod.status?.initContainerStatuses?.some((s) => s.name === container && s.state?.running);
}

function logsOf(view: ClusterView, pod: Pod): PodLog[] {
  const { namespace: ns = "", name = "" } = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const inits = new Set((spec.initContainers ?? []).map((c) => c.name));
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].flatMap((c) => [
    { text: view.log(ns, name, c.name, true), where: `${name}/${c.name} (previous run)` },
    {
      text: view.log(ns, name, c.name),
      where: `${name}/${c.name}`,
      ...(inits.has(c.name) && initRunning(pod, c.name) ? { waiting: true } : {}),
    },
  ]);
}

/** The failed calls one pod's logs end on, resolved; the pod's own loopback calls left out. */
export function failedCalls(view: ClusterView, pod: Pod): FailedCall[] {
  const ns = pod.metadata?.namespace ?? "";
  let config: ConfiguredEndpoint[] | undefined;
  const configured = () => (config ??= configuredEndpoints(view, pod));
  const out: FailedCall[] = [];
  for (const log of logsOf(view, pod)) {
    const found = log.waiting ? waitingFailure(log.text) : endingFailures(log.text).slice(0, 4);
    for (const { failure, line } of found) {
      for (const endpoint of candidates(failure, configured)) {
        const target = resolveEndpoint(view, endpoint, ns);
        if (!target || target.kind === "self") continue;
        const named = configured().find((c) => c.host === endpoint.host);
        out.push({
          pod,
          line: `${log.where}: ${excerpt(line, /(refused|timed? ?out|ENOTFOUND|no such host|failure|connect)/i, 240)}`,
          failure,
          endpoint,
          target,
          ...(named ? { configured: named } : {}),
        });
      }
    }
    if (out.length > 0) return out;
  }
  return out;
}

// The analyzer, the walk and the grouping all ask: computed once per view.
const memo = new WeakMap<ClusterView, Map<string, Caller>>();

/** Failing workloads with failed calls, by workload key. */
export function failingCallers(view: ClusterView): Map<string, Caller> {
  const known = memo.get(view);
  if (known) return known;
  const out = new Map<string, Caller>();
  for (const pod of view.list<Pod>("Pod")) {
    if (!isFailing(pod) || !logsOf(view, pod).some((l) => l.text)) continue;
    const workload = workloadOf(view, pod);
    const k = refKey(workload);
    const c = out.get(k);
    if (c && c.calls.length > 0 && c.pods.length >= PODS_READ) {
      c.pods.push(pod);
      continue;
    }
    const calls = failedCalls(view, pod);
    if (calls.length === 0) continue;
    if (c) {
      c.pods.push(pod);
      c.calls.push(...calls);
    } else out.set(k, { workload, pods: [pod], calls });
  }
  memo.set(view, out);
  return out;
}

/** "orders-db:5432" of a call, for messages. */
export function callHost(c: FailedCall): string {
  return showEndpoint(c.endpoint);
}
