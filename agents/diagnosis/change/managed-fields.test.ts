import { describe, expect, it } from "vitest";
import { DATA_PATHS, lastWriteBefore, TAINT_PATHS, writeTimes } from "./managed-fields.ts";
import { NOW, written } from "./testing.ts";

const cm = (entries: unknown[]) => ({ kind: "ConfigMap", metadata: { name: "c", managedFields: entries } });

describe("writeTimes", () => {
  it("lists client writes of the data, newest first, and skips status and other fields", () => {
    const obj = cm([
      written(60, { "f:data": { "f:a": {} } }, "kubectl-client-side-apply"),
      written(2, { "f:data": { "f:a": {} } }),
      written(1, { "f:metadata": { "f:labels": {} } }, "labeller"),
      {
        manager: "kubelet",
        operation: "Update",
        subresource: "status",
        time: "2026-11-20T09:59:00Z",
        fieldsV1: { "f:data": {} },
      },
    ]);
    expect(writeTimes(obj, DATA_PATHS)).toEqual([NOW - 2 * 60_000, NOW - 60 * 60_000]);
    expect(lastWriteBefore(obj, DATA_PATHS, NOW - 10 * 60_000)).toBe(NOW - 60 * 60_000);
  });

  it("reads nested paths such as spec.taints and tolerates objects without managedFields", () => {
    const node = {
      kind: "Node",
      metadata: { name: "n", managedFields: [written(5, { "f:spec": { "f:taints": {} } }, "kubectl-taint")] },
    };
    expect(writeTimes(node, TAINT_PATHS)).toEqual([NOW - 5 * 60_000]);
    expect(writeTimes({ kind: "Node", metadata: { name: "m" } }, TAINT_PATHS)).toEqual([]);
  });
});
