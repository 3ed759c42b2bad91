/**
 * One notification per storm (docs/alert-storms.md). With grouping on, an alert task's
 * notification waits until its group is known: members never notify; a primary's first
 * notification is held for the grace (min(windowSeconds, 30 s) after it started) so a storm
 * arriving together is sent once, naming the count and the first alerts; and one update is
 * sent if the group later at least doubles and gains five or more alerts.
 */
import type { AgentConfig, SreTask } from "../../crds/index.ts";
import type { GroupingSettings } from "./settings.ts";
import { groupingSettings, taskStart } from "./settings.ts";

type TaskGroup = NonNullable<NonNullable<SreTask["status"]>["group"]>;

/** Annotation recording the group size the primary's notification announced. */
export const STORM_NOTIFIED_ANNOTATION = "aisre.io/storm-notified-size";

/** The token of the one update sent when a storm grows (alongside the kinds in aisre.io/notified). */
export const STORM_GREW_TOKEN = "StormGrew";

/** How long an undiagnosed alert task holds its opening notification at most: the diagnosis may group it. */
const MAX_OPEN_HOLD_MS = 120_000;
/** How long a diagnosed task without a group waits for the storm controller to key it. */
const KEYING_WAIT_MS = 5_000;
/** How often a held notification is looked at again. */
const RECHECK_MS = 3_000;

/** What to do with a task's notification. */
export type StormGate =
  | { action: "send"; task: SreTask; token?: string; annotations?: Record<string, string> }
  | { action: "skip" }
  | { action: "hold"; ms: number };

const hold = (ms: number): StormGate => ({ action: "hold", ms: Math.max(250, Math.min(ms, RECHECK_MS)) });

/** Whether a storm grew enough since it was announced to say so once more. */
export function grewALot(announced: number, size: number): boolean {
  return size >= 2 * announced && size - announced >= 5;
}

/** The task as the notification shows it: the group's count and first alerts before the root cause. */
function withGroupText(task: SreTask, summary: string): SreTask {
  const copy = structuredClone(task);
  if (copy.status?.rootCause) copy.status.rootCause.summary = `${summary}. ${copy.status.rootCause.summary}`;
  copy.spec.description = summary;
  return copy;
}

/** What a decision looks at besides the task and its AgentConfig. */
export interface GateContext {
  /** The tokens already sent for the task. */
  sent: readonly string[];
  now: number;
  /** When this process first saw the task diagnosed without a group. */
  firstSeenUngrouped?: number;
  /** The tasks of its namespace. */
  peers?: readonly SreTask[];
}

/** An alert task not grouped yet: hold while its diagnosis may still group it. */
function ungroupedGate(
  task: SreTask,
  settings: GroupingSettings,
  now: number,
  firstSeenUngrouped: number | undefined,
): StormGate {
  if (!task.status?.rootCause) {
    const until = taskStart(task) + Math.max(settings.windowMs, MAX_OPEN_HOLD_MS);
    const settled = ["Failed", "Succeeded", "Resolved"].includes(task.status?.phase ?? "");
    return !settled && now < until ? hold(until - now) : { action: "send", task };
  }
  const seen = firstSeenUngrouped ?? now;
  return now < seen + KEYING_WAIT_MS ? hold(seen + KEYING_WAIT_MS - now) : { action: "send", task };
}

/** An alert task that arrived no later than `task` and may still join its storm: not diagnosed yet. */
function earlierUndiagnosed(
  task: SreTask,
  peers: readonly SreTask[],
  settings: GroupingSettings,
  now: number,
): boolean {
  const start = taskStart(task);
  return peers.some(
    (p) =>
      p.metadata.name !== task.metadata.name &&
      p.spec.alert !== undefined &&
      (p.spec.agentConfigRef?.name ?? "default") === (task.spec.agentConfigRef?.name ?? "default") &&
      taskStart(p) <= start &&
      !p.status?.rootCause &&
      !["Failed", "Succeeded", "Resolved"].includes(p.status?.phase ?? "") &&
      now < taskStart(p) + Math.max(settings.windowMs, MAX_OPEN_HOLD_MS),
  );
}

/** A primary: held for the grace, then sent with the group's text; one update when it grew a lot. */
function primaryGate(
  task: SreTask,
  group: TaskGroup,
  settings: GroupingSettings,
  { sent, now, peers = [] }: GateContext,
): StormGate {
  const start = taskStart(task);
  if (now < start + settings.graceMs) return hold(start + settings.graceMs - now);
  // An earlier alert still being diagnosed may become this storm's primary: let it speak first.
  if (earlierUndiagnosed(task, peers, settings, now)) return hold(RECHECK_MS);
  const announced = Number(task.metadata.annotations?.[STORM_NOTIFIED_ANNOTATION] ?? 0);
  const annotations = { [STORM_NOTIFIED_ANNOTATION]: String(group.size) };
  const shown = group.summary ? withGroupText(task, group.summary) : task;
  if (announced > 0 && !sent.includes(STORM_GREW_TOKEN) && grewALot(announced, group.size))
    return { action: "send", task: shown, token: STORM_GREW_TOKEN, annotations };
  return { action: "send", task: shown, annotations: announced > 0 ? {} : annotations };
}

/**
 * Decides a task's notification under alert grouping.
 */
export function stormGate(task: SreTask, config: AgentConfig | undefined, ctx: GateContext): StormGate {
  const settings = groupingSettings(config);
  if (!settings || !task.spec.alert) return { action: "send", task };
  const group = task.status?.group;
  if (!group) return ungroupedGate(task, settings, ctx.now, ctx.firstSeenUngrouped);
  if (group.role === "Member") return { action: "skip" };
  return primaryGate(task, group, settings, ctx);
}

/** What the notification controller asks: send (maybe as the storm's update), skip, or hold. */
export interface StormGateKeeper {
  /**
   * The decision for a task whose current notification token is `token`; a token already in
   * `sent` is skipped, unless the storm grew enough for its one update.
   */
  decide(task: SreTask, config: AgentConfig | undefined, sent: readonly string[], token: string): StormGate;
  /** True when the task may need the gate although its token was sent: a primary already announced. */
  mayUpdate(task: SreTask, sent: readonly string[]): boolean;
  forget(key: string): void;
}

/**
 * The gate with this process's memory of tasks seen diagnosed without a group; `peersOf` lists
 * a namespace's tasks (the informer cache) so a primary waits for earlier alerts' diagnoses.
 */
export function createStormGate(
  now: () => number = Date.now,
  peersOf: (namespace: string) => readonly SreTask[] = () => [],
): StormGateKeeper {
  const ungrouped = new Map<string, number>();
  const keyOf = (task: SreTask) => `${task.metadata.namespace}/${task.metadata.name}`;
  return {
    decide(task, config, sent, token) {
      const key = keyOf(task);
      if (task.status?.rootCause && !task.status.group && !ungrouped.has(key)) ungrouped.set(key, now());
      const peers = peersOf(task.metadata.namespace ?? "");
      const gate = stormGate(task, config, {
        sent,
        now: now(),
        firstSeenUngrouped: ungrouped.get(key),
        peers,
      });
      if (gate.action === "send" && !gate.token && sent.includes(token)) return { action: "skip" };
      return gate;
    },
    mayUpdate(task, sent) {
      return (
        task.status?.group?.role === "Primary" &&
        STORM_NOTIFIED_ANNOTATION in (task.metadata.annotations ?? {}) &&
        !sent.includes(STORM_GREW_TOKEN)
      );
    },
    forget(key) {
      ungrouped.delete(key);
    },
  };
}
