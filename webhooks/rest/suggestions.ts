/**
 * /api/v1/suggestions: the automation suggestions the operator learnt from resolved incidents
 * (status.suggestions of the namespace's AgentConfigs), read-only, for callers who may list
 * AgentConfigs in that namespace. Listing never applies anything: a person writes the Runbook
 * or the policy rule.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AutomationSuggestion } from "../../crds/agentconfig-monitoring.ts";
import type { AgentConfig } from "../../crds/index.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import { guard } from "../auth/guard.ts";
import { listPathOf } from "../kube.ts";
import type { RestDeps } from "./common.ts";
import { BEARER, ERRORS, restError } from "./common.ts";

const Query = Type.Object({
  namespace: Type.String({
    minLength: 1,
    maxLength: 63,
    description: "The namespace whose AgentConfigs' suggestions to list.",
  }),
});

const Item = Type.Composite([
  AutomationSuggestion,
  Type.Object({ agentConfig: Type.String({ description: "The AgentConfig that holds it." }) }),
]);

const Answer = Type.Object(
  {
    namespace: Type.String(),
    items: Type.Array(Item),
  },
  { description: "Automation suggestions, most occurrences first; none is ever applied without a person." },
);

/** Registers GET /suggestions. */
export const suggestionRoutes: FastifyPluginAsync<RestDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/suggestions",
    {
      schema: {
        summary: "Automation suggestions learnt from resolved incidents (Runbook or policy rule)",
        tags: ["agents"],
        security: BEARER,
        querystring: Query,
        response: { 200: Answer, ...ERRORS },
      },
      preHandler: guard(deps.authorizer, (r) => ({
        verb: "list",
        resource: AGENTCONFIG.plural,
        namespace: (r.query as { namespace: string }).namespace,
      })),
    },
    async (request) => {
      const { namespace } = request.query;
      let configs: AgentConfig[];
      try {
        const list = await deps.kube.client.request<{ items: AgentConfig[] }>(
          "GET",
          listPathOf(AGENTCONFIG, namespace),
        );
        configs = list.items;
      } catch (err) {
        throw restError(err, `listing AgentConfigs of ${namespace}`);
      }
      const items = configs
        .flatMap((c) =>
          (c.status?.suggestions ?? []).map((s) => ({ ...s, agentConfig: c.metadata.name ?? "" })),
        )
        .sort((a, b) => b.occurrences - a.occurrences || a.id.localeCompare(b.id));
      return { namespace, items };
    },
  );
};
