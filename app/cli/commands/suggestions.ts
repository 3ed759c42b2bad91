import type { AgentConfig } from "../../../crds/index.ts";
import { AGENTCONFIG } from "../../../crds/resources.ts";
import type { Command } from "../command.ts";
import { kubeFlagsHelp, parseKubeArgs } from "../kube/flags.ts";
import { formatStructured, renderTable } from "../kube/output.ts";

/** One listed suggestion with where it lives. */
type Row = NonNullable<NonNullable<AgentConfig["status"]>["suggestions"]>[number] & {
  namespace: string;
  agentConfig: string;
};

export const suggestionsCommand: Command = {
  name: "suggestions",
  summary: "List automation suggestions learnt from resolved incidents; none is ever applied",
  usage: [
    "aisre suggestions [-n NS | -A] [-o wide|json|yaml]",
    "",
    kubeFlagsHelp(true),
    "  -o, --output FORMAT    wide (adds EVIDENCE), json or yaml",
    "",
    "Suggestions are status.suggestions of the AgentConfigs (docs/automation-suggestions.md).",
    "Exit status: 0 listed (also when there are none), 1 the API server refused or cannot be reached, 2 bad usage.",
  ].join("\n"),
  async run(argv) {
    const args = parseKubeArgs(argv, {
      command: "suggestions",
      outputs: ["wide", "json", "yaml"],
      allNamespaces: true,
    });
    const [{ openSession, describeError }, { collectionPath }] = await Promise.all([
      import("../kube/session.ts"),
      import("../../../kube/kube-api.ts"),
    ]);
    const session = await openSession(args.kube);
    let rows: Row[];
    try {
      const list = await session.client.request<{ items?: AgentConfig[] }>(
        "GET",
        collectionPath(AGENTCONFIG, session.namespace),
      );
      rows = (list.items ?? []).flatMap((c) =>
        (c.status?.suggestions ?? []).map((s) => ({
          ...s,
          namespace: c.metadata.namespace ?? "",
          agentConfig: c.metadata.name ?? "",
        })),
      );
    } catch (err) {
      console.error(describeError(err, session.server));
      return 1;
    }
    const output = args.kube.output;
    if (output === "json" || output === "yaml") {
      console.log(await formatStructured({ items: rows }, output));
      return 0;
    }
    if (rows.length === 0) {
      console.error(
        `No automation suggestions${session.namespace ? ` in namespace ${session.namespace}` : ""}.`,
      );
      return 0;
    }
    const wide = output === "wide";
    const headers = [
      "NAMESPACE",
      "KIND",
      "ACTION",
      "TARGET",
      "TRIGGER",
      "SEEN",
      "LAST",
      ...(wide ? ["EVIDENCE"] : []),
    ];
    console.log(
      renderTable(
        headers,
        rows.map((r) => [
          r.namespace,
          r.kind,
          r.action ?? "",
          r.target ?? "",
          r.trigger ?? "",
          String(r.occurrences),
          r.lastSeen ?? "",
          ...(wide ? [r.evidence ?? ""] : []),
        ]),
      ),
    );
    return 0;
  },
};
