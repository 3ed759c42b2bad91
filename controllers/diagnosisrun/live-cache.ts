/**
 * The diagnosis's informer caches: one per LIVE_KINDS kind, each storing lean objects
 * (runtime stripMetadata, then the kind's transform from agents/diagnosis/live/transforms.ts),
 * keeping the indexes StoreView reads, and the Event cache bounded (event-bounds.ts).
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { liveIndexes } from "../../agents/diagnosis/live/indexes.ts";
import { LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";
import type { KindReader } from "../../agents/diagnosis/live/store-view.ts";
import { leanTransform } from "../../agents/diagnosis/live/transforms.ts";
import type { Informer, Manager, ResourceType } from "../../runtime/index.ts";
import type { Transform } from "../../runtime/informer.ts";
import { stripMetadata } from "../../runtime/transform.ts";
import { EventCacheBounds, type EventBounds } from "./event-bounds.ts";

/** The cache transform of one live kind; `admit` may refuse an object (old Events). */
export function cacheTransform(
  rt: ResourceType,
  admit?: (obj: KubernetesObject) => boolean,
): Transform<KubernetesObject> {
  const lean = leanTransform(rt);
  return (obj) => (admit && !admit(obj) ? undefined : lean(stripMetadata(obj)));
}

/** Registers the StoreView indexes of one kind on a cache. */
export function addLiveIndexes(informer: Informer<KubernetesObject>, kind: string): void {
  for (const [name, fn] of liveIndexes(kind))
    informer.addIndex(name, fn as (obj: KubernetesObject) => string[]);
}

/** The live caches by kind, ready for StoreView, and the Event bounds keeping them small. */
export interface LiveCaches {
  informers: Map<string, Informer<KubernetesObject>>;
  readers: Map<string, KindReader>;
  events: EventCacheBounds;
}

/** Sets up (or reuses: informers are shared) the caches of every live kind on a manager. */
export function liveCaches(mgr: Manager, scope: { namespace?: string }, bounds: EventBounds): LiveCaches {
  const informers = new Map<string, Informer<KubernetesObject>>();
  let events: EventCacheBounds | undefined;
  for (const rt of LIVE_KINDS) {
    const informer = mgr.informer(rt, scope);
    if (rt.kind === "Event") {
      events = new EventCacheBounds(informer, bounds);
      const guard = events;
      informer.setTransform(cacheTransform(rt, (o) => guard.admit(o)));
    } else informer.setTransform(cacheTransform(rt));
    addLiveIndexes(informer, rt.kind);
    informers.set(rt.kind, informer);
  }
  events!.start();
  const readers = new Map<string, KindReader>(
    [...informers].map(([kind, i]) => [kind, i.store as unknown as KindReader]),
  );
  return { informers, readers, events: events! };
}
