/**
 * Container-level causes of one pod: CrashLoop, OOMKilled, ImagePull,
 * MissingConfig, ProbeFailure and InitContainerFailure, read from container
 * statuses, the pod's Events and the previous log.
 */
import type { ClusterEvent } from "../events.ts";
import { showEvent } from "../events.ts";
import type { ContainerStateDetail, ContainerStatus, Pod } from "../k8s.ts";
import { humanDuration, toMs } from "../k8s.ts";
import type { ClusterView } from "../view.ts";
import type { Facts } from "../fault.ts";
import type { PodProblem } from "./problem.ts";
import { better } from "./problem.ts";
import { RESTART_WINDOW_MS, freshEvents, lastMeaningfulLine } from "./util.ts";
import type { Ctx } from "./container-context.ts";
import { containerEvents, path, specOf } from "./container-context.ts";
import { configProblem, imageProblem, missingObject } from "./startup.ts";

export { missingObject, pullCause } from "./startup.ts";
const IMAGE_REASONS = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "ErrImageNeverPull",
  "RegistryUnavailable",
]);
const CONFIG_REASONS = new Set(["CreateContainerConfigError"]);
const START_REASONS = new Set(["CreateContainerError", "RunContainerError", "StartError"]);

function killedByProbe(ctx: Ctx, name: string, exitCode: number | undefined): ClusterEvent | undefined {
  const events = containerEvents(ctx, name);
  const kill = events.find(
    (e) => e.reason === "Killing" && /failed (liveness|startup) probe/i.test(e.message),
  );
  if (kill) return kill;
  const unhealthy = events.find(
    (e) => e.reason === "Unhealthy" && /^(Liveness|Startup) probe failed/i.test(e.message),
  );
  const signalled = exitCode === undefined || [0, 2, 130, 137, 143].includes(exitCode);
  return unhealthy && signalled ? unhealthy : undefined;
}

interface Termination {
  ctx: Ctx;
  cs: ContainerStatus;
  t: ContainerStateDetail;
  severity: PodProblem["severity"];
  evidence: string[];
  facts: Facts;
}

function logOf(ctx: Ctx, container: string): string | undefined {
  const ns = ctx.pod.metadata?.namespace ?? "";
  const name = ctx.pod.metadata?.name ?? "";
  return ctx.view.log(ns, name, container, true) ?? ctx.view.log(ns, name, container);
}

function oomProblem(x: Termination): PodProblem {
  const limit = specOf(x.ctx, x.cs.name)?.resources?.limits?.memory;
  if (limit !== undefined) x.evidence.push(`containers[${x.cs.name}].resources.limits.memory=${limit}`);
  if (x.facts.lastLog) x.evidence.push(`previous log: ${x.facts.lastLog}`);
  return {
    category: "OOMKilled",
    severity: x.severity,
    message: `container ${x.cs.name} was OOMKilled at its memory limit ${limit ?? "(none set)"} (${x.facts.restarts} restarts)`,
    evidence: x.evidence,
    facts: { ...x.facts, memoryLimit: limit === undefined ? undefined : String(limit) },
    strength: 0.95,
  };
}

const LIVENESS = /^(Liveness|Startup)/;

function probeProblem(x: Termination, probe: ClusterEvent): PodProblem {
  const unhealthy = containerEvents(x.ctx, x.cs.name)
    .filter((e) => e.reason === "Unhealthy")
    .sort((a, b) => Number(LIVENESS.test(b.message)) - Number(LIVENESS.test(a.message)))[0];
  x.evidence.push(showEvent(probe));
  if (unhealthy && unhealthy !== probe) x.evidence.push(showEvent(unhealthy));
  return {
    category: "ProbeFailure",
    severity: x.severity,
    message: `container ${x.cs.name} is restarted by its liveness probe (${x.facts.restarts} restarts)`,
    evidence: x.evidence,
    facts: { ...x.facts, detail: (unhealthy ?? probe).message },
    strength: 0.85,
  };
}

function crashProblem(x: Termination): PodProblem {
  if (x.facts.lastLog) x.evidence.push(`previous log: ${x.facts.lastLog}`);
  const backoff = containerEvents(x.ctx, x.cs.name).find((e) => e.reason === "BackOff");
  if (backoff) x.evidence.push(showEvent(backoff));
  const what = x.ctx.init ? "init container" : "container";
  return {
    category: x.ctx.init ? "InitContainerFailure" : "CrashLoop",
    severity: x.severity,
    message: `${what} ${x.cs.name} exits with code ${x.t.exitCode ?? "?"} (${x.facts.restarts} restarts)`,
    evidence: x.evidence,
    facts: x.facts,
    strength: x.severity === "critical" ? 0.9 : 0.6,
  };
}

function terminationProblem(
  ctx: Ctx,
  cs: ContainerStatus,
  t: ContainerStateDetail,
  looping: boolean,
): PodProblem {
  const p = path(ctx, cs.name);
  const restarts = cs.restartCount ?? 0;
  const waiting = cs.state?.waiting?.reason;
  const evidence = [
    ...(waiting ? [`${p}.state.waiting.reason=${waiting}`] : []),
    `${p}.lastState.terminated.reason=${t.reason ?? "?"} exitCode=${t.exitCode ?? "?"}`,
    `${p}.restartCount=${restarts}`,
  ];
  const image = specOf(ctx, cs.name)?.image ?? cs.image;
  const facts: Facts = {
    container: cs.name,
    exitCode: t.exitCode,
    reason: t.reason,
    restarts,
    lastLog: lastMeaningfulLine(logOf(ctx, cs.name)),
    image,
  };
  const x: Termination = { ctx, cs, t, severity: looping ? "critical" : "warning", evidence, facts };
  if (t.reason === "OOMKilled") return oomProblem(x);
  const probe = killedByProbe(ctx, cs.name, t.exitCode);
  return probe ? probeProblem(x, probe) : crashProblem(x);
}

