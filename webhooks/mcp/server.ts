/**
 * The aisre MCP server (one per session): tools, resources and prompts over the caller's
 * identity (context.ts). Arguments are validated against each tool's JSON Schema before it
 * runs; a bad call is an MCP InvalidParams error naming the field. Every answer is redacted
 * and bounded (output.ts). Built on the SDK's low-level Server because our schemas are JSON
 * Schema (TypeBox), not zod.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { redactText } from "../../redact/index.ts";
import { HttpError } from "../errors.ts";
import { TOOLS } from "./catalog.ts";
import type { McpCaller } from "./context.ts";
import { DEFAULT_MAX_OUTPUT_CHARS, boundedText } from "./output.ts";
import { PROMPTS, getPrompt } from "./prompts.ts";
import { RESOURCE_TEMPLATES, listResources, readResource } from "./resources.ts";
import { CLUSTER_TOOLS } from "./tools-cluster.ts";
import type { ToolRun } from "./tools-cluster.ts";
import { INCIDENT_TOOLS } from "./tools-incidents.ts";
import { capacityTool } from "./tools-capacity.ts";
import { findDashboards } from "./tools-grafana.ts";

/** Options of one server. */
export interface McpServerOptions {
  version: string;
  /** Bound of one tool answer in characters (default 60 000). */
  maxOutputChars?: number;
}

const RUNS: Record<string, ToolRun> = {
  ...CLUSTER_TOOLS,
  ...INCIDENT_TOOLS,
  capacity: capacityTool,
  find_dashboards: findDashboards,
};
const validator = new AjvJsonSchemaValidator();
const CHECKS = new Map(
  TOOLS.map((t) => [t.name, validator.getValidator<Record<string, unknown>>(t.inputSchema as never)]),
);

/** Ajv's "data/steps/0/action must be equal to one of the allowed values" without "data". */
const fieldText = (message: string): string =>
  message.replace(/\bdata\//g, "").replace(/\bdata\b/g, "arguments");

/** Validated arguments, or an InvalidParams error naming the field. */
function validArgs(name: string, args: unknown): Record<string, unknown> {
  const check = CHECKS.get(name);
  if (!check) throw new McpError(ErrorCode.InvalidParams, `unknown tool ${name.slice(0, 64)}`);
  const result = check(args ?? {});
  if (!result.valid)
    throw new McpError(
      ErrorCode.InvalidParams,
      `invalid arguments for ${name}: ${fieldText(result.errorMessage ?? "")}`,
    );
  return result.data;
}

/** A refusal or fault as MCP says tools report them: a result with isError, in words. */
function toolError(err: unknown): CallToolResult {
  if (!(err instanceof HttpError)) throw err;
  const kind = err.statusCode === 403 ? "forbidden" : err.statusCode === 401 ? "unauthorized" : "error";
  const field = err.field ? ` (${err.field})` : "";
  return { isError: true, content: [{ type: "text", text: redactText(`${kind}${field}: ${err.message}`) }] };
}

/** The MCP error of a refused resource or prompt request. */
function protocolError(err: unknown): McpError {
  if (err instanceof McpError) return err;
  if (err instanceof HttpError)
    return new McpError(
      err.statusCode === 400 || err.statusCode === 404 ? ErrorCode.InvalidParams : ErrorCode.InternalError,
      redactText(err.message),
      { status: err.statusCode, ...(err.field ? { field: err.field } : {}) },
    );
  return new McpError(ErrorCode.InternalError, "internal error");
}

/** A new MCP server acting for caller; connect it to a transport. */
export function createMcpServer(caller: McpCaller, opts: McpServerOptions): Server {
  const max = opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  const server = new Server(
    { name: "aisre", version: opts.version },
    {
      capabilities: { tools: {}, resources: {}, prompts: {} },
      instructions:
        "Kubernetes SRE tools of ai-sre-operator. Everything is read-only except propose_plan, which only proposes: a person approves every RemediationPlan.",
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    // find_dashboards only where Grafana is configured; a client does not see a tool it cannot use.
    tools: TOOLS.filter((t) => t.name !== "find_dashboards" || caller.grafana).map((t) => ({
      ...t,
      inputSchema: JSON.parse(JSON.stringify(t.inputSchema)),
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: raw } = request.params;
    const args = validArgs(name, raw);
    try {
      const parts = await RUNS[name]!(caller, args);
      return { content: boundedText(parts, max).map((text) => ({ type: "text" as const, text })) };
    } catch (err) {
      caller.logger.info(
        { tool: name, user: caller.username, err: (err as Error).message },
        "Refused an MCP tool call",
      );
      return toolError(err);
    }
  });
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: RESOURCE_TEMPLATES,
  }));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: await listResources(caller).catch(() => []),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    try {
      const [text] = boundedText([await readResource(caller, uri)], max);
      return { contents: [{ uri, mimeType: "application/json", text: text! }] };
    } catch (err) {
      throw protocolError(err);
    }
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    try {
      const prompt = await getPrompt(caller, request.params.name, request.params.arguments);
      const messages = prompt.messages.map((m) => ({
        ...m,
        content: { ...m.content, text: boundedText([m.content.text], max)[0]! },
      }));
      return { description: prompt.description, messages };
    } catch (err) {
      throw protocolError(err);
    }
  });
  return server;
}
