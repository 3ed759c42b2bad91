/**
 * Why a dependency that shows no failure of its own is unavailable, in words and evidence, with
 * the precise step that fixes it: the Service to create, the port to expose, the workload
 * scaled to zero, the pods to look at, or the outside host to check.
 */
import { isPodReady } from "../analyzers/util.ts";
import type { Workload } from "../k8s.ts";
import { refOf, showRef } from "../refs.ts";
import { workloadsSelectedBy } from "../selection.ts";
import type { ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Caller, FailedCall } from "./callers.ts";
import { showEndpoint } from "./endpoint.ts";
import type { Target } from "./resolve.ts";
import { showTarget } from "./resolve.ts";

/** What the DependencyUnavailable fault says. */
export interface Unavailability {
  host: string;
  why: string;
  evidence: string[];
  fix: string;
  strength: number;
  scaleTarget?: ResourceRef;
}

const VERB: Record<string, string> = {
  refused: "connection refused",
  timeout: "timed out",
  lookup: "name not found",
  unreachable: "no route to host",
  reset: "connection reset",
  unavailable: "could not connect",
};

type Svc = Extract<Target, { kind: "service" }>;

function scaledToZero(view: ClusterView, t: Svc): Workload | undefined {
  const ns = t.service.metadata?.namespace ?? "";
  return workloadsSelectedBy(view, ns, t.service.spec?.selector).find((w) => w.spec?.replicas === 0);
}

function serviceWhy(view: ClusterView, t: Svc): { why: string; fix: string; scale?: Workload } {
  const svc = showTarget(t);
  if (!t.portKnown) {
    const ports = (t.service.spec?.ports ?? []).map((p) => p.port).join(", ");
    return {
      why: `${svc} has no port ${t.port} (it exposes ${ports})`,
      fix: `point the client at a port ${svc} exposes (${ports}), or add port ${t.port} to the Service`,
    };
  }
  const zero = scaledToZero(view, t);
  if (t.pods.length === 0 && zero)
    return {
      why: `${svc} has no endpoints: ${zero.kind} ${zero.metadata?.name} is scaled to 0`,
      fix: `scale ${zero.kind} ${zero.metadata?.namespace}/${zero.metadata?.name} back up (it serves ${svc})`,
      scale: zero,
    };
  if (t.pods.length === 0)
    return {
      why: `${svc} has no ready endpoint and no pod behind it`,
      fix: `give ${svc} a backend: its selector matches no pod and its Endpoints list no address; deploy the server or fix the Service`,
    };
  const ready = t.pods.filter(isPodReady).length;
  return {
    why: `${svc} has no ready endpoint (${ready}/${t.pods.length} pods ready) and no cause of its own is visible`,
    fix: `find why the pods behind ${svc} are not ready (kubectl -n ${t.service.metadata?.namespace} describe pods, their logs and events); the callers recover when one is ready`,
  };
}

function whyOf(view: ClusterView, call: FailedCall): { why: string; fix: string; scale?: Workload } {
  const t = call.target;
  const source = call.configured ? ` (named by ${call.configured.source})` : "";
  switch (t.kind) {
    case "missing":
      return {
        why: `Service ${t.namespace}/${t.name} does not exist`,
        fix: `create Service ${t.namespace}/${t.name}, or correct the host "${call.endpoint.host}"${source} to a Service that exists; nothing in the cluster serves that name`,
      };
    case "service":
      return serviceWhy(view, t);
    case "pod":
      return {
        why: `${showTarget(t)} is not ready`,
        fix: `find why ${showTarget(t)} is not ready, or call its Service instead of the pod IP`,
      };
    default:
      return {
        why: `${showTarget(t)} outside the cluster does not answer (${VERB[call.failure.kind]})`,
        fix: `check that ${showEndpoint(call.endpoint)} answers from the cluster: the provider's status, egress firewall, NAT or proxy rules, and the host${source}; the cluster shows no failure of its own on the way`,
      };
  }
}

/** The reason, evidence and fix of one caller's unavailable dependency. */
export function unavailability(view: ClusterView, caller: Caller, call: FailedCall): Unavailability {
  const { why, fix, scale } = whyOf(view, call);
  const evidence = [call.line, why];
  if (call.configured) evidence.push(`${call.configured.source} names ${showEndpoint(call.configured)}`);
  evidence.push(`${caller.pods.length} failing pod(s) of ${showRef(caller.workload)}`);
  const fromLog = call.failure.endpoints.length > 0;
  const base = call.target.kind === "external" ? 0.75 : 0.85;
  return {
    host: showEndpoint(call.endpoint),
    why: `${VERB[call.failure.kind]}; ${why}`,
    evidence,
    fix,
    strength: fromLog ? base : base - 0.1,
    ...(scale ? { scaleTarget: refOf(scale) } : {}),
  };
}
