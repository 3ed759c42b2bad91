/** English texts of the WeCom channel (see strings.ts). */
import type { Strings } from "./strings.ts";
import type { PlanView, TaskView } from "../views.ts";

const PHASES: Record<string, string> = {
  AwaitingApproval: "awaiting approval",
  RolledBack: "rolled back",
};
const phase = (p: string): string => PHASES[p] ?? p;

const USAGE = {
  diagnose: "Usage: diagnose <namespace>/<kind>/<name> [description], e.g. diagnose shop/deployment/checkout",
  status: "Usage: status [<namespace>/<task>]",
  approve: "Usage: approve <namespace>/<plan>",
  reject: "Usage: reject <namespace>/<plan> [reason]",
};

function rootCauseLine(task: TaskView): string {
  if (!task.rootCause) return "Root cause: not determined yet";
  const confidence = task.confidence === undefined ? "" : ` (confidence ${task.confidence}%)`;
  const since = task.change
    ? `Since ${task.change.object} changed at ${task.change.time}${task.change.what ? ` (${task.change.what})` : ""}\n`
    : "";
  return `${since}Root cause: ${task.rootCause}${confidence}`;
}

function taskLines(task: TaskView): string[] {
  const lines = [`> Task: ${task.ref}`, `> Phase: ${phase(task.phase)}`];
  if (task.target) lines.push(`> Target: ${task.target}`);
  return lines;
}

function planLines(plan: PlanView): string[] {
  const risk = plan.risk ? ` (risk: ${plan.risk})` : "";
  return [`Plan ${plan.ref}${risk}:`, ...plan.steps.map((s, i) => `${i + 1}. ${s}`)];
}

export const EN: Strings = {
  help: [
    "AI SRE assistant commands:",
    "diagnose <namespace>/<kind>/<name> [description]: open a diagnosis, e.g. diagnose shop/deployment/checkout",
    "Or just describe the problem, e.g.: why does checkout keep restarting",
    "status [<namespace>/<task>]: show a task (without an argument: the latest tasks)",
    "approve <namespace>/<plan>: approve a remediation plan (approvers only)",
    "reject <namespace>/<plan> [reason]: reject a remediation plan (approvers only)",
    "help: show this text",
  ].join("\n"),
  usage: (command) => USAGE[command],
  unsupportedMessage: "Only text messages are supported. Send 'help' for the commands.",
  taskCreated: (ref, followUp) =>
    `Got it: diagnosis task ${ref} created. ` +
    (followUp ? "You will get the result here." : `Send "status ${ref}" to check on it.`),
  duplicateMessage: (ref) =>
    ref ? `This message was already handled: task ${ref}.` : "This message was already handled.",
  working: (followUp) =>
    followUp
      ? "Got it, working on it: the result will follow in a message."
      : 'Got it, working on it: send "status" in a moment to check.',
  unavailable: "The cluster cannot be reached right now; please try again later.",
  invalid: (field) => (field ? `Invalid request: ${field} is not valid.` : "Invalid request."),
  taskNotFound: (ref) => `Task ${ref} not found.`,
  taskStatus: (task) => {
    const lines = [`Task ${task.ref}: ${phase(task.phase)}`];
    if (task.target) lines.push(`Target: ${task.target}`);
    if (task.rootCause) lines.push(rootCauseLine(task));
    if (task.message) lines.push(`Note: ${task.message}`);
    if (task.planRef && task.phase === "AwaitingApproval") {
      lines.push(
        `Plan ${task.planRef} awaits approval: reply "approve ${task.planRef}" or "reject ${task.planRef}".`,
      );
    }
    return lines.join("\n");
  },
  taskList: (tasks) =>
    [
      "Latest tasks:",
      ...tasks.map((t) => `${t.ref}: ${phase(t.phase)}${t.target ? ` (${t.target})` : ""}`),
    ].join("\n"),
  noTasks: "There are no tasks.",
  planNotFound: (ref) => `Remediation plan ${ref} not found.`,
  notApprover: (ref) => `You are not an approver of remediation plan ${ref}; it was not changed.`,
  approversUnknown: (ref) =>
    `The approvers of remediation plan ${ref} cannot be checked right now; try again later.`,
  planNotAwaiting: (ref, p) => `Remediation plan ${ref} is ${phase(p)}, not awaiting approval.`,
  planDecided: (ref, decision) =>
    decision === "Approved"
      ? `Approved remediation plan ${ref}; it will run now.`
      : `Rejected remediation plan ${ref}.`,
  planConflict: (ref) => `Remediation plan ${ref} was already decided differently; the decision is final.`,
  followUpTimedOut: (ref) => `Task ${ref} is still in progress. Send "status ${ref}" to check on it.`,
  readNotMapped:
    "Your WeCom account is not mapped to a Kubernetes identity, so you cannot read cluster information. " +
    "Ask an administrator to add you to spec.policy.chatIdentities of the AgentConfig default in the operator's namespace.",
  readDenied: (user, namespace) =>
    `Your Kubernetes identity ${user} may not read tasks ${namespace ? `in namespace ${namespace}` : "in every namespace"}.`,
  notify: {
    incidentOpened: (task) =>
      [
        `### <font color="warning">Incident opened</font>`,
        ...taskLines(task),
        ...(task.description ? [`> Description: ${task.description}`] : []),
      ].join("\n"),
    diagnosed: (task) =>
      [`### <font color="info">Diagnosed</font>`, ...taskLines(task), rootCauseLine(task)].join("\n"),
    awaitingApproval: (task, plan) =>
      [
        `### <font color="warning">Remediation awaiting approval</font>`,
        ...taskLines(task),
        rootCauseLine(task),
        ...planLines(plan),
        `Reply "approve ${plan.ref}" or "reject ${plan.ref} [reason]".`,
      ].join("\n"),
    remediated: (task, plan) =>
      [
        `### <font color="info">${task.phase === "Resolved" ? "Resolved" : "Remediated"}</font>`,
        ...taskLines(task),
        rootCauseLine(task),
        ...(plan ? [`Plan ${plan.ref}: ${phase(plan.phase)}`] : []),
      ].join("\n"),
    failed: (task) =>
      [
        `### <font color="warning">Task failed</font>`,
        ...taskLines(task),
        ...(task.message ? [`Note: ${task.message}`] : []),
      ].join("\n"),
  },
  phase,
};
