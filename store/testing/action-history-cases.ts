/**
 * The action-history and resolution contract, run on PGlite (store/action-history.test.ts) and
 * on a real PostgreSQL (test/automation/history-store.test.ts): audit rows of verified, undone
 * and failed steps, plan-level rows, a step outside the window, resolved and open incidents.
 */
import { expect, it } from "vitest";
import { actionHistory, historyOf } from "../action-history.ts";
import type { Database } from "../database.ts";
import { recordRemediationAction } from "../history.ts";
import { incidentResolutions } from "../incident-resolutions.ts";
import { upsertIncident } from "../incidents.ts";
import { StoreInputError } from "../sql.ts";
import { openInput } from "./fixtures.ts";

/** "Now" of the cases. */
export const NOW = new Date("2026-06-30T12:00:00Z");
const at = (daysAgo: number, seconds = 0) =>
  new Date(NOW.getTime() - daysAgo * 86_400_000 + seconds * 1000).toISOString();

const checkout = { kind: "Deployment", namespace: "shop", name: "checkout" };
const cart = { kind: "Deployment", namespace: "shop", name: "cart" };
const billing = { kind: "Deployment", namespace: "pay", name: "billing" };

interface Step {
  plan: string;
  task: string;
  action: string;
  target: Record<string, string>;
  daysAgo: number;
}

/** One step of one plan going through phases [phase, seconds after the start]. */
async function step(db: Database, s: Step, phases: [string, number][]): Promise<void> {
  let rv = 10;
  for (const [phase, sec] of phases) {
    await recordRemediationAction(db, {
      planUid: s.plan,
      planName: s.plan,
      planNamespace: s.target.namespace ?? "aisre-system",
      taskUid: s.task,
      stepIndex: 0,
      phase,
      action: s.action,
      target: s.target,
      resourceVersion: String(rv++),
      occurredAt: at(s.daysAgo, sec),
      outcome: phase,
      message: `${s.action} ${phase}`,
    });
  }
}

const VERIFIED = (verifySeconds: number): [string, number][] => [
  ["DryRun", 0],
  ["Running", 1],
  ["Verifying", 2],
  ["Succeeded", 2 + verifySeconds],
];

/** Seeds the audit rows and incidents every case reads. */
export async function seedActionHistory(db: Database): Promise<void> {
  // checkout: 3 verified (30 s, 60 s, 90 s to verify), 1 failed, 1 undone after it succeeded.
  await step(
    db,
    { plan: "p1", task: "t1", action: "RolloutUndo", target: checkout, daysAgo: 20 },
    VERIFIED(30),
  );
  await step(
    db,
    { plan: "p2", task: "t2", action: "RolloutUndo", target: checkout, daysAgo: 15 },
    VERIFIED(60),
  );
  await step(
    db,
    { plan: "p3", task: "t3", action: "RolloutUndo", target: checkout, daysAgo: 10 },
    VERIFIED(90),
  );
  await step(db, { plan: "p4", task: "t4", action: "RolloutUndo", target: checkout, daysAgo: 5 }, [
    ["Running", 0],
    ["Failed", 5],
  ]);
  await step(db, { plan: "p5", task: "t5", action: "RolloutUndo", target: checkout, daysAgo: 3 }, [
    ...VERIFIED(10),
    ["Undone", 40],
  ]);
  // Plan-level rows never count as steps.
  await step(db, { plan: "p5", task: "t5", action: "Plan", target: checkout, daysAgo: 3 }, [
    ["Plan/Failed", 50],
  ]);
  // cart: 2 verified; one more 40 days ago, outside a 30-day window.
  await step(db, { plan: "p6", task: "t6", action: "RestartPods", target: cart, daysAgo: 7 }, VERIFIED(20));
  await step(db, { plan: "p7", task: "t7", action: "RestartPods", target: cart, daysAgo: 1 }, VERIFIED(40));
  await step(db, { plan: "p8", task: "t8", action: "RestartPods", target: cart, daysAgo: 40 }, VERIFIED(20));
  // Another namespace; and a step still running (not finished) is no outcome yet.
  await step(
    db,
    { plan: "p9", task: "t9", action: "ScaleDeployment", target: billing, daysAgo: 2 },
    VERIFIED(5),
  );
  await step(db, { plan: "p10", task: "t10", action: "RestartPods", target: cart, daysAgo: 0 }, [
    ["Running", 0],
  ]);

  // Incidents of checkout's alert, resolved by t1..t3 (verified), t5 (undone); t4 still open.
  const incident = (task: string, daysAgo: number, resolved: boolean, extra = {}) =>
    upsertIncident(
      db,
      openInput(task, 1, {
        fingerprint: `fp-${task}`,
        alertname: "CheckoutDown",
        category: "BadRollout",
        rootCause: "the rollout of checkout broke it",
        target: checkout,
        openedAt: at(daysAgo),
        ...(resolved ? { status: "resolved" as const, resolvedAt: at(daysAgo, 600) } : {}),
        ...extra,
      }),
    );
  await incident("t1", 20, true);
  await incident("t2", 15, true);
  await incident("t3", 10, true);
  await incident("t4", 5, false);
  await incident("t5", 3, true);
  await incident("t6", 7, true, { alertname: "CartSlow", category: "HighLatency", target: cart });
  await incident("t8", 40, true, { alertname: "CartSlow", category: "HighLatency", target: cart });
  await incident("t9", 2, true, { alertname: "BillingErrors", namespace: "pay", target: billing });
  // Resolved with no remediation at all: nothing resolved it the operator knows of.
  await incident("t11", 2, true, { alertname: "Flapping" });
}

