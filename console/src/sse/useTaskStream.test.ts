import { describe, expect, it } from "vitest";
import { reduce, streamUrl } from "./useTaskStream.ts";
import type { TaskProgress } from "./useTaskStream.ts";

const start: TaskProgress = {
  phase: undefined,
  message: undefined,
  findings: [],
  rootCause: undefined,
  reconnecting: true,
  finished: false,
  endedWith: undefined,
};

describe("task progress", () => {
  it("follows phase, finding, rootCause and done events", () => {
    let p = reduce(start, "phase", { phase: "Diagnosing", message: "reading pods" });
    p = reduce(p, "finding", { category: "CrashLoop", severity: "critical", message: "exit 1" });
    p = reduce(p, "finding", { finding: { category: "ProbeFailure" } });
    p = reduce(p, "rootCause", { rootCause: { category: "CrashLoop", summary: "exits" } });
    expect(p.phase).toBe("Diagnosing");
    expect(p.findings.map((f) => f.category)).toEqual(["CrashLoop", "ProbeFailure"]);
    // A reopened stream repeats what it sent; each finding is kept once.
    p = reduce(p, "finding", { category: "CrashLoop", severity: "critical", message: "exit 1" });
    expect(p.findings).toHaveLength(2);
    expect(p.rootCause?.summary).toBe("exits");
    expect(p.finished).toBe(false);
    p = reduce(p, "done", { phase: "Diagnosed" });
    expect(p).toMatchObject({
      phase: "Diagnosed",
      finished: true,
      reconnecting: false,
      endedWith: undefined,
    });
  });

  it("ends with the server's reason on denied or deleted", () => {
    expect(reduce(start, "denied", { status: 403, message: "access removed" })).toMatchObject({
      finished: true,
      endedWith: "access removed",
    });
    expect(reduce(start, "deleted", {}).endedWith).toBe("deleted");
  });

  it("escapes the task in the stream URL", () => {
    expect(streamUrl("shop", "a/b")).toBe("/console/api/tasks/shop/a%2Fb/stream");
  });
});
