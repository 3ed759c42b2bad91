import { describe, expect, it } from "vitest";
import { describeDiff, shortImage, templateDiff } from "./template-diff.ts";

const tmpl = (c: Record<string, unknown>, annotations?: Record<string, string>) => ({
  metadata: annotations ? { annotations } : {},
  spec: { containers: [{ name: "app", ...c }] },
});

describe("templateDiff", () => {
  it("names the image tags, env names (never values) and resource values that changed", () => {
    const prev = tmpl({
      image: "reg.io/shop/api:v2.3.1",
      env: [
        { name: "DB_PASSWORD", value: "hunter2" },
        { name: "OLD", value: "1" },
      ],
      resources: { limits: { memory: "512Mi" } },
    });
    const next = tmpl({
      image: "reg.io/shop/api:v2.4.0",
      env: [
        { name: "DB_PASSWORD", value: "s3cret-new" },
        { name: "NEW", value: "2" },
      ],
      resources: { limits: { memory: "256Mi" } },
    });
    const diff = templateDiff(prev, next);
    expect(diff).toEqual([
      "image api:v2.3.1 → api:v2.4.0",
      "env DB_PASSWORD changed",
      "env NEW added",
      "env OLD removed",
      "limits.memory 512Mi → 256Mi",
    ]);
    expect(diff.join(" ")).not.toMatch(/hunter2|s3cret/);
    expect(describeDiff(diff)).toBe(
      "image api:v2.3.1 → api:v2.4.0, env DB_PASSWORD changed, env NEW added and 2 more",
    );
  });

  it("recognises a rollout restart and says nothing for identical templates", () => {
    const a = tmpl({ image: "api:1" });
    expect(
      templateDiff(
        a,
        tmpl({ image: "api:1" }, { "kubectl.kubernetes.io/restartedAt": "2026-11-20T09:50:00Z" }),
      ),
    ).toEqual(["rollout restart"]);
    expect(templateDiff(a, tmpl({ image: "api:1" }))).toEqual([]);
    expect(describeDiff([], 5)).toBe("new revision 5");
  });

  it("shortens digests", () => {
    expect(shortImage("reg.io/a/b@sha256:0123456789abcdef0123")).toBe("b@sha256:0123456789ab");
  });
});
