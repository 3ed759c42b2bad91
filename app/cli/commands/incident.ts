import type { DiagnosisRun, RemediationPlan, SreTask } from "../../../crds/index.ts";
import { DIAGNOSISRUN, REMEDIATIONPLAN, SRETASK } from "../../../crds/resources.ts";
import type { KubeClient } from "../../../kube/kube-api.ts";
import type { IncidentDetail } from "../../../store/types.ts";
import type { Command } from "../command.ts";
import { kubeFlagsHelp, parseKubeArgs } from "../kube/flags.ts";
import { incidentView, renderIncident } from "../kube/incident-view.ts";
import { formatStructured } from "../kube/output.ts";
import { strings } from "../kube/strings.ts";

/** The incident store's record of a task, when DATABASE_URL or AISRE_DATA_DIR configures one. */
async function storeRecord(taskUid: string | undefined): Promise<IncidentDetail | undefined> {
  if (!taskUid || !(process.env.DATABASE_URL?.trim() || process.env.AISRE_DATA_DIR?.trim())) return undefined;
  const { openStore, storeOptionsFromEnv, getIncident, redactDatabaseUrl } =
    await import("../../../store/index.ts");
  const options = storeOptionsFromEnv();
  try {
    // Read-only: migrating is the operator's job.
    const db = await openStore({ ...options, migrate: false });
    try {
      return await getIncident(db, { taskUid });
    } finally {
      await db.close();
    }
  } catch (err) {
    let why = err instanceof Error ? err.message : String(err);
    if (options.databaseUrl)
      why = why.replaceAll(options.databaseUrl, redactDatabaseUrl(options.databaseUrl));
    console.error(strings().storeUnavailable(why.replace(/\s*\n\s*/g, " ")));
    return undefined;
  }
}

/** Reads an object that may be gone (a deleted run or plan): undefined on 404. */
async function optional<T>(client: KubeClient, path: string | undefined): Promise<T | undefined> {
  if (!path) return undefined;
  try {
    return await client.request<T>("GET", path);
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

export const incidentCommand: Command = {
  name: "incident",
  summary: "Show a task's incident: root cause, evidence, plan and decision",
  usage: [
    "aisre incident TASK [-n NS] [-o json|yaml]",
    "kubectl aisre incident TASK [-n NS] [-o json|yaml]",
    "",
    kubeFlagsHelp(),
    "  -o, --output FORMAT    json or yaml (default: a report for a person)",
    "",
    "TASK is an SreTask. Root cause, evidence and plan come from the status of the task, its DiagnosisRun",
    "and its RemediationPlan; with DATABASE_URL (PostgreSQL) or AISRE_DATA_DIR (PGlite) set, the incident",
    "store's record and timeline are added.",
    "Exit status: 0 shown, 1 the task does not exist or the API server refused, 2 bad usage.",
  ].join("\n"),
  async run(argv) {
    const args = parseKubeArgs(argv, {
      command: "incident",
      outputs: ["json", "yaml"],
      positionals: ["TASK"],
    });
    const [{ openSession, describeError }, { objectPath }] = await Promise.all([
      import("../kube/session.ts"),
      import("../../../kube/kube-api.ts"),
    ]);
    const session = await openSession(args.kube);
    const ns = session.namespace!;
    const { client } = session;
    let view;
    try {
      const task = await client.request<SreTask>("GET", objectPath(SRETASK, ns, args.positionals[0]!));
      const runName = task.status?.diagnosisRunRef?.name;
      const planName = task.status?.remediationPlanRef?.name;
      const [run, plan, record] = await Promise.all([
        optional<DiagnosisRun>(client, runName && objectPath(DIAGNOSISRUN, ns, runName)),
        optional<RemediationPlan>(client, planName && objectPath(REMEDIATIONPLAN, ns, planName)),
        storeRecord(task.metadata.uid),
      ]);
      view = incidentView(task, run, plan, record);
    } catch (err) {
      console.error(describeError(err, session.server));
      return 1;
    }
    const output = args.kube.output;
    if (output === "json" || output === "yaml") console.log(await formatStructured(view, output));
    else console.log(renderIncident(view, strings()));
    return 0;
  },
};
