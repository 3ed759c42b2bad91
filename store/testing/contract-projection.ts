/** Store contract: idempotent, order-independent projection of CR state. */
import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../database.ts";
import { getIncident } from "../incident-queries.ts";
import { markDiagnosed, markResolved } from "../incident-status.ts";
import { recordGroupMembership } from "../incident-groups.ts";
import { upsertIncident } from "../incidents.ts";
import { loadProjectionState } from "../projection-state.ts";
import type { StoreHolder } from "./contract.ts";
import { counts, incidentLife, openInput, project, resetStore, shuffled, snapshot } from "./fixtures.ts";
import type { StoreEvent } from "./fixtures.ts";

/** Registers these contract tests; `store.db` is open and empty before each. */
export function projectionContract(store: StoreHolder): void {
  let db: Database;
  beforeEach(() => {
    db = store.db;
  });

  describe("idempotent projection", () => {
    it("applies a whole incident life once; the same sequence again changes nothing", async () => {
      const events = [...incidentLife(1), ...incidentLife(2)];
      const first = await project(db, events);
      // Per life: the incident, its diagnosis, three step phases and the chat session.
      expect(first.filter((o) => o === "inserted").length).toBe(2 * 6);
      const before = await snapshot(db);
      const again = await project(db, events);
      expect(again.every((o) => o === "stale" || o === "updated")).toBe(true);
      expect(await snapshot(db)).toEqual(before);
      expect(await counts(db)).toEqual({
        incidents: 2,
        incident_tasks: 2,
        diagnoses: 2,
        remediation_actions: 6,
        chat_sessions: 2,
      });
    });

    it("reaches the same state whatever the delivery order (older state never wins)", async () => {
      const events = [...incidentLife(1), ...incidentLife(2)];
      await project(db, events);
      const inOrder = await snapshot(db, { volatile: false });
      for (const seed of [1, 2, 3, 42]) {
        await resetStore(db);
        await project(db, shuffled(events, seed));
        expect(await snapshot(db, { volatile: false }), `seed ${seed}`).toEqual(inOrder);
      }
      await resetStore(db);
      await project(db, [...events].reverse());
      expect(await snapshot(db, { volatile: false })).toEqual(inOrder);
    });

    it("ignores state older than or equal to what is stored", async () => {
      expect((await upsertIncident(db, openInput("t1", 5, { summary: "v5" }))).outcome).toBe("inserted");
      expect(
        (await upsertIncident(db, openInput("t1", 7, { status: "remediating", summary: "v7" }))).outcome,
      ).toBe("updated");
      expect(
        (await upsertIncident(db, openInput("t1", 6, { status: "diagnosing", summary: "v6" }))).outcome,
      ).toBe("stale");
      expect(
        (await upsertIncident(db, openInput("t1", 7, { status: "open", summary: "again" }))).outcome,
      ).toBe("stale");
      const detail = await getIncident(db, { taskUid: "t1" });
      expect(detail?.incident).toMatchObject({
        status: "remediating",
        summary: "v7",
        resourceVersion: "7",
      });
    });

    it("keeps one incident under concurrent upserts of one task", async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          upsertIncident(db, openInput("t-conc", 100 + i, { summary: `v${i}` })),
        ),
      );
      expect(new Set(results.map((r) => r.incidentId)).size).toBe(1);
      expect(results.filter((r) => r.outcome === "inserted")).toHaveLength(1);
      expect((await counts(db)).incidents).toBe(1);
      expect((await getIncident(db, { taskUid: "t-conc" }))?.incident).toMatchObject({
        resourceVersion: "111",
        summary: "v11",
      });
    });

    it("keeps one open incident when tasks of one fingerprint race", async () => {
      const results = await Promise.all(
        Array.from({ length: 9 }, (_, i) => upsertIncident(db, openInput(`t-${i % 3}`, 10 + i))),
      );
      expect(new Set(results.map((r) => r.incidentId)).size).toBe(1);
      expect(await counts(db)).toMatchObject({ incidents: 1, incident_tasks: 3 });
    });

    it("state without a fingerprint keeps its incident's fingerprint and never duplicates it", async () => {
      const a = await upsertIncident(db, openInput("t-a", 10, { fingerprint: undefined }));
      const b = await upsertIncident(db, openInput("t-b", 11));
      // t-a learns its fingerprint while t-b's incident already holds it: no second holder.
      expect((await upsertIncident(db, openInput("t-a", 12))).incidentId).toBe(a.incidentId);
      expect((await getIncident(db, { id: a.incidentId }))?.incident.fingerprint).toBeNull();
      await upsertIncident(db, openInput("t-b", 13, { status: "resolved", fingerprint: undefined }));
      expect((await getIncident(db, { id: b.incidentId }))?.incident).toMatchObject({
        fingerprint: "fp-shared",
        status: "resolved",
      });
      expect((await upsertIncident(db, openInput("t-a", 14))).outcome).toBe("updated");
      expect((await getIncident(db, { id: a.incidentId }))?.incident.fingerprint).toBe("fp-shared");
    });
  });

  describe("fingerprints", () => {
    it("a refiring alert (new task, same fingerprint) updates the open incident; after resolve it opens a new one", async () => {
      const a = await upsertIncident(db, openInput("t-a", 10));
      const b = await upsertIncident(db, openInput("t-b", 20, { severity: "critical" }));
      expect(b).toEqual({ outcome: "updated", incidentId: a.incidentId });
      expect(
        await markResolved(db, { fingerprint: "fp-shared" }, { resolvedAt: "2026-03-01T09:00:00Z" }),
      ).toBe("updated");
      expect(await markResolved(db, { fingerprint: "fp-shared" })).toBe("stale");
      const c = await upsertIncident(db, openInput("t-c", 30));
      expect(c.outcome).toBe("inserted");
      expect(c.incidentId).not.toBe(a.incidentId);
      expect((await getIncident(db, { fingerprint: "fp-shared" }))?.incident.id).toBe(c.incidentId);
      expect((await getIncident(db, { taskUid: "t-b" }))?.incident).toMatchObject({
        id: a.incidentId,
        status: "resolved",
        severity: "critical",
      });
    });

    it("a task whose newer state reopens it reopens its incident, or joins the open one of its fingerprint", async () => {
      const a = await upsertIncident(db, openInput("t-a", 10));
      await upsertIncident(
        db,
        openInput("t-a", 11, { status: "resolved", resolvedAt: "2026-03-01T09:00:00Z" }),
      );
      expect(await upsertIncident(db, openInput("t-a", 12))).toEqual({
        outcome: "updated",
        incidentId: a.incidentId,
      });
      expect((await getIncident(db, { id: a.incidentId }))?.incident).toMatchObject({
        status: "open",
        resolvedAt: null,
      });
      await upsertIncident(
        db,
        openInput("t-a", 13, { status: "resolved", resolvedAt: "2026-03-01T09:30:00Z" }),
      );
      const c = await upsertIncident(db, openInput("t-c", 14));
      const reopened = await upsertIncident(db, openInput("t-a", 15));
      expect(reopened.incidentId).toBe(c.incidentId);
      expect((await getIncident(db, { id: a.incidentId }))?.incident.status).toBe("resolved");
    });
  });

  describe("diagnosis and resolution", () => {
    it("markDiagnosed waits for the incident, applies once and never moves status backwards", async () => {
      const diag = {
        taskUid: "t1",
        diagnosisUid: "d1",
        resourceVersion: "20",
        diagnosedAt: "2026-03-01T08:05:00Z",
        rootCause: "OOM",
      };
      expect(await markDiagnosed(db, diag)).toBe("missing");
      await upsertIncident(db, openInput("t1", 10, { status: "diagnosing" }));
      expect(await markDiagnosed(db, diag)).toBe("updated");
      expect(await markDiagnosed(db, diag)).toBe("stale");
      let incident = (await getIncident(db, { taskUid: "t1" }))?.incident;
      expect(incident).toMatchObject({ status: "diagnosed", rootCause: "OOM" });
      expect(incident?.diagnosedAt?.toISOString()).toBe("2026-03-01T08:05:00.000Z");
      await upsertIncident(db, openInput("t1", 30, { status: "remediating" }));
      expect(
        await markDiagnosed(db, {
          ...diag,
          diagnosisUid: "d2",
          resourceVersion: "31",
          rootCause: "OOM (rerun)",
        }),
      ).toBe("updated");
      incident = (await getIncident(db, { taskUid: "t1" }))?.incident;
      expect(incident).toMatchObject({ status: "remediating", rootCause: "OOM (rerun)" });
    });

    it("markResolved by task is idempotent and respects resourceVersion", async () => {
      expect(await markResolved(db, { taskUid: "nope" })).toBe("missing");
      await upsertIncident(db, openInput("t1", 10));
      expect(await markResolved(db, { taskUid: "t1" }, { resourceVersion: "9" })).toBe("stale");
      expect(
        await markResolved(
          db,
          { taskUid: "t1" },
          { resourceVersion: "11", resolvedAt: "2026-03-01T10:00:00Z" },
        ),
      ).toBe("updated");
      expect(await markResolved(db, { taskUid: "t1" }, { resourceVersion: "12" })).toBe("stale");
      expect((await upsertIncident(db, openInput("t1", 11))).outcome).toBe("stale");
      const incident = (await getIncident(db, { taskUid: "t1" }))?.incident;
      expect(incident).toMatchObject({ status: "resolved", resourceVersion: "11" });
      expect(incident?.resolvedAt?.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    });
  });

  describe("what the store holds (a restart's projection skips it)", () => {
    it("reads each task's guarded resourceVersions, its diagnoses' and its storm membership's", async () => {
      const events = [...incidentLife(1), ...incidentLife(2)];
      await project(db, events);
      await recordGroupMembership(db, {
        taskUid: "task-2",
        taskName: "alert-2",
        namespace: "aisre-system",
        resourceVersion: "99",
        startedAt: "2026-03-01T08:00:00Z",
        group: { key: "dep:orders-db", primary: "alert-2", role: "Primary" },
      });
      const newest = (kind: StoreEvent["kind"], uid: string): string =>
        String(
          Math.max(
            ...events
              .filter((e) => e.kind === kind && JSON.stringify(e.input).includes(`"${uid}"`))
              .map((e) => Number((e.input as { resourceVersion?: string }).resourceVersion)),
          ),
        );
      const state = await loadProjectionState(db);
      expect([...state.tasks.keys()].sort()).toEqual(["task-1", "task-2"]);
      expect(state.tasks.get("task-1")).toEqual({
        incidentRv: newest("incident", "task-1"),
        diagnosisRv: newest("diagnosed", "task-1"),
      });
      expect(state.tasks.get("task-2")).toMatchObject({ groupRv: "99" });
      expect(state.diagnoses).toEqual(
        new Map([
          ["diag-1", newest("diagnosis", "diag-1")],
          ["diag-2", newest("diagnosis", "diag-2")],
        ]),
      );
      await db.exec("TRUNCATE incident_groups, incident_group_members");
      await resetStore(db);
      expect(await loadProjectionState(db)).toEqual({ tasks: new Map(), diagnoses: new Map() });
    });
  });
}
