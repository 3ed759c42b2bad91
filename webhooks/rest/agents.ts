/** /api/v1/agents: AgentConfigs, read-only, allowed by the caller's RBAC on agentconfigs. */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { AgentConfig } from "../../crds/index.ts";
import { guard } from "../auth/guard.ts";
import { HttpError } from "../errors.ts";
import { pathOf } from "../kube.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import type { RestDeps } from "./common.ts";
import { BEARER, ERRORS, clean, listPage, restError } from "./common.ts";
import { AgentConfigResource, ListQuery, ObjectParams, Page } from "./schemas.ts";

type Params = { namespace: string; name: string };

/** Registers the AgentConfig routes. */
export const agentRoutes: FastifyPluginAsync<RestDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["agents"];

  app.get(
    "/agents",
    {
      schema: {
        summary: "List AgentConfigs",
        tags,
        security: BEARER,
        querystring: ListQuery,
        response: { 200: Page(AgentConfigResource), ...ERRORS },
      },
      preHandler: guard(deps.authorizer, (r) => ({
        verb: "list",
        resource: AGENTCONFIG.plural,
        namespace: (r.query as { namespace?: string }).namespace,
      })),
    },
    async (request) => listPage<AgentConfig>(deps.kube, AGENTCONFIG, request.query),
  );

  app.get(
    "/agents/:namespace/:name",
    {
      schema: {
        summary: "Get an AgentConfig",
        tags,
        security: BEARER,
        params: ObjectParams,
        response: { 200: AgentConfigResource, ...ERRORS },
      },
      preHandler: guard(deps.authorizer, (r) => ({
        verb: "get",
        resource: AGENTCONFIG.plural,
        ...(r.params as Params),
      })),
    },
    async (request) => {
      const { namespace, name } = request.params;
      try {
        return clean(
          await deps.kube.client.request<AgentConfig>("GET", pathOf(AGENTCONFIG, namespace, name)),
        );
      } catch (err) {
        const http = restError(err, `reading AgentConfig ${namespace}/${name}`);
        if (http.statusCode === 404) throw new HttpError(404, `AgentConfig ${namespace}/${name} not found`);
        throw http;
      }
    },
  );
};
