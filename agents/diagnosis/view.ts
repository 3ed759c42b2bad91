/**
 * ClusterView: the read-only window every analyzer uses. The snapshot loader and
 * the live informer cache both feed `MemoryView`, so the engine runs the same
 * offline and in the operator. Every lookup is indexed (no pods x events scans).
 */
import { ContainerLogs } from "./container-logs.ts";
import type { ClusterEvent } from "./events.ts";
import { isEvent, normaliseEvent } from "./events.ts";
import type { K8sObject, LabelSelector, Labels, Pod } from "./k8s.ts";
import { key } from "./refs.ts";
import { asSelector, isEmptySelector, matches } from "./selectors.ts";
import type { ResourceRef } from "./types.ts";

/** A PromQL instant query: vector samples as label sets with a value. */
export type PromQuery = (promql: string) => Promise<{ labels: Labels; value: number }[]>;

/** Read-only cluster state for one diagnosis. */
export interface ClusterView {
  /** "Now" for every age computation (snapshot capturedAt or wall clock). */
  readonly now: number;
  get<T extends K8sObject = K8sObject>(kind: string, namespace: string, name: string): T | undefined;
  list<T extends K8sObject = K8sObject>(kind: string, namespace?: string): readonly T[];
  byUid(uid: string): K8sObject | undefined;
  /** Objects whose ownerReferences name this owner (by uid, or by kind/name when uids are absent). */
  ownedBy(owner: K8sObject): readonly K8sObject[];
  /** Pods of a namespace the selector (Service map or LabelSelector) selects; an empty selector selects none. */
  podsSelected(namespace: string, selector: LabelSelector | Labels | undefined): readonly Pod[];
  podsOnNode(nodeName: string): readonly Pod[];
  podsUsingClaim(namespace: string, claim: string): readonly Pod[];
  /** Events whose involvedObject/regarding is this object. */
  eventsFor(obj: K8sObject | ResourceRef): readonly ClusterEvent[];
  /** Every event, for analyzers that start from an event reason. */
  allEvents(): readonly ClusterEvent[];
  /** A container log; previous = the last terminated run. */
  log(namespace: string, pod: string, container: string, previous?: boolean): string | undefined;
  /** Live mode only: Prometheus instant queries. */
  readonly prometheus?: PromQuery;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

const NONE: readonly never[] = [];

function refIndexKey(r: ResourceRef): string {
  return key(r.kind, r.namespace, r.name);
}

function objectIndexKey(o: K8sObject): string {
  return key(o.kind ?? "", o.metadata?.namespace, o.metadata?.name ?? "");
}

/** In-memory ClusterView over a list of objects, with indexes built once. */
export class MemoryView implements ClusterView {
  readonly now: number;
  readonly prometheus?: PromQuery;
  private readonly byKey = new Map<string, K8sObject>();
  private readonly byKind = new Map<string, K8sObject[]>();
  private readonly byKindNs = new Map<string, K8sObject[]>();
  private readonly uids = new Map<string, K8sObject>();
  private readonly children = new Map<string, K8sObject[]>();
  private readonly podLabels = new Map<string, Map<string, Pod[]>>();
  private readonly podsByNs = new Map<string, Pod[]>();
  private readonly podsByNode = new Map<string, Pod[]>();
  private readonly podsByClaim = new Map<string, Pod[]>();
  private readonly eventsByKey = new Map<string, ClusterEvent[]>();
  private readonly eventsByUid = new Map<string, ClusterEvent[]>();
  private readonly events: ClusterEvent[] = [];
  private readonly logs: ContainerLogs;

  constructor(
    objects: readonly K8sObject[],
    opts: { now?: number; logs?: Record<string, string>; prometheus?: PromQuery } = {},
  ) {
    this.now = opts.now ?? Date.now();
    this.logs = new ContainerLogs(opts.logs);
    if (opts.prometheus) this.prometheus = opts.prometheus;
    for (const obj of objects) this.add(obj);
  }

  /** Builds a view from per-kind lists (informer caches return items without `kind`). */
  static fromLists(
    lists: Record<string, readonly K8sObject[]>,
    opts: { now?: number; logs?: Record<string, string>; prometheus?: PromQuery } = {},
  ): MemoryView {
    const objects: K8sObject[] = [];
    for (const [kind, items] of Object.entries(lists))
      for (const o of items) objects.push(o.kind ? o : { ...o, kind });
    return new MemoryView(objects, opts);
  }

