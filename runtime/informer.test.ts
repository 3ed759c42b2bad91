import type { KubernetesObject } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Informer, type EventHandler } from "./informer.ts";
import { FakeListWatcher } from "./fake-list-watcher.ts";
import { ownerUidIndex } from "./store.ts";

type Obj = KubernetesObject;
const obj = (name: string, rv: string, owner?: string): Obj => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    namespace: "ns",
    name,
    resourceVersion: rv,
    ownerReferences: owner ? [{ apiVersion: "v1", kind: "X", name: "o", uid: owner }] : undefined,
  },
});

function recorder(): EventHandler<Obj> & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    onAdd: (o) => log.push(`add ${o.metadata?.name}@${o.metadata?.resourceVersion}`),
    onUpdate: (a, b) =>
      log.push(`update ${a.metadata?.name}@${a.metadata?.resourceVersion}->${b.metadata?.resourceVersion}`),
    onDelete: (o) => log.push(`delete ${o.metadata?.name}`),
  };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe("Informer", () => {
  let lw: FakeListWatcher;
  let inf: Informer<Obj>;
  let rec: ReturnType<typeof recorder>;

  beforeEach(() => {
    vi.useFakeTimers();
    lw = new FakeListWatcher();
    lw.items = [obj("a", "1"), obj("b", "2")];
    inf = new Informer({ listWatcher: lw, resyncMs: 0, random: () => 0.5 });
    rec = recorder();
    inf.addEventHandler(rec);
  });

  afterEach(async () => {
    await inf.stop();
    vi.useRealTimers();
  });

  it("lists, syncs, delivers adds, then watches from the list's resourceVersion", async () => {
    expect(inf.hasSynced()).toBe(false);
    const synced = inf.waitForSync();
    inf.start();
    await tick();
    expect(await synced).toBe(true);
    expect(rec.log).toEqual(["add a@1", "add b@2"]);
    expect(inf.get("ns", "a")?.metadata?.resourceVersion).toBe("1");
    expect(inf.list("ns")).toHaveLength(2);
    expect(lw.current.params).toEqual({
      resourceVersion: "10",
      timeoutSeconds: 450,
      allowWatchBookmarks: true,
    });
  });

  it("applies watch events, skips unchanged versions, tracks bookmarks", async () => {
    inf.start();
    await tick();
    lw.current.emit("ADDED", obj("c", "11"));
    lw.current.emit("MODIFIED", obj("a", "12"));
    lw.current.emit("MODIFIED", obj("a", "12"));
    lw.current.emit("DELETED", obj("b", "13"));
    lw.current.emit("BOOKMARK", { metadata: { resourceVersion: "20" } });
    expect(rec.log.slice(2)).toEqual(["add c@11", "update a@1->12", "delete b"]);
    expect(inf.lastSyncResourceVersion()).toBe("20");
    expect(inf.list().map((o) => o.metadata?.name)).toEqual(["a", "c"]);
  });

  it("relists on a 410 Gone event and reconciles the cache with the new list", async () => {
    inf.start();
    await tick();
    lw.items = [obj("a", "5"), obj("c", "6")];
    lw.rv = "30";
    lw.current.emit("ERROR", { kind: "Status", code: 410 } as unknown as Obj);
    await tick();
    expect(lw.watches[0]?.aborted).toBe(true);
    expect(lw.lists).toBe(2);
    expect(rec.log.slice(2)).toEqual(["update a@1->5", "add c@6", "delete b"]);
    expect(lw.current.params.resourceVersion).toBe("30");
  });

  it("relists when the watch request itself fails with 410", async () => {
    inf.start();
    await tick();
    lw.current.done({ statusCode: 410 });
    await tick();
    expect(lw.lists).toBe(2);
    expect(lw.watches).toHaveLength(2);
  });

  it("retries failed watches with doubling backoff from the same resourceVersion, never relisting", async () => {
    inf = new Informer({
      listWatcher: lw,
      resyncMs: 0,
      random: () => 0.5,
      backoff: { initialMs: 100, maxMs: 300 },
    });
    inf.start();
    await tick();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = lw.watches.length;
      lw.current.done(new Error("connection reset"));
      let waited = 0;
      while (lw.watches.length === before) {
        await tick(10);
        waited += 10;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 300, 300]);
    expect(lw.lists).toBe(1);
    expect(lw.current.params.resourceVersion).toBe("10");
    lw.current.emit("ADDED", obj("z", "40"));
    lw.current.done(new Error("again"));
    await tick(100);
    expect(lw.current.params.resourceVersion).toBe("40");
  });

  it("keeps retrying a failing list without throwing", async () => {
    lw.listError = Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" });
    inf.start();
    await tick(1000 + 2000 + 4000);
    expect(lw.lists).toBe(4);
    expect(inf.hasSynced()).toBe(false);
    lw.listError = undefined;
    await tick(8000);
    expect(inf.hasSynced()).toBe(true);
  });

  it("re-watches at once after a server close or a client timeout, backs off after an instant close", async () => {
    inf.start();
    await tick(5000);
    lw.current.done();
    await tick();
    expect(lw.watches).toHaveLength(2);
    await tick(30_000);
    lw.current.done(new DOMException("timed out", "TimeoutError"));
    await tick();
    expect(lw.watches).toHaveLength(3);
    lw.current.done();
    await tick();
    expect(lw.watches).toHaveLength(3);
    await tick(1000);
    expect(lw.watches).toHaveLength(4);
  });

  it("restarts a silent watch (watchdog) from the same resourceVersion", async () => {
    inf = new Informer({ listWatcher: lw, resyncMs: 0, watchdogMs: 60_000, random: () => 0.5 });
    inf.start();
    await tick();
    await tick(59_000);
    lw.current.emit("BOOKMARK", { metadata: { resourceVersion: "15" } });
    await tick(59_000);
    expect(lw.watches).toHaveLength(1);
    await tick(1000);
    expect(lw.watches[0]?.aborted).toBe(true);
    expect(lw.watches).toHaveLength(2);
    expect(lw.current.params.resourceVersion).toBe("15");
    expect(lw.lists).toBe(1);
  });

  it("resyncs: re-delivers every cached object as an update", async () => {
    inf = new Informer({ listWatcher: lw, resyncMs: 60_000, random: () => 0.5 });
    const r = recorder();
    inf.addEventHandler(r);
    inf.start();
    await tick(60_000);
    expect(r.log).toEqual(["add a@1", "add b@2", "update a@1->1", "update b@2->2"]);
    await tick(60_000);
    expect(r.log).toHaveLength(6);
  });

  it("replays the cache to a late handler and stops delivering after removal", async () => {
    inf.start();
    await tick();
    const late = recorder();
    const remove = inf.addEventHandler(late);
    expect(late.log).toEqual(["add a@1", "add b@2"]);
    remove();
    lw.current.emit("ADDED", obj("c", "11"));
    expect(late.log).toHaveLength(2);
  });

  it("survives a throwing handler", async () => {
    inf.addEventHandler({
      onAdd: () => {
        throw new Error("boom");
      },
    });
    inf.start();
    await tick();
    lw.current.emit("ADDED", obj("c", "11"));
    expect(rec.log).toContain("add c@11");
  });

  it("stores transformed objects, keeps dropped ones out and reshapes the cache when set late", async () => {
    const slim = (o: Obj): Obj | undefined =>
      o.metadata?.name === "skip" ? undefined : { ...o, metadata: { ...o.metadata, labels: { slim: "1" } } };
    inf.setTransform(slim);
    lw.items = [obj("a", "1"), obj("skip", "2")];
    inf.start();
    await tick();
    expect(inf.list().map((o) => o.metadata?.name)).toEqual(["a"]);
    expect(inf.get("ns", "a")?.metadata?.labels).toEqual({ slim: "1" });
    lw.current.emit("ADDED", obj("skip", "11"));
    lw.current.emit("MODIFIED", obj("a", "12"));
    expect(inf.get("ns", "a")?.metadata).toMatchObject({ resourceVersion: "12", labels: { slim: "1" } });
    // An object the transform starts refusing leaves the cache as a delete.
    inf.setTransform((o) => (o.metadata?.resourceVersion === "13" ? undefined : o));
    lw.current.emit("MODIFIED", obj("a", "13"));
    expect(inf.get("ns", "a")).toBeUndefined();
    expect(rec.log).toContain("delete a");
    // A throwing transform drops the object rather than caching it raw.
    inf.setTransform(() => {
      throw new Error("boom");
    });
    lw.current.emit("ADDED", obj("c", "14"));
    expect(inf.get("ns", "c")).toBeUndefined();
  });

  it("stores what a shaping list returns without shaping it again, and drops what the shape left out", async () => {
    const calls: string[] = [];
    inf.setTransform((o) => {
      calls.push(o.metadata?.name ?? "");
      return o.metadata?.name === "skip"
        ? undefined
        : { ...o, metadata: { ...o.metadata, labels: { slim: "1" } } };
    });
    lw.shapes = true;
    lw.items = [obj("a", "1"), obj("b", "2")];
    inf.start();
    await tick();
    expect(calls).toEqual(["a", "b"]);
    expect(inf.get("ns", "b")?.metadata?.labels).toEqual({ slim: "1" });
    // A relist whose shape drops b: b leaves the cache as a delete, a is shaped once more.
    lw.items = [obj("a", "3"), obj("skip", "4")];
    lw.rv = "20";
    lw.current.done(Object.assign(new Error("gone"), { statusCode: 410 }));
    await tick(2_000);
    expect(calls).toEqual(["a", "b", "a", "skip"]);
    expect(inf.list().map((o) => o.metadata?.name)).toEqual(["a"]);
    expect(rec.log).toContain("delete b");
    expect(rec.log).toContain("update a@1->3");
  });

  it("reshapes objects already cached when the transform is set after start, and evicts without events", async () => {
    inf.start();
    await tick();
    inf.setTransform((o) => (o.metadata?.name === "b" ? undefined : { ...o, data: { k: "" } }));
    expect(inf.list().map((o) => o.metadata?.name)).toEqual(["a"]);
    expect((inf.get("ns", "a") as Obj & { data?: object }).data).toEqual({ k: "" });
    const before = rec.log.length;
    expect(inf.evict("ns/a")?.metadata?.name).toBe("a");
    expect(inf.list()).toEqual([]);
    expect(rec.log).toHaveLength(before);
  });

  it("looks up children by owner uid", async () => {
    lw.items = [obj("c1", "1", "u1"), obj("c2", "2", "u2")];
    inf.addIndex("owner", ownerUidIndex);
    inf.start();
    await tick();
    lw.current.emit("ADDED", obj("c3", "3", "u1"));
    expect(inf.byIndex("owner", "u1").map((o) => o.metadata?.name)).toEqual(["c1", "c3"]);
  });

  it("stop aborts the watch and the loop; waitForSync can be abandoned", async () => {
    const ac = new AbortController();
    const pending = inf.waitForSync(ac.signal);
    ac.abort();
    expect(await pending).toBe(false);
    inf.start();
    await tick();
    await inf.stop();
    expect(lw.current.aborted).toBe(true);
    await tick(60_000);
    expect(lw.watches).toHaveLength(1);
  });
});
