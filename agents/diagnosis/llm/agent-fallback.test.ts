import { readFileSync } from "node:fs";
import { Registry } from "prom-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOpenAIServer } from "../../../test/support/openai-server.ts";
import type { OpenAITestServer } from "../../../test/support/openai-server.ts";
import { diagnose } from "../diagnose.ts";
import { parseSnapshot, snapshotView } from "../snapshot.ts";
import { explainWithLLM, llmCondition } from "./agent.ts";
import type { LLMSettings } from "./config.ts";
import { createLLMMetrics } from "./metrics.ts";

const snap = parseSnapshot(
  readFileSync(new URL("../fixtures/crashloop-exit127.yaml", import.meta.url), "utf8"),
);
const view = snapshotView(snap);
const focus = { alert: snap.alert! };
const det = diagnose(view, focus);
const good = (over: object = {}) =>
  JSON.stringify({
    rootCause: {
      category: "CrashLoop",
      resource: { kind: "Deployment", namespace: "shop", name: "checkout" },
      summary: "s",
      confidence: 0.9,
    },
    ...over,
  });

let server: OpenAITestServer;
let cfg: LLMSettings;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  cfg = {
    baseURL: server.baseURL,
    apiKey: "sk-test-key-000",
    model: "test-model",
    timeoutMs: 2000,
    maxSteps: 4,
  };
});

describe("explainWithLLM falls back to the deterministic result", () => {
  it("falls back on a 429 with LLMUnavailable, after one request (no retry storm)", async () => {
    server.script({ status: 429 });
    const { result, llm } = await explainWithLLM(view, det, cfg, { focus });
    expect(result).toBe(det);
    expect(llm).toMatchObject({ used: false, fallbackReason: "LLMUnavailable", model: "test-model" });
    expect(llm.fallbackDetail).toMatch(/^HTTP 429/);
    expect(server.requests).toHaveLength(1);
    expect(llmCondition(llm)).toMatchObject({ status: "False", reason: "LLMUnavailable" });
    expect(llmCondition(llm).message).toContain("the deterministic result stands");
  });

  it("falls back on a 500 with LLMUnavailable", async () => {
    server.script({ status: 500 });
    expect((await explainWithLLM(view, det, cfg)).llm.fallbackReason).toBe("LLMUnavailable");
  });

  it("falls back on garbage output with LLMInvalidAnswer", async () => {
    server.script({ content: "I think the pod is sad. Let me delete the namespace!" });
    const { result, llm } = await explainWithLLM(view, det, cfg);
    expect(result).toBe(det);
    expect(llm).toMatchObject({ used: false, fallbackReason: "LLMInvalidAnswer", promptTokens: 100 });
  });

  it("falls back on a body that is not JSON at all, and on a schema fault", async () => {
    server.script({ raw: "<html>bad gateway</html>" });
    expect((await explainWithLLM(view, det, cfg)).llm.fallbackReason).toBe("LLMInvalidAnswer");
    server.script({
      content: good({
        rootCause: {
          category: "Gremlins",
          resource: { kind: "Pod", name: "x" },
          summary: "s",
          confidence: 2,
        },
      }),
    });
    const { llm } = await explainWithLLM(view, det, cfg);
    expect(llm.fallbackReason).toBe("LLMInvalidAnswer");
    expect(llm.fallbackDetail).toMatch(/schema/);
  });

  it("falls back on a timeout with LLMTimedOut", async () => {
    server.script({ delayMs: 3000, content: good() });
    const started = Date.now();
    const { result, llm } = await explainWithLLM(view, det, { ...cfg, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(result).toBe(det);
    expect(llm).toMatchObject({ used: false, fallbackReason: "LLMTimedOut" });
  });

  it("records usage and outcomes as Prometheus metrics", async () => {
    const registry = new Registry();
    const metrics = createLLMMetrics(registry);
    server.script({ content: good(), usage: { prompt_tokens: 500, completion_tokens: 50 } }, { status: 429 });
    await explainWithLLM(view, det, cfg, { metrics });
    await explainWithLLM(view, det, cfg, { metrics });
    const text = await registry.metrics();
    expect(text).toContain('aisre_llm_consultations_total{purpose="diagnosis",outcome="used"} 1');
    expect(text).toContain('aisre_llm_consultations_total{purpose="diagnosis",outcome="LLMUnavailable"} 1');
    expect(text).toContain('aisre_llm_tokens_total{purpose="diagnosis",type="prompt"} 500');
    expect(text).toContain('aisre_llm_latency_seconds_count{purpose="diagnosis"} 2');
  });
});
