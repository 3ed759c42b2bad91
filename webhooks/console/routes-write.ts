/**
 * The console's writes besides plan decisions, each made with the signed-in user's own token so
 * RBAC and admission decide: Ask (an SreTask, source Console, the classifier picks type and
 * target) and AgentConfig edits (server-side apply, field manager aisre-console, 422 naming the
 * field the API server rejected). Also the AgentConfig list, with whether the user may edit.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { AgentConfig, SreTask } from "../../crds/index.ts";
import { LIMITS, typeMeta } from "../../crds/index.ts";
import { AGENTCONFIG, SRETASK } from "../../crds/resources.ts";
import { HttpError } from "../errors.ts";
import { SOURCE_LABEL } from "../gateway-kube.ts";
import { listPathOf, pathOf } from "../kube.ts";
import { actingError } from "./acting-error.ts";
import type { ConsoleDeps } from "./deps.ts";
import { listAll } from "./routes-read.ts";
import { sessionOf } from "./session-guard.ts";
import { agentView } from "./views.ts";

/** The field manager of AgentConfig edits made in the console. */
export const CONSOLE_FIELD_MANAGER = "aisre-console";
/** The SreTask source of questions asked in the console. */
export const CONSOLE_SOURCE = "Console";

const NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const Ask = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: LIMITS.text }),
    namespace: Type.String({ minLength: 1, maxLength: 63, pattern: NAME }),
  },
  { additionalProperties: false },
);
const Params = Type.Object({
  namespace: Type.String({ maxLength: 63, pattern: NAME }),
  name: Type.String({ maxLength: 253, pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$" }),
});

/** The cluster policy: AgentConfig `default` of the operator's namespace (the sidecar's own). */
function clusterPolicyOf(all: AgentConfig[], deps: ConsoleDeps): AgentConfig | undefined {
  return all.find((c) => c.metadata?.namespace === deps.clusterNamespace && c.metadata?.name === "default");
}

/** Registers Ask and the AgentConfig routes. */
export const writeRoutes: FastifyPluginAsync<ConsoleDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post("/ask", { schema: { hide: true, body: Ask } }, async (request, reply) => {
    const session = sessionOf(request);
    const { namespace } = request.body;
    const question = request.body.question.trim();
    if (!question) throw new HttpError(400, "question is empty", "question");
    const task: SreTask = {
      ...typeMeta("SreTask"),
      metadata: { generateName: "console-", namespace, labels: { [SOURCE_LABEL]: "console" } },
      spec: {
        source: CONSOLE_SOURCE as SreTask["spec"]["source"],
        description: question,
        requestedBy: session.user.username.slice(0, 256),
      },
    };
    const created = await deps
      .acting<SreTask>(
        { token: session.token },
        {
          method: "POST",
          path: listPathOf(SRETASK, namespace),
          query: { fieldManager: CONSOLE_FIELD_MANAGER },
          body: task,
        },
      )
      .catch((err: unknown) => {
        throw actingError(err, `creating an SreTask in ${namespace}`);
      });
    const key = { namespace, name: created.metadata.name ?? "" };
    deps.logger.info({ ...key, user: session.user.username }, "Created an SreTask asked in the console");
    return reply.code(201).send(key);
  });

  app.get("/agentconfigs", { schema: { hide: true } }, async (request) => {
    const user = sessionOf(request).user;
    const namespaces = await deps.access.readable(user);
    const rights = await Promise.all(
      namespaces.map(async (namespace) => ({
        namespace,
        read: await deps.access.can(user, { verb: "get", resource: AGENTCONFIG.plural, namespace }),
        edit: await deps.access.can(user, { verb: "patch", resource: AGENTCONFIG.plural, namespace }),
      })),
    );
    const editable = new Map(rights.filter((r) => r.read).map((r) => [r.namespace, r.edit]));
    const all = await listAll<AgentConfig>(deps.kube, AGENTCONFIG);
    const cluster = clusterPolicyOf(all, deps);
    const configs = all.filter((c) => editable.has(c.metadata?.namespace ?? ""));
    return {
      items: configs.map((c) => agentView(c, editable.get(c.metadata?.namespace ?? "") === true, cluster)),
    };
  });

  app.patch(
    "/agentconfigs/:namespace/:name",
    { schema: { hide: true, params: Params, body: Type.Record(Type.String(), Type.Unknown()) } },
    async (request) => {
      const session = sessionOf(request);
      const { namespace, name } = request.params;
      const applied = await deps
        .acting<AgentConfig>(
          { token: session.token },
          {
            method: "PATCH",
            path: pathOf(AGENTCONFIG, namespace, name),
            // The user asked for this value: take the field over from whoever set it before.
            query: { fieldManager: CONSOLE_FIELD_MANAGER, force: "true" },
            contentType: "application/apply-patch+yaml",
            body: { ...typeMeta("AgentConfig"), metadata: { name, namespace }, spec: request.body },
          },
        )
        .catch((err: unknown) => {
          throw actingError(err, `applying AgentConfig ${namespace}/${name}`);
        });
      deps.logger.info(
        { namespace, name, user: session.user.username },
        "Applied a console AgentConfig edit",
      );
      const canEdit = await deps.access.can(session.user, {
        verb: "patch",
        resource: AGENTCONFIG.plural,
        namespace,
      });
      return agentView(applied, canEdit);
    },
  );
};
