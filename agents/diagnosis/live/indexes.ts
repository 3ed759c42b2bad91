/**
 * Secondary indexes the live caches maintain on every write, so a diagnosis looks objects
 * up instead of copying and indexing the whole cache per run (StoreView). Pure functions
 * of one object: the runtime's store calls them on insert, replace and delete.
 */
import type { ClusterEvent } from "../events.ts";
import { normaliseEvent } from "../events.ts";
import type { K8sObject, Pod } from "../k8s.ts";
import { key } from "../refs.ts";

/** Computes the index values of one cached object. */
export type LiveIndexFunc = (obj: K8sObject) => string[];

export const UID_INDEX = "aisre-uid";
export const OWNER_INDEX = "aisre-owner";
export const POD_LABEL_INDEX = "aisre-pod-label";
export const POD_NODE_INDEX = "aisre-pod-node";
export const POD_CLAIM_INDEX = "aisre-pod-claim";
export const EVENT_REGARDING_INDEX = "aisre-event-regarding";

// Normalised once per cached Event object (a replaced Event is a new object, the old one is collected).
const normalised = new WeakMap<object, ClusterEvent>();

/** The normalised form of a cached Event, computed once per object. */
export function eventOf(obj: K8sObject): ClusterEvent {
  let e = normalised.get(obj);
  if (!e) normalised.set(obj, (e = normaliseEvent(obj)));
  return e;
}

/** The regarding keys MemoryView indexes an event under: its uid and kind/namespace/name. */
export function regardingKeys(e: ClusterEvent): string[] {
  const r = e.regarding;
  const out: string[] = [];
  if (r.uid) out.push(`uid:${r.uid}`);
  if (r.kind && r.name) out.push(key(r.kind, r.namespace ?? e.namespace, r.name));
  return out;
}

const uid: LiveIndexFunc = (o) => (o.metadata?.uid ? [o.metadata.uid] : []);

const owner: LiveIndexFunc = (o) =>
  (o.metadata?.ownerReferences ?? []).flatMap((r) => [
    ...(r.uid ? [`uid:${r.uid}`] : []),
    key(r.kind, o.metadata?.namespace, r.name),
  ]);

const podLabel: LiveIndexFunc = (o) => {
  const ns = o.metadata?.namespace ?? "";
  return Object.entries(o.metadata?.labels ?? {}).map(([k, v]) => `${ns}/${k}=${v}`);
};

const podNode: LiveIndexFunc = (o) => {
  const node = (o as Pod).spec?.nodeName;
  return node ? [node] : [];
};

const podClaim: LiveIndexFunc = (o) => {
  const ns = o.metadata?.namespace ?? "";
  return ((o as Pod).spec?.volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim ? [`${ns}/${v.persistentVolumeClaim.claimName}`] : [],
  );
};

const regarding: LiveIndexFunc = (o) => regardingKeys(eventOf(o));

/** The indexes a cache of this kind needs for StoreView. */
export function liveIndexes(kind: string): [string, LiveIndexFunc][] {
  if (kind === "Event") return [[EVENT_REGARDING_INDEX, regarding]];
  const common: [string, LiveIndexFunc][] = [
    [UID_INDEX, uid],
    [OWNER_INDEX, owner],
  ];
  if (kind !== "Pod") return common;
  return [...common, [POD_LABEL_INDEX, podLabel], [POD_NODE_INDEX, podNode], [POD_CLAIM_INDEX, podClaim]];
}
