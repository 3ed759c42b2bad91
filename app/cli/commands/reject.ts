import type { Command } from "../command.ts";
import { decisionCommand } from "../kube/decision-command.ts";

export const rejectCommand: Command = decisionCommand({
  name: "reject",
  decision: "Rejected",
  summary: "Reject a RemediationPlan as the kubeconfig's user (needs the verb approve)",
  commentFlag: "reason",
  commentHelp: "  -r, --reason TEXT      why, for the record (spec.approval.comment)",
});
