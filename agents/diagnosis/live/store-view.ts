/**
 * ClusterView over the live informer caches, without copying them: lookups go through the
 * indexes the caches keep on every write (indexes.ts), and enumeration is scoped to the
 * run's namespace plus the cluster-scoped objects it can depend on. A diagnosis costs what
 * its namespace holds, not what the cluster holds.
 */
import { ContainerLogs } from "../container-logs.ts";
import type { ClusterEvent } from "../events.ts";
import type { K8sObject, LabelSelector, Labels, Pod } from "../k8s.ts";
import { isClusterScoped, key } from "../refs.ts";
import { asSelector, isEmptySelector, matches } from "../selectors.ts";
import type { ResourceRef } from "../types.ts";
import type { ClusterView, PromQuery } from "../view.ts";
import {
  EVENT_REGARDING_INDEX,
  eventOf,
  OWNER_INDEX,
  POD_CLAIM_INDEX,
  POD_LABEL_INDEX,
  POD_NODE_INDEX,
  UID_INDEX,
} from "./indexes.ts";
import { LIVE_KINDS } from "./kinds.ts";

/** The read side of one kind's cache (the runtime's Store satisfies it). */
export interface KindReader {
  get(namespace: string, name: string): K8sObject | undefined;
  list(namespace?: string): K8sObject[];
  byIndex(index: string, value: string): K8sObject[];
}

/** Options of a store-backed view. */
export interface StoreViewOptions {
  /** Enumerate only this namespace (and the cluster-scoped objects on its chain); undefined = all. */
  namespace?: string;
  now?: number;
  logs?: Record<string, string>;
  prometheus?: PromQuery;
}

// Namespaced kinds listed whole even in a scoped view: runbooks live wherever the SREs keep them;
// a NetworkPolicy in the server's namespace decides whether the scope's client gets through.
const WHOLE_KINDS = new Set(["runbook", "networkpolicy"]);

// Cluster-scoped live kinds the engine's own list does not know (cert-manager's ClusterIssuer).
const LIVE_CLUSTER_KINDS = new Set(LIVE_KINDS.filter((k) => !k.namespaced).map((k) => k.kind.toLowerCase()));

/** True when a kind's objects live outside namespaces (the engine's list or the live kinds'). */
function clusterScoped(kind: string): boolean {
  return isClusterScoped(kind) || LIVE_CLUSTER_KINDS.has(kind);
}
const NONE: readonly never[] = [];

interface ClaimRef {
  spec?: { claimRef?: { namespace?: string } };
}

/** A ClusterView reading the live caches through their indexes; one per diagnosis. */
export class StoreView implements ClusterView {
  readonly now: number;
  readonly prometheus?: PromQuery;
  private readonly readers: Map<string, KindReader>;
  private readonly scope: string | undefined;
  private readonly logs: ContainerLogs;
  // One answer per kind and namespace for the whole run: analyzers list the same kinds repeatedly.
  private readonly lists = new Map<string, readonly K8sObject[]>();
  private events: readonly ClusterEvent[] | undefined;

  /** readers: kind (any case) → its cache. */
  constructor(readers: ReadonlyMap<string, KindReader>, opts: StoreViewOptions = {}) {
    this.readers = new Map([...readers].map(([k, r]) => [k.toLowerCase(), r]));
    this.scope = opts.namespace;
    this.now = opts.now ?? Date.now();
    this.logs = new ContainerLogs(opts.logs);
    if (opts.prometheus) this.prometheus = opts.prometheus;
  }

  get<T extends K8sObject = K8sObject>(kind: string, namespace: string, name: string): T | undefined {
    const k = kind.toLowerCase();
    if (k === "event") return undefined;
    return this.readers.get(k)?.get(clusterScoped(k) ? "" : namespace, name) as T | undefined;
  }

  list<T extends K8sObject = K8sObject>(kind: string, namespace?: string): readonly T[] {
    const k = kind.toLowerCase();
    const memo = `${k}/${namespace ?? "*"}`;
    let found = this.lists.get(memo);
    if (!found) this.lists.set(memo, (found = this.listUncached(k, namespace)));
    return found as readonly T[];
  }

  private listUncached(k: string, namespace: string | undefined): readonly K8sObject[] {
    const reader = this.readers.get(k);
    if (!reader || k === "event") return NONE;
    if (namespace !== undefined) return reader.list(namespace);
    if (this.scope === undefined || WHOLE_KINDS.has(k)) return reader.list();
    if (!clusterScoped(k)) return reader.list(this.scope);
    // Volumes bound to other namespaces' claims are off the chain; unbound ones may still bind here.
    if (k === "persistentvolume") {
      return reader.list().filter((pv) => {
        const ns = (pv as ClaimRef).spec?.claimRef?.namespace;
        return ns === undefined || ns === this.scope;
      });
    }
    return reader.list();
  }

