/**
 * DNSFailure: cluster DNS does not answer, so lookups fail across workloads. Raised when the
 * DNS server pods are all down, or when several workloads log failed lookups while CoreDNS is
 * degraded (pods failing, or errors in its own log such as a bad Corefile) or not visible at
 * all. A workload alone failing to resolve a name that does not exist is not DNS's fault.
 */
import type { ClusterDns, Lookup } from "../dns.ts";
import { clusterDns, LOOKUP_FAILURE, parseLookup, serviceOfHost } from "../dns.ts";
import type { Fault } from "../fault.ts";
import type { Pod } from "../k8s.ts";
import { humanDuration, toMs } from "../k8s.ts";
import { workloadOf } from "../owners.ts";
import { ref, refKey, refOf, showRef } from "../refs.ts";
import type { ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer, AnalyzerInput } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { excerpt, matchingLines } from "./pod-logs.ts";
import { isPodReady, lastMeaningfulLine } from "./util.ts";

const COREDNS_ERROR = /(\[(ERROR|FATAL)\]|Error during parsing|Corefile:\d+ -)/;

interface Client {
  workload: ResourceRef;
  pods: Pod[];
  line: string;
  /** The server answered "no such name" for a Service that exists. */
  nxdomain: boolean;
}

/** Workloads (other than DNS itself) whose logs show lookups the DNS server did not answer. */
function failingClients(view: ClusterView, dns: ClusterDns): Map<string, Client> {
  const dnsPods = new Set(dns.pods.map((p) => refKey(refOf(p))));
  const out = new Map<string, Client>();
  for (const pod of view.list<Pod>("Pod")) {
    if (dnsPods.has(refKey(refOf(pod)))) continue;
    const ns = pod.metadata?.namespace ?? "";
    const lines = matchingLines(view, pod, LOOKUP_FAILURE, 5);
    const hit = lines.find((l) => counts(view, parseLookup(l.line), ns));
    if (!hit) continue;
    const nxdomain = !parseLookup(hit.line)?.noAnswer;
    const workload = workloadOf(view, pod);
    const c = out.get(refKey(workload));
    if (c) c.pods.push(pod);
    else
      out.set(refKey(workload), {
        workload,
        pods: [pod],
        line: `${pod.metadata?.name}: ${excerpt(hit.line, LOOKUP_FAILURE)}`,
        nxdomain,
      });
  }
  return out;
}

/** A lookup is DNS's fault when the server did not answer, or denied a Service that exists. */
function counts(view: ClusterView, l: Lookup | undefined, ns: string): boolean {
  if (!l) return false;
  return l.noAnswer || (!!l.host && !!serviceOfHost(view, l.host, ns));
}

function whyNotReady(view: ClusterView, pod: Pod): string {
  const meta = pod.metadata ?? {};
  const s = pod.status?.containerStatuses?.[0];
  const state = { ...s?.lastState?.terminated, ...s?.state?.waiting };
  const why = state.reason ?? pod.status?.phase ?? "not ready";
  const last = s
    ? lastMeaningfulLine(view.log(meta.namespace ?? "", meta.name ?? "", s.name, true))
    : undefined;
  return `${meta.name}: ${why}${last ? `: ${last}` : ""}`;
}

/** "ConfigMap kube-system/coredns changed 12m ago" when the Corefile was edited within a day. */
function corefileEdit(view: ClusterView): string | undefined {
  const cm = view.get("ConfigMap", "kube-system", "coredns");
  const fields = (cm?.metadata as { managedFields?: { time?: string }[] } | undefined)?.managedFields ?? [];
  const at = Math.max(0, ...fields.map((f) => toMs(f.time) ?? 0));
  if (!at || view.now - at > 24 * 3600_000) return undefined;
  return `ConfigMap kube-system/coredns (the Corefile) changed ${humanDuration(view.now - at)} ago`;
}

function dnsEvidence(view: ClusterView, dns: ClusterDns): { lines: string[]; ready: number; errors: number } {
  const ready = dns.pods.filter(isPodReady).length;
  const lines = [`DNS pods: ${ready}/${dns.pods.length} ready`];
  if (dns.service) lines.push(`Service kube-system/kube-dns: ${ready} ready endpoint(s)`);
  let errors = 0;
  for (const pod of dns.pods) {
    const found = matchingLines(view, pod, COREDNS_ERROR, 2);
    errors += found.length;
    for (const l of found) lines.push(`${pod.metadata?.name} log: ${excerpt(l.line, COREDNS_ERROR)}`);
    if (found.length === 0 && !isPodReady(pod)) lines.push(whyNotReady(view, pod));
  }
  const edit = corefileEdit(view);
  if (edit) lines.splice(1, 0, edit);
  return { lines: lines.slice(0, 8), ready, errors };
}

