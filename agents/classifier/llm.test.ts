import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { startOpenAIServer } from "../../test/support/openai-server.ts";
import type { OpenAITestServer } from "../../test/support/openai-server.ts";
import type { LLMSettings } from "../diagnosis/llm/config.ts";
import { FENCE_OPEN } from "../diagnosis/llm/fence.ts";
import { classifyWithLLM } from "./llm.ts";

const task = (spec: SreTask["spec"]): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "t" },
  spec,
});
const answer = (a: object) => ({ content: JSON.stringify(a) });

let server: OpenAITestServer;
let cfg: LLMSettings;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  cfg = { baseURL: server.baseURL, apiKey: "sk-test", model: "m", timeoutMs: 2000 };
});

describe("classifyWithLLM", () => {
  it("does not call the model when the rules are sure", async () => {
    const { classification, llm } = await classifyWithLLM(
      task({ description: "restart deployment checkout -n shop" }),
      cfg,
    );
    expect(classification).toMatchObject({ method: "Rules", type: "Remediate" });
    expect(llm).toMatchObject({ used: false, promptTokens: 0 });
    expect(llm.fallbackReason).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  it("asks the model when unsure, with the text redacted and fenced, and takes a valid answer", async () => {
    server.script(
      answer({
        type: "Diagnose",
        target: { kind: "Deployment", namespace: "shop", name: "checkout" },
        confidence: 0.8,
        rationale: "asks why checkout fails",
      }),
    );
    const t = task({ description: "结账 checkout 最近怪怪的，shop 里，db password=hunter2" });
    const { classification, llm } = await classifyWithLLM(t, cfg);
    expect(classification).toEqual({
      type: "Diagnose",
      target: { kind: "Deployment", namespace: "shop", name: "checkout" },
      confidence: 0.8,
      method: "LLM",
      rationale: "asks why checkout fails",
      unsure: false,
    });
    expect(llm).toMatchObject({ used: true, model: "m", promptTokens: 100, completionTokens: 20 });
    const seen = server.seenText();
    expect(seen).toContain(`${FENCE_OPEN} (request text`);
    expect(seen).not.toContain("hunter2");
  });

  it("refuses a target the task never mentions (invented or injected)", async () => {
    server.script(
      answer({ type: "Remediate", target: { kind: "Namespace", name: "kube-system" }, confidence: 0.9 }),
    );
    const { classification } = await classifyWithLLM(task({ description: "看看 payment 怎么了" }), cfg);
    expect(classification).toMatchObject({
      method: "LLM",
      type: "Remediate",
      target: { kind: "Deployment", name: "payment" },
    });
  });

  it("keeps an explicit spec.type and spec.target", async () => {
    server.script(answer({ type: "HealthCheck", target: { kind: "Node", name: "n1" }, confidence: 0.9 }));
    const t = task({
      type: "Remediate",
      description: "fix it, n1",
      target: { kind: "Deployment", namespace: "a", name: "b" },
    });
    const { classification } = await classifyWithLLM(t, cfg, {
      rules: {
        type: "Remediate",
        confidence: 0.4,
        method: "Rules",
        unsure: true,
        target: { kind: "Deployment", namespace: "a", name: "b" },
      },
    });
    expect(classification).toMatchObject({
      type: "Remediate",
      target: { kind: "Deployment", namespace: "a", name: "b" },
      method: "LLM",
    });
  });

  it("keeps the rules when the model is less sure than they are", async () => {
    server.script(answer({ type: "HealthCheck", confidence: 0.2 }));
    const { classification, llm } = await classifyWithLLM(task({ description: "看看 payment 怎么了" }), cfg);
    expect(classification.method).toBe("Rules");
    expect(llm.used).toBe(false);
  });

  it("falls back to the rules on a 429, garbage, a schema fault or a timeout", async () => {
    const t = task({ description: "hello" });
    const cases: [object, string][] = [
      [{ status: 429 }, "LLMUnavailable"],
      [{ content: "Sure! It is a diagnose task." }, "LLMInvalidAnswer"],
      [answer({ type: "DeleteEverything", confidence: 1 }), "LLMInvalidAnswer"],
      [
        answer({ type: "Diagnose", target: { kind: "pod", name: "Bad Name" }, confidence: 0.9 }),
        "LLMInvalidAnswer",
      ],
      [{ delayMs: 1500, content: "{}" }, "LLMTimedOut"],
    ];
    for (const [reply, reason] of cases) {
      server.script(reply);
      const { classification, llm } = await classifyWithLLM(t, { ...cfg, timeoutMs: 300 });
      expect(classification, reason).toMatchObject({ method: "Rules", type: "Diagnose", unsure: true });
      expect(llm.fallbackReason, JSON.stringify(reply)).toBe(reason);
    }
  });
});
