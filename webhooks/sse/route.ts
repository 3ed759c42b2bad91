/**
 * GET /api/v1/tasks/{namespace}/{name}/events: Server-Sent Events with the task's phase as it
 * changes. The first event is the current phase; `phase` events follow each change; `end` comes
 * when the task reaches Succeeded, Failed or Resolved, `deleted` when it is deleted; comment
 * heartbeats keep proxies from closing an idle stream. Needs get and watch on the sretask, for
 * as long as the stream is open: each time the token's review expires (AISRE_AUTH_CACHE_SECONDS)
 * the caller is authenticated and authorized again, and a stream whose token was revoked or
 * whose access was removed ends with a `denied` event saying why (`error` when the API server
 * could not answer).
 */
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { SreTask } from "../../crds/index.ts";
import { SreTaskPhase } from "../../crds/index.ts";
import { bearerToken } from "../auth/bearer.ts";
import { callerOf, guard } from "../auth/guard.ts";
import type { AccessCheck, Authorizer, UserInfo } from "../auth/kube-auth.ts";
import { HttpError } from "../errors.ts";
import type { RestDeps } from "../rest/common.ts";
import { BEARER, ERRORS, restError } from "../rest/common.ts";
import { ObjectParams } from "../rest/schemas.ts";
import { TaskStream } from "./task-stream.ts";
import type { TaskStreamEvent } from "./task-stream.ts";
import { SRETASK } from "../../crds/resources.ts";

export interface SseOptions extends RestDeps {
  /** Heartbeat comment interval (default 15 s). */
  heartbeatMs?: number;
  /** Most streams open at once; more are refused with 503 (default 500). */
  maxStreams?: number;
  /** How long an authorization holds before an open stream is authorized again (default 10 s). */
  reauthorizeSeconds?: number;
}

/** Who is watching, and what they must still be allowed to do. */
interface Viewer {
  authorizer: Authorizer;
  token: string;
  user: UserInfo;
  checks: AccessCheck[];
}

const checksOf = (p: { namespace: string; name: string }): AccessCheck[] =>
  ["get", "watch"].map((verb) => ({ verb, resource: SRETASK.plural, ...p }));

/** Authenticates and authorizes the viewer again; the event that ends the stream when not. */
async function reauthorize(v: Viewer): Promise<{ event: string; data: unknown } | undefined> {
  try {
    const user = await v.authorizer.authenticate(v.token);
    if (user.username !== v.user.username)
      return { event: "denied", data: { status: 401, message: "the bearer token names another user now" } };
    for (const check of v.checks) await v.authorizer.authorize(user, check);
    return undefined;
  } catch (err) {
    const status = err instanceof HttpError ? err.statusCode : 503;
    const message = err instanceof Error ? err.message : String(err);
    const event = status === 401 || status === 403 ? "denied" : "error";
    return { event, data: { status, message: `access could not be confirmed: ${message}` } };
  }
}

const TERMINAL = new Set<string>([SreTaskPhase.Succeeded, SreTaskPhase.Failed, SreTaskPhase.Resolved]);

/** The data of a phase event. */
function phaseData(task: SreTask): Record<string, unknown> {
  const s = task.status;
  return {
    namespace: task.metadata.namespace,
    name: task.metadata.name,
    phase: s?.phase ?? SreTaskPhase.Pending,
    message: s?.message,
    resourceVersion: task.metadata.resourceVersion,
  };
}

const frame = (event: string, data: unknown, id?: string): string =>
  `${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Registers the SSE route. */
export const sseRoutes: FastifyPluginAsync<SseOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const streams = new Set<() => void>();
  const maxStreams = opts.maxStreams ?? 500;
  // Streams never end by themselves: close them before the server waits for its connections.
  app.addHook("preClose", async () => {
    for (const close of [...streams]) close();
  });

  app.get(
    "/tasks/:namespace/:name/events",
    {
      schema: {
        summary: "Stream an SreTask's phase changes (Server-Sent Events)",
        tags: ["tasks"],
        security: BEARER,
        params: ObjectParams,
        produces: ["text/event-stream"],
        response: {
          200: Type.String({ description: "text/event-stream: events phase, end, deleted, denied, error." }),
          ...ERRORS,
        },
      },
      preHandler: guard(opts.authorizer, (r) => checksOf(r.params as { namespace: string; name: string })),
    },
    async (request, reply) => {
      const { namespace, name } = request.params;
      if (streams.size >= maxStreams)
        throw new HttpError(503, "too many event streams open; try again later");
      const reread = () => opts.gateway.getTask(namespace, name);
      const task = await reread().catch((err: unknown) => {
        throw restError(err, `reading SreTask ${namespace}/${name}`);
      });
      if (!task) throw new HttpError(404, `SreTask ${namespace}/${name} not found`);
      const viewer: Viewer = {
        authorizer: opts.authorizer,
        token: bearerToken(request.headers.authorization) ?? "",
        user: callerOf(request),
        checks: checksOf({ namespace, name }),
      };
      stream(reply, task, reread, viewer);
    },
  );

  function stream(
    reply: FastifyReply,
    task: SreTask,
    reread: () => Promise<SreTask | undefined>,
    viewer: Viewer,
  ): void {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const watcher: { current?: TaskStream } = {};
    const heartbeat = setInterval(() => raw.write(": ping\n\n"), opts.heartbeatMs ?? 15_000);
    // Just past the review's expiry, so the next answer is a fresh one.
    const reauthorizeMs = Math.max(1, opts.reauthorizeSeconds ?? 10) * 1000 + 50;
    let recheck: NodeJS.Timeout | undefined;
    const close = () => {
      if (!streams.delete(close)) return;
      clearInterval(heartbeat);
      clearTimeout(recheck);
      watcher.current?.stop();
      raw.end();
    };
    const scheduleRecheck = (): void => {
      recheck = setTimeout(async () => {
        const refusal = await reauthorize(viewer);
        if (!streams.has(close)) return;
        if (!refusal) return scheduleRecheck();
        fastify.log.info(
          { user: viewer.user.username, event: refusal.event, data: refusal.data },
          "Ended an SreTask event stream: access not confirmed",
        );
        raw.write(frame(refusal.event, refusal.data));
        close();
      }, reauthorizeMs);
    };
    streams.add(close);
    raw.on("close", close);
    const send = (t: SreTask): void => {
      raw.write(frame("phase", phaseData(t), t.metadata.resourceVersion));
      if (TERMINAL.has(t.status?.phase ?? "")) {
        raw.write(frame("end", { phase: t.status?.phase }));
        close();
      }
    };
    send(task);
    if (!streams.has(close)) return;
    scheduleRecheck();
    const { namespace, name } = task.metadata as { namespace: string; name: string };
    const onEvent = (e: TaskStreamEvent): void => {
      if (e.type === "phase") send(e.task);
      else if (e.type === "deleted") {
        raw.write(frame("deleted", { namespace, name }));
        close();
      }
    };
    watcher.current = new TaskStream({
      watch: opts.kube.watch,
      namespace,
      name,
      initial: task,
      reread,
      onEvent,
      logger: fastify.log,
    });
    watcher.current.start();
  }
};
