import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./database.ts";
import { upsertIncident } from "./incidents.ts";
import { migrate } from "./migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "./pglite.ts";
import { similarIncidents } from "./similar-incidents.ts";
import { StoreInputError } from "./sql.ts";
import { openInput } from "./testing/fixtures.ts";
import { seedPast, similarityContract } from "./testing/similar-cases.ts";

const checkout = { kind: "Deployment", namespace: "shop", name: "checkout" };

describe("similarIncidents by exact keys (PGlite)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
    const rows = [
      // Resolved first, so the refire t2 opens an incident of its own rather than joining it.
      openInput("t1", 1, {
        fingerprint: "fp-a",
        category: "CrashLoop",
        target: checkout,
        status: "resolved",
        resolvedAt: "2026-03-01T09:00:00Z",
      }),
      openInput("t2", 1, { fingerprint: "fp-a", category: "OOMKilled", openedAt: "2026-03-02T08:00:00Z" }),
      openInput("t3", 1, { fingerprint: "fp-b", category: "CrashLoop", target: checkout }),
      openInput("t4", 1, {
        fingerprint: "fp-c",
        category: "CrashLoop",
        target: { ...checkout, name: "cart" },
      }),
      openInput("t5", 1, { fingerprint: "fp-d", category: "ImagePull", target: checkout }),
    ];
    for (const r of rows) await upsertIncident(db, r);
    // PGlite's start and migrations take seconds on a loaded machine.
  }, 60_000);
  afterAll(async () => db?.close());

  it("matches the same fingerprint or the same category on the same workload, never itself", async () => {
    const [self] = await db.query<{ id: string }>(
      "SELECT id::text AS id FROM incidents WHERE task_uid = 't1'",
    );
    const hits = await similarIncidents(db, {
      id: self!.id,
      fingerprint: "fp-a",
      category: "CrashLoop",
      namespace: "shop",
      target: checkout,
    });
    const byTask = Object.fromEntries(hits.map((h) => [h.incident.taskUid, h.match]));
    expect(byTask).toEqual({ t2: "fingerprint", t3: "workload" });
    // Newest first: t2 opened a day later.
    expect(hits[0]!.incident.taskUid).toBe("t2");
    // Undiagnosed incidents have no signature to compare.
    expect(hits.every((h) => h.similarity === null)).toBe(true);
  });

  it("answers nothing without a key and refuses a bad limit", async () => {
    expect(await similarIncidents(db, { category: "CrashLoop" })).toEqual([]);
    await expect(similarIncidents(db, { fingerprint: "fp-a" }, 0)).rejects.toBeInstanceOf(StoreInputError);
    expect(await similarIncidents(db, { fingerprint: "fp-a" }, 1)).toHaveLength(1);
  });
});

describe("similarIncidents by signature and incidentHistory (PGlite)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
    await seedPast(db);
  }, 60_000);
  afterAll(async () => db?.close());

  similarityContract(() => db);
});
