/**
 * /api/v1/incident-groups (docs/alert-storms.md): alert storms from the incident store. Access
 * follows the tasks, as for incidents: listing needs `list sretasks` in the `namespace` filter
 * (cluster-wide without one); one group needs `get sretasks` on its primary task. A group never
 * spans namespaces, so its members are readable by whoever may read the primary.
 */
import { Type } from "@sinclair/typebox";
import type { TSchema } from "@sinclair/typebox";
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Queryable } from "../../store/index.ts";
import { isTransientStoreError } from "../../store/index.ts";
import { getIncidentGroup, listIncidentGroups } from "../../store/incident-groups.ts";
import { callerOf, guard } from "../auth/guard.ts";
import { HttpError } from "../errors.ts";
import type { RestDeps } from "./common.ts";
import { BEARER, ERRORS, toJson } from "./common.ts";
import { IncidentDetailSchema } from "./schemas.ts";
import { SRETASK } from "../../crds/resources.ts";

const Nullable = (t: TSchema) => Type.Union([t, Type.Null()]);
const Time = Type.String({ description: "RFC 3339." });

const GroupFields = {
  id: Type.String(),
  namespace: Type.String(),
  primaryTask: Type.String({ description: "The first task of the storm; its incident holds the group." }),
  key: Type.String({
    description: "The shared root cause: dependency:Kind/ns/name, node:name or dns:cluster.",
  }),
  summary: Nullable(Type.String()),
  firstAt: Time,
  size: Type.Integer({ description: "Alerts (tasks) in the group." }),
  incidentId: Nullable(Type.String({ description: "The primary's incident." })),
};

/** One storm. */
export const IncidentGroupSchema = Type.Object(GroupFields);

/** One storm with every alert's task. */
export const IncidentGroupDetailSchema = Type.Object({
  ...GroupFields,
  members: Type.Array(
    Type.Object({
      taskUid: Type.String(),
      taskName: Type.String(),
      role: Type.Union([Type.Literal("Primary"), Type.Literal("Member")]),
      startedAt: Time,
      incidentId: Nullable(Type.String()),
      alertname: Nullable(Type.String()),
      fingerprint: Nullable(Type.String()),
      status: Nullable(Type.String()),
      target: Nullable(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
});

/** An incident with the storm it belongs to, when it does. */
export const IncidentDetailWithGroupSchema = Type.Composite([
  IncidentDetailSchema,
  Type.Object({ group: Type.Optional(IncidentGroupDetailSchema) }),
]);

const GroupQuery = Type.Object({
  namespace: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});

function storeOf(deps: RestDeps): Queryable {
  if (!deps.store) throw new HttpError(503, "no incident store is configured (set DATABASE_URL)");
  return deps.store;
}

function storeError(err: unknown): never {
  if (isTransientStoreError(err)) throw new HttpError(503, "the incident store is unavailable");
  throw err;
}

/** The group of an incident's task, for the incident detail; undefined when it is in none. */
export async function incidentGroupOf(
  store: Queryable,
  taskUid: string,
): Promise<Record<string, unknown> | undefined> {
  const group = await getIncidentGroup(store, { taskUid }).catch(storeError);
  return group ? (toJson(group) as Record<string, unknown>) : undefined;
}

/** Registers the incident-group routes. */
export const incidentGroupRoutes: FastifyPluginAsync<RestDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["incidents"];

  app.get(
    "/incident-groups",
    {
      schema: {
        summary: "List alert storms, newest first",
        tags,
        security: BEARER,
        querystring: GroupQuery,
        response: { 200: Type.Object({ items: Type.Array(IncidentGroupSchema) }), ...ERRORS },
      },
      preHandler: guard(deps.authorizer, (r) => ({
        verb: "list",
        resource: SRETASK.plural,
        namespace: (r.query as { namespace?: string }).namespace,
      })),
    },
    async (request) => {
      const items = await listIncidentGroups(storeOf(deps), request.query).catch(storeError);
      return toJson({ items }) as never;
    },
  );

  app.get(
    "/incident-groups/:id",
    {
      schema: {
        summary: "Get an alert storm with every alert's task",
        tags,
        security: BEARER,
        params: Type.Object({ id: Type.String({ format: "uuid" }) }),
        response: { 200: IncidentGroupDetailSchema, ...ERRORS },
      },
      // Who may read it depends on its namespace: authenticate now, authorize below.
      preHandler: guard(deps.authorizer, () => []),
    },
    async (request) => {
      const group = await getIncidentGroup(storeOf(deps), { id: request.params.id }).catch(storeError);
      if (!group) throw new HttpError(404, `incident group ${request.params.id} not found`);
      await deps.authorizer.authorize(callerOf(request), {
        verb: "get",
        resource: SRETASK.plural,
        namespace: group.namespace,
        name: group.primaryTask,
      });
      return toJson(group) as never;
    },
  );
};
