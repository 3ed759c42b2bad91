import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleOverview, likePattern, listConsoleIncidents, runbookIncidents } from "./console-queries.ts";
import type { Database } from "./database.ts";
import { upsertIncident } from "./incidents.ts";
import { migrate } from "./migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "./pglite.ts";
import { StoreInputError } from "./sql.ts";
import type { IncidentInput } from "./types.ts";

let db: Database;
const NOW = new Date("2026-03-10T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

function incident(n: number, over: Partial<IncidentInput>): IncidentInput {
  return {
    taskUid: `uid-${n}`,
    taskName: `task-${n}`,
    taskNamespace: "shop",
    resourceVersion: "1",
    status: "open",
    openedAt: hoursAgo(n),
    ...over,
  };
}

beforeAll(async () => {
  db = await openPglite(MEMORY_DATA_DIR);
  await migrate(db);
  const rows: IncidentInput[] = [
    incident(1, {
      severity: "critical",
      category: "CrashLoop",
      summary: "checkout 一直重启",
      alertname: "KubePodCrashLooping",
    }),
    incident(2, {
      severity: "warning",
      category: "OOMKilled",
      summary: "cart out of memory",
      status: "resolved",
      resolvedAt: hoursAgo(1),
    }),
    incident(3, { severity: "info", summary: "50%_off banner slow" }),
    incident(4, {
      taskNamespace: "payments",
      severity: "critical",
      category: "CrashLoop",
      summary: "ledger 一直重启",
    }),
    incident(30 * 24, { severity: "critical", category: "ImagePull", summary: "old" }),
  ];
  for (const r of rows) await upsertIncident(db, r);
  await db.query(
    `UPDATE incidents SET diagnosed_at = opened_at + interval '90 seconds', category = category WHERE task_name = 'task-1'`,
  );
}, 120_000);
afterAll(async () => db?.close());

describe("console incident list", () => {
  it("lists only the readable namespaces, newest first, with the total", async () => {
    const page = await listConsoleIncidents(db, { namespaces: ["shop"] });
    expect(page.items.map((i) => i.task)).toEqual(["task-1", "task-2", "task-3", "task-720"]);
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 20 });
    expect(page.items[0]).toMatchObject({ namespace: "shop", severity: "critical", status: "open" });
    expect(await listConsoleIncidents(db, { namespaces: [] })).toMatchObject({ items: [], total: 0 });
  });

  it("finds Chinese text and treats % and _ literally", async () => {
    const zh = await listConsoleIncidents(db, { namespaces: ["shop", "payments"], q: "一直重启" });
    expect(zh.items.map((i) => i.task).sort()).toEqual(["task-1", "task-4"]);
    const shopOnly = await listConsoleIncidents(db, { namespaces: ["shop"], q: "一直重启" });
    expect(shopOnly.items.map((i) => i.task)).toEqual(["task-1"]);
    expect((await listConsoleIncidents(db, { namespaces: ["shop"], q: "50%_off" })).total).toBe(1);
    expect((await listConsoleIncidents(db, { namespaces: ["shop"], q: "5%off" })).total).toBe(0);
    expect(likePattern("a%b_c\\")).toBe("%a\\%b\\_c\\\\%");
  });

  it("filters by status, severity, category and time, and pages", async () => {
    const open = await listConsoleIncidents(db, { namespaces: ["shop"], status: "open" });
    expect(open.items.map((i) => i.task)).not.toContain("task-2");
    const resolved = await listConsoleIncidents(db, { namespaces: ["shop"], status: "resolved" });
    expect(resolved.items.map((i) => i.task)).toEqual(["task-2"]);
    const crit = await listConsoleIncidents(db, {
      namespaces: ["shop"],
      severity: "critical",
      since: hoursAgo(48),
    });
    expect(crit.items.map((i) => i.task)).toEqual(["task-1"]);
    const second = await listConsoleIncidents(db, { namespaces: ["shop"], page: 2, pageSize: 3 });
    expect(second).toMatchObject({ total: 4, page: 2 });
    expect(second.items.map((i) => i.task)).toEqual(["task-720"]);
    const past = await listConsoleIncidents(db, { namespaces: ["shop"], page: 9, pageSize: 3 });
    expect(past).toMatchObject({ items: [], total: 4 });
    await expect(listConsoleIncidents(db, { namespaces: ["shop"], pageSize: 500 })).rejects.toThrow(
      StoreInputError,
    );
    await expect(listConsoleIncidents(db, { namespaces: ["shop"], since: "yesterday" })).rejects.toThrow(
      /since/,
    );
  });
});

describe("console overview", () => {
  it("aggregates the window of the readable namespaces", async () => {
    const week = await consoleOverview(db, ["shop"], 7, NOW);
    expect(week.incidentsBySeverity).toEqual({ critical: 1, warning: 1, info: 1 });
    expect(week.openIncidents).toBe(3);
    expect(week.mttdSeconds).toBe(90);
    expect(week.mttrSeconds).toBe(3600);
    expect(week.topCategories).toEqual([
      { category: "CrashLoop", count: 1 },
      { category: "OOMKilled", count: 1 },
    ]);
    const month = await consoleOverview(db, ["shop", "payments"], 31, NOW);
    expect(month.incidentsBySeverity.critical).toBe(3);
    expect(month.topCategories[0]).toEqual({ category: "CrashLoop", count: 2 });
    const none = await consoleOverview(db, [], 7, NOW);
    expect(none).toMatchObject({ openIncidents: 0, mttdSeconds: null, topCategories: [] });
  });
});

describe("runbook matches", () => {
  it("finds incidents by alertname or category in readable namespaces", async () => {
    const ids = await runbookIncidents(db, { namespaces: ["shop"], categories: ["CrashLoop", "OOMKilled"] });
    expect(ids).toHaveLength(2);
    expect(
      await runbookIncidents(db, { namespaces: ["shop"], alertnames: ["KubePodCrashLooping"] }),
    ).toHaveLength(1);
    expect(
      await runbookIncidents(db, { namespaces: ["payments"], alertnames: ["KubePodCrashLooping"] }),
    ).toEqual([]);
  });
});
