import { describe, expect, it } from "vitest";
import { SnapshotError, parseSnapshot } from "./snapshot.ts";

describe("snapshot parsing", () => {
  it("accepts a ClusterSnapshot whose objects is a v1 List with nested Lists", () => {
    const s = parseSnapshot(`kind: ClusterSnapshot
capturedAt: "2026-11-20T10:00:00Z"
objects:
  apiVersion: v1
  kind: List
  items:
    - {kind: Pod, metadata: {name: a}}
    - {kind: List, items: [{kind: Node, metadata: {name: n}}]}
`);
    expect(s.objects.map((o) => o.kind)).toEqual(["Pod", "Node"]);
    expect(s.capturedAt).toBe(Date.parse("2026-11-20T10:00:00Z"));
  });

  it("accepts JSON and takes capturedAt from the newest timestamp of a bare List", () => {
    const s = parseSnapshot(
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          { kind: "Pod", metadata: { name: "a", creationTimestamp: "2026-01-01T00:00:00Z" } },
          { kind: "Event", lastTimestamp: "2026-02-01T00:00:00Z" },
        ],
      }),
    );
    expect(s.capturedAt).toBe(Date.parse("2026-02-01T00:00:00Z"));
  });

  it("rejects objects without kind, bad YAML and bad capturedAt with one-line messages", () => {
    expect(() =>
      parseSnapshot("kind: ClusterSnapshot\nobjects:\n  - {kind: Pod}\n  - {metadata: {name: x}}\n"),
    ).toThrow(new SnapshotError("objects[1] has no kind"));
    expect(() => parseSnapshot("kind: ClusterSnapshot\nobjects: [\n")).toThrow(/invalid YAML\/JSON at line/);
    expect(() => parseSnapshot('kind: ClusterSnapshot\ncapturedAt: "yesterday"\n')).toThrow(
      'capturedAt "yesterday" is not a timestamp',
    );
    expect(() => parseSnapshot("")).toThrow("the file is empty");
  });

  it("reads aliases of scalars and of collections alike, and refuses an alias bomb", () => {
    const s = parseSnapshot(`kind: ClusterSnapshot
objects:
  - {kind: Pod, metadata: {name: &n a, labels: &l {app: web}}}
  - {kind: Pod, metadata: {name: *n, labels: *l}}
`);
    expect(s.objects.map((o) => [o.metadata?.name, o.metadata?.labels])).toEqual([
      ["a", { app: "web" }],
      ["a", { app: "web" }],
    ]);
    // Shared collections go through \`yaml\`, whose maxAliasCount stops the expansion.
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(", ")}]`,
      );
    expect(() => parseSnapshot(`kind: ClusterSnapshot\n${bomb.join("\n")}\nobjects: []\n`)).toThrow(/alias/i);
  });
});
