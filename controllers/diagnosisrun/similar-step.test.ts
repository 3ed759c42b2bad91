import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiagnosisResult } from "../../agents/diagnosis/types.ts";
import type { DiagnosisRun } from "../../crds/index.ts";
import { createLogger } from "../../logging/logger.ts";
import type { Manager } from "../../runtime/index.ts";
import type { Database } from "../../store/database.ts";
import { migrate } from "../../store/migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "../../store/pglite.ts";
import { REFUSED, seedPast } from "../../store/testing/similar-cases.ts";
import { recallSimilarIncidents } from "./similar-step.ts";

const log = createLogger("similar-step-test", "silent");

interface Recorded {
  type: "Normal" | "Warning";
  kind: string | undefined;
  name: string | undefined;
  reason: string;
  message: string;
}

/** The parts of the Manager the step uses: status writes applied to the object, Events kept. */
function fakeManager() {
  const events: Recorded[] = [];
  const record =
    (type: Recorded["type"]) =>
    async (o: { kind?: string; metadata?: { name?: string } }, reason: string, message: string) => {
      events.push({ type, kind: o.kind, name: o.metadata?.name, reason, message });
    };
  const mgr = {
    statusWriter: {
      async update(_rt: unknown, obj: DiagnosisRun, mutate: (s: object, o: DiagnosisRun) => void) {
        const draft = structuredClone(obj.status ?? {});
        mutate(draft, obj);
        obj.status = draft;
        return { obj, written: true };
      },
    },
    recorder: { normal: record("Normal"), warning: record("Warning") },
  };
  return { mgr: mgr as unknown as Manager, events };
}

function runOf(name: string): DiagnosisRun {
  return {
    apiVersion: "aisre.io/v1alpha1",
    kind: "DiagnosisRun",
    metadata: {
      name,
      namespace: "aisre-system",
      ownerReferences: [
        {
          apiVersion: "aisre.io/v1alpha1",
          kind: "SreTask",
          name: "payments-down",
          uid: "task-new",
          controller: true,
        },
      ],
    },
    spec: { target: { kind: "Deployment", namespace: "shop", name: "payments" } },
    status: { phase: "Completed" },
  } as DiagnosisRun;
}

function resultOf(evidence: string[]): DiagnosisResult {
  const resource = { kind: "Deployment", namespace: "shop", name: "payments" };
  return {
    rootCause: {
      category: "CrashLoop",
      resource,
      summary: "CrashLoop on Deployment shop/payments",
      confidence: 0.9,
    },
    findings: [
      { category: "CrashLoop", severity: "critical", resource, message: "payments fails", evidence },
    ],
    recommendations: [],
  } as DiagnosisResult;
}

describe("recallSimilarIncidents", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
    // The past incidents, days before the real now (the step counts the last 30 days).
    await seedPast(db, new Date());
  }, 60_000);
  afterAll(async () => db?.close());

  it("writes status.history and one SeenBefore Event, on the run's SreTask, in English and Chinese", async () => {
    const { mgr, events } = fakeManager();
    const run = runOf("payments-1");
    const evidence = REFUSED("10.96.0.9", "payments-6b8d9c7f4-qz5ll", new Date().toISOString());
    await recallSimilarIncidents(mgr, run, resultOf(evidence), db, log);
    expect(run.status?.history).toMatchObject({
      seen: 2,
      days: 30,
      summary: "seen 2 times in 30 days; last resolved by RolloutUndo, verified",
      last: { task: "aisre-system/en-1", match: "signature", action: "RolloutUndo", outcome: "verified" },
    });
    expect(run.status?.history?.last?.similarity).toBeGreaterThan(0.6);
    expect(events.map((e) => [e.type, e.kind, e.reason])).toEqual([["Normal", "SreTask", "SeenBefore"]]);
    expect(events[0]!.name).toBe("payments-down");
    expect(events[0]!.message).toContain("30 天内出现过 2 次；上次由 RolloutUndo 解决，已验证");
  });

  it("puts the SeenBefore Event on a run that no SreTask owns", async () => {
    const { mgr, events } = fakeManager();
    const run = runOf("payments-4");
    delete run.metadata.ownerReferences;
    const evidence = REFUSED("10.96.0.9", "payments-6b8d9c7f4-qz5ll", new Date().toISOString());
    await recallSimilarIncidents(mgr, run, resultOf(evidence), db, log);
    expect(run.status?.history?.seen).toBe(2);
    expect(events.map((e) => [e.kind, e.name, e.reason])).toEqual([
      ["DiagnosisRun", "payments-4", "SeenBefore"],
    ]);
  });

  it("says when nothing like it was seen, without an Event", async () => {
    const { mgr, events } = fakeManager();
    const run = runOf("payments-2");
    await recallSimilarIncidents(mgr, run, resultOf(["TLS handshake: certificate has expired"]), db, log);
    expect(run.status?.history).toEqual({ seen: 0, days: 30, summary: "not seen in the last 30 days" });
    expect(events).toEqual([]);
  });

  it("turns a store error into an evidence gap and never throws", async () => {
    const { mgr, events } = fakeManager();
    const run = runOf("payments-3");
    const broken = {
      query: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")),
      exec: async () => undefined,
    };
    await expect(recallSimilarIncidents(mgr, run, resultOf(["x"]), broken, log)).resolves.toBeUndefined();
    expect(run.status?.history).toBeUndefined();
    expect(run.status?.evidenceGaps).toEqual([
      "incident store: similar incidents not looked up (connect ECONNREFUSED 127.0.0.1:5432)",
    ]);
    expect(events.map((e) => [e.type, e.reason])).toEqual([["Warning", "EvidenceGap"]]);
  });

  it("does nothing without a store or a root cause", async () => {
    const { mgr, events } = fakeManager();
    const run = runOf("payments-4");
    await recallSimilarIncidents(mgr, run, resultOf(["x"]), undefined, log);
    await recallSimilarIncidents(mgr, run, { rootCause: null, findings: [], recommendations: [] }, db, log);
    expect(run.status).toEqual({ phase: "Completed" });
    expect(events).toEqual([]);
  });
});
