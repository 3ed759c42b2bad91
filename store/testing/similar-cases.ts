/**
 * The incident-memory contract, run on PGlite (store/similar-incidents.test.ts) and on a real
 * PostgreSQL (test/store-similar.test.ts): past incidents in English and Chinese, decoys, one
 * outside the window, one remediated by a verified RolloutUndo.
 */
import { expect, it } from "vitest";
import type { Database } from "../database.ts";
import { recordDiagnosis, recordRemediationAction } from "../history.ts";
import { markDiagnosed } from "../incident-status.ts";
import { upsertIncident } from "../incidents.ts";
import { incidentHistory } from "../similar-history.ts";
import { similarBriefs, similarIncidents, signatureOf } from "../similar-incidents.ts";
import { StoreInputError } from "../sql.ts";
import { openInput } from "./fixtures.ts";

/** "Now" of the cases: incidents are opened days before it. */
export const NOW = new Date("2026-03-31T00:00:00Z");
const daysAgo = (d: number, now = NOW) => new Date(now.getTime() - d * 86_400_000).toISOString();

interface Past {
  task: string;
  days: number;
  name: string;
  category: string;
  evidence: string[];
  resolved?: boolean;
}

/** Log lines of a database that refuses connections, at an IP, from a pod, at a time. */
export const REFUSED = (ip: string, pod: string, at: string) => [
  `${at} ERROR ${pod} db pool: dial tcp ${ip}:5432: connect: connection refused`,
  `container ${pod.length}f86d081884c7d659a2feaa0c55ad015 exited with code 1 after 3 restarts`,
];

/** The incidents every case starts from. */
export const PAST: Past[] = [
  {
    task: "en-1",
    days: 10,
    name: "checkout",
    category: "CrashLoop",
    evidence: REFUSED("10.96.3.7", "checkout-7d9f8b6c5d-x2k4q", "2026-03-21T07:41:02.123Z"),
    resolved: true,
  },
  {
    task: "en-2",
    days: 20,
    name: "cart",
    category: "CrashLoop",
    evidence: REFUSED("10.96.8.21", "cart-5c6d7f8b9-w9zrt", "2026-03-11T01:02:03Z"),
  },
  {
    task: "en-old",
    days: 40,
    name: "cart",
    category: "CrashLoop",
    evidence: REFUSED("10.96.8.22", "cart-5c6d7f8b9-bb2x7", "2026-02-19T01:02:03Z"),
  },
  {
    task: "en-decoy",
    days: 5,
    name: "search",
    category: "OOMKilled",
    evidence: ["container search was OOMKilled: memory limit 512Mi exceeded while building the index"],
  },
  {
    task: "zh-1",
    days: 3,
    name: "orders",
    category: "DependencyUnavailable",
    evidence: ["数据库连接被拒绝：orders-db-0:5432 拒绝连接，重试 3 次后退出", "订单服务启动失败"],
  },
  {
    task: "zh-decoy",
    days: 2,
    name: "logger",
    category: "DependencyUnavailable",
    evidence: ["磁盘空间不足，写入日志失败", "日志代理无法刷新缓冲区"],
  },
];

/** Projects one past incident as the projection would: task, run findings, diagnosis, remediation. */
async function seed(db: Database, p: Past, now: Date): Promise<void> {
  const target = { kind: "Deployment", namespace: "shop", name: p.name };
  const openedAt = daysAgo(p.days, now);
  const rootCause = `${p.category} on Deployment shop/${p.name}`;
  await upsertIncident(db, openInput(p.task, 1, { fingerprint: `fp-${p.task}`, target, openedAt }));
  const diagnosis = { taskUid: p.task, diagnosisUid: `diag-${p.task}`, resourceVersion: "5" };
  await recordDiagnosis(db, {
    ...diagnosis,
    name: `${p.task}-diag`,
    namespace: "aisre-system",
    phase: "Completed",
    startedAt: openedAt,
    completedAt: openedAt,
    rootCause,
    category: p.category,
    findings: [{ analyzer: "logs", message: `${p.name} fails`, evidence: p.evidence }],
  });
  await markDiagnosed(db, { ...diagnosis, diagnosedAt: openedAt, rootCause, category: p.category });
  if (!p.resolved) return;
  for (const [rv, phase] of [
    [6, "Running"],
    [7, "Verifying"],
    [8, "Succeeded"],
    [9, "Plan/Succeeded"],
  ] as const) {
    await recordRemediationAction(db, {
      planUid: `plan-${p.task}`,
      planName: `${p.task}-plan`,
      planNamespace: "aisre-system",
      taskUid: p.task,
      stepIndex: 0,
      phase,
      action: phase.startsWith("Plan/") ? "Plan" : "RolloutUndo",
      resourceVersion: String(rv),
      occurredAt: new Date(Date.parse(openedAt) + rv * 60_000).toISOString(),
    });
  }
  await upsertIncident(
    db,
    openInput(p.task, 10, { status: "resolved", resolvedAt: daysAgo(p.days - 0.1, now), openedAt, target }),
  );
}

/** Seeds PAST into a migrated, empty store, `days` before now. */
export async function seedPast(db: Database, now = NOW): Promise<void> {
  for (const p of PAST) await seed(db, p, now);
}

const tasks = (hits: { incident: { taskUid: string } }[]) => hits.map((h) => h.incident.taskUid).sort();

