import type { SreTask } from "../../../crds/index.ts";
import { SRETASK } from "../../../crds/resources.ts";
import type { Command } from "../command.ts";
import { kubeFlagsHelp, parseKubeArgs } from "../kube/flags.ts";
import { formatStructured, renderTable, withoutManagedFields } from "../kube/output.ts";
import { strings } from "../kube/strings.ts";
import { taskHeaders, taskList, taskRow } from "../kube/task-rows.ts";

export const tasksCommand: Command = {
  name: "tasks",
  summary: "List SreTasks: name, phase, root-cause category, target, age",
  usage: [
    "aisre tasks [-n NS | -A] [-o wide|json|yaml|name]",
    "kubectl aisre tasks [-n NS | -A] [-o wide|json|yaml|name]",
    "",
    kubeFlagsHelp(true),
    "  -o, --output FORMAT    wide (adds TYPE, SOURCE, PLAN, EPISODE), json, yaml or name",
    "",
    "Exit status: 0 listed (also when there are none), 1 the API server refused or cannot be reached, 2 bad usage.",
  ].join("\n"),
  async run(argv) {
    const args = parseKubeArgs(argv, {
      command: "tasks",
      outputs: ["wide", "json", "yaml", "name"],
      allNamespaces: true,
    });
    const [{ openSession, describeError }, { collectionPath, apiVersionOf }] = await Promise.all([
      import("../kube/session.ts"),
      import("../../../kube/kube-api.ts"),
    ]);
    const session = await openSession(args.kube);
    let items: SreTask[];
    try {
      const list = await session.client.request<{ items?: SreTask[] }>(
        "GET",
        collectionPath(SRETASK, session.namespace),
      );
      items = (list.items ?? []).map(withoutManagedFields);
    } catch (err) {
      console.error(describeError(err, session.server));
      return 1;
    }
    const output = args.kube.output;
    if (output === "json" || output === "yaml") {
      console.log(await formatStructured(taskList(items, apiVersionOf(SRETASK)), output));
      return 0;
    }
    if (output === "name") {
      for (const t of items) console.log(`sretask.aisre.io/${t.metadata.name}`);
      return 0;
    }
    if (items.length === 0) {
      const t = strings();
      console.error(t.noTasks(session.namespace ? t.namespace(session.namespace) : t.allNamespaces));
      return 0;
    }
    const opts = { allNamespaces: args.kube.allNamespaces, wide: output === "wide" };
    const now = Date.now();
    console.log(
      renderTable(
        taskHeaders(opts),
        items.map((t) => taskRow(t, now, opts)),
      ),
    );
    return 0;
  },
};
