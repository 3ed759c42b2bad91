import type { KubernetesObject } from "@kubernetes/client-node";
import type { EventHandler } from "./informer.ts";

/** The key a reconcile works on; namespace is "" for cluster-scoped kinds. */
export interface Request {
  namespace: string;
  name: string;
}

/** One cache change, for predicates. Resyncs arrive as updates with old === obj. */
export interface WatchEvent<T> {
  type: "add" | "update" | "delete";
  obj: T;
  old?: T;
}

/** Decides whether an event should enqueue anything. */
export type Predicate<T> = (event: WatchEvent<T>) => boolean;

/** Maps an object to the requests it should trigger. */
export type MapFunc<T> = (obj: T) => Request[];

/** Returns the request for an object itself (controller-runtime EnqueueRequestForObject). */
export function requestFor(obj: KubernetesObject): Request {
  return { namespace: obj.metadata?.namespace ?? "", name: obj.metadata?.name ?? "" };
}

/** Returns the group of an apiVersion ("" for the core group). */
export function groupOf(apiVersion: string | undefined): string {
  const i = (apiVersion ?? "").indexOf("/");
  return i < 0 ? "" : (apiVersion as string).slice(0, i);
}

/**
 * Maps a child to its controlling owner of the given group and kind
 * (controller-runtime EnqueueRequestForOwner with OnlyControllerOwner): the version is
 * ignored so an owner served at several versions still matches.
 */
export function controllerOwnerOf(ownerGroup: string, ownerKind: string): MapFunc<KubernetesObject> {
  return (obj) =>
    (obj.metadata?.ownerReferences ?? [])
      .filter((r) => r.controller === true && r.kind === ownerKind && groupOf(r.apiVersion) === ownerGroup)
      .map((r) => ({ namespace: obj.metadata?.namespace ?? "", name: r.name }));
}

/** Only spec changes (metadata.generation), deletes and adds pass; status-only updates and resyncs do not. */
export const generationChanged: Predicate<KubernetesObject> = (e) =>
  e.type !== "update" || e.old?.metadata?.generation !== e.obj.metadata?.generation;

/**
 * Drops the add and resync events of objects that `settled` says need no work, so a restart
 * (the initial list arrives as adds) or a periodic resync does not queue finished objects ahead
 * of new ones (controller-runtime's predicate.Funcs). Real updates and deletes always pass: an
 * edit, a new episode or our own status write still reaches the reconciler. `settled` must read
 * the cached object only, never the API.
 */
export function skipSettled<T>(settled: (obj: T) => boolean): Predicate<T> {
  return (e) => {
    const replay = e.type === "add" || (e.type === "update" && e.old === e.obj);
    return !replay || !settled(e.obj);
  };
}

/** Builds an informer handler that maps every passing event to requests and hands them to enqueue. */
export function mappingHandler<T>(
  map: MapFunc<T>,
  enqueue: (req: Request) => void,
  predicate?: Predicate<T>,
): EventHandler<T> {
  const emit = (event: WatchEvent<T>): void => {
    if (predicate && !predicate(event)) return;
    // An update may have moved the object to another owner: the old owner must hear of it too.
    const reqs =
      event.old && event.old !== event.obj ? [...map(event.obj), ...map(event.old)] : map(event.obj);
    // Deduplicate here: an idle worker takes a key at once, so the queue alone would run it twice.
    const seen = new Set<string>();
    for (const req of reqs) {
      const key = `${req.namespace}/${req.name}`;
      if (!seen.has(key)) enqueue(req);
      seen.add(key);
    }
  };
  return {
    onAdd: (obj) => emit({ type: "add", obj }),
    onUpdate: (old, obj) => emit({ type: "update", obj, old }),
    onDelete: (obj) => emit({ type: "delete", obj }),
  };
}
