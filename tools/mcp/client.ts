/**
 * A client of remote MCP tool servers for the LLM agent: connects with the SDK (streamable
 * HTTP, or the older SSE transport), offers only the allow-listed tools (and, unless write
 * tools are allowed, only those the server marks readOnlyHint), and returns every answer as
 * redacted, bounded text. The text stays untrusted: the agent fences it (agents/diagnosis/llm/
 * mcp-tools.ts); nothing here acts on it.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Logger } from "pino";
import { redactKnown, redactText } from "../../redact/index.ts";

/** One remote server, as spec.tools.mcpServers declares it (headers already read from the Secret). */
export interface RemoteServerConfig {
  name: string;
  url: string;
  transport?: "streamable-http" | "sse";
  headers?: Record<string, string>;
  allowedTools: readonly string[];
  allowWriteTools?: boolean;
  timeoutSeconds?: number;
}

/** A remote tool the model may call, named mcp_<server>_<tool>. */
export interface RemoteTool {
  qualified: string;
  server: string;
  name: string;
  /** The server's description: untrusted, one line, at most 300 characters, redacted. */
  description: string;
  inputSchema: Record<string, unknown>;
}

/** What the agent needs of remote tools. */
export interface RemoteToolSource {
  readonly tools: readonly RemoteTool[];
  /** Calls an offered tool; never throws: faults come back as text. Unknown names are refused. */
  call(qualified: string, args: Record<string, unknown>): Promise<string>;
}

/** Bounds of the text a remote tool may hand over. */
const MAX_DESCRIPTION = 300;
const MAX_SCHEMA_CHARS = 8_000;
const DEFAULT_MAX_CHARS = 16_000;

const oneLine = (s: string, max: number) => redactText(s.replace(/\s+/g, " ")).slice(0, max).trim();

// The SDK is loaded when an AgentConfig first names an MCP server: most operators never do.
async function transportOf(cfg: RemoteServerConfig): Promise<Transport> {
  const requestInit = { headers: { ...cfg.headers } };
  const url = new URL(cfg.url);
  if (cfg.transport === "sse") {
    const { SSEClientTransport } = await import("@modelcontextprotocol/sdk/client/sse.js");
    return new SSEClientTransport(url, { requestInit });
  }
  const { StreamableHTTPClientTransport } =
    await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
  return new StreamableHTTPClientTransport(url, { requestInit });
}

/** A schema the model can be shown: the server's object schema when small, else any object. */
function safeSchema(schema: unknown): Record<string, unknown> {
  const text = JSON.stringify(schema ?? {});
  const s = schema as { type?: unknown } | undefined;
  if (text.length > MAX_SCHEMA_CHARS || s?.type !== "object") return { type: "object" };
  return JSON.parse(text) as Record<string, unknown>;
}

/** The text of a tool result; non-text content is named, not passed on. */
function resultText(result: { content?: unknown; isError?: unknown }): string {
  const parts = Array.isArray(result.content) ? (result.content as { type?: string; text?: string }[]) : [];
  const text = parts.map((p) =>
    p.type === "text" && typeof p.text === "string" ? p.text : `[${p.type ?? "?"} content omitted]`,
  );
  return `${result.isError === true ? "error: " : ""}${text.join("\n")}`;
}

interface Connected {
  cfg: RemoteServerConfig;
  client: Client;
}

/** Connected remote servers and the tools they offer the model. */
export class RemoteMcpTools implements RemoteToolSource {
  readonly tools: RemoteTool[] = [];
  /** Servers that could not be reached or listed, in words (an evidence gap, never a failure). */
  readonly gaps: string[] = [];
  private readonly servers = new Map<string, Connected>();
  private readonly byName = new Map<string, RemoteTool>();
  private readonly maxChars: number;

  private constructor(maxChars: number) {
    this.maxChars = maxChars;
  }

  /** Connects to each server and lists its allowed tools; a server that fails is a gap. */
  static async connect(
    configs: readonly RemoteServerConfig[],
    opts: { logger?: Logger; maxChars?: number } = {},
  ): Promise<RemoteMcpTools> {
    const out = new RemoteMcpTools(opts.maxChars ?? DEFAULT_MAX_CHARS);
    for (const cfg of configs) {
      try {
        await out.add(cfg);
      } catch (err) {
        const why = oneLine(err instanceof Error ? err.message : String(err), 200);
        out.gaps.push(`MCP server ${cfg.name}: ${why}`);
        opts.logger?.warn({ server: cfg.name, err: why }, "Skipped an MCP server that could not be reached");
      }
    }
    return out;
  }

  private async add(cfg: RemoteServerConfig): Promise<void> {
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const client: Client = new Client({ name: "aisre-agent", version: "1" });
    const timeout = (cfg.timeoutSeconds ?? 20) * 1000;
    await client.connect(await transportOf(cfg), { timeout });
    this.servers.set(cfg.name, { cfg, client });
    const allowed = new Set(cfg.allowedTools);
    const { tools } = await client.listTools(undefined, { timeout });
    for (const t of tools) {
      if (!allowed.has(t.name)) continue;
      if (t.annotations?.readOnlyHint !== true && cfg.allowWriteTools !== true) continue;
      const tool: RemoteTool = {
        qualified: `mcp_${cfg.name.replace(/-/g, "_")}_${t.name}`.slice(0, 64),
        server: cfg.name,
        name: t.name,
        description: oneLine(t.description ?? "", MAX_DESCRIPTION),
        inputSchema: safeSchema(t.inputSchema),
      };
      this.tools.push(tool);
      this.byName.set(tool.qualified, tool);
    }
  }

  async call(qualified: string, args: Record<string, unknown>): Promise<string> {
    const tool = this.byName.get(qualified);
    if (!tool) return `error: ${qualified.slice(0, 64)} is not an allowed remote tool`;
    const { cfg, client } = this.servers.get(tool.server)!;
    try {
      const result = await client.callTool({ name: tool.name, arguments: args }, undefined, {
        timeout: (cfg.timeoutSeconds ?? 20) * 1000,
      });
      // A server that echoes the credentials it was sent must not pass them on either.
      const text = resultText(result as { content?: unknown; isError?: unknown });
      return redactKnown(text, Object.values(cfg.headers ?? {})).slice(0, this.maxChars);
    } catch (err) {
      return `error: ${oneLine(err instanceof Error ? err.message : String(err), 300)}`;
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.client.close().catch(() => undefined)));
  }
}
