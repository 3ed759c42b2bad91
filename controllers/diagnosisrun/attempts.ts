/**
 * Which attempts at a DiagnosisRun need the durable `Running` write that counts them. The count
 * makes a run that crashes the operator end Failed after MAX_DIAGNOSIS_ATTEMPTS instead of
 * crash-looping it. A run this process saw created (added to its cache after the first list) can
 * not have crashed an earlier process, so its first attempt here skips that write and the
 * completing write counts it: one status write less a task (docs/scaling.md, issue 16 step 8).
 * A crash in such an attempt leaves the run Pending; the next process lists it and writes
 * `Running` before every attempt, so the bound on a crash loop grows by one attempt.
 */
import { LRUCache } from "lru-cache";
import type { DiagnosisRun } from "../../crds/index.ts";
import type { Informer } from "../../runtime/index.ts";

/** Runs remembered as finished by this process until their cache shows it; more are dropped oldest first. */
const MAX_FINISHED_HERE = 10_000;

const uidOf = (run: DiagnosisRun): string => run.metadata.uid ?? "";

/** The per-process memory of attempts: runs first seen created, attempts not yet written, runs finished here. */
export class AttemptLedger {
  private readonly created = new Set<string>();
  private readonly unwritten = new Map<string, number>();
  private readonly finished = new LRUCache<string, true>({ max: MAX_FINISHED_HERE });

  /** Follows the runs' cache: an add once it has listed is a run created while this process ran. */
  track(runs: Informer<DiagnosisRun>): void {
    // addEventHandler replays an already listed cache as adds: those runs are not new.
    let replaying = true;
    runs.addEventHandler({
      onAdd: (run) => {
        if (!replaying && runs.hasSynced() && !run.status?.phase && uidOf(run)) this.created.add(uidOf(run));
      },
      onDelete: (run) => this.settled(run),
    });
    replaying = false;
  }

  /**
   * True when this attempt may go without the `Running` write: the run's first attempt in this
   * process, of a run created while it ran. The attempt is then counted here until a write does.
   */
  skipsRunningWrite(run: DiagnosisRun): boolean {
    const uid = uidOf(run);
    if (!this.created.delete(uid)) return false;
    this.unwritten.set(uid, (this.unwritten.get(uid) ?? 0) + 1);
    return true;
  }

  /** Attempts made in this process that no status write has counted yet. */
  unwrittenAttempts(run: DiagnosisRun): number {
    return this.unwritten.get(uidOf(run)) ?? 0;
  }

  /** Attempts so far: the status's count plus those not yet written. */
  attempts(run: DiagnosisRun): number {
    return (run.status?.attempts ?? 0) + this.unwrittenAttempts(run);
  }

  /** A status write counted the unwritten attempts. */
  written(run: DiagnosisRun): void {
    this.unwritten.delete(uidOf(run));
  }

  /** This process wrote the run Completed or Failed; its cache may not show it yet. */
  finishedHere(run: DiagnosisRun): void {
    this.forget(uidOf(run));
    this.finished.set(uidOf(run), true);
  }

  /** True when this process finished the run, whatever a lagging cache says. */
  isFinishedHere(run: DiagnosisRun): boolean {
    return this.finished.has(uidOf(run));
  }

  /** The cache shows the run finished or gone: nothing to remember. */
  settled(run: DiagnosisRun): void {
    this.finished.delete(uidOf(run));
    this.forget(uidOf(run));
  }

  private forget(uid: string): void {
    this.created.delete(uid);
    this.unwritten.delete(uid);
  }
}
