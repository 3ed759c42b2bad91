import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./database.ts";
import { getIncidentGroup, listIncidentGroups, recordGroupMembership } from "./incident-groups.ts";
import { upsertIncident } from "./incidents.ts";
import { migrate } from "./migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "./pglite.ts";
import { StoreInputError } from "./sql.ts";
import { openInput } from "./testing/fixtures.ts";

const KEY = "dependency:Service/shop/orders-db";
const at = (sec: number) => new Date(Date.parse("2026-12-07T01:00:00Z") + sec * 1000).toISOString();

describe("incident groups (PGlite)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
  }, 120_000);
  afterAll(async () => db?.close());

  const member = (
    name: string,
    sec: number,
    rv: number,
    primary = "a",
    role: "Primary" | "Member" = "Member",
  ) =>
    recordGroupMembership(db, {
      taskUid: `uid-${name}`,
      taskName: name,
      namespace: "shop",
      resourceVersion: String(rv),
      startedAt: at(sec),
      group: {
        key: KEY,
        primary,
        role,
        summary: role === "Primary" ? "3 alerts, one root cause: orders-db" : undefined,
      },
    });

  it("holds every alert of a storm under the primary's incident, in start order", async () => {
    for (const name of ["a", "b", "c"])
      await upsertIncident(db, {
        ...openInput(`uid-${name}`, 1, { fingerprint: `fp-${name}`, alertname: `Alert-${name}` }),
        taskName: name,
        taskNamespace: "shop",
      });
    await member("c", 9, 10);
    await member("b", 5, 10);
    await member("a", 0, 10, "a", "Primary");
    const [group] = await listIncidentGroups(db, { namespace: "shop" });
    expect(group).toMatchObject({
      namespace: "shop",
      primaryTask: "a",
      key: KEY,
      size: 3,
      summary: "3 alerts, one root cause: orders-db",
    });
    expect(group!.incidentId).toMatch(/^[0-9a-f-]{36}$/);
    const detail = await getIncidentGroup(db, { taskUid: "uid-c" });
    expect(detail!.members.map((m) => [m.taskName, m.role, m.alertname])).toEqual([
      ["a", "Primary", "Alert-a"],
      ["b", "Member", "Alert-b"],
      ["c", "Member", "Alert-c"],
    ]);
    expect((await getIncidentGroup(db, { id: group!.id }))!.size).toBe(3);
    expect(await listIncidentGroups(db, { namespace: "other" })).toEqual([]);
  });

  it("moves a task to a new primary, ignores older state and drops the emptied group", async () => {
    // An earlier task was diagnosed late: it becomes the primary of everyone.
    await member("a", 0, 20, "early");
    await member("b", 5, 20, "early");
    await member("c", 9, 20, "early");
    await member("early", -3, 20, "early", "Primary");
    await member("c", 9, 15, "a"); // a replay of older state changes nothing
    const groups = await listIncidentGroups(db, { namespace: "shop" });
    expect(groups.map((g) => [g.primaryTask, g.size])).toEqual([["early", 4]]);
    await recordGroupMembership(db, {
      taskUid: "uid-c",
      taskName: "c",
      namespace: "shop",
      resourceVersion: "30",
      startedAt: at(9),
    });
    expect((await getIncidentGroup(db, { taskUid: "uid-a" }))!.size).toBe(3);
    expect(await getIncidentGroup(db, { taskUid: "uid-c" })).toBeUndefined();
  });

  it("refuses bad input with the field named", async () => {
    await expect(
      recordGroupMembership(db, {
        taskUid: "",
        taskName: "x",
        namespace: "shop",
        resourceVersion: "1",
        startedAt: at(0),
      }),
    ).rejects.toThrow(/taskUid/);
    await expect(
      recordGroupMembership(db, {
        taskUid: "u",
        taskName: "x",
        namespace: "shop",
        resourceVersion: "x1",
        startedAt: at(0),
      }),
    ).rejects.toBeInstanceOf(StoreInputError);
  });
});