/** Registers the contract's tests; db() is a migrated store seeded with seedActionHistory. */
export function actionHistoryContract(db: () => Database): void {
  it("counts verified, undone and failed steps per action and target, with verification times", async () => {
    const list = await actionHistory(db(), { now: NOW });
    const undo = historyOf(list, "RolloutUndo", checkout);
    expect(undo).toMatchObject({ total: 5, verified: 3, undone: 1, failed: 1, lastOutcome: "undone" });
    expect(undo!.medianVerifySeconds).toBe(60);
    expect(undo!.maxVerifySeconds).toBe(90);
    expect(undo!.lastAt.toISOString()).toBe(at(3, 40));
    // The step 40 days ago and the one still running are not counted.
    expect(historyOf(list, "RestartPods", cart)).toMatchObject({
      total: 2,
      verified: 2,
      lastOutcome: "verified",
    });
    expect(historyOf(list, "Plan", checkout)).toBeUndefined();
    // Most recent first.
    expect(list.map((h) => h.action)).toEqual(["RestartPods", "ScaleDeployment", "RolloutUndo"]);
  });

  it("narrows to a namespace, to actions and to a window", async () => {
    const shop = await actionHistory(db(), { now: NOW, namespace: "shop", actions: ["RestartPods"] });
    expect(shop.map((h) => `${h.action} ${h.target.name}`)).toEqual(["RestartPods cart"]);
    const longer = await actionHistory(db(), { now: NOW, days: 60, namespace: "shop" });
    expect(historyOf(longer, "RestartPods", cart)?.total).toBe(3);
    const week = await actionHistory(db(), { now: NOW, days: 4, namespace: "shop" });
    expect(historyOf(week, "RolloutUndo", checkout)).toMatchObject({ total: 1, undone: 1 });
    await expect(actionHistory(db(), { days: 0 })).rejects.toBeInstanceOf(StoreInputError);
  });

  it("lists resolved incidents with the step that resolved them", async () => {
    const rows = await incidentResolutions(db(), { now: NOW });
    const byTask = Object.fromEntries(rows.map((r) => [r.taskName, `${r.action} ${r.outcome}`]));
    expect(byTask).toEqual({
      t1: "RolloutUndo verified",
      t2: "RolloutUndo verified",
      t3: "RolloutUndo verified",
      t5: "RolloutUndo undone",
      t6: "RestartPods verified",
      t9: "ScaleDeployment verified",
    });
    expect(rows[0]).toMatchObject({ taskName: "t9", alertname: "BillingErrors", target: billing });
    const shop = await incidentResolutions(db(), { now: NOW, namespace: "shop", days: 60 });
    expect(shop.map((r) => r.taskName)).toEqual(["t5", "t6", "t3", "t2", "t1", "t8"]);
    expect(shop.find((r) => r.taskName === "t1")).toMatchObject({
      alertname: "CheckoutDown",
      category: "BadRollout",
      rootCause: "the rollout of checkout broke it",
      target: checkout,
    });
    await expect(incidentResolutions(db(), { limit: 0 })).rejects.toBeInstanceOf(StoreInputError);
  });
}