  private add(obj: K8sObject): void {
    if (isEvent(obj)) return this.addEvent(normaliseEvent(obj));
    const kind = (obj.kind ?? "").toLowerCase();
    const meta = obj.metadata ?? {};
    this.byKey.set(key(kind, meta.namespace, meta.name ?? ""), obj);
    push(this.byKind, kind, obj);
    push(this.byKindNs, `${kind}/${meta.namespace ?? ""}`, obj);
    if (meta.uid) this.uids.set(meta.uid, obj);
    for (const owner of meta.ownerReferences ?? []) {
      if (owner.uid) push(this.children, `uid:${owner.uid}`, obj);
      push(this.children, key(owner.kind, meta.namespace, owner.name), obj);
    }
    if (kind === "pod") this.addPod(obj as Pod);
  }

  private addPod(pod: Pod): void {
    const ns = pod.metadata?.namespace ?? "";
    push(this.podsByNs, ns, pod);
    let byLabel = this.podLabels.get(ns);
    if (!byLabel) this.podLabels.set(ns, (byLabel = new Map()));
    for (const [k, v] of Object.entries(pod.metadata?.labels ?? {})) push(byLabel, `${k}=${v}`, pod);
    if (pod.spec?.nodeName) push(this.podsByNode, pod.spec.nodeName, pod);
    for (const v of pod.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim) push(this.podsByClaim, `${ns}/${v.persistentVolumeClaim.claimName}`, pod);
    }
  }

  private addEvent(e: ClusterEvent): void {
    this.events.push(e);
    const r = e.regarding;
    if (r.uid) push(this.eventsByUid, r.uid, e);
    if (r.kind && r.name) push(this.eventsByKey, key(r.kind, r.namespace ?? e.namespace, r.name), e);
  }

  get<T extends K8sObject = K8sObject>(kind: string, namespace: string, name: string): T | undefined {
    return this.byKey.get(key(kind, namespace, name)) as T | undefined;
  }

  list<T extends K8sObject = K8sObject>(kind: string, namespace?: string): readonly T[] {
    const k = kind.toLowerCase();
    const found = namespace === undefined ? this.byKind.get(k) : this.byKindNs.get(`${k}/${namespace}`);
    return (found ?? NONE) as readonly T[];
  }

  byUid(uid: string): K8sObject | undefined {
    return this.uids.get(uid);
  }

  ownedBy(owner: K8sObject): readonly K8sObject[] {
    const byName =
      this.children.get(key(owner.kind ?? "", owner.metadata?.namespace, owner.metadata?.name ?? "")) ?? [];
    const uid = owner.metadata?.uid;
    const byUid = uid ? (this.children.get(`uid:${uid}`) ?? []) : [];
    if (byUid.length === 0) return byName;
    return [...new Set([...byUid, ...byName])];
  }

  podsSelected(namespace: string, selector: LabelSelector | Labels | undefined): readonly Pod[] {
    const sel = asSelector(selector);
    if (isEmptySelector(sel)) return NONE;
    const byLabel = this.podLabels.get(namespace);
    if (!byLabel) return NONE;
    let candidates: readonly Pod[] | undefined;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
      const posting = byLabel.get(`${k}=${v}`) ?? NONE;
      if (!candidates || posting.length < candidates.length) candidates = posting;
    }
    return (candidates ?? this.podsByNs.get(namespace) ?? NONE).filter((p) =>
      matches(sel, p.metadata?.labels),
    );
  }

  podsOnNode(nodeName: string): readonly Pod[] {
    return this.podsByNode.get(nodeName) ?? NONE;
  }

  podsUsingClaim(namespace: string, claim: string): readonly Pod[] {
    return this.podsByClaim.get(`${namespace}/${claim}`) ?? NONE;
  }

  eventsFor(obj: K8sObject | ResourceRef): readonly ClusterEvent[] {
    const isRef =
      !("metadata" in obj) && typeof (obj as ResourceRef).name === "string" && !("apiVersion" in obj);
    const k = isRef ? refIndexKey(obj as ResourceRef) : objectIndexKey(obj as K8sObject);
    const byKey = this.eventsByKey.get(k) ?? NONE;
    const uid = isRef ? undefined : (obj as K8sObject).metadata?.uid;
    const byUid = uid ? (this.eventsByUid.get(uid) ?? NONE) : NONE;
    if (byUid.length === 0) return byKey;
    return [...new Set([...byUid, ...byKey])];
  }

  allEvents(): readonly ClusterEvent[] {
    return this.events;
  }

  log(namespace: string, pod: string, container: string, previous = false): string | undefined {
    return this.logs.get(namespace, pod, container, previous);
  }

  /** Adds container logs (keyed "ns/pod/container[:previous]") read after the view chose whose; redacted. */
  addLogs(logs: Record<string, string>): void {
    this.logs.add(logs);
  }
}
