/** One sentence naming the cause, from the winning fault's facts. */
import type { Fault } from "./fault.ts";
import type { RolloutContext } from "./rollout-context.ts";

function since(ctx: RolloutContext | undefined): string {
  if (!ctx?.recent) return "";
  if (ctx.newTag) return ` since the image change to ${ctx.newTag}`;
  return ` since revision ${ctx.history.newest.revision}${ctx.age ? ` (${ctx.age} ago)` : ""}`;
}

function logPart(f: Fault): string {
  return f.facts.lastLog ? `: ${f.facts.lastLog}` : "";
}

type Phrase = (f: Fault, c: string, since: string) => string;

const PHRASES: Partial<Record<Fault["category"], Phrase>> = {
  CrashLoop: (f, c, s) => `${f.subject.name}${c} exits with code ${f.facts.exitCode ?? "?"}${logPart(f)}${s}`,
  OOMKilled: (f, c, s) =>
    `${f.subject.name}${c} is OOMKilled at its ${f.facts.memoryLimit ?? "unset"} memory limit (${f.facts.restarts ?? "?"} restarts)${s}`,
  ImagePull: (f, _c, s) =>
    `${f.subject.name} cannot pull image ${f.facts.image ?? "?"}: ${f.facts.detail ?? "pull fails"}${s}`,
  MissingConfig: (f, _c, s) =>
    `${f.subject.name} cannot start: ${f.facts.object ? `${f.facts.object} not found` : (f.facts.detail ?? "a referenced ConfigMap/Secret is missing")}${s}`,
  InitContainerFailure: (f) =>
    `${f.subject.name} never starts: init container ${f.facts.container ?? "?"} exits with code ${f.facts.exitCode ?? "?"}${logPart(f)}`,
  ProbeFailure: (f, c, s) =>
    `${f.subject.name}${c} fails its health probe${f.facts.detail ? `: ${f.facts.detail}` : ""}${s}`,
  Unschedulable: (f) =>
    `${f.subject.name} pods cannot be scheduled${f.facts.detail ? `: ${f.facts.detail}` : ""}`,
};

function podCause(f: Fault, ctx: RolloutContext | undefined): string | undefined {
  const phrase = PHRASES[f.category];
  if (!phrase) return undefined;
  const c =
    f.facts.container && f.facts.container !== f.subject.name ? ` (container ${f.facts.container})` : "";
  return phrase(f, c, since(ctx));
}

function badRollout(f: Fault): string {
  const cause = f.facts.reason
    ? ` (${f.facts.reason}${f.facts.exitCode !== undefined ? `, exit code ${f.facts.exitCode}` : ""})`
    : "";
  const log = f.facts.lastLog ? `: ${f.facts.lastLog}` : "";
  return `${f.message.replace(/ \([A-Za-z]+\) while/, " while")}${cause}${log}`;
}

/** The root cause summary sentence. */
export function summarize(f: Fault, ctx: RolloutContext | undefined): string {
  const pod = podCause(f, ctx);
  if (pod) return pod.slice(0, 400);
  if (f.category === "BadRollout") return badRollout(f).slice(0, 400);
  if (f.category === "JobFailed" && f.facts.lastLog) return `${f.message}${logPart(f)}`.slice(0, 400);
  return f.message.slice(0, 400);
}
