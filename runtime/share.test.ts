import { describe, expect, it } from "vitest";
import { StringInterner } from "./intern.ts";
import { StructureSharer } from "./share.ts";

const pod = (name: string, node: string, hash = "74755988b5") => ({
  metadata: {
    name,
    uid: `uid-${name}`,
    resourceVersion: String(name.length),
    labels: { app: "app-0", "pod-template-hash": hash },
    ownerReferences: [{ kind: "ReplicaSet", name: `app-0-${hash}`, uid: `rs-${hash}`, controller: true }],
  },
  spec: {
    nodeName: node,
    containers: [{ name: "app", image: "shop/app:v1", resources: { requests: { cpu: "1m" } } }],
    tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", tolerationSeconds: 300 }],
  },
});

describe("StructureSharer", () => {
  it("shares the equal parts of two objects and keeps the parts that differ apart", () => {
    const sharer = new StructureSharer();
    const a = sharer.share(pod("a", "node-1"));
    const b = sharer.share(pod("b", "node-2"));
    expect(b.metadata.labels).toBe(a.metadata.labels);
    expect(b.metadata.ownerReferences).toBe(a.metadata.ownerReferences);
    expect(b.spec.containers).toBe(a.spec.containers);
    expect(b.spec.tolerations).toBe(a.spec.tolerations);
    // nodeName differs, and metadata holds a resourceVersion: neither whole is shared.
    expect(b.spec).not.toBe(a.spec);
    expect(b.metadata).not.toBe(a.metadata);
    expect(b).toEqual(pod("b", "node-2"));
    expect(a).toEqual(pod("a", "node-1"));
  });

  it("tells values apart by type and by order of items", () => {
    const sharer = new StructureSharer();
    const one = sharer.share({
      x: { v: 1 },
      y: { v: "1" },
      z: { v: true },
      w: { v: "true" },
      n: { v: null },
    });
    expect(one.x).not.toBe(one.y);
    expect(one.z).not.toBe(one.w);
    expect(one.y).toEqual({ v: "1" });
    const lists = sharer.share({ a: ["p", "q"], b: ["q", "p"], c: ["p", "q"] });
    expect(lists.a).not.toBe(lists.b);
    expect(lists.c).toBe(lists.a);
  });

  it("freezes shared parts, so a reader cannot change every object that shares one", () => {
    const sharer = new StructureSharer();
    const a = sharer.share(pod("a", "node-1"));
    expect(Object.isFrozen(a.spec.containers[0]!.resources)).toBe(true);
    expect(() => {
      (a.metadata.labels as Record<string, string>).app = "changed";
    }).toThrow(TypeError);
    // The object itself stays writable: its metadata is its own, so it is never shared.
    a.metadata.name = "renamed";
    expect(a.metadata.name).toBe("renamed");
  });

  it("never looks up a part holding a resourceVersion, or one too long to be repeated", () => {
    const sharer = new StructureSharer(undefined, 100, 64);
    const x = sharer.share({
      m: { resourceVersion: "1", k: "v" },
      big: { text: "y".repeat(200) },
      wide: { a: "1".repeat(70) },
    });
    const y = sharer.share({
      m: { resourceVersion: "1", k: "v" },
      big: { text: "y".repeat(200) },
      wide: { a: "1".repeat(70) },
    });
    expect(y.m).not.toBe(x.m);
    expect(y.big).not.toBe(x.big);
    expect(y.wide).not.toBe(x.wide);
    expect(Object.isFrozen(x.m)).toBe(false);
  });

  it("forgets the least recently met parts beyond its size, and shares strings through the interner", () => {
    const interner = new StringInterner();
    const sharer = new StructureSharer(interner, 2);
    sharer.share({ a: { v: "one" } });
    sharer.share({ b: { v: "two" } });
    sharer.share({ c: { v: "three" } });
    expect(sharer.size).toBe(2);
    expect(interner.size).toBeGreaterThanOrEqual(3);
  });
});