function runningLine(ctx: Ctx, name: string, runningFor: number | undefined): string {
  return `${path(ctx, name)}.state.running (${runningFor === undefined ? "?" : humanDuration(runningFor)})`;
}

function readinessProblem(ctx: Ctx, cs: ContainerStatus): PodProblem | null {
  const events = containerEvents(ctx, cs.name).filter(
    (e) => e.reason === "Unhealthy" && /probe failed/i.test(e.message),
  );
  const spec = specOf(ctx, cs.name);
  const started = toMs(cs.state?.running?.startedAt);
  const runningFor = started === undefined ? undefined : ctx.view.now - started;
  // Without a probe failure on record nothing deeper is visible: the Service reports it instead.
  if (events.length === 0) return null;
  // Probes fail while an app boots; that is a rollout in progress, not an incident.
  if (runningFor !== undefined && runningFor < 90_000) return null;
  const evidence = [
    `${path(ctx, cs.name)}.ready=false`,
    runningLine(ctx, cs.name, runningFor),
    ...events.slice(0, 2).map(showEvent),
  ];
  return {
    category: "ProbeFailure",
    severity: "warning",
    message: `container ${cs.name} runs but fails its readiness probe`,
    evidence,
    facts: { container: cs.name, detail: events[0]?.message, image: spec?.image ?? cs.image },
    strength: 0.85,
  };
}

function isRecent(ctx: Ctx, t: ContainerStateDetail): boolean {
  const finished = toMs(t.finishedAt);
  return finished === undefined || ctx.view.now - finished <= RESTART_WINDOW_MS;
}

function waitingProblem(ctx: Ctx, cs: ContainerStatus): PodProblem | null {
  const w = cs.state?.waiting;
  if (!w?.reason) return null;
  if (IMAGE_REASONS.has(w.reason)) return imageProblem(ctx, cs, w.reason, w.message);
  if (CONFIG_REASONS.has(w.reason)) return configProblem(ctx, cs, w.reason, w.message);
  if (
    START_REASONS.has(w.reason) &&
    /not found|couldn't find key/i.test(w.message ?? "") &&
    missingObject(w.message ?? "")
  ) {
    return configProblem(ctx, cs, w.reason, w.message);
  }
  const last = cs.lastState?.terminated;
  if (w.reason === "CrashLoopBackOff") return terminationProblem(ctx, cs, last ?? { reason: "Error" }, true);
  if (START_REASONS.has(w.reason))
    return terminationProblem(ctx, cs, { reason: w.reason, message: w.message, exitCode: 128 }, true);
  return null;
}

function restartProblem(ctx: Ctx, cs: ContainerStatus): PodProblem | null {
  const last = cs.lastState?.terminated;
  const restarts = cs.restartCount ?? 0;
  if (!cs.state?.running || !last || restarts === 0 || !isRecent(ctx, last)) return null;
  const problem = terminationProblem(ctx, cs, last, restarts >= 3);
  // One restart is an event, not an incident: visible, but never a root cause unless alerted on.
  if (restarts === 1) problem.severity = "info";
  // A few clean exits are restarts, not a crash loop.
  return problem.category === "CrashLoop" && last.exitCode === 0 && restarts < 3 ? null : problem;
}

/** The worst problem of one container status. */
function statusProblem(ctx: Ctx, cs: ContainerStatus): PodProblem | null {
  const waiting = waitingProblem(ctx, cs);
  if (waiting) return waiting;
  const term = cs.state?.terminated;
  if (term && (term.exitCode ?? 0) !== 0)
    return terminationProblem(ctx, cs, term, ctx.init || (cs.restartCount ?? 0) > 0);
  const restarted = restartProblem(ctx, cs);
  if (restarted) return restarted;
  if (!ctx.init && cs.state?.running && cs.ready === false) return readinessProblem(ctx, cs);
  return null;
}

function scan(ctx: Ctx, statuses: ContainerStatus[] | undefined): PodProblem | null {
  let worst: PodProblem | null = null;
  for (const cs of statuses ?? []) worst = better(worst, statusProblem(ctx, cs));
  return worst;
}

/** The container-level problem of a scheduled pod, init containers first (they block the rest). */
export function containerProblem(view: ClusterView, pod: Pod): PodProblem | null {
  // Read only for a container in trouble: most pods of a namespace are healthy, and looking up
  // each one's events was 7.6 % of the operator's CPU in a burst at 500 pods a namespace.
  let events: ClusterEvent[] | undefined;
  const ctx = (init: boolean): Ctx => ({
    view,
    pod,
    init,
    get events() {
      return (events ??= freshEvents(view, pod));
    },
  });
  const init = scan(ctx(true), pod.status?.initContainerStatuses);
  if (init) {
    if (init.category === "CrashLoop") init.category = "InitContainerFailure";
    if (init.category === "InitContainerFailure")
      init.message = init.message.replace(/^container/, "init container");
    return init;
  }
  return scan(ctx(false), pod.status?.containerStatuses);
}
