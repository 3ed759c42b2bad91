import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "./database.ts";
import { getIncident } from "./incident-queries.ts";
import { upsertIncident } from "./incidents.ts";
import { migrate } from "./migrate.ts";

describe("embedded PGlite store", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it(
    "opens without DATABASE_URL, migrates, and keeps data across a restart",
    { timeout: 180_000 },
    async () => {
      const dataDir = path.join(await mkdtemp(path.join(tmpdir(), "aisre-pglite-")), "pgdata");
      dirs.push(path.dirname(dataDir));
      const first = await openStore({ dataDir });
      expect(first.kind).toBe("pglite");
      const { incidentId } = await upsertIncident(first, {
        taskUid: "t1",
        taskName: "alert-1",
        taskNamespace: "aisre-system",
        resourceVersion: "1",
        status: "open",
        openedAt: "2026-03-01T08:00:00Z",
        summary: "persisted",
      });
      await first.close();

      const second = await openStore({ dataDir });
      try {
        expect(await migrate(second)).toEqual([]);
        expect((await getIncident(second, { id: incidentId }))?.incident.summary).toBe("persisted");
      } finally {
        await second.close();
      }
    },
  );
});
