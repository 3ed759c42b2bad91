/**
 * What a root cause reaches: its failing pods, their workloads, nodes, ServiceAccounts and
 * the ConfigMaps and Secrets they reference. Only changes to these can explain it.
 */
import type { Fault } from "../fault.ts";
import type { Container, K8sObject, Pod, Volume, Workload } from "../k8s.ts";
import { ownerObject, podsOfWorkload } from "../owners.ts";
import { key } from "../refs.ts";
import type { ClusterView } from "../view.ts";

/** Bounds the work on huge blast radii (a NotReady node with 500 pods): templates repeat. */
const MAX_PODS = 200;
const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]);

export interface Scope {
  subject: K8sObject | undefined;
  pods: Pod[];
  /** Objects the failure shows on besides pods (subject, ReplicaSets, nodes) for the onset. */
  objects: K8sObject[];
  workloads: Workload[];
  nodes: string[];
  /** key("ConfigMap"|"Secret", ns, name) of everything the pods reference. */
  configs: Set<string>;
  /** "ns/name" of the pods' ServiceAccounts. */
  serviceAccounts: Set<string>;
}

function podOf(view: ClusterView, podKey: string): Pod | undefined {
  const [kind, ns, ...name] = podKey.split("/");
  return kind === "pod" ? view.get<Pod>("Pod", ns ?? "", name.join("/")) : undefined;
}

type Ref = [kind: "ConfigMap" | "Secret", name: string | undefined];

function containerRefs(c: Container): Ref[] {
  const out: Ref[] = [];
  for (const e of c.env ?? [])
    out.push(["ConfigMap", e.valueFrom?.configMapKeyRef?.name], ["Secret", e.valueFrom?.secretKeyRef?.name]);
  for (const f of c.envFrom ?? [])
    out.push(["ConfigMap", f.configMapRef?.name], ["Secret", f.secretRef?.name]);
  return out;
}

function volumeRefs(v: Volume): Ref[] {
  const out: Ref[] = [
    ["ConfigMap", v.configMap?.name],
    ["Secret", v.secret?.secretName],
  ];
  for (const s of v.projected?.sources ?? [])
    out.push(["ConfigMap", s.configMap?.name], ["Secret", s.secret?.name]);
  return out;
}

/** ConfigMaps and Secrets a pod reads: env, envFrom, volumes, projected volumes, pull secrets. */
export function referencedConfigs(pod: Pod): string[] {
  const ns = pod.metadata?.namespace ?? "";
  const spec = pod.spec ?? {};
  const pull = (spec as { imagePullSecrets?: { name?: string }[] }).imagePullSecrets ?? [];
  const refs: Ref[] = [
    ...[...(spec.containers ?? []), ...(spec.initContainers ?? [])].flatMap(containerRefs),
    ...(spec.volumes ?? []).flatMap(volumeRefs),
    ...pull.map((s): Ref => ["Secret", s.name]),
  ];
  return refs.flatMap(([kind, name]) => (name ? [key(kind, ns, name)] : []));
}

function workloadOfPod(view: ClusterView, pod: Pod): Workload | undefined {
  let o = ownerObject(view, pod);
  if (o?.kind === "ReplicaSet") o = ownerObject(view, o) ?? o;
  if (o?.kind === "Job") o = ownerObject(view, o) ?? o;
  return o && (WORKLOADS.has(o.kind ?? "") || o.kind === "ReplicaSet") ? (o as Workload) : undefined;
}

function failingPods(view: ClusterView, root: Fault, subject: K8sObject | undefined): Pod[] {
  const pods: Pod[] = [];
  for (const k of root.pods.slice(0, MAX_PODS)) {
    const p = podOf(view, k);
    if (p) pods.push(p);
  }
  if (pods.length > 0 || !subject || !WORKLOADS.has(subject.kind ?? "")) return pods;
  return podsOfWorkload(view, subject as Workload).slice(0, MAX_PODS);
}

const objectKey = (o: K8sObject): string => key(o.kind ?? "", o.metadata?.namespace, o.metadata?.name ?? "");

/** The scope of a root cause. */
export function scopeOf(view: ClusterView, root: Fault): Scope {
  const s = root.subject;
  const subject = view.get(s.kind, s.namespace, s.name);
  const pods = failingPods(view, root, subject);
  const workloads = new Map<string, Workload>();
  if (subject && WORKLOADS.has(subject.kind ?? "")) workloads.set(objectKey(subject), subject);
  for (const p of pods) {
    const w = workloadOfPod(view, p);
    if (w) workloads.set(objectKey(w), w);
  }
  const objects: K8sObject[] = subject ? [subject] : [];
  for (const w of workloads.values()) objects.push(...view.ownedBy(w).filter((o) => o.kind === "ReplicaSet"));
  const nodes = new Set(pods.flatMap((p) => p.spec?.nodeName ?? []));
  if (s.kind === "Node") nodes.add(s.name);
  return {
    subject,
    pods,
    objects,
    workloads: [...workloads.values()],
    nodes: [...nodes],
    configs: new Set(pods.flatMap(referencedConfigs)),
    serviceAccounts: new Set(
      pods.map((p) => `${p.metadata?.namespace ?? ""}/${p.spec?.serviceAccountName ?? "default"}`),
    ),
  };
}
