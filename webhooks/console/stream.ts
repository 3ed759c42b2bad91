/**
 * GET /console/api/tasks/:namespace/:name/stream: a task's progress as Server-Sent Events for
 * the console (webhooks/sse/task-stream.ts watches the task). Events: `phase` (id: the task's
 * resourceVersion, so a reconnect's Last-Event-ID skips what the browser has), `finding` and
 * `rootCause` as the diagnosis produces them, `done` when the investigation is over (diagnosed,
 * awaiting approval, or finished), then the stream ends; `denied` when the session ended or the
 * user lost access. `retry:` tells EventSource how soon to reconnect.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import { DIAGNOSISRUN, SRETASK } from "../../crds/resources.ts";
import { HttpError } from "../errors.ts";
import { pathOf } from "../kube.ts";
import { restError } from "../rest/common.ts";
import { TaskStream } from "../sse/task-stream.ts";
import type { ConsoleDeps } from "./deps.ts";
import { sessionOf } from "./session-guard.ts";

/** Phases after which the investigation has nothing more to stream. */
export const DONE_PHASES = new Set(["Diagnosed", "AwaitingApproval", "Succeeded", "Failed", "Resolved"]);
/** The reconnect delay the stream advises, ms. */
export const RETRY_MS = 3000;
const MAX_STREAMS = 500;

const NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";
const Params = Type.Object({
  namespace: Type.String({ maxLength: 63, pattern: NAME }),
  name: Type.String({ maxLength: 253, pattern: NAME }),
});

const frame = (event: string, data: unknown, id?: string): string =>
  `${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Registers the stream route. */
export const streamRoutes: FastifyPluginAsync<ConsoleDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const streams = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const close of [...streams]) close();
  });

  app.get(
    "/tasks/:namespace/:name/stream",
    { schema: { hide: true, params: Params } },
    async (request, reply) => {
      const session = sessionOf(request);
      const { namespace, name } = request.params;
      const checks = ["get", "watch"].map((verb) => ({ verb, resource: SRETASK.plural, namespace, name }));
      for (const c of checks) await deps.access.must(session.user, c);
      if (streams.size >= MAX_STREAMS)
        throw new HttpError(503, "too many event streams open; try again later");
      const reread = () => deps.gateway.getTask(namespace, name);
      const task = await reread().catch((err: unknown) => {
        throw restError(err, `reading SreTask ${namespace}/${name}`);
      });
      if (!task) throw new HttpError(404, `SreTask ${namespace}/${name} not found`);

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        "x-content-type-options": "nosniff",
      });
      raw.write(`retry: ${RETRY_MS}\n\n`);
      const sent = { findings: new Set<string>(), rootCause: "" };
      const watcher: { current?: TaskStream } = {};
      const heartbeat = setInterval(() => raw.write(": ping\n\n"), deps.heartbeatMs);
      // Each check renews nothing: a session that ended, or access removed, ends the stream.
      const recheck = setInterval(() => void reauthorize(), Math.max(deps.heartbeatMs, 5000));
      const close = (): void => {
        if (!streams.delete(close)) return;
        clearInterval(heartbeat);
        clearInterval(recheck);
        watcher.current?.stop();
        raw.end();
      };
      streams.add(close);
      raw.on("close", close);

      async function reauthorize(): Promise<void> {
        try {
          if (!deps.sessions.get(session.id)) throw new HttpError(401, "the session ended");
          for (const c of checks) await deps.access.must(session.user, c);
        } catch (err) {
          if (!streams.has(close)) return;
          const status = err instanceof HttpError ? err.statusCode : 503;
          raw.write(
            frame(status === 401 || status === 403 ? "denied" : "error", {
              status,
              message: (err as Error).message,
            }),
          );
          close();
        }
      }

      async function findings(t: SreTask): Promise<void> {
        const run = t.status?.diagnosisRunRef?.name;
        if (!run) return;
        const dr = await deps.kube.client
          .request<DiagnosisRun>("GET", pathOf(DIAGNOSISRUN, namespace, run))
          .catch(() => undefined);
        for (const f of dr?.status?.findings ?? []) {
          const key = JSON.stringify([f.category, f.resource, f.message]);
          if (sent.findings.has(key) || !streams.has(close)) continue;
          sent.findings.add(key);
          raw.write(frame("finding", f));
        }
      }

      function rootCause(t: SreTask): void {
        const rc = t.status?.rootCause;
        if (!rc || JSON.stringify(rc) === sent.rootCause || !streams.has(close)) return;
        sent.rootCause = JSON.stringify(rc);
        raw.write(frame("rootCause", rc));
      }

      async function send(t: SreTask, initial: boolean): Promise<void> {
        const phase = t.status?.phase ?? "Pending";
        const rv = t.metadata.resourceVersion;
        // A reconnect that already saw this version gets no repeat of it.
        if (!(initial && request.headers["last-event-id"] === rv))
          raw.write(frame("phase", { namespace, name, phase, message: t.status?.message ?? null }, rv));
        await findings(t);
        rootCause(t);
        if (DONE_PHASES.has(phase) && streams.has(close)) {
          raw.write(frame("done", { phase, plan: t.status?.remediationPlanRef?.name ?? null }));
          close();
        }
      }

      // Events are written in order: each waits for the one before (findings need a read).
      let chain = send(task, true);
      watcher.current = new TaskStream({
        watch: deps.kube.watch,
        namespace,
        name,
        initial: task,
        reread,
        logger: request.log,
        onEvent: (e) => {
          if (e.type === "phase") chain = chain.then(() => send(e.task, false));
          else if (e.type === "deleted")
            chain = chain.then(() => {
              raw.write(frame("deleted", { namespace, name }));
              close();
            });
        },
      });
      await chain;
      if (streams.has(close)) watcher.current.start();
    },
  );
};
