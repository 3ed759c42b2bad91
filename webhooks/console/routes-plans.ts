/**
 * The plans page: RemediationPlans of the namespaces the user may list them in, pending approvals
 * first, and approve/reject. A decision is made exactly as REST makes it (gateway.decidePlan with
 * the user's own token), so the API server decides — RBAC verb approve, the approval admission
 * policy — and a 403 carries its reason. The reason given is recorded in spec.approval.comment
 * by a second patch with the same token.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { RemediationPlan } from "../../crds/index.ts";
import { APPROVE_VERB, DECISION_FIELD_MANAGERS } from "../../crds/approval.ts";
import { REMEDIATIONPLAN } from "../../crds/resources.ts";
import { HttpError } from "../errors.ts";
import type { PlanDecision } from "../gateway.ts";
import { pathOf } from "../kube.ts";
import { restError } from "../rest/common.ts";
import { actingError } from "./acting-error.ts";
import type { ConsoleDeps } from "./deps.ts";
import { listAll } from "./routes-read.ts";
import { sessionOf } from "./session-guard.ts";
import { planOrder, planView } from "./views.ts";

const NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";
const Params = Type.Object({
  namespace: Type.String({ maxLength: 63, pattern: NAME }),
  name: Type.String({ maxLength: 253, pattern: NAME }),
});
const Decision = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 1024 })) },
  { additionalProperties: false },
);

/** Registers the plan routes. */
export const planRoutes: FastifyPluginAsync<ConsoleDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/plans",
    {
      schema: {
        hide: true,
        querystring: Type.Object(
          { namespace: Type.Optional(Type.String({ maxLength: 63, pattern: NAME })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const user = sessionOf(request).user;
      const { namespace } = request.query;
      const listCheck = (ns: string) => ({ verb: "list", resource: REMEDIATIONPLAN.plural, namespace: ns });
      if (namespace !== undefined) await deps.access.must(user, listCheck(namespace));
      const candidates = namespace !== undefined ? [namespace] : await deps.access.readable(user);
      const flags = await Promise.all(
        candidates.map(async (ns) => ({
          ns,
          list: await deps.access.can(user, listCheck(ns)),
          approve: await deps.access.can(user, {
            verb: APPROVE_VERB,
            resource: REMEDIATIONPLAN.plural,
            namespace: ns,
          }),
        })),
      );
      const approver = new Map(flags.filter((f) => f.list).map((f) => [f.ns, f.approve]));
      const plans = (await listAll<RemediationPlan>(deps.kube, REMEDIATIONPLAN)).filter((p) =>
        approver.has(p.metadata.namespace ?? ""),
      );
      const items = plans.map((p) => planView(p, approver.get(p.metadata.namespace ?? "") === true));
      return { items: items.sort(planOrder) };
    },
  );

  const decide = (path: string, decision: PlanDecision) =>
    app.post(
      `/plans/:namespace/:name/${path}`,
      { schema: { hide: true, params: Params, body: Type.Optional(Decision) } },
      async (request) => {
        const session = sessionOf(request);
        const { username } = session.user;
        const { namespace, name } = request.params;
        const reason = request.body?.reason?.trim() ?? "";
        if (decision === "Rejected" && !reason)
          throw new HttpError(400, "reason is required to reject a plan", "reason");
        const check = { resource: REMEDIATIONPLAN.plural, namespace, name };
        await deps.access.must(session.user, { verb: "get", ...check });
        let plan = await deps.gateway
          .decidePlan(namespace, name, decision, { via: "REST", username, token: session.token })
          .catch((err: unknown) => {
            throw restError(err, `deciding RemediationPlan ${namespace}/${name}`);
          });
        deps.logger.info({ namespace, name, decision, user: username }, "Recorded a console plan decision");
        // Only the decider's own record takes their reason (an identical repeat keeps the first).
        if (reason && plan.spec.approval?.decidedBy === username) {
          plan = await deps
            .acting<RemediationPlan>(
              { token: session.token },
              {
                method: "PATCH",
                path: pathOf(REMEDIATIONPLAN, namespace, name),
                query: { fieldManager: DECISION_FIELD_MANAGERS.REST },
                contentType: "application/merge-patch+json",
                body: { spec: { approval: { decision, decidedBy: username, comment: reason } } },
              },
            )
            .catch((err: unknown) => {
              const http = actingError(err, `recording the reason on RemediationPlan ${namespace}/${name}`);
              deps.logger.warn(
                { namespace, name, reason: http.message },
                "Failed to record a decision's reason",
              );
              return plan;
            });
        }
        return planView(plan, await deps.access.can(session.user, { verb: APPROVE_VERB, ...check }));
      },
    );
  decide("approve", "Approved");
  decide("reject", "Rejected");
};
