import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { Store, keyOf, ownerUidIndex, splitKey } from "./store.ts";

const obj = (ns: string, name: string, owners: string[] = [], rv = "1"): KubernetesObject => ({
  metadata: {
    namespace: ns || undefined,
    name,
    resourceVersion: rv,
    ownerReferences: owners.map((uid) => ({ apiVersion: "v1", kind: "X", name: uid, uid })),
  },
});

describe("Store", () => {
  it("gets by namespace/name and lists per namespace", () => {
    const s = new Store();
    s.upsert(obj("a", "x"));
    s.upsert(obj("b", "y"));
    s.upsert(obj("", "cluster"));
    expect(s.get("a", "x")?.metadata?.name).toBe("x");
    expect(s.get("", "cluster")?.metadata?.name).toBe("cluster");
    expect(s.list("a").map((o) => o.metadata?.name)).toEqual(["x"]);
    expect(s.list()).toHaveLength(3);
    expect(s.size()).toBe(3);
  });

  it("indexes by owner uid, including objects stored before the index", () => {
    const s = new Store();
    s.upsert(obj("a", "c1", ["u1"]));
    s.addIndex("owner", ownerUidIndex);
    s.upsert(obj("a", "c2", ["u1", "u2"]));
    expect(s.byIndex("owner", "u1").map((o) => o.metadata?.name)).toEqual(["c1", "c2"]);
    s.upsert(obj("a", "c1", ["u2"], "2"));
    expect(s.byIndex("owner", "u1").map((o) => o.metadata?.name)).toEqual(["c2"]);
    expect(s.byIndex("owner", "u2").map((o) => o.metadata?.name)).toEqual(["c2", "c1"]);
    s.remove("a/c2");
    expect(s.byIndex("owner", "u2").map((o) => o.metadata?.name)).toEqual(["c1"]);
    expect(s.byIndex("owner", "nobody")).toEqual([]);
    expect(() => s.byIndex("missing", "x")).toThrow();
    s.addIndex("owner", ownerUidIndex);
    expect(() => s.addIndex("owner", () => [])).toThrow();
  });

  it("keeps a per-namespace index in insertion order through replaces and removes", () => {
    const s = new Store();
    s.upsert(obj("a", "x"));
    s.upsert(obj("b", "y"));
    s.upsert(obj("a", "z"));
    s.upsert(obj("a", "x", [], "2"));
    expect(s.list("a").map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`)).toEqual([
      "x@2",
      "z@1",
    ]);
    expect(s.countIn("a")).toBe(2);
    s.remove("b/y");
    expect(s.list("b")).toEqual([]);
    expect(s.namespaces()).toEqual(["a"]);
    s.remove("a/x");
    expect(s.list("a").map((o) => o.metadata?.name)).toEqual(["z"]);
    expect(s.list("nowhere")).toEqual([]);
  });

  it("round-trips keys", () => {
    expect(keyOf(obj("ns", "n"))).toBe("ns/n");
    expect(splitKey("ns/n")).toEqual({ namespace: "ns", name: "n" });
    expect(splitKey("n")).toEqual({ namespace: "", name: "n" });
  });
});
