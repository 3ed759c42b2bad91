import { describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { dueNotification, notifiedToken, notifiedValue } from "./events.ts";

const task = (episode?: number) =>
  ({ metadata: { name: "t" }, spec: {}, status: episode ? { episode } : {} }) as unknown as SreTask;

describe("notified tokens per episode", () => {
  it("keeps bare kinds for the first episode, as before episodes existed", () => {
    expect(notifiedToken(task(), "Diagnosed")).toBe("Diagnosed");
    expect(notifiedToken(task(1), "Diagnosed")).toBe("Diagnosed");
  });

  it("marks later episodes so a refiring alert notifies again", () => {
    expect(notifiedToken(task(2), "Diagnosed")).toBe("Diagnosed#2");
    expect(["IncidentOpened", "Diagnosed"].includes(notifiedToken(task(2), "Diagnosed"))).toBe(false);
  });

  it("drops earlier episodes' tokens from the annotation", () => {
    const sent = ["IncidentOpened", "Diagnosed", "IncidentOpened#2"];
    expect(notifiedValue(task(2), sent, "Diagnosed#2")).toBe("IncidentOpened#2,Diagnosed#2");
    expect(notifiedValue(task(), ["IncidentOpened"], "Diagnosed")).toBe("IncidentOpened,Diagnosed");
  });
});

describe("the notification due now", () => {
  const diagnosed = {
    metadata: { name: "t", namespace: "shop" },
    spec: {},
    status: { phase: "Diagnosed" },
  } as unknown as SreTask;
  const current = { kind: "Diagnosed" as const, task: diagnosed };

  it("announces an incident first when the task was Diagnosed before the controller saw it open", () => {
    expect(dueNotification(diagnosed, current, [], false).kind).toBe("IncidentOpened");
    expect(dueNotification(diagnosed, current, ["IncidentOpened"], false).kind).toBe("Diagnosed");
  });

  it("leaves a grouped storm to its gate, and other phases to the table", () => {
    expect(dueNotification(diagnosed, current, [], true).kind).toBe("Diagnosed");
    const failed = { kind: "Failed" as const, task: diagnosed };
    expect(dueNotification(diagnosed, failed, [], false).kind).toBe("Failed");
  });
});
