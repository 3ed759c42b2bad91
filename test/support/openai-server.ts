/**
 * A local server speaking the OpenAI Chat Completions protocol (POST /v1/chat/completions,
 * JSON or SSE when the client asks for stream=true), scripted per test with a queue of
 * replies and recording every request body, so tests drive the real @langchain/openai
 * client over HTTP and assert on exactly what the model was shown.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A tool call the scripted model makes. */
export interface ScriptedToolCall {
  name: string;
  /** An object (serialised for the wire) or a raw string (to script malformed arguments). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

/** One scripted reply: an assistant message, an HTTP error, or a raw body. */
export interface ScriptedReply {
  content?: string;
  toolCalls?: ScriptedToolCall[];
  /** HTTP status; non-2xx answers with an OpenAI error body unless `raw` is given. */
  status?: number;
  /** A raw response body (e.g. garbage that is not JSON). */
  raw?: string;
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
  model?: string;
}

/** A reply, or a function of the request body that returns one. */
export type Script = ScriptedReply | ((body: ChatRequest) => ScriptedReply);

/** The parts of a chat completions request tests look at. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  [k: string]: unknown;
}

/** A running scripted server. */
export interface OpenAITestServer {
  /** Base URL for the client, e.g. http://127.0.0.1:PORT/v1. */
  baseURL: string;
  /** Every chat completions request body, in arrival order. */
  requests: ChatRequest[];
  /** The Authorization header of every request, in arrival order. */
  authorizations: (string | undefined)[];
  /** Queues replies, answered in order; an empty queue answers 500. */
  script(...replies: Script[]): void;
  /** Forgets queued replies and recorded requests (between tests). */
  reset(): void;
  /** Every message text the model was shown, joined (for "never saw X" assertions). */
  seenText(): string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function toolCallsOf(reply: ScriptedReply) {
  return reply.toolCalls?.map((c, i) => ({
    id: c.id ?? `call_${i + 1}`,
    type: "function" as const,
    function: {
      name: c.name,
      arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments),
    },
  }));
}

function usageOf(reply: ScriptedReply) {
  const u = reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
  return { ...u, total_tokens: u.prompt_tokens + u.completion_tokens };
}

function completion(reply: ScriptedReply, model: string) {
  const toolCalls = toolCallsOf(reply);
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: reply.content ?? null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toolCalls ? "tool_calls" : "stop",
      },
    ],
    usage: usageOf(reply),
  };
}

function sendStream(res: ServerResponse, reply: ScriptedReply, model: string, withUsage: boolean): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const base = { id: "chatcmpl-test", object: "chat.completion.chunk", created: 0, model };
  const send = (delta: object, finish: string | null = null) =>
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    );
  send({ role: "assistant", content: "" });
  const toolCalls = toolCallsOf(reply);
  if (reply.content) for (const piece of reply.content.match(/[\s\S]{1,16}/g) ?? []) send({ content: piece });
  toolCalls?.forEach((c, index) => send({ tool_calls: [{ index, ...c }] }));
  send({}, toolCalls ? "tool_calls" : "stop");
  if (withUsage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: usageOf(reply) })}\n\n`);
  res.end("data: [DONE]\n\n");
}

function answer(res: ServerResponse, reply: ScriptedReply, req: ChatRequest): void {
  const model = reply.model ?? req.model;
  if (reply.raw !== undefined) {
    res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
    res.end(reply.raw);
  } else if (reply.status && reply.status >= 300) {
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ error: { message: `scripted status ${reply.status}`, type: "test", code: null } }),
    );
  } else if (req.stream) {
    const opts = req.stream_options as { include_usage?: boolean } | undefined;
    sendStream(res, reply, model, opts?.include_usage === true);
  } else {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(completion(reply, model)));
  }
}

function messageText(m: ChatRequest["messages"][number]): string {
  const parts = [typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? "")];
  if (m.tool_calls) parts.push(JSON.stringify(m.tool_calls));
  return parts.join("\n");
}

/** Starts a scripted OpenAI-protocol server on loopback. */
export async function startOpenAIServer(): Promise<OpenAITestServer> {
  const queue: Script[] = [];
  const requests: ChatRequest[] = [];
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      const body = JSON.parse(await readBody(req)) as ChatRequest;
      requests.push(body);
      authorizations.push(req.headers.authorization);
      const next = queue.shift();
      const reply: ScriptedReply = next
        ? typeof next === "function"
          ? next(body)
          : next
        : { status: 500, raw: JSON.stringify({ error: { message: "no scripted reply left" } }) };
      if (!reply.delayMs) return answer(res, reply, body);
      const timer = setTimeout(() => answer(res, reply, body), reply.delayMs);
      res.on("close", () => clearTimeout(timer));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    authorizations,
    script: (...replies) => void queue.push(...replies),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      authorizations.length = 0;
    },
    seenText: () => requests.flatMap((r) => r.messages.map(messageText)).join("\n"),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
