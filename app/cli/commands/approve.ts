import type { Command } from "../command.ts";
import { decisionCommand } from "../kube/decision-command.ts";

export const approveCommand: Command = decisionCommand({
  name: "approve",
  decision: "Approved",
  summary: "Approve a RemediationPlan as the kubeconfig's user (needs the verb approve)",
  commentFlag: "comment",
  commentHelp: "  -m, --comment TEXT     why, for the record (spec.approval.comment)",
});
