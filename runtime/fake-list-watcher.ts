import type { KubernetesObject } from "@kubernetes/client-node";
import type { ListResult, ListShape, ListWatcher, WatchHandle, WatchParams } from "../kube/list-watch.ts";

/** One watch opened on a FakeListWatcher; tests push events into it or end it. */
export interface FakeWatch<T> {
  params: WatchParams;
  emit: (type: string, obj: T) => void;
  done: (err?: unknown) => void;
  aborted: boolean;
}

/**
 * An in-memory ListWatcher for unit tests of informers and controllers: `items`/`rv`
 * answer the next list, `listError` fails it, and every watch is recorded in `watches`.
 */
export class FakeListWatcher<T extends KubernetesObject = KubernetesObject> implements ListWatcher<T> {
  items: T[] = [];
  rv = "10";
  listError: unknown;
  lists = 0;
  /** Apply the informer's shape while listing, as the real list does page by page. */
  shapes = false;
  watches: FakeWatch<T>[] = [];

  list(_signal?: AbortSignal, shape?: ListShape<T>): Promise<ListResult<T>> {
    this.lists++;
    if (this.listError) return Promise.reject(this.listError);
    if (!this.shapes || !shape) return Promise.resolve({ items: [...this.items], resourceVersion: this.rv });
    const items = this.items.map(shape).filter((o): o is T => o !== undefined);
    return Promise.resolve({ items, resourceVersion: this.rv, shaped: true });
  }

  watch(params: WatchParams, emit: FakeWatch<T>["emit"], done: FakeWatch<T>["done"]): Promise<WatchHandle> {
    const w: FakeWatch<T> = { params, emit, done, aborted: false };
    this.watches.push(w);
    return Promise.resolve({ abort: () => void (w.aborted = true) });
  }

  /** The most recent watch. */
  get current(): FakeWatch<T> {
    const w = this.watches[this.watches.length - 1];
    if (!w) throw new Error("no watch opened yet");
    return w;
  }
}