/** The DNS pods a node fault already explains (NotReady node): the node is the deeper cause. */
function explainedByNode(input: AnalyzerInput, dns: ClusterDns): boolean {
  const keys = new Set(dns.pods.map((p) => refKey(refOf(p))));
  return input.faultsOf("pods").some((f) => f.subject.kind === "Node" && f.pods.some((p) => keys.has(p)));
}

function whoFails(affected: Client[]): string {
  if (affected.length === 0) return "no DNS server answers";
  const names = affected.slice(0, 3).map((c) => showRef(c.workload));
  return `lookups fail in ${affected.length} workload(s) (${names.join(", ")})`;
}

/** The DNSFailure fault, if cluster DNS is down or degraded enough that lookups fail. */
export function analyzeDns(input: AnalyzerInput): Fault[] {
  const view = input.view;
  const dns = clusterDns(view);
  const clients = failingClients(view, dns);
  const down =
    dns.pods.length > 0 ? dns.pods.every((p) => !isPodReady(p)) : dns.workload?.spec?.replicas === 0;
  if (!down && clients.size === 0) return [];
  const ev = dnsEvidence(view, dns);
  // DNS pods failing or logging errors: one workload failing lookups is enough to blame them.
  const sick = dns.pods.length > 0 && (ev.ready < dns.pods.length || ev.errors > 0);
  // Several workloads told "no such host" for Services that exist: DNS answers, but wrongly.
  const wrong = [...clients.values()].filter((c) => c.nxdomain).length >= 2;
  const blind = dns.pods.length === 0 && clients.size >= 2;
  if ((!down && !sick && !wrong && !blind) || explainedByNode(input, dns)) return [];
  return [dnsFault(view, dns, ev, [...clients.values()], down)];
}

function dnsFault(
  view: ClusterView,
  dns: ClusterDns,
  ev: { lines: string[]; ready: number },
  affected: Client[],
  down: boolean,
): Fault {
  const first = dns.pods[0];
  const subject = first
    ? workloadOf(view, first)
    : dns.workload
      ? refOf(dns.workload)
      : ref("Service", "kube-system", "kube-dns");
  return {
    category: "DNSFailure",
    severity: "critical",
    resource: first ? refOf(first) : subject,
    subject,
    message: `cluster DNS is ${down ? "down" : "failing"}: ${ev.ready}/${dns.pods.length} DNS pod(s) ready; ${whoFails(affected)}`,
    evidence: [
      ...ev.lines,
      ...affected.slice(0, 4).map((c) => `lookup failure in ${showRef(c.workload)}: ${c.line}`),
    ],
    pods: [...dns.pods, ...affected.flatMap((c) => c.pods)].map((p) => refKey(refOf(p))),
    facts: { detail: ev.lines.find((l) => l.includes(" log: ")) ?? ev.lines[1] ?? ev.lines[0] },
    strength: down ? 0.9 : 0.75,
  };
}

/** The DNS workload's own pod faults are evidence of DNSFailure, not separate causes. */
function absorb(input: AnalyzerInput, faults: Fault[]): Fault[] {
  const subjects = new Set(faults.map((f) => refKey(f.subject)));
  for (const f of input.faultsOf("pods")) if (subjects.has(refKey(f.subject))) f.absorbedBy = "DNSFailure";
  return faults;
}

/** Cluster DNS that does not answer. */
export const dnsAnalyzer: Analyzer = {
  name: "dns",
  categories: ["DNSFailure"],
  needs: ["pods"],
  owns: [
    {
      category: "DNSFailure",
      depth: DEPTH.infrastructure,
      runbook:
        "restore cluster DNS: check the CoreDNS pods' logs and the coredns ConfigMap (Corefile) in kube-system, roll back a bad Corefile edit, and confirm the kube-dns Service has ready endpoints (kubectl -n kube-system get endpoints kube-dns)",
      summary: (f) => `${f.message}${f.facts.detail ? ` (${f.facts.detail})` : ""}`,
    },
  ],
  analyze: (input) => absorb(input, analyzeDns(input)),
};
