import type { KubernetesObject } from "@kubernetes/client-node";
import type { ListResult, ListWatcher, WatchHandle, WatchParams } from "../kube/list-watch.ts";

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
  watches: FakeWatch<T>[] = [];

  list(): Promise<ListResult<T>> {
    this.lists++;
    if (this.listError) return Promise.reject(this.listError);
    return Promise.resolve({ items: [...this.items], resourceVersion: this.rv });
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
