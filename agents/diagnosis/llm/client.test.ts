import { HumanMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer } from "../../../test/support/openai-server.ts";
import type { OpenAITestServer } from "../../../test/support/openai-server.ts";
import { LLMAnswerError, chatModel, fallbackDetail, fallbackReason } from "./client.ts";
import { llmSettings } from "./config.ts";

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());

describe("chat model client", () => {
  it("streams over SSE from the test server, tool calls included", async () => {
    server.script(
      { content: "hello from the stream" },
      { toolCalls: [{ name: "get_events", arguments: { kind: "Pod", name: "a" } }] },
    );
    const model = await chatModel({ baseURL: server.baseURL, apiKey: "k", model: "m" });
    let text = "";
    for await (const chunk of await model.stream([new HumanMessage("hi")])) text += String(chunk.content);
    expect(text).toBe("hello from the stream");
    expect(server.requests.at(-1)?.stream).toBe(true);
    let args = "";
    for await (const chunk of await model.stream([new HumanMessage("hi")]))
      for (const c of chunk.tool_call_chunks ?? []) args += c.args ?? "";
    expect(JSON.parse(args)).toEqual({ kind: "Pod", name: "a" });
  });

  it("classifies failures into condition reasons", () => {
    expect(fallbackReason(new LLMAnswerError("x"))).toBe("LLMInvalidAnswer");
    expect(fallbackReason(new SyntaxError("x"))).toBe("LLMInvalidAnswer");
    expect(fallbackReason(Object.assign(new Error("Request timed out."), { name: "TimeoutError" }))).toBe(
      "LLMTimedOut",
    );
    expect(fallbackReason(Object.assign(new Error("x"), { name: "AbortError" }))).toBe("LLMTimedOut");
    expect(fallbackReason(Object.assign(new Error("rate"), { status: 429 }))).toBe("LLMUnavailable");
    expect(fallbackReason(new Error("ECONNREFUSED"))).toBe("LLMUnavailable");
  });

  it("describes failures in one redacted line", () => {
    const err = Object.assign(new Error("Incorrect API key provided: sk-abcdefghijklmnopqrstu\nmore"), {
      status: 401,
    });
    expect(fallbackDetail(err)).toBe("HTTP 401: Incorrect API key provided: sk-***");
  });
});

describe("llmSettings", () => {
  const spec = {
    enabled: true,
    baseURL: "https://llm/v1",
    model: "qwen-plus",
    timeoutSeconds: 30,
    maxSteps: 3,
    maxTokens: 1000,
    temperature: 0.2,
  };
  it("derives settings from AgentConfig spec.llm and the Secret's key", () => {
    expect(llmSettings(spec, "key")).toEqual({
      baseURL: "https://llm/v1",
      apiKey: "key",
      model: "qwen-plus",
      temperature: 0.2,
      timeoutMs: 30_000,
      maxSteps: 3,
      maxTokens: 1000,
    });
  });
  it("sends the AgentConfig's model, temperature and maxTokens with every request", async () => {
    server.script({ content: "ok" });
    await (
      await chatModel(llmSettings({ ...spec, baseURL: server.baseURL }, "key")!)
    ).invoke([new HumanMessage("hi")]);
    const req = server.requests.at(-1)!;
    expect(req).toMatchObject({ model: "qwen-plus", temperature: 0.2 });
    expect(req.max_tokens ?? req.max_completion_tokens).toBe(1000);
  });
  it("is undefined when the LLM is off, incomplete, or the key is missing", () => {
    expect(llmSettings(undefined, "key")).toBeUndefined();
    expect(llmSettings({ ...spec, enabled: false }, "key")).toBeUndefined();
    expect(llmSettings({ ...spec, model: undefined }, "key")).toBeUndefined();
    expect(llmSettings(spec, undefined)).toBeUndefined();
  });
});
