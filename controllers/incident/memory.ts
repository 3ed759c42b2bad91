/**
 * What the incident projection need not write again. Two sources: the marks of what this
 * process wrote (a resync or a relist re-delivers every task; an unchanged one costs nothing),
 * and, for the first pass after a start, what the store already holds (one read instead of a
 * transaction per finished task ahead of new work; docs/scaling.md).
 */
import type { SreTask } from "../../crds/index.ts";
import type { DiagnosisInput, ProjectionState } from "../../store/index.ts";
import { groupMembershipOf } from "../storms/project.ts";

/** The parts of a projection's input its writes are guarded by. */
export interface ProjectionInput {
  task: SreTask;
  /** The task's finished runs as diagnosis rows. */
  diagnoses: DiagnosisInput[];
  /** The current episode's run when it completed (it sets the incident's diagnosis). */
  current?: DiagnosisInput;
}

/** One string per projected state: equal marks mean the projection writes the same rows. */
export function projectionMark({ task, diagnoses, current }: ProjectionInput): string {
  const runs = diagnoses.map((d) => `${d.diagnosisUid}@${d.resourceVersion}`).sort();
  return [task.metadata.uid, task.metadata.resourceVersion, current?.diagnosisUid ?? "", ...runs].join("|");
}

const atLeast = (stored: string | undefined, rv: string): boolean => {
  if (stored === undefined) return false;
  try {
    return BigInt(stored) >= BigInt(rv);
  } catch {
    return false; // not a number: never skip on it
  }
};

/**
 * True when every write the projection would make for this input is already stored: each
 * is guarded by a resourceVersion the store holds at least as new, so it would be "stale".
 */
export function storeHolds(state: ProjectionState, { task, diagnoses, current }: ProjectionInput): boolean {
  const stored = state.tasks.get(task.metadata.uid ?? "");
  const rv = task.metadata.resourceVersion ?? "0";
  if (!stored || !atLeast(stored.incidentRv, rv)) return false;
  // An alert's storm membership: one to write, or a stored one this state would move or remove.
  const member = task.spec.alert && (groupMembershipOf(task).group || stored.groupRv !== undefined);
  if (member && !atLeast(stored.groupRv, rv)) return false;
  if (!diagnoses.every((d) => atLeast(state.diagnoses.get(d.diagnosisUid), d.resourceVersion))) return false;
  return !current || atLeast(stored.diagnosisRv, current.resourceVersion);
}

/** Remembers projected state; `holds` says whether a projection can be skipped. */
export class ProjectionMemory {
  private readonly written = new Map<string, string>();
  private initial: Promise<ProjectionState> | undefined;
  private expired = false;
  private readonly load: () => Promise<ProjectionState>;
  private readonly forgetAfterMs: number;

  /**
   * @param load reads the store's state once, at the first projection after a start
   * @param forgetAfterMs how long that state is consulted: the start's replay is over by then
   */
  constructor(load: () => Promise<ProjectionState>, forgetAfterMs = 10 * 60_000) {
    this.load = load;
    this.forgetAfterMs = forgetAfterMs;
  }

  /** Whether the projection of `input` (task key `key`) would write nothing new. */
  async holds(key: string, input: ProjectionInput): Promise<boolean> {
    const mark = projectionMark(input);
    if (this.written.get(key) === mark) return true;
    const state = await this.stored();
    if (!state || !storeHolds(state, input)) return false;
    this.written.set(key, mark);
    return true;
  }

  /** Records that `input` was projected for task `key`. */
  remember(key: string, input: ProjectionInput): void {
    this.written.set(key, projectionMark(input));
  }

  /** Drops a deleted task's mark. */
  forget(key: string): void {
    this.written.delete(key);
  }

  private async stored(): Promise<ProjectionState | undefined> {
    if (this.expired) return undefined;
    if (!this.initial) {
      const loading = this.load();
      this.initial = loading;
      // A failed read is retried by the next projection; a good one is dropped after a while.
      loading.then(
        () => {
          const timer = setTimeout(() => {
            this.expired = true;
            this.initial = undefined;
          }, this.forgetAfterMs);
          timer.unref?.();
        },
        () => {
          if (this.initial === loading) this.initial = undefined;
        },
      );
    }
    return this.initial;
  }
}
