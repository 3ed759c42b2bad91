// rootCause.change in the incident row (migration 007): written with the root cause it belongs
// to, kept while later state says nothing about the root cause, cleared by a new root cause
// without one, and redacted like every other incident field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./database.ts";
import { getIncident } from "./incident-queries.ts";
import { upsertIncident } from "./incidents.ts";
import { migrate } from "./migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "./pglite.ts";
import type { IncidentInput } from "./types.ts";

const change = {
  kind: "ConfigMap",
  namespace: "shop",
  name: "api-config",
  at: "2026-11-20T07:41:00Z",
  what: "data changed 2 min before the first crash",
};

const base: IncidentInput = {
  taskUid: "uid-change-1",
  taskName: "api-crash",
  taskNamespace: "shop",
  resourceVersion: "10",
  status: "diagnosed",
  openedAt: "2026-11-20T07:45:00Z",
};

describe("incident root cause change", { timeout: 120_000 }, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  const row = async () => (await getIncident(db, { taskUid: base.taskUid }))?.incident;

  it("stores the change with its root cause, keeps it, and clears it with a new root cause", async () => {
    await upsertIncident(db, { ...base, rootCause: "api crash-loops", rootCauseChange: change });
    expect((await row())?.rootCauseChange).toEqual(change);

    await upsertIncident(db, { ...base, resourceVersion: "11", status: "remediating" });
    expect((await row())?.rootCauseChange).toEqual(change);

    await upsertIncident(db, { ...base, resourceVersion: "12", rootCause: "api is OOMKilled" });
    const after = await row();
    expect(after?.rootCause).toBe("api is OOMKilled");
    expect(after?.rootCauseChange).toBeNull();
  });

  it("redacts a secret that reached the change's text", async () => {
    const leaked = {
      ...change,
      what: "env changed: password=hunter2-Secret-Value 2 min before the first crash",
    };
    await upsertIncident(db, { ...base, taskUid: "uid-change-2", rootCause: "x", rootCauseChange: leaked });
    const stored = (await getIncident(db, { taskUid: "uid-change-2" }))?.incident.rootCauseChange;
    expect(JSON.stringify(stored)).not.toContain("hunter2-Secret-Value");
    expect(stored?.name).toBe("api-config");
  });
});
