/**
 * /api/v1/plans: read a RemediationPlan; approve or reject it. Deciding needs `patch` on
 * remediationplans; the decision is recorded with the caller's Kubernetes username as decidedBy
 * and via REST, so the identity comes from the request, never from the body.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
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
        preHandler: check("patch"),
      },
      async (request) => {
        const { namespace, name } = request.params;
        const user = callerOf(request);
        const plan = await deps.gateway
          .decidePlan(namespace, name, decision, user.username, "REST")
          .catch((err: unknown) => {
            throw restError(err, `deciding RemediationPlan ${namespace}/${name}`);
          });
        return clean(plan);
      },
    );
  decide("approve", "Approved");
  decide("reject", "Rejected");
};
