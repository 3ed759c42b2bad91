/** English texts of the DingTalk, Feishu/Lark and Slack channels (see strings.ts). */
import type { ChatStrings } from "./strings.ts";
import { decideCommands } from "./strings.ts";

const PHASES: Record<string, string> = { AwaitingApproval: "awaiting approval", RolledBack: "rolled back" };

export const EN: ChatStrings = {
  title: {
    IncidentOpened: "Incident opened",
    Diagnosed: "Diagnosed",
    AwaitingApproval: "Remediation awaiting approval",
    Remediated: "Remediated",
    Resolved: "Resolved",
    Failed: "Task failed",
  },
  task: (ref) => `Task: ${ref}`,
  phase: (p) => `Phase: ${PHASES[p] ?? p}`,
  target: (t) => `Target: ${t}`,
  description: (d) => `Description: ${d}`,
  rootCause: (task) =>
    task.rootCause
      ? `${task.change ? `Since ${task.change.object} changed at ${task.change.time}${task.change.what ? ` (${task.change.what})` : ""}\n` : ""}Root cause: ${task.rootCause}${task.confidence === undefined ? "" : ` (confidence ${task.confidence}%)`}`
      : "Root cause: not determined yet",
  note: (n) => `Note: ${n}`,
  plan: (plan) =>
    [
      `Plan ${plan.ref}${plan.risk ? ` (risk: ${plan.risk})` : ""}:`,
      ...plan.steps.map((s, i) => `${i + 1}. ${s}`),
    ].join("\n"),
  planPhase: (plan) => `Plan ${plan.ref}: ${PHASES[plan.phase] ?? plan.phase}`,
  decide: (plan) => {
    const c = decideCommands(plan.ref);
    return `Approve: ${c.approve}\nReject: ${c.reject}`;
  },
};
