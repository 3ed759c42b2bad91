/**
 * POST /api/v1/mcp: the MCP tools over streamable HTTP, inside the REST scope of the sidecar so
 * the same rate limits and authentication (TokenReview) run first and every tool is authorized
 * with SubjectAccessReview for the caller, exactly as the REST routes are. Stateless: one server
 * and transport per request, JSON responses; GET (a server-sent stream) and DELETE (a session)
 * are refused with 405 because there are no sessions to stream or end.
 */
import { readFileSync } from "node:fs";
import type { FastifyPluginAsync } from "fastify";
import type { Logger } from "pino";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { callerOf } from "../auth/guard.ts";
import type { RestDeps } from "../rest/common.ts";
import { guardedCaller } from "./context.ts";
import { createMcpServer } from "./server.ts";
import { grafanaFromEnv } from "./tools-grafana.ts";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

const NOT_ALLOWED = {
  jsonrpc: "2.0",
  error: { code: -32000, message: "Method not allowed: this MCP endpoint is stateless; POST requests only." },
  id: null,
};

/** Registers POST /mcp (under the REST prefix and its authentication). */
export const mcpRoutes: FastifyPluginAsync<RestDeps> = async (app, deps) => {
  const prometheusUrl = process.env.AISRE_PROMETHEUS_URL?.trim() || undefined;
  const grafana = grafanaFromEnv();
  app.post("/mcp", { schema: { hide: true } }, async (request, reply) => {
    const caller = guardedCaller(callerOf(request), deps.authorizer, {
      kc: deps.kube.kc,
      store: deps.store,
      prometheusUrl,
      grafana,
      // buildSidecar passes a pino loggerInstance, so request.log is a pino child logger.
      logger: request.log as unknown as Logger,
    });
    const server = createMcpServer(caller, { version: VERSION });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    reply.hijack();
    reply.raw.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  for (const method of ["GET", "DELETE"] as const)
    app.route({
      method,
      url: "/mcp",
      schema: { hide: true },
      handler: async (_request, reply) => reply.code(405).header("allow", "POST").send(NOT_ALLOWED),
    });
};
