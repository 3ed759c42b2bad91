/**
 * The console's read pages: namespaces the user may read (and what they may do there), the
 * overview, the incident list, runbooks and capacity. Everything is limited to the namespaces
 * where SubjectAccessReview lets the user list sretasks; Kubernetes objects are read with the
 * sidecar's own credentials after that check.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { AgentConfig, Runbook, SreTask } from "../../crds/index.ts";
import { AGENTCONFIG, RUNBOOK, SRETASK } from "../../crds/resources.ts";
import type { ResourceType } from "../../kube/kube-api.ts";
import { consoleOverview, listConsoleIncidents, runbookIncidents } from "../../store/console-queries.ts";
import { capacityAnswer } from "../capacity-source.ts";
import { HttpError } from "../errors.ts";
import type { SidecarKube } from "../kube.ts";
import { listPathOf } from "../kube.ts";
import { restError } from "../rest/common.ts";
import type { ConsoleDeps } from "./deps.ts";
import { storeError, storeOf } from "./deps.ts";
import { sessionOf } from "./session-guard.ts";
import { agentHealth } from "./views.ts";

const NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const Str = (maxLength: number, extra: object = {}) => Type.Optional(Type.String({ maxLength, ...extra }));

const IncidentQuery = Type.Object(
  {
    namespace: Str(63, { pattern: NAME }),
    severity: Str(64),
    category: Str(128),
    status: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("resolved")])),
    since: Str(64, { format: "date-time" }),
    until: Str(64, { format: "date-time" }),
    q: Str(256),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);

const MAX_LISTED = 5000;

/** The overview's incident figures without an incident store. */
const NO_FIGURES = {
  incidentsBySeverity: { critical: 0, warning: 0, info: 0 },
  openIncidents: 0,
  mttdSeconds: null,
  mttrSeconds: null,
  topCategories: [],
};

/** Every object of a kind (all namespaces), read with the sidecar's credentials, up to 5000. */
export async function listAll<T extends KubernetesObject>(kube: SidecarKube, rt: ResourceType): Promise<T[]> {
  const items: T[] = [];
  let cont: string | undefined;
  try {
    do {
      const page = await kube.client.request<{ items: T[]; metadata?: { continue?: string } }>(
        "GET",
        listPathOf(rt),
        { query: { limit: 500, continue: cont } },
      );
      items.push(...page.items);
      cont = page.metadata?.continue || undefined;
    } while (cont && items.length < MAX_LISTED);
  } catch (err) {
    throw restError(err, `listing ${rt.plural}`);
  }
  return items;
}

const inSet = (names: readonly string[]) => {
  const set = new Set(names);
  return (o: KubernetesObject) => set.has(o.metadata?.namespace ?? "");
};

/** Registers the read routes. */
export const readRoutes: FastifyPluginAsync<ConsoleDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const hide = { hide: true };

  app.get("/namespaces", { schema: hide }, async (request) => ({
    items: await deps.access.describe(sessionOf(request).user),
  }));

  app.get(
    "/overview",
    {
      schema: {
        ...hide,
        querystring: Type.Object(
          { days: Type.Optional(Type.Union([Type.Literal(7), Type.Literal(30)], { default: 7 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const namespaces = await deps.access.readable(sessionOf(request).user);
      const readable = inSet(namespaces);
      const days = request.query.days ?? 7;
      const [figures, tasks, agents] = await Promise.all([
        deps.store ? consoleOverview(deps.store, namespaces, days).catch(storeError) : NO_FIGURES,
        listAll<SreTask>(deps.kube, SRETASK),
        listAll<AgentConfig>(deps.kube, AGENTCONFIG),
      ]);
      const tasksByPhase: Record<string, number> = {};
      for (const t of tasks.filter(readable)) {
        const phase = t.status?.phase ?? "Pending";
        tasksByPhase[phase] = (tasksByPhase[phase] ?? 0) + 1;
      }
      return {
        ...figures,
        tasksByPhase,
        agents: agents.filter(readable).map(agentHealth),
        storeAvailable: deps.store !== undefined,
      };
    },
  );

  app.get("/incidents", { schema: { ...hide, querystring: IncidentQuery } }, async (request) => {
    const user = sessionOf(request).user;
    const { namespace } = request.query;
    if (namespace !== undefined) await deps.access.mustRead(user, namespace);
    const namespaces = namespace !== undefined ? [namespace] : await deps.access.readable(user);
    return listConsoleIncidents(storeOf(deps), { ...request.query, namespaces }).catch(storeError);
  });

  app.get(
    "/runbooks",
    {
      schema: {
        ...hide,
        querystring: Type.Object({ q: Str(256) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const user = sessionOf(request).user;
      const namespaces = await deps.access.readable(user);
      const listable = await Promise.all(
        namespaces.map((namespace) =>
          deps.access.can(user, { verb: "list", resource: RUNBOOK.plural, namespace }),
        ),
      );
      const visible = namespaces.filter((_, i) => listable[i]);
      const q = request.query.q?.trim().toLowerCase();
      const runbooks = (await listAll<Runbook>(deps.kube, RUNBOOK))
        .filter(inSet(visible))
        .filter((r) => !q || searchable(r).includes(q));
      const items = await Promise.all(
        runbooks.map(async (r) => ({
          namespace: r.metadata.namespace ?? "",
          name: r.metadata.name ?? "",
          title: r.spec.title,
          description: r.spec.description ?? null,
          categories: r.spec.matches.categories ?? [],
          alertnames: r.spec.matches.alertnames ?? [],
          matchCount: r.status?.matchCount ?? 0,
          matchedIncidents: deps.store
            ? await runbookIncidents(deps.store, {
                namespaces: [r.metadata.namespace ?? ""],
                alertnames: r.spec.matches.alertnames,
                categories: r.spec.matches.categories,
              }).catch(storeError)
            : [],
        })),
      );
      return { items };
    },
  );

  // Cluster-wide figures: for users who may list nodes, as /api/v1/capacity.
  app.get("/capacity", { schema: hide }, async (request) => {
    await deps.access.must(sessionOf(request).user, { verb: "list", resource: "nodes", group: "" });
    return capacityAnswer();
  });

  app.get("/*", { schema: hide }, async (request) => {
    throw new HttpError(404, `no console API route ${request.method} ${request.url.split("?")[0]}`);
  });
};

/** The text a runbook search looks in, lower-cased (Chinese is unaffected). */
function searchable(r: Runbook): string {
  const m = r.spec.matches;
  return [r.metadata.name, r.spec.title, r.spec.description, ...(m.categories ?? []), ...(m.alertnames ?? [])]
    .concat((r.spec.steps ?? []).map((s) => s.title))
    .filter(Boolean)
    .join("\n")
    .toLowerCase();
}
