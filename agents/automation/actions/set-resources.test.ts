import { describe, expect, it } from "vitest";
import { nextResources, resourcesPatch } from "./set-resources.ts";

describe("SetResources", () => {
  it("overlays the params on the container's resources; memory/cpu are limit shorthands", () => {
    const prev = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };
    expect(nextResources(prev, { container: "app", memory: "512Mi" })).toEqual({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { memory: "512Mi" },
    });
    expect(nextResources({}, { container: "app", requests: { cpu: "1" }, cpu: "2" })).toEqual({
      requests: { cpu: "1" },
      limits: { cpu: "2" },
    });
  });

  it("patches only the named container, guarded by its name", () => {
    expect(resourcesPatch(1, "sidecar", { limits: { memory: "1Gi" } })).toEqual([
      { op: "test", path: "/spec/template/spec/containers/1/name", value: "sidecar" },
      { op: "add", path: "/spec/template/spec/containers/1/resources", value: { limits: { memory: "1Gi" } } },
    ]);
  });
});
