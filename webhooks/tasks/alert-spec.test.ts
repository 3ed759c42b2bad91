import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import { LIMITS, SreTaskSpec } from "../../crds/index.ts";
import { alert } from "../testing/sidecar.ts";
import { alertTask, fitAnnotations, specAlert, startedAfter } from "./alert-spec.ts";

describe("alert tasks", () => {
  it("builds a spec the CRD schema accepts", () => {
    const task = alertTask("ops", "alert-x-0123456789ab", alert());
    expect(Value.Check(SreTaskSpec, task.spec)).toBe(true);
    expect(task.spec.source).toBe("Alertmanager");
  });

  it("keeps endsAt only for resolved alerts and drops Go's zero time", () => {
    expect(specAlert(alert()).endsAt).toBeUndefined();
    expect(specAlert(alert({ status: "resolved", endsAt: "2026-11-20T11:00:00Z" })).endsAt).toBe(
      "2026-11-20T11:00:00Z",
    );
    expect(specAlert(alert({ startsAt: "0001-01-01T00:00:00Z" })).startsAt).toBeUndefined();
  });

  it("fits annotations into the CRD: key ones first, 32 at most, long values cut", () => {
    const many = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`k${String(i).padStart(2, "0")}`, "v"]),
    );
    const fitted = fitAnnotations({ ...many, summary: "s", description: "d".repeat(LIMITS.text + 10) });
    expect(Object.keys(fitted)).toHaveLength(32);
    expect(Object.keys(fitted).slice(0, 3)).toEqual(["summary", "description", "k00"]);
    expect(fitted.description).toHaveLength(LIMITS.text);
    const spec = alertTask(
      "ops",
      "n",
      alert({ annotations: { ...many, description: "d".repeat(9000) } }),
    ).spec;
    expect(Value.Check(SreTaskSpec, spec)).toBe(true);
  });

  it("drops a generatorURL longer than the CRD allows", () => {
    expect(
      specAlert(alert({ generatorURL: `http://x/${"a".repeat(LIMITS.url)}` })).generatorURL,
    ).toBeUndefined();
  });

  it("compares episodes by startsAt", () => {
    expect(startedAfter("2026-11-20T12:00:00Z", "2026-11-20T10:00:00Z")).toBe(true);
    expect(startedAfter("2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z")).toBe(false);
    expect(startedAfter(undefined, "2026-11-20T10:00:00Z")).toBe(false);
  });
});
