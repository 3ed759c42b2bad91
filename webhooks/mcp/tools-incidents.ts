/**
 * The MCP tools over the incident store: list_incidents, get_incident, similar_incidents.
 * Access follows the REST facade (webhooks/rest/incidents.ts): incidents come from SreTasks,
 * so listing needs `list sretasks` in the namespace (cluster-wide without one) and one incident
 * needs `get sretasks` on its task; similar incidents in namespaces the caller may not list
 * are left out.
 */
import type { IncidentFilter, IncidentStatus, Queryable } from "../../store/index.ts";
import {
  StoreInputError,
  getIncident,
  isTransientStoreError,
  listIncidents,
  similarIncidents,
} from "../../store/index.ts";
import { SRETASK } from "../../crds/resources.ts";
import { HttpError } from "../errors.ts";
import type { McpCaller } from "./context.ts";
import type { ToolRun } from "./tools-cluster.ts";

const json = (v: unknown): string => JSON.stringify(v, null, 1);

function storeOf(caller: McpCaller): Queryable {
  if (!caller.store) throw new HttpError(503, "no incident store is configured (set DATABASE_URL)");
  return caller.store;
}

async function fromStore<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof StoreInputError)
      throw new HttpError(400, err.message, /cursor/.test(err.message) ? "cursor" : undefined);
    if (isTransientStoreError(err)) throw new HttpError(503, "the incident store is unavailable");
    throw err;
  }
}

/** The incident, once the caller may get its task; 404 when there is none. */
async function readable(caller: McpCaller, id: string) {
  const detail = await fromStore(getIncident(storeOf(caller), { id }));
  if (!detail) throw new HttpError(404, `incident ${id} not found`);
  const { taskNamespace, taskName } = detail.incident;
  await caller.authorize({ verb: "get", resource: SRETASK.plural, namespace: taskNamespace, name: taskName });
  return detail;
}

const listTool: ToolRun = async (caller, args) => {
  const namespace = args.namespace as string | undefined;
  await caller.authorize({ verb: "list", resource: SRETASK.plural, namespace });
  const filter: IncidentFilter = {
    namespace,
    status: args.status as IncidentStatus | undefined,
    category: args.category as string | undefined,
    limit: (args.limit as number | undefined) ?? 20,
    cursor: args.cursor as string | undefined,
  };
  return [json(await fromStore(listIncidents(storeOf(caller), filter)))];
};

const getTool: ToolRun = async (caller, args) => [json(await readable(caller, args.id as string))];

const similarTool: ToolRun = async (caller, args) => {
  const { incident } = await readable(caller, args.id as string);
  const hits = await fromStore(
    similarIncidents(storeOf(caller), incident, (args.limit as number | undefined) ?? 10),
  );
  const allowed = new Map<string, boolean>();
  const visible = [];
  for (const hit of hits) {
    const ns = hit.incident.taskNamespace;
    if (!allowed.has(ns))
      allowed.set(
        ns,
        await caller.authorize({ verb: "list", resource: SRETASK.plural, namespace: ns }).then(
          () => true,
          () => false,
        ),
      );
    if (allowed.get(ns)) visible.push(hit);
  }
  return [json({ of: incident.id, items: visible, hidden: hits.length - visible.length })];
};

/** The incident tools, by name. */
export const INCIDENT_TOOLS: Record<string, ToolRun> = {
  list_incidents: listTool,
  get_incident: getTool,
  similar_incidents: similarTool,
};