/** Registers the contract's tests; db() gives the seeded store. */
export function similarityContract(db: () => Database): void {
  it("folds times, UUIDs, IPs, pod-name hashes, hex ids and numbers out of the signature", async () => {
    const sig = await signatureOf(
      db(),
      "2026-03-21T07:41:02Z checkout-7d9f8b6c5d-x2k4q req 3f2a9c1e-1b2c-4d5e-8f90-123456789abc " +
        "from 10.0.0.12:443 container 9f86d081884c took 1234 ms",
    );
    expect(sig).toBe("ts checkout req uuid from ip container hex took # ms");
  });

  it("finds the same failure on other workloads by signature, in the window, never the decoy", async () => {
    const text = REFUSED("10.96.1.1", "payments-6b8d9c7f4-qz5ll", "2026-03-30T12:00:00Z").join(" ");
    const hits = await similarIncidents(db(), { text, taskUid: "new" }, { since: daysAgo(30) });
    expect(tasks(hits)).toEqual(["en-1", "en-2"]);
    for (const h of hits) {
      expect(h.match).toBe("signature");
      expect(h.similarity).toBeGreaterThan(0.6);
    }
    // Without the window the 40-day-old one is found too.
    expect(tasks(await similarIncidents(db(), { text }))).toEqual(["en-1", "en-2", "en-old"]);
  });

  it("finds Chinese log text by its character bigrams, whatever the database's LC_CTYPE", async () => {
    const text = "数据库连接被拒绝：orders-db-2:5432 拒绝连接，重试 7 次后退出";
    const hits = await similarIncidents(db(), { text });
    expect(tasks(hits)).toEqual(["zh-1"]);
    const none = await similarIncidents(db(), { text: "证书已过期，握手失败" });
    expect(none).toEqual([]);
  });

  it("says how often and how the last one was resolved", async () => {
    const text = REFUSED("10.96.1.1", "payments-6b8d9c7f4-qz5ll", "2026-03-30T12:00:00Z").join(" ");
    const history = await incidentHistory(db(), { text }, { now: NOW });
    expect(history).toMatchObject({ seen: 2, days: 30 });
    expect(history.last).toMatchObject({
      taskName: "en-1",
      action: "RolloutUndo",
      outcome: "verified",
      status: "resolved",
      match: "signature",
    });
    const short = await incidentHistory(db(), { text }, { now: NOW, days: 15 });
    expect(short.seen).toBe(1);
    expect(await incidentHistory(db(), { text: "nothing like it" }, { now: NOW })).toEqual({
      seen: 0,
      days: 30,
    });
  });

  it("compares an incident's stored signature when no text is given, and excludes its own task", async () => {
    const [cart] = await db().query<{ id: string }>(
      "SELECT id::text AS id FROM incidents WHERE task_uid = 'en-2'",
    );
    const byId = await similarIncidents(db(), { id: cart!.id });
    expect(tasks(byId)).toEqual(["en-1", "en-old"]);
    const text = PAST[0]!.evidence.join(" ");
    expect(tasks(await similarIncidents(db(), { text, taskUid: "en-1" }))).toEqual(["en-2", "en-old"]);
  });

  it("gives a brief of the same matches as the whole incidents, in the same order", async () => {
    const text = REFUSED("10.96.1.1", "payments-6b8d9c7f4-qz5ll", "2026-03-30T12:00:00Z").join(" ");
    const whole = await similarIncidents(db(), { text });
    const briefs = await similarBriefs(db(), { text });
    expect(briefs.length).toBeGreaterThan(1);
    expect(briefs).toEqual(
      whole.map(({ incident: i, match, similarity }) => ({
        incident: {
          id: i.id,
          taskName: i.taskName,
          taskNamespace: i.taskNamespace,
          status: i.status,
          openedAt: i.openedAt,
          resolvedAt: i.resolvedAt,
        },
        match,
        similarity,
      })),
    );
  });

  it("refuses a bad threshold or window", async () => {
    await expect(similarIncidents(db(), { text: "x" }, { minSimilarity: 0.1 })).rejects.toBeInstanceOf(
      StoreInputError,
    );
    await expect(incidentHistory(db(), { text: "x" }, { days: 0 })).rejects.toBeInstanceOf(StoreInputError);
  });

  it("answers a storm of identical signatures with the newest of them, its own task left out", async () => {
    // The same failure three times: identical normalized signatures (the line numbers fold).
    const heap = (line: number) => [
      `java.lang.OutOfMemoryError: Java heap space at Cart.add(Cart.java:${line})`,
    ];
    const storm = [
      { task: "storm-1", days: 3, line: 42 },
      { task: "storm-2", days: 2, line: 43 },
      { task: "storm-3", days: 1, line: 44 },
    ];
    for (const p of storm)
      await seed(
        db(),
        {
          task: p.task,
          days: p.days,
          name: "cart",
          category: "OOMKilled",
          evidence: heap(p.line),
        },
        NOW,
      );
    // The words the store's signature reads: root cause, finding, evidence.
    const text = `OOMKilled on Deployment shop/cart cart fails ${heap(7)[0]}`;
    const newest = await similarIncidents(db(), { text, taskUid: "storm-3" }, 2);
    expect(newest.map((h) => h.incident.taskUid)).toEqual(["storm-2", "storm-1"]);
    expect(newest.every((h) => h.match === "signature" && h.similarity === 1)).toBe(true);
    expect(tasks(await similarIncidents(db(), { text }, 10))).toEqual(["storm-1", "storm-2", "storm-3"]);
  });
}
