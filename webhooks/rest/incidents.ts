/**
 * /api/v1/incidents: the incident history from the PostgreSQL store. Incidents are not custom
 * resources, so access follows the tasks they come from: listing needs `list sretasks` in the
 * `namespace` filter (cluster-wide without one); one incident needs `get sretasks` on its task.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { IncidentFilter, Queryable } from "../../store/index.ts";
import { StoreInputError, getIncident, isTransientStoreError, listIncidents } from "../../store/index.ts";
import { callerOf, guard } from "../auth/guard.ts";
import { HttpError } from "../errors.ts";
import type { RestDeps } from "./common.ts";
import { BEARER, ERRORS, toJson } from "./common.ts";
import { IncidentPageSchema, IncidentParams, IncidentQuery } from "./schemas.ts";
import { IncidentDetailWithGroupSchema, incidentGroupOf } from "./incident-groups.ts";
import { SRETASK } from "../../crds/resources.ts";

function storeOf(deps: RestDeps): Queryable {
  if (!deps.store) throw new HttpError(503, "no incident store is configured (set DATABASE_URL)");
  return deps.store;
}

function storeError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof StoreInputError) {
    const field = /cursor/.test(err.message) ? "cursor" : undefined;
    return new HttpError(400, err.message, field);
  }
  if (isTransientStoreError(err)) return new HttpError(503, "the incident store is unavailable");
  throw err;
}

/** Registers the incident routes. */
export const incidentRoutes: FastifyPluginAsync<RestDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["incidents"];

  app.get(
    "/incidents",
    {
      schema: {
        summary: "List incidents, newest first (keyset pages)",
        tags,
        security: BEARER,
        querystring: IncidentQuery,
        response: { 200: IncidentPageSchema, ...ERRORS },
      },
      preHandler: guard(deps.authorizer, (r) => ({
        verb: "list",
        resource: SRETASK.plural,
        namespace: (r.query as { namespace?: string }).namespace,
      })),
    },
    async (request) => {
      const store = storeOf(deps);
      const filter: IncidentFilter = { ...request.query };
      try {
        return toJson(await listIncidents(store, filter)) as never;
      } catch (err) {
        throw storeError(err);
      }
    },
  );

  app.get(
    "/incidents/:id",
    {
      schema: {
        summary: "Get an incident with its timeline",
        tags,
        security: BEARER,
        params: IncidentParams,
        response: { 200: IncidentDetailWithGroupSchema, ...ERRORS },
      },
      // Who may read it depends on the incident's task: authenticate now, authorize below.
      preHandler: guard(deps.authorizer, () => []),
    },
    async (request) => {
      const store = storeOf(deps);
      const detail = await getIncident(store, { id: request.params.id }).catch((err: unknown) => {
        throw storeError(err);
      });
      if (!detail) throw new HttpError(404, `incident ${request.params.id} not found`);
      const { taskNamespace, taskName } = detail.incident;
      await deps.authorizer.authorize(callerOf(request), {
        verb: "get",
        resource: SRETASK.plural,
        namespace: taskNamespace,
        name: taskName,
      });
      const group = await incidentGroupOf(store, detail.incident.taskUid);
      return toJson(group ? { ...detail, group } : detail) as never;
    },
  );
};
