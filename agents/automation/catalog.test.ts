import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import { ACTION_NAMES, ACTION_RISKS } from "../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../crds/action-targets.ts";
import { ActionCatalog, ACTIONS, catalog } from "./catalog.ts";

describe("ActionCatalog", () => {
  it("implements every catalog action with the catalog's risk and target kinds", () => {
    expect(catalog.all().map((a) => a.name)).toEqual(ACTION_NAMES);
    for (const a of catalog.all()) {
      expect(a.risk).toBe(ACTION_RISKS[a.name]);
      expect(a.targetKinds).toEqual(ACTION_TARGET_KINDS[a.name] ?? []);
      expect(a.description.length).toBeGreaterThan(10);
      for (const text of Object.values(a.explain)) expect(text.length, a.name).toBeGreaterThan(10);
      const r = a.recovery;
      const says = r.mode === "rerun" ? r.why : r.mode === "observe" ? r.observer.how : r.check;
      expect(says.length, a.name).toBeGreaterThan(10);
    }
    expect(catalog.get("DrainNode")?.name).toBe("DrainNode");
    expect(catalog.get("rm -rf")).toBeUndefined();
    expect(catalog.get("toString")).toBeUndefined();
  });

  it("refuses a catalog with a missing, duplicated or misrated action", () => {
    expect(() => new ActionCatalog(ACTIONS.slice(1))).toThrow(/without implementation: ScaleWorkload/);
    expect(() => new ActionCatalog([...ACTIONS, ACTIONS[0]!])).toThrow(/registered twice/);
    expect(() => new ActionCatalog([{ ...ACTIONS[0]!, risk: "low" }, ...ACTIONS.slice(1)])).toThrow(
      /risk low differs/,
    );
  });

  it("only RunbookOnly is manual, and the undoable flags say which actions can be taken back", () => {
    expect(
      catalog
        .all()
        .filter((a) => !a.automatic)
        .map((a) => a.name),
    ).toEqual(["RunbookOnly"]);
    expect(
      catalog
        .all()
        .filter((a) => !a.undoable)
        .map((a) => a.name),
    ).toEqual(["RolloutRestart", "DeletePod", "Ec2RebootInstance", "RunbookOnly"]);
  });

  it("accepts the params the diagnosis engine recommends and rejects typos", () => {
    const ok: [string, Record<string, unknown>][] = [
      ["RolloutUndo", { toRevision: 4 }],
      ["SetResources", { container: "app", memory: "512Mi" }],
      ["DrainNode", { ignoreDaemonSets: true }],
      ["ScaleWorkload", { replicas: 1 }],
      ["PatchHPA", { maxReplicas: 12 }],
      ["Ec2RebootInstance", { instanceId: "i-0123456789abcdef0" }],
      ["RunbookOnly", { note: "call the DBA" }],
      ["RolloutRestart", {}],
    ];
    for (const [name, params] of ok) expect(Value.Check(catalog.get(name)!.params, params), name).toBe(true);
    const bad: [string, Record<string, unknown>][] = [
      ["ScaleWorkload", { replica: 1 }],
      ["ScaleWorkload", { replicas: 1.5 }],
      ["PatchHPA", {}],
      ["PatchHPA", { maxReplicas: 0 }],
      ["SetResources", { container: "app" }],
      ["SetResources", { container: "app", memory: "lots" }],
      ["DrainNode", { force: true }],
    ];
    for (const [name, params] of bad)
      expect(Value.Check(catalog.get(name)!.params, params), name).toBe(false);
  });
});
