import { describe, expect, it } from "vitest";
import type { AgentConfig, SreTask } from "../../crds/index.ts";
import {
  createStormGate,
  grewALot,
  STORM_GREW_TOKEN,
  STORM_NOTIFIED_ANNOTATION,
  stormGate,
} from "./notify-gate.ts";

const T0 = Date.parse("2026-12-07T01:00:00Z");
const config = (alertGrouping?: AgentConfig["spec"]["alertGrouping"]): AgentConfig =>
  ({
    apiVersion: "aisre.io/v1alpha1",
    kind: "AgentConfig",
    metadata: { name: "default" },
    spec: { alertGrouping },
  }) as AgentConfig;
const ON = config({ windowSeconds: 300 });

function task(status: SreTask["status"] = {}, annotations: Record<string, string> = {}): SreTask {
  return {
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: {
      name: "t",
      namespace: "shop",
      annotations,
      creationTimestamp: new Date(T0).toISOString() as never,
    },
    spec: { source: "Alertmanager", alert: { labels: { alertname: "A" }, fingerprint: "f" } },
    status: { phase: "Diagnosed", startTime: new Date(T0).toISOString() as never, ...status },
  } as SreTask;
}
const rootCause = {
  category: "PVCPending",
  resource: { kind: "PersistentVolumeClaim", name: "d" },
  summary: "claim d is Pending",
  confidence: 0.9,
} as const;
const primary = (size: number) => ({
  key: "dependency:Service/shop/orders-db",
  primary: "t",
  role: "Primary" as const,
  size,
  summary: `${size} alerts, one root cause: orders-db (A)`,
});

describe("stormGate", () => {
  it("sends as before when grouping is off or the task is not an alert", () => {
    expect(stormGate(task(), config(), { sent: [], now: T0 }).action).toBe("send");
    expect(stormGate(task(), config({ enabled: false }), { sent: [], now: T0 }).action).toBe("send");
    const manual = task();
    delete manual.spec.alert;
    expect(stormGate(manual, ON, { sent: [], now: T0 }).action).toBe("send");
  });

  it("holds an undiagnosed alert task, then sends it if the diagnosis never comes", () => {
    const opening = task({ phase: "Diagnosing" });
    expect(stormGate(opening, ON, { sent: [], now: T0 + 10_000 }).action).toBe("hold");
    expect(stormGate(opening, ON, { sent: [], now: T0 + 301_000 }).action).toBe("send");
    expect(stormGate(task({ phase: "Failed" }), ON, { sent: [], now: T0 + 1_000 }).action).toBe("send");
  });

  it("waits a moment for the storm controller to key a diagnosed task, then sends it alone", () => {
    const diagnosed = task({ rootCause });
    expect(
      stormGate(diagnosed, ON, { sent: [], now: T0 + 60_000, firstSeenUngrouped: T0 + 59_000 }).action,
    ).toBe("hold");
    expect(
      stormGate(diagnosed, ON, { sent: [], now: T0 + 65_000, firstSeenUngrouped: T0 + 59_000 }).action,
    ).toBe("send");
  });

  it("never sends for a member", () => {
    const member = task({ rootCause, group: { key: "k", primary: "p", role: "Member", size: 3 } });
    expect(stormGate(member, ON, { sent: [], now: T0 + 600_000 })).toEqual({ action: "skip" });
  });

  it("holds a primary for the grace, then shows the count and records the announced size", () => {
    const p = task({ rootCause, group: primary(23) });
    expect(stormGate(p, ON, { sent: [], now: T0 + 29_000 }).action).toBe("hold");
    expect(stormGate(p, config({ windowSeconds: 30 }), { sent: [], now: T0 + 29_000 }).action).toBe("hold");
    const gate = stormGate(p, ON, { sent: [], now: T0 + 31_000 });
    expect(gate.action).toBe("send");
    if (gate.action !== "send") return;
    expect(gate.token).toBeUndefined();
    expect(gate.annotations).toEqual({ [STORM_NOTIFIED_ANNOTATION]: "23" });
    expect(gate.task.status!.rootCause!.summary).toBe(
      "23 alerts, one root cause: orders-db (A). claim d is Pending",
    );
    expect(p.status!.rootCause!.summary).toBe("claim d is Pending");
  });

  it("sends one update when the storm at least doubled by five or more", () => {
    expect(grewALot(3, 6)).toBe(false);
    expect(grewALot(5, 10)).toBe(true);
    expect(grewALot(10, 19)).toBe(false);
    const grown = task({ rootCause, group: primary(12) }, { [STORM_NOTIFIED_ANNOTATION]: "5" });
    const keeper = createStormGate(() => T0 + 60_000);
    const gate = keeper.decide(grown, ON, ["Diagnosed"], "Diagnosed");
    expect(gate).toMatchObject({ action: "send", token: STORM_GREW_TOKEN });
    expect(keeper.mayUpdate(grown, ["Diagnosed"])).toBe(true);
    expect(keeper.decide(grown, ON, ["Diagnosed", STORM_GREW_TOKEN], "Diagnosed")).toEqual({
      action: "skip",
    });
    expect(keeper.mayUpdate(grown, ["Diagnosed", STORM_GREW_TOKEN])).toBe(false);
  });
});

describe("a primary and the alerts before it", () => {
  it("waits while an earlier alert is still being diagnosed, since it may become the primary", () => {
    const p = task({ rootCause, group: primary(3) });
    const earlier = task({ phase: "Diagnosing" });
    earlier.metadata.name = "earlier";
    expect(stormGate(p, ON, { sent: [], now: T0 + 40_000, peers: [p, earlier] }).action).toBe("hold");
    earlier.status!.rootCause = rootCause;
    expect(stormGate(p, ON, { sent: [], now: T0 + 40_000, peers: [p, earlier] }).action).toBe("send");
    const other = task({ phase: "Diagnosing" });
    other.metadata.name = "other-config";
    other.spec.agentConfigRef = { name: "other" };
    expect(stormGate(p, ON, { sent: [], now: T0 + 40_000, peers: [p, other] }).action).toBe("send");
  });
});
