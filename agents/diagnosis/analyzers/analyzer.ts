/**
 * The one shape every analyzer has, in the spirit of k8sgpt's analyzer map but pure: a
 * name, the categories it can raise, and analyze(input) → faults. An analyzer also owns the
 * facts of its categories (depth, runbook step, actions, summary), so the engine's
 * per-category tables are built from the registry instead of being kept by hand.
 */
import type { Fault } from "../fault.ts";
import type { RolloutContext } from "../rollout-context.ts";
import type { Category, Recommendation } from "../types.ts";
import type { ClusterView } from "../view.ts";

/** What an analyzer reads: the view, and the faults of the analyzers it declares in `needs`. */
export interface AnalyzerInput {
  view: ClusterView;
  /**
   * The faults a needed analyzer returned: the same objects, so marking one absorbed
   * (BadRollout over CrashLoop) is seen by everyone downstream.
   */
  faultsOf(name: string): Fault[];
}

/** One analyzer of the registry. */
export interface Analyzer {
  /** Unique; what `needs` and `folds` refer to. */
  name: string;
  /** Every category analyze() can return (a category may be raised by several analyzers). */
  categories: readonly Category[];
  /** The facts of the categories this analyzer owns; every category has exactly one owner. */
  owns: readonly CategoryFacts[];
  /** Analyzers whose faults analyze() reads through input.faultsOf; each runs once, first. */
  needs?: readonly string[];
  /**
   * An analyzer whose faults naming the same category and subject as one of ours are folded
   * into ours (pods on a NotReady node become evidence of the node's fault: one finding per
   * cause). Folded faults are dropped from the result; faultsOf still returns them.
   */
  folds?: string;
  analyze(input: AnalyzerInput): Fault[];
}

/** Depth on the chain Ingress → Service → workload → pod/container → storage/node; deeper wins the walk. */
export const DEPTH = {
  /** A Service without endpoints: nearly always a symptom of something below. */
  endpoints: 0,
  /** What users or autoscaling see in front of the workload (Ingress, HPA, PDB, request metrics). */
  edge: 1,
  service: 2,
  workload: 3,
  pod: 4,
  /** Storage and nodes, under every pod. */
  infrastructure: 5,
} as const;

/** What the engine knows about one category besides how to detect it. */
export interface CategoryFacts {
  category: Category;
  /** Position on the dependency chain (DEPTH); ranks causes in the root-cause walk. */
  depth: number;
  /** The step a person takes, proposed as the RunbookOnly recommendation. */
  runbook: string;
  /** Rolling back can fix it: RolloutUndo is proposed when the failure started with a recent revision. */
  rollback?: boolean;
  /** Ships with a pod template revision, so a failing newest revision is a BadRollout that absorbs it. */
  revision?: boolean;
  /** Catalog actions of the category, proposed after a rollback and before the runbook step. */
  actions?: (f: Fault) => Recommendation[];
  /** The root-cause sentence (cut to 400 characters); the fault's message when absent. */
  summary?: (f: Fault, ctx: RolloutContext | undefined) => string;
  /** Added to the root cause's confidence: negative for a category that is mostly a symptom. */
  confidence?: number;
}
