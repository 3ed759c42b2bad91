/**
 * The input schemas of the MCP tools, as JSON Schema (TypeBox): what tools/list shows clients
 * and what every call is validated against before any tool runs (validate.ts).
 */
import { Type } from "@sinclair/typebox";
import type { TSchema } from "@sinclair/typebox";
import { ObjectReference } from "../../crds/common.ts";
import { ActionName } from "../../crds/findings.ts";
import { INCIDENT_STATUSES } from "../../store/index.ts";
import { CapacityInput, FindDashboardsInput } from "./schemas-observability.ts";

const DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const DNS_NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

const Namespace = Type.String({ description: "Namespace.", minLength: 1, maxLength: 63, pattern: DNS_LABEL });
const Name = (description: string) =>
  Type.String({ description, minLength: 1, maxLength: 253, pattern: DNS_NAME });
const IncidentId = Type.String({
  description: "Incident id (a UUID, from list_incidents).",
  pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
});
const strict = { additionalProperties: false } as const;

export const DiagnoseInput = Type.Object(
  {
    namespace: Namespace,
    target: Type.Optional(
      Type.String({
        description: "Start the walk at this resource, as Kind/name, e.g. Deployment/checkout.",
        maxLength: 320,
        pattern: "^[A-Za-z]+/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
      }),
    ),
  },
  strict,
);

export const ListIncidentsInput = Type.Object(
  {
    namespace: Type.Optional(Namespace),
    status: Type.Optional(Type.Union(INCIDENT_STATUSES.map((s) => Type.Literal(s)))),
    category: Type.Optional(
      Type.String({ description: "Root-cause category, e.g. CrashLoop.", maxLength: 63 }),
    ),
    limit: Type.Optional(Type.Integer({ description: "Page size (default 20).", minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ description: "nextCursor of the previous page.", maxLength: 512 })),
  },
  strict,
);

export const IncidentRefInput = Type.Object({ id: IncidentId }, strict);

export const SimilarIncidentsInput = Type.Object(
  {
    id: IncidentId,
    limit: Type.Optional(Type.Integer({ description: "At most (default 10).", minimum: 1, maximum: 50 })),
  },
  strict,
);

export const SearchRunbooksInput = Type.Object(
  {
    namespace: Namespace,
    category: Type.Optional(
      Type.String({ description: "Root-cause category, e.g. CrashLoop.", maxLength: 63 }),
    ),
    query: Type.Optional(
      Type.String({ description: "Words to look for in titles and descriptions.", maxLength: 256 }),
    ),
  },
  strict,
);

export const QueryPrometheusInput = Type.Object(
  {
    namespace: Namespace,
    promql: Type.String({
      description: 'PromQL; every selector must match namespace="<namespace>" exactly.',
      minLength: 1,
      maxLength: 4096,
    }),
    rangeMinutes: Type.Optional(
      Type.Integer({
        description: "Omit for an instant query; else a range query over the last N minutes (at most 1440).",
        minimum: 1,
        maximum: 1440,
      }),
    ),
    stepSeconds: Type.Optional(
      Type.Integer({
        description: "Range step (default: range/60, at least 15 s).",
        minimum: 15,
        maximum: 3600,
      }),
    ),
  },
  strict,
);

export const ProposePlanInput = Type.Object(
  {
    namespace: Namespace,
    description: Type.String({
      description: "What the plan fixes, for the approver.",
      minLength: 1,
      maxLength: 1024,
    }),
    steps: Type.Array(
      Type.Object(
        {
          name: Type.String({
            description: "Step name (a DNS label).",
            minLength: 1,
            maxLength: 63,
            pattern: DNS_LABEL,
          }),
          action: ActionName,
          target: ObjectReference,
          params: Type.Optional(
            Type.Record(Type.String(), Type.Unknown(), { description: "Action parameters." }),
          ),
          description: Type.Optional(Type.String({ description: "Why this step.", maxLength: 1024 })),
        },
        strict,
      ),
      { description: "Catalog actions, in order.", minItems: 1, maxItems: 10 },
    ),
    taskName: Type.Optional(Name("The SreTask this plan remediates, in the same namespace.")),
  },
  strict,
);

export const GetTaskInput = Type.Object({ namespace: Namespace, name: Name("SreTask name.") }, strict);

/** Each tool's input schema, by tool name. */
export const INPUTS: Record<string, TSchema> = {
  diagnose: DiagnoseInput,
  list_incidents: ListIncidentsInput,
  get_incident: IncidentRefInput,
  similar_incidents: SimilarIncidentsInput,
  search_runbooks: SearchRunbooksInput,
  query_prometheus: QueryPrometheusInput,
  propose_plan: ProposePlanInput,
  get_task: GetTaskInput,
  capacity: CapacityInput,
  find_dashboards: FindDashboardsInput,
};
