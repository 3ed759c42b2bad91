/**
 * The diagnosis's informer caches: one per LIVE_KINDS kind, each storing lean objects
 * (runtime stripMetadata, then the kind's transform from agents/diagnosis/live/transforms.ts),
 * keeping the indexes StoreView reads, the Event cache bounded (event-bounds.ts), and the
 * change journal fed from what the watches deliver (change-journal.ts). Optional kinds
 * (cert-manager's) are watched only while discovery finds them served.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { liveIndexes } from "../../agents/diagnosis/live/indexes.ts";
import { isOptionalKind, LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";
import type { KindReader } from "../../agents/diagnosis/live/store-view.ts";
import { leanTransform } from "../../agents/diagnosis/live/transforms.ts";
import { API_GROUP_VERSION } from "../../crds/api.ts";
import { statusCode } from "../../kube/kube-api.ts";
import type { Informer, Manager, ResourceType } from "../../runtime/index.ts";
import type { Transform } from "../../runtime/informer.ts";
import type { StructureSharer } from "../../runtime/share.ts";
import { compactManagedFields, stripMetadata } from "../../runtime/transform.ts";
import { ChangeJournal, JOURNAL_KINDS, parseJournalBounds } from "./change-journal.ts";
import { EventCacheBounds, type EventBounds } from "./event-bounds.ts";

// The operator's own Events (about three per task; in an alert storm most of the cluster's) are
// never evidence: the API server leaves them out of the list and the watch, so a start does not
// page through them. event-bounds.ts still drops any other version's.
const NOT_OWN_EVENTS = `involvedObject.apiVersion!=${API_GROUP_VERSION}`;

/** Sees every raw object (managedFields and ConfigMap data still present) before it is reshaped. */
export type RawTap = (obj: KubernetesObject) => void;

// Pods and Events are the numerous kinds: they keep no managedFields (no change is read from
// theirs; the engine's change finder reads the compact managedFields of the others), and their
// caches list after the controllers' own.
const NUMEROUS_KINDS = new Set(["Pod", "Event"]);

/**
 * The cache transform of one live kind; `admit` may refuse an object (old Events); `tap` sees it
 * raw; `sharer` swaps repeated parts for one frozen copy (every kind but Events, which rarely repeat
 * a part and arrive fastest).
 */
export function cacheTransform(
  rt: ResourceType,
  admit?: (obj: KubernetesObject) => boolean,
  tap?: RawTap,
  sharer?: StructureSharer,
): Transform<KubernetesObject> {
  const lean = leanTransform(rt);
  const keepTimes = !NUMEROUS_KINDS.has(rt.kind);
  const share = rt.kind === "Event" ? undefined : sharer;
  return (obj) => {
    if (admit && !admit(obj)) return undefined;
    tap?.(obj);
    const shaped = lean(stripMetadata(obj));
    const managed = keepTimes ? compactManagedFields(obj) : undefined;
    const kept = managed
      ? ({ ...shaped, metadata: { ...shaped.metadata, managedFields: managed } } as KubernetesObject)
      : shaped;
    return share ? share.share(kept) : kept;
  };
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
  journal: ChangeJournal;
  /** Re-checks which optional kinds are served (at most every DISCOVERY_INTERVAL_MS) and watches them. */
  discover(): Promise<void>;
}

/** The least time between two discoveries of the optional kinds. */
export const DISCOVERY_INTERVAL_MS = 10_000;

/** The plurals a group version serves, or undefined when the API server does not serve it. */
async function servedPlurals(mgr: Manager, group: string, version: string): Promise<Set<string> | undefined> {
  try {
    const list = await mgr.client.request<{ resources?: { name: string }[] }>(
      "GET",
      `/apis/${group}/${version}`,
    );
    return new Set((list.resources ?? []).map((r) => r.name));
  } catch (err) {
    if (statusCode(err) === 404 || statusCode(err) === 503) return undefined;
    throw err;
  }
}

/** Sets up (or reuses: informers are shared) the caches of every live kind on a manager. */
export function liveCaches(
  mgr: Manager,
  scope: { namespace?: string },
  bounds: EventBounds,
  journal = new ChangeJournal(parseJournalBounds(process.env), Date.now, mgr.logger),
): LiveCaches {
  const informers = new Map<string, Informer<KubernetesObject>>();
  const readers = new Map<string, KindReader>();
  // Every cache ever set up, so a kind served again reuses its informer (indexes and handlers once).
  const setUp = new Map<string, Informer<KubernetesObject>>();
  let events: EventCacheBounds | undefined;
  const add = (rt: ResourceType): Informer<KubernetesObject> => {
    let informer = setUp.get(rt.kind);
    if (!informer) {
      const fresh = mgr.informer(
        rt,
        rt.kind === "Event" ? { ...scope, fieldSelector: NOT_OWN_EVENTS } : scope,
      );
      // The numerous kinds list after the controllers' own caches: a run that comes before they
      // have listed reads its namespace from the API server (warm-up.ts).
      if (NUMEROUS_KINDS.has(rt.kind)) mgr.deferStart(fresh);
      const tap = JOURNAL_KINDS.has(rt.kind) ? journal.tap(rt.kind, () => fresh.hasSynced()) : undefined;
      if (rt.kind === "Event") {
        events = new EventCacheBounds(fresh, bounds);
        const guard = events;
        fresh.setTransform(cacheTransform(rt, (o) => guard.admit(o)));
      } else fresh.setTransform(cacheTransform(rt, undefined, tap, mgr.sharer));
      if (tap) fresh.addEventHandler({ onDelete: (o) => journal.deleted(rt.kind, o) });
      addLiveIndexes(fresh, rt.kind);
      setUp.set(rt.kind, (informer = fresh));
    }
    informers.set(rt.kind, informer);
    readers.set(rt.kind, informer.store as unknown as KindReader);
    return informer;
  };
  for (const rt of LIVE_KINDS) if (!isOptionalKind(rt)) add(rt);
  events!.start();
  const optional = LIVE_KINDS.filter(isOptionalKind);
  const log = mgr.logger;
  let last = 0;
  let running: Promise<void> | undefined;
  const check = async (): Promise<void> => {
    const byGroup = new Map<string, Set<string> | undefined>();
    for (const rt of optional) {
      const gv = `${rt.group}/${rt.version}`;
      if (!byGroup.has(gv)) byGroup.set(gv, await servedPlurals(mgr, rt.group, rt.version));
      const served = byGroup.get(gv)?.has(rt.plural) ?? false;
      const watched = informers.get(rt.kind);
      if (served && !watched) {
        add(rt).start();
        log.info({ kind: rt.kind, group: rt.group }, "Started watching an optional kind discovery found");
      } else if (!served && watched) {
        informers.delete(rt.kind);
        readers.delete(rt.kind);
        await watched.stop();
        log.info({ kind: rt.kind, group: rt.group }, "Stopped watching a kind no longer served");
      }
    }
  };
  const discover = (): Promise<void> => {
    if (running) return running;
    if (optional.length === 0 || Date.now() - last < DISCOVERY_INTERVAL_MS) return Promise.resolve();
    last = Date.now();
    running = check()
      .catch((err: unknown) => log.warn({ err: String(err) }, "Could not discover optional kinds"))
      .finally(() => (running = undefined));
    return running;
  };
  return { informers, readers, events: events!, journal, discover };
}
