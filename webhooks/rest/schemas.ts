/**
 * REST facade schemas: request bodies, query strings and responses, in TypeBox, shared by
 * validation, the response check and the OpenAPI document. Resources reuse the CRD schemas
 * (crds/), so a response is exactly what the API server stores.
 */
import { Type } from "@sinclair/typebox";
import type { TSchema } from "@sinclair/typebox";
import {
  AgentConfigSpec,
  AgentConfigStatus,
  LIMITS,
  RemediationPlanSpec,
  RemediationPlanStatus,
  SreTaskSpec,
  SreTaskStatus,
} from "../../crds/index.ts";
import { ObjectReference } from "../../crds/common.ts";
import { INCIDENT_STATUSES } from "../../store/index.ts";

const Name = Type.String({
  minLength: 1,
  maxLength: LIMITS.name,
  pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
});
const Namespace = Type.String({
  minLength: 1,
  maxLength: LIMITS.label,
  pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
});
const Labels = Type.Record(Type.String(), Type.String());

/** The object metadata a client needs (managedFields are left out of responses). */
export const ObjectMeta = Type.Object(
  {
    name: Type.String(),
    namespace: Type.Optional(Type.String()),
    uid: Type.Optional(Type.String()),
    resourceVersion: Type.Optional(Type.String()),
    generation: Type.Optional(Type.Integer()),
    creationTimestamp: Type.Optional(Type.String()),
    labels: Type.Optional(Labels),
    annotations: Type.Optional(Labels),
  },
  { description: "Kubernetes object metadata." },
);

function Resource(kind: string, spec: TSchema, status: TSchema) {
  return Type.Object(
    {
      apiVersion: Type.String(),
      kind: Type.Literal(kind),
      metadata: ObjectMeta,
      spec,
      status: Type.Optional(status),
    },
    { description: `An aisre.io ${kind}.` },
  );
}

export const SreTaskResource = Resource("SreTask", SreTaskSpec, SreTaskStatus);
export const PlanResource = Resource("RemediationPlan", RemediationPlanSpec, RemediationPlanStatus);
export const AgentConfigResource = Resource("AgentConfig", AgentConfigSpec, AgentConfigStatus);

/** A page of a list: items and the token of the next page (absent on the last). */
export function Page(item: TSchema) {
  return Type.Object({
    items: Type.Array(item),
    continue: Type.Optional(Type.String({ description: "Pass as ?continue= for the next page." })),
  });
}

/** {namespace, name} path parameters. */
export const ObjectParams = Type.Object({ namespace: Namespace, name: Name });

/** ?namespace&limit&continue of list endpoints. */
export const ListQuery = Type.Object({
  namespace: Type.Optional(Namespace),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  continue: Type.Optional(Type.String({ maxLength: 4096 })),
  labelSelector: Type.Optional(Type.String({ maxLength: 1024 })),
});

/** POST /api/v1/tasks. */
export const CreateTaskBody = Type.Object(
  {
    namespace: Type.Optional(Namespace),
    description: Type.String({
      minLength: 1,
      maxLength: LIMITS.text,
      description: "The request in a person's words.",
    }),
    target: Type.Optional(ObjectReference),
  },
  { additionalProperties: false, description: "A new SreTask; requestedBy is the authenticated caller." },
);

/** Approve or reject: an optional comment for the record. */
export const DecisionBody = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: LIMITS.message })) },
  { additionalProperties: false },
);

/** Where a new task is. */
export const CreatedTask = Type.Object({ namespace: Type.String(), name: Type.String() });

/** GET /api/v1/incidents filters. */
export const IncidentQuery = Type.Object({
  namespace: Type.Optional(Namespace),
  status: Type.Optional(
    Type.Array(Type.Union(INCIDENT_STATUSES.map((s) => Type.Literal(s))), { maxItems: 6 }),
  ),
  severity: Type.Optional(Type.String({ maxLength: 64 })),
  category: Type.Optional(Type.String({ maxLength: 64 })),
  alertname: Type.Optional(Type.String({ maxLength: 1024 })),
  fingerprint: Type.Optional(Type.String({ maxLength: 64 })),
  since: Type.Optional(Type.String({ format: "date-time" })),
  until: Type.Optional(Type.String({ format: "date-time" })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 1024 })),
});

const Nullable = (t: TSchema) => Type.Union([t, Type.Null()]);
const Time = Type.String({ description: "RFC 3339." });

/** One incident row (store/types.ts Incident). */
export const IncidentSchema = Type.Object({
  id: Type.String(),
  taskUid: Type.String(),
  taskName: Type.String(),
  taskNamespace: Type.String(),
  fingerprint: Nullable(Type.String()),
  alertname: Nullable(Type.String()),
  severity: Nullable(Type.String()),
  status: Type.String(),
  namespace: Nullable(Type.String()),
  target: Nullable(Type.Record(Type.String(), Type.Unknown())),
  summary: Nullable(Type.String()),
  rootCause: Nullable(Type.String()),
  category: Nullable(Type.String()),
  aiAnalysis: Type.Unknown(),
  recommendedActions: Type.Array(Type.Unknown()),
  diagnosisRef: Nullable(Type.String()),
  planRef: Nullable(Type.String()),
  openedAt: Time,
  diagnosedAt: Nullable(Time),
  resolvedAt: Nullable(Time),
  resourceVersion: Type.String(),
  createdAt: Time,
  updatedAt: Time,
});

/** A page of incidents. */
export const IncidentPageSchema = Type.Object({
  items: Type.Array(IncidentSchema),
  nextCursor: Nullable(Type.String({ description: "Pass as ?cursor= for the next page." })),
});

/** An incident with its timeline. */
export const IncidentDetailSchema = Type.Object({
  incident: IncidentSchema,
  timeline: Type.Array(
    Type.Object(
      {
        kind: Type.Union(["opened", "diagnosis", "action", "resolved"].map((k) => Type.Literal(k))),
        at: Time,
      },
      {
        additionalProperties: true,
        description: "opened, diagnosis (with diagnosis), action (with action) or resolved.",
      },
    ),
  ),
});

export const IncidentParams = Type.Object({ id: Type.String({ format: "uuid" }) });
