/**
 * The contract every catalog action implements (docs/design.md §3, principle 5): what it needs,
 * what it would touch, a server-side dry run, the change itself, how to tell it worked, and
 * how to put things back. The RemediationPlan controller sequences these calls and stores
 * their results (dry run, affected objects, undo state) in the plan status.
 */
import type {
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  V1PolicyRule,
} from "@kubernetes/client-node";
import type { TSchema } from "@sinclair/typebox";
import type { Logger } from "pino";
import type { ActionName, Risk } from "../../crds/actions.ts";
import type { PlanStep } from "../../crds/remediationplan.ts";
import type { Ec2Access } from "./ec2/access.ts";

/** A time source, injectable so tests can pin "now". */
export interface ActionClock {
  now(): number;
}

/** Everything an action talks to; real clients in production, fakes or the test control plane in tests. */
export interface ActionContext {
  apps: AppsV1Api;
  core: CoreV1Api;
  batch: BatchV1Api;
  autoscaling: AutoscalingV2Api;
  /** Resolves the EC2 client and allow tag of the governing AgentConfig; rejects when EC2 is not configured. */
  ec2: () => Promise<Ec2Access>;
  clock: ActionClock;
  log: Logger;
}

/** One step of a plan as the action sees it (the PlanStep of the CRD). */
export type Step = Pick<PlanStep, "name" | "action" | "target" | "params">;

/** What a step would disrupt: pods as "namespace/name", EC2 instance ids. */
export interface BlastRadius {
  pods: string[];
  instances: string[];
}

/** The server-side dry run's verdict, stored as the step's status.dryRun. */
export interface DryRunResult {
  passed: boolean;
  message: string;
}

/** Small JSON an action needs to undo itself (previous replicas, revision, resources...). */
export type UndoState = Record<string, unknown>;

/** What execute did and what undo will need. */
export interface ExecuteResult {
  message: string;
  undoState: UndoState;
}

/** One poll of verification: the controller polls until done or its timeout. */
export interface VerifyResult {
  done: boolean;
  ok: boolean;
  message: string;
}

/** What undo did. */
export interface UndoResult {
  message: string;
}

/** Records what the target looked like before execute, and tells afterwards whether execute ran. */
export interface Observer {
  /** What is compared, in words (docs/actions.md). */
  how: string;
  /** Read just before the fence write; the controller stores it in undoState.observedBefore. */
  before(ctx: ActionContext, step: Step): Promise<Record<string, unknown>>;
  /** The undo state execute would have returned if it ran, or undefined when it did not run. */
  after(ctx: ActionContext, step: Step, before: Record<string, unknown>): Promise<UndoState | undefined>;
}

/**
 * How the controller resolves a step found Running without a recorded result after a crash
 * (docs/adr/0003-exactly-once-remediation.md): execute may or may not have run.
 * - rerun: re-executing converges to the same state and records a usable undo state;
 * - observe: the target shows whether execute ran (compared with what was read before it);
 * - none: nothing tells, so the step fails and a person checks what `check` says.
 */
export type Recovery =
  { mode: "rerun"; why: string } | { mode: "observe"; observer: Observer } | { mode: "none"; check: string };

/** What the dry run, verify and undo do, in words for approvers (docs/actions.md). */
export interface ActionExplanation {
  dryRun: string;
  verify: string;
  undo: string;
}

/** One catalog action. */
export interface Action {
  name: ActionName;
  /** Catalog risk (crds/actions.ts ACTION_RISKS); a step may raise it, never lower it. */
  risk: Risk;
  /** Kinds it acts on (crds/action-targets.ts); empty for RunbookOnly. */
  targetKinds: readonly string[];
  /** TypeBox schema of step.params. */
  params: TSchema;
  /** Cluster-wide RBAC rules the automation identity needs for this action (dry runs included). */
  rbac: readonly V1PolicyRule[];
  /** Rules needed only in the AgentConfig's namespace (the AWS credentials Secret). */
  namespacedRbac: readonly V1PolicyRule[];
  /** False when undo cannot restore anything (a reboot, a deleted pod the controller replaced). */
  undoable: boolean;
  /** False for RunbookOnly: a person acts, the controller only shows the runbook. */
  automatic: boolean;
  /** One line for approvers: what the action does. */
  description: string;
  /** Dry run, verify and undo in words. */
  explain: ActionExplanation;
  /** How an execute interrupted by a crash is resolved. */
  recovery: Recovery;
  /** Problems that forbid the step now; empty when it may run. */
  preconditions(ctx: ActionContext, step: Step): Promise<string[]>;
  /** The pods and instances the step would disrupt. */
  blastRadius(ctx: ActionContext, step: Step): Promise<BlastRadius>;
  /** The same request with dryRun=All (Kubernetes) or DryRun=true (EC2); changes nothing. */
  dryRun(ctx: ActionContext, step: Step): Promise<DryRunResult>;
  /** Makes the change; throws ActionFailedError (with any partial undo state) when it cannot. */
  execute(ctx: ActionContext, step: Step): Promise<ExecuteResult>;
  /** Non-blocking check of the outcome. */
  verify(ctx: ActionContext, step: Step, undoState: UndoState): Promise<VerifyResult>;
  /** Restores what execute changed, from its undo state. */
  undo(ctx: ActionContext, step: Step, undoState: UndoState): Promise<UndoResult>;
}

/** A step that failed; undoState holds what was already changed, so undo can still restore it. */
export class ActionFailedError extends Error {
  readonly undoState: UndoState | undefined;

  constructor(message: string, undoState?: UndoState) {
    super(message);
    this.name = "ActionFailedError";
    this.undoState = undoState;
  }
}

/** A verification still in progress. */
export const pending = (message: string): VerifyResult => ({ done: false, ok: false, message });
/** A verification that succeeded. */
export const verified = (message: string): VerifyResult => ({ done: true, ok: true, message });
/** A verification that failed for good. */
export const failedVerify = (message: string): VerifyResult => ({ done: true, ok: false, message });
/** No pods, no instances. */
export const noBlast = (): BlastRadius => ({ pods: [], instances: [] });
