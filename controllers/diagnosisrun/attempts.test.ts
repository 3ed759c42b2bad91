import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DiagnosisRun } from "../../crds/index.ts";
import { Informer } from "../../runtime/index.ts";
import { FakeListWatcher } from "../../runtime/fake-list-watcher.ts";
import { AttemptLedger } from "./attempts.ts";

const run = (name: string, rv: string, status?: DiagnosisRun["status"]): DiagnosisRun => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "DiagnosisRun",
  metadata: { namespace: "shop", name, uid: `uid-${name}`, resourceVersion: rv },
  spec: { taskRef: { name } },
  ...(status ? { status } : {}),
});

describe("AttemptLedger", () => {
  let lw: FakeListWatcher<DiagnosisRun>;
  let runs: Informer<DiagnosisRun>;
  let ledger: AttemptLedger;

  beforeEach(async () => {
    lw = new FakeListWatcher<DiagnosisRun>();
    lw.items = [run("listed", "5")];
    runs = new Informer({ listWatcher: lw, resyncMs: 0 });
    ledger = new AttemptLedger();
    ledger.track(runs);
    runs.start();
    await runs.waitForSync();
    await new Promise((r) => setTimeout(r, 0));
  });
  afterEach(() => runs.stop());

  it("lets only the first attempt of a run created after the first list skip the Running write", () => {
    const listed = runs.get("shop", "listed")!;
    expect(ledger.skipsRunningWrite(listed)).toBe(false);

    lw.current.emit("ADDED", run("new", "11"));
    const created = runs.get("shop", "new")!;
    expect(ledger.skipsRunningWrite(created)).toBe(true);
    expect(ledger.attempts(created)).toBe(1);
    // A retry in this process writes Running, counting the skipped attempt with its own.
    expect(ledger.skipsRunningWrite(created)).toBe(false);
    expect(ledger.unwrittenAttempts(created)).toBe(1);
    ledger.written(created);
    expect(ledger.attempts({ ...created, status: { attempts: 2 } })).toBe(2);
  });

  it("treats runs replayed to a handler added after the list as listed, not created", async () => {
    const late = new AttemptLedger();
    late.track(runs);
    expect(late.skipsRunningWrite(runs.get("shop", "listed")!)).toBe(false);
  });

  it("remembers a run finished here until the cache shows it, and forgets deleted runs", () => {
    lw.current.emit("ADDED", run("done", "12"));
    const done = runs.get("shop", "done")!;
    ledger.skipsRunningWrite(done);
    ledger.finishedHere(done);
    expect(ledger.isFinishedHere(done)).toBe(true);
    expect(ledger.unwrittenAttempts(done)).toBe(0);
    ledger.settled(done);
    expect(ledger.isFinishedHere(done)).toBe(false);

    lw.current.emit("ADDED", run("gone", "13"));
    const gone = runs.get("shop", "gone")!;
    lw.current.emit("DELETED", gone);
    expect(ledger.skipsRunningWrite(gone)).toBe(false);
  });

  it("does not count a run added with a phase already (a relist of a run another process started)", () => {
    lw.current.emit("ADDED", run("started", "14", { phase: "Running", attempts: 1 }));
    expect(ledger.skipsRunningWrite(runs.get("shop", "started")!)).toBe(false);
  });
});
