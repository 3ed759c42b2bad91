/** Store contract: incident queries, chat sessions, and bad input. */
import { beforeEach, describe, expect, it } from "vitest";
import { getChatSession, upsertChatSession } from "../chat.ts";
import type { Database } from "../database.ts";
import { isTransientStoreError } from "../errors.ts";
import { recordDiagnosis } from "../history.ts";
import { getIncident, listIncidents } from "../incident-queries.ts";
import { upsertIncident } from "../incidents.ts";
import { StoreInputError } from "../sql.ts";
import type { StoreHolder } from "./contract.ts";
import { applyEvent, counts, incidentLife, openInput, project } from "./fixtures.ts";

/** Registers these contract tests; `store.db` is open and empty before each. */
export function queryContract(store: StoreHolder): void {
  let db: Database;
  beforeEach(() => {
    db = store.db;
  });

  describe("queries", () => {
    it("getIncident returns the timeline in time order, including history projected before the incident", async () => {
      const life = incidentLife(3);
      const [diagnosis] = life.filter((e) => e.kind === "diagnosis");
      await applyEvent(db, diagnosis!); // before the incident exists
      await project(db, life);
      const detail = await getIncident(db, { taskUid: "task-3" });
      expect(
        detail?.timeline.map((e) => (e.kind === "action" ? `action:${e.action.phase}` : e.kind)),
      ).toEqual([
        "opened",
        "diagnosis",
        "action:Approved",
        "action:DryRunPassed",
        "action:Succeeded",
        "resolved",
      ]);
      const action = detail?.timeline.find((e) => e.kind === "action" && e.action.phase === "Succeeded");
      expect(action?.kind === "action" && action.action).toMatchObject({
        message: "verified",
        approvedBy: "alice",
        stepIndex: 0,
      });
      const diag = detail?.timeline.find((e) => e.kind === "diagnosis");
      expect(diag?.kind === "diagnosis" && diag.diagnosis).toMatchObject({
        phase: "Completed",
        confidence: 0.9,
      });
      expect(await getIncident(db, { id: "not-a-uuid" })).toBeUndefined();
      expect(await getIncident(db, { taskUid: "unknown" })).toBeUndefined();
    });

    it("listIncidents filters and pages with a keyset cursor, every incident exactly once", async () => {
      for (let n = 0; n < 23; n++) {
        // Pairs share opened_at: the cursor must break ties by id.
        await upsertIncident(
          db,
          openInput(`t${n}`, 10, {
            fingerprint: `fp${n}`,
            openedAt: new Date(Date.parse("2026-03-01T00:00:00Z") + Math.floor(n / 2) * 60_000),
            namespace: n % 2 ? "shop" : "pay",
            severity: n % 3 ? "warning" : "critical",
            category: n % 4 ? "resources" : "network",
            status: n % 5 ? "open" : "resolved",
            resolvedAt: n % 5 ? undefined : "2026-03-02T00:00:00Z",
          }),
        );
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listIncidents(db, { limit: 5, cursor });
        seen.push(...page.items.map((i) => i.taskUid));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
      const shop = await listIncidents(db, { namespace: "shop", severity: "warning", limit: 500 });
      expect(shop.items.every((i) => i.namespace === "shop" && i.severity === "warning")).toBe(true);
      expect(shop.items.length).toBeGreaterThan(0);
      expect(shop.nextCursor).toBeNull();
      const resolved = await listIncidents(db, { status: ["resolved"], category: "network" });
      expect(resolved.items.map((i) => i.taskUid).sort()).toEqual(["t0", "t20"]);
      const since = await listIncidents(db, {
        since: "2026-03-01T00:10:00Z",
        until: "2026-03-01T00:11:00Z",
      });
      expect(since.items.map((i) => i.taskUid).sort()).toEqual(["t20", "t21"]);
      await expect(listIncidents(db, { cursor: "garbage" })).rejects.toBeInstanceOf(StoreInputError);
      await expect(listIncidents(db, { limit: 0 })).rejects.toBeInstanceOf(StoreInputError);
    });
  });

  describe("chat sessions", () => {
    it("upserts by user, keeps the last task when omitted and ignores older writes", async () => {
      const task = { uid: "t1", name: "alert-1", namespace: "aisre-system" };
      expect(
        await upsertChatSession(db, {
          userId: "zhangsan",
          lastTask: task,
          context: { turn: 1 },
          at: "2026-03-01T08:00:00Z",
        }),
      ).toBe("inserted");
      expect(
        await upsertChatSession(db, {
          userId: "zhangsan",
          context: { turn: 2 },
          at: "2026-03-01T08:01:00Z",
        }),
      ).toBe("updated");
      expect(
        await upsertChatSession(db, {
          userId: "zhangsan",
          context: { turn: 0 },
          at: "2026-03-01T07:59:00Z",
        }),
      ).toBe("stale");
      const session = await getChatSession(db, "zhangsan");
      expect(session).toMatchObject({
        channel: "wecom",
        userId: "zhangsan",
        lastTask: task,
        context: { turn: 2 },
      });
      expect(await getChatSession(db, "zhangsan", "slack")).toBeUndefined();
    });
  });

  describe("bad input", () => {
    it("is a StoreInputError, never a transient error, and writes nothing", async () => {
      const bad = [
        upsertIncident(db, openInput("t1", 1, { resourceVersion: "abc" })),
        upsertIncident(db, openInput("t1", 1, { openedAt: "yesterday" })),
        upsertIncident(db, openInput("t1", 1, { status: "weird" as never })),
        recordDiagnosis(db, {
          diagnosisUid: "",
          taskUid: "t",
          name: "n",
          namespace: "ns",
          phase: "p",
          resourceVersion: "1",
          startedAt: new Date(),
        }),
      ];
      for (const p of bad) {
        const err = await p.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StoreInputError);
        expect(isTransientStoreError(err)).toBe(false);
      }
      expect((await counts(db)).incidents).toBe(0);
    });
  });
}