  byUid(uid: string): K8sObject | undefined {
    for (const [kind, r] of this.readers) {
      if (kind === "event") continue;
      const hit = r.byIndex(UID_INDEX, uid)[0];
      if (hit) return hit;
    }
    return undefined;
  }

  ownedBy(owner: K8sObject): readonly K8sObject[] {
    const byName = this.children(
      key(owner.kind ?? "", owner.metadata?.namespace, owner.metadata?.name ?? ""),
    );
    const uid = owner.metadata?.uid;
    const byUid = uid ? this.children(`uid:${uid}`) : [];
    if (byUid.length === 0) return byName;
    return [...new Set([...byUid, ...byName])];
  }

  private children(value: string): K8sObject[] {
    const out: K8sObject[] = [];
    for (const [kind, r] of this.readers) if (kind !== "event") out.push(...r.byIndex(OWNER_INDEX, value));
    return out;
  }

  podsSelected(namespace: string, selector: LabelSelector | Labels | undefined): readonly Pod[] {
    const sel = asSelector(selector);
    const pods = this.readers.get("pod");
    if (isEmptySelector(sel) || !pods) return NONE;
    let candidates: readonly Pod[] | undefined;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
      const posting = pods.byIndex(POD_LABEL_INDEX, `${namespace}/${k}=${v}`) as Pod[];
      if (!candidates || posting.length < candidates.length) candidates = posting;
    }
    return (candidates ?? (this.list<Pod>("Pod", namespace) as Pod[])).filter((p) =>
      matches(sel, p.metadata?.labels),
    );
  }

  podsOnNode(nodeName: string): readonly Pod[] {
    return (this.readers.get("pod")?.byIndex(POD_NODE_INDEX, nodeName) ?? NONE) as readonly Pod[];
  }

  podsUsingClaim(namespace: string, claim: string): readonly Pod[] {
    return (this.readers.get("pod")?.byIndex(POD_CLAIM_INDEX, `${namespace}/${claim}`) ??
      NONE) as readonly Pod[];
  }

  eventsFor(obj: K8sObject | ResourceRef): readonly ClusterEvent[] {
    const isRef =
      !("metadata" in obj) && typeof (obj as ResourceRef).name === "string" && !("apiVersion" in obj);
    const k = isRef
      ? key((obj as ResourceRef).kind, (obj as ResourceRef).namespace, (obj as ResourceRef).name)
      : key(
          (obj as K8sObject).kind ?? "",
          (obj as K8sObject).metadata?.namespace,
          (obj as K8sObject).metadata?.name ?? "",
        );
    const byKey = this.eventsAt(k);
    const uid = isRef ? undefined : (obj as K8sObject).metadata?.uid;
    const byUid = uid ? this.eventsAt(`uid:${uid}`) : NONE;
    if (byUid.length === 0) return byKey;
    return [...new Set([...byUid, ...byKey])];
  }

  private eventsAt(value: string): readonly ClusterEvent[] {
    const hits = this.readers.get("event")?.byIndex(EVENT_REGARDING_INDEX, value);
    return hits?.length ? hits.map(eventOf) : NONE;
  }

  /** The scope's events and those about the cluster-scoped objects on its chain (its pods' Nodes). */
  allEvents(): readonly ClusterEvent[] {
    if (this.events) return this.events;
    const reader = this.readers.get("event");
    if (!reader) return (this.events = NONE);
    if (this.scope === undefined) return (this.events = reader.list().map(eventOf));
    const scoped = reader.list(this.scope).map(eventOf);
    const nodes = new Set(
      this.list<Pod>("Pod")
        .map((p) => p.spec?.nodeName)
        .filter((n) => n !== undefined),
    );
    const seen = new Set(scoped);
    for (const node of nodes)
      for (const e of this.eventsFor({ kind: "Node", name: node } as ResourceRef))
        if (!seen.has(e)) {
          seen.add(e);
          scoped.push(e);
        }
    return (this.events = scoped);
  }

  log(namespace: string, pod: string, container: string, previous = false): string | undefined {
    return this.logs.get(namespace, pod, container, previous);
  }

  /** Adds container logs (keyed "ns/pod/container[:previous]") read after the view chose whose; redacted. */
  addLogs(logs: Record<string, string>): void {
    this.logs.add(logs);
  }
}
