/**
 * /api/v1/plans: read a RemediationPlan; approve or reject it. A decision is the caller's own
 * patch of spec.approval, made with their bearer token: the API server checks `patch` and the
 * verb `approve` (aisre-remediationplan-approval policy) and that decidedBy is their username, and
 * answers 403 in its own words otherwise. The identity comes from the token, never from the body.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { bearerToken } from "../auth/bearer.ts";
import { callerOf, guard } from "../auth/guard.ts";
import { HttpError } from "../errors.ts";
import type { PlanDecision } from "../gateway.ts";
import type { RestDeps } from "./common.ts";
import { BEARER, ERRORS, clean, restError } from "./common.ts";
import { ObjectParams, PlanResource } from "./schemas.ts";
import { REMEDIATIONPLAN } from "../../crds/resources.ts";

type Params = { namespace: string; name: string };

/** Registers the plan routes. */
export const planRoutes: FastifyPluginAsync<RestDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["plans"];
  const check = (verb: string) =>
    guard(deps.authorizer, (r) => ({ verb, resource: REMEDIATIONPLAN.plural, ...(r.params as Params) }));

  app.get(
    "/plans/:namespace/:name",
    {
      schema: {
        summary: "Get a RemediationPlan",
        tags,
        security: BEARER,
        params: ObjectParams,
        response: { 200: PlanResource, ...ERRORS },
      },
      preHandler: check("get"),
    },
    async (request) => {
      const { namespace, name } = request.params;
      const plan = await deps.gateway.getPlan(namespace, name).catch((err: unknown) => {
        throw restError(err, `reading RemediationPlan ${namespace}/${name}`);
      });
      if (!plan) throw new HttpError(404, `RemediationPlan ${namespace}/${name} not found`);
      return clean(plan);
    },
  );

  const decide = (path: string, decision: PlanDecision) =>
    app.post(
      `/plans/:namespace/:name/${path}`,
      {
        schema: {
          summary: `${decision === "Approved" ? "Approve" : "Reject"} a RemediationPlan (decidedBy is the caller)`,
          tags,
          security: BEARER,
          params: ObjectParams,
          response: { 200: PlanResource, ...ERRORS },
        },
        // Reading is checked here; deciding is the API server's call, made with the caller's token.
        preHandler: check("get"),
      },
      async (request) => {
        const { namespace, name } = request.params;
        const user = callerOf(request);
        const token = bearerToken(request.headers.authorization);
        if (!token) throw new HttpError(401, "missing Authorization: Bearer <token>");
        const plan = await deps.gateway
          .decidePlan(namespace, name, decision, { via: "REST", username: user.username, token })
          .catch((err: unknown) => {
            throw restError(err, `deciding RemediationPlan ${namespace}/${name}`);
          });
        return clean(plan);
      },
    );
  decide("approve", "Approved");
  decide("reject", "Rejected");
};
