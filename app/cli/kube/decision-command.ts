/** `aisre approve PLAN` and `aisre reject PLAN`: one decision on a RemediationPlan (kube/decide.ts). */
import type { RemediationPlan } from "../../../crds/index.ts";
import type { Command } from "../command.ts";
import { parseKubeArgs, kubeFlagsHelp } from "./flags.ts";
import { formatStructured, withoutManagedFields } from "./output.ts";
import { strings } from "./strings.ts";

const OUTPUTS = ["json", "yaml", "name"] as const;

/** Options of one decision command. */
export interface DecisionSpec {
  name: "approve" | "reject";
  decision: "Approved" | "Rejected";
  summary: string;
  /** The flag that carries the comment: --comment/-m for approve, --reason/-r for reject. */
  commentFlag: "comment" | "reason";
  commentHelp: string;
}

/** Builds the approve or reject command. */
export function decisionCommand(spec: DecisionSpec): Command {
  const short = spec.commentFlag === "comment" ? "m" : "r";
  return {
    name: spec.name,
    summary: spec.summary,
    usage: [
      `aisre ${spec.name} PLAN [-n NS] [--${spec.commentFlag} TEXT] [-o json|yaml|name]`,
      `kubectl aisre ${spec.name} PLAN [-n NS] [--${spec.commentFlag} TEXT] [-o json|yaml|name]`,
      "",
      spec.commentHelp,
      kubeFlagsHelp(),
      "  -o, --output FORMAT    json, yaml (the plan after the decision) or name",
      "",
      "Records spec.approval with decidedBy = your username as the API server knows it (kubectl auth whoami).",
      "The API server refuses (403) a user without the verb approve on the plan (ClusterRole aisre-plan-approver).",
      "Exit status: 0 decided, 1 refused or failed (the reason on stderr), 2 bad usage.",
    ].join("\n"),
    async run(argv) {
      const args = parseKubeArgs(argv, {
        command: spec.name,
        outputs: OUTPUTS,
        positionals: ["PLAN"],
        strings: { [spec.commentFlag]: short },
      });
      const t = strings();
      const [{ openSession, describeError }, { decide, DecisionRefused }] = await Promise.all([
        import("./session.ts"),
        import("./decide.ts"),
      ]);
      const session = await openSession(args.kube);
      const name = args.positionals[0]!;
      let plan: RemediationPlan;
      try {
        plan = await decide(
          session.client,
          {
            namespace: session.namespace!,
            name,
            decision: spec.decision,
            comment: args.values[spec.commentFlag],
          },
          t,
        );
      } catch (err) {
        console.error(
          err instanceof DecisionRefused ? `error: ${err.message}` : describeError(err, session.server),
        );
        return 1;
      }
      const output = args.kube.output;
      if (output === "json" || output === "yaml")
        console.log(await formatStructured(withoutManagedFields(plan), output));
      else if (output === "name") console.log(`remediationplan.aisre.io/${name}`);
      else
        console.log(
          `remediationplan.aisre.io/${name} ${spec.decision === "Approved" ? t.approved : t.rejected}`,
        );
      return 0;
    },
  };
}
