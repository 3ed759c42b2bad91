/** /api/v1/tasks: list, get and create SreTasks, each allowed by the caller's RBAC on sretasks. */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { SreTask } from "../../crds/index.ts";
import { callerOf, guard } from "../auth/guard.ts";
import { HttpError } from "../errors.ts";
import { SRETASK } from "../../crds/resources.ts";
import type { RestDeps } from "./common.ts";
import { BEARER, ERRORS, clean, listPage, restError } from "./common.ts";
import { CreateTaskBody, CreatedTask, ListQuery, ObjectParams, Page, SreTaskResource } from "./schemas.ts";

type Params = { namespace: string; name: string };
type Query = { namespace?: string };

/** Registers the task routes. */
export const taskRoutes: FastifyPluginAsync<RestDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["tasks"];

  app.get(
    "/tasks",
    {
      schema: {
        summary: "List SreTasks",
        tags,
        security: BEARER,
        querystring: ListQuery,
        response: { 200: Page(SreTaskResource), ...ERRORS },
      },
      preHandler: guard(deps.authorizer, (r) => ({
        verb: "list",
        resource: SRETASK.plural,
        namespace: (r.query as Query).namespace,
      })),
    },
    async (request) => listPage<SreTask>(deps.kube, SRETASK, request.query),
  );

  app.get(
    "/tasks/:namespace/:name",
    {
      schema: {
        summary: "Get an SreTask",
        tags,
        security: BEARER,
        params: ObjectParams,
        response: { 200: SreTaskResource, ...ERRORS },
      },
      preHandler: guard(deps.authorizer, (r) => ({
        verb: "get",
        resource: SRETASK.plural,
        ...(r.params as Params),
      })),
    },
    async (request) => {
      const { namespace, name } = request.params;
      const task = await deps.gateway.getTask(namespace, name).catch((err: unknown) => {
        throw restError(err, `reading SreTask ${namespace}/${name}`);
      });
      if (!task) throw new HttpError(404, `SreTask ${namespace}/${name} not found`);
      return clean(task);
    },
  );

  app.post(
    "/tasks",
    {
      schema: {
        summary: "Create an SreTask (requestedBy is the caller)",
        tags,
        security: BEARER,
        body: CreateTaskBody,
        response: { 201: CreatedTask, ...ERRORS },
      },
      preHandler: guard(deps.authorizer, (r) => ({
        verb: "create",
        resource: SRETASK.plural,
        namespace: (r.body as Query | undefined)?.namespace ?? deps.defaultNamespace,
      })),
    },
    async (request, reply) => {
      const { namespace = deps.defaultNamespace, description, target } = request.body;
      // A task may only target its own namespace: the operator would refuse it anyway.
      if (target?.namespace !== undefined && target.namespace !== namespace)
        throw new HttpError(
          400,
          `target.namespace ${target.namespace} is not the task's namespace ${namespace}; create the task in ${target.namespace}`,
          "target.namespace",
        );
      const user = callerOf(request);
      const created = await deps.gateway
        .createTask({ namespace, description, target, source: "REST", requestedBy: user.username })
        .catch((err: unknown) => {
          throw restError(err, `creating an SreTask in ${namespace}`);
        });
      return reply.code(201).send(created);
    },
  );
};
