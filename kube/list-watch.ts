import { Watch, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { apiVersionOf, collectionPath, isGone, type KubeClient, type ResourceType } from "./kube-api.ts";

/** A full list and the resourceVersion to watch from. */
export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  /** True when every item went through the list's `shape` as its page arrived (dropped ones left out). */
  shaped?: boolean;
}

/** Parameters of one watch request. */
export interface WatchParams {
  resourceVersion: string;
  timeoutSeconds: number;
  allowWatchBookmarks: boolean;
}

/** A running watch; abort() ends it. */
export interface WatchHandle {
  abort(): void;
}

/**
 * Reshapes one listed item as its page arrives (the informer's transform), or drops it: a list
 * then never holds more than one page of raw objects.
 */
export type ListShape<T> = (obj: T) => T | undefined;

/** The list and watch calls of one kind, injectable so tests can drive an informer without a server. */
export interface ListWatcher<T> {
  list(signal?: AbortSignal, shape?: ListShape<T>): Promise<ListResult<T>>;
  watch(
    params: WatchParams,
    onEvent: (type: string, obj: T) => void,
    onDone: (err?: unknown) => void,
  ): Promise<WatchHandle>;
}

// The raw JSON list (client-node's typed V1ListMeta renames "continue" to "_continue").
interface RawList<T> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** What to list and watch: one namespace or all, optionally filtered by selectors. */
export interface KubeListWatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Items per list page. Default 500 (client-go pager). */
  pageSize?: number;
}

/** The real list and watch of a kind: paged GETs through KubeClient and client-node's Watch. */
export function kubeListWatcher<T extends KubernetesObject>(
  kc: KubeConfig,
  client: KubeClient,
  rt: ResourceType,
  opts: KubeListWatchOptions = {},
): ListWatcher<T> {
  const path = collectionPath(rt, opts.namespace);
  const selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
  const watcher = new Watch(kc);
  // List items of built-in kinds carry no apiVersion/kind; watch events do. Make them alike.
  const fill = (o: T): T => ({ ...o, apiVersion: o.apiVersion ?? apiVersionOf(rt), kind: o.kind ?? rt.kind });
  const page = (signal: AbortSignal | undefined, limit?: number, cont?: string) =>
    client.request<RawList<T>>("GET", path, { query: { ...selectors, limit, continue: cont }, signal });

  return {
    async list(signal, shape) {
      const items: T[] = [];
      let cont: string | undefined;
      let rv: string;
      do {
        let res: RawList<T>;
        try {
          res = await page(signal, opts.pageSize ?? 500, cont);
        } catch (err) {
          // An expired continue token: fall back to one unpaged list, as client-go's pager does.
          if (!cont || !isGone(err)) throw err;
          res = await page(signal);
          items.length = 0;
        }
        for (const raw of res.items) {
          const obj = shape ? shape(fill(raw)) : fill(raw);
          if (obj) items.push(obj);
        }
        rv = res.metadata?.resourceVersion ?? "";
        cont = res.metadata?.continue || undefined;
      } while (cont);
      return { items, resourceVersion: rv, shaped: shape !== undefined };
    },
    watch(params, onEvent, onDone) {
      return watcher.watch(path, { ...params, ...selectors }, (type, obj: T) => onEvent(type, obj), onDone);
    },
  };
}
