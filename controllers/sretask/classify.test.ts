import { describe, expect, it, vi } from "vitest";
import type { classifyWithLLM } from "../../agents/classifier/index.ts";
import type { TaskClassification } from "../../agents/classifier/index.ts";
import type { LLMUsage } from "../../agents/diagnosis/llm/index.ts";
import type { AgentConfig, SreTask, SreTaskStatus } from "../../crds/index.ts";
import type { ClassifyDeps } from "./classify.ts";
import { decideClassification, recordClassification } from "./classify.ts";

const KEY = "sk-unit-secret-0123456789";
const task = (description: string): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "t", namespace: "shop", generation: 1 },
  spec: { description },
});
const UNSURE = task("checkout 有点不对劲");
const SURE = task("restart deployment checkout -n shop");
const config = (llm: NonNullable<AgentConfig["spec"]["llm"]>): AgentConfig => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "AgentConfig",
  metadata: { name: "default", namespace: "shop" },
  spec: { llm },
});
const ENABLED = config({
  enabled: true,
  baseURL: "http://127.0.0.1:9/v1",
  model: "m",
  apiKeySecretRef: { name: "llm", key: "apiKey" },
});
const usage = (u: Partial<LLMUsage>): LLMUsage => ({
  used: false,
  promptTokens: 0,
  completionTokens: 0,
  latencyMs: 1,
  ...u,
});
const LLM_ANSWER: TaskClassification = {
  type: "HealthCheck",
  target: { kind: "Deployment", namespace: "shop", name: "checkout" },
  confidence: 0.85,
  method: "LLM",
  rationale: "a general check",
  unsure: false,
};

type Fake = typeof classifyWithLLM;
function deps(over: Partial<ClassifyDeps> = {}, answer?: Awaited<ReturnType<Fake>>): ClassifyDeps {
  const fake = vi.fn<Fake>(
    async (_t, _s, opts) => answer ?? { classification: opts!.rules!, llm: usage({}) },
  );
  return {
    agentConfig: vi.fn(async () => ENABLED),
    apiKey: vi.fn(async () => KEY),
    classifyWithLLM: fake,
    ...over,
  };
}

const message = (status: SreTaskStatus) => status.conditions?.find((c) => c.type === "Classified")?.message;
function record(t: SreTask, d: Awaited<ReturnType<typeof decideClassification>>): SreTaskStatus {
  const status: SreTaskStatus = {};
  recordClassification(status, t, d, 0);
  return status;
}

describe("decideClassification", () => {
  it("takes sure rules without looking for an AgentConfig or asking the LLM", async () => {
    const d = deps();
    const decision = await decideClassification(SURE, d);
    expect(decision.classification).toMatchObject({ method: "Rules", type: "Remediate", unsure: false });
    expect(decision.fallback).toBeUndefined();
    expect(d.agentConfig).not.toHaveBeenCalled();
    expect(d.classifyWithLLM).not.toHaveBeenCalled();
    expect(message(record(SURE, decision))).toMatch(
      /^Remediate about Deployment shop\/checkout \(confidence [\d.]+, rules\)$/,
    );
  });

  it("keeps unsure rules when no AgentConfig or no enabled LLM exists", async () => {
    for (const found of [undefined, config({ enabled: false })]) {
      const d = deps({ agentConfig: async () => found });
      const decision = await decideClassification(UNSURE, d);
      expect(decision).toMatchObject({
        classification: { method: "Rules", unsure: true },
        fallback: { reason: "LLMDisabled" },
      });
      expect(d.classifyWithLLM).not.toHaveBeenCalled();
      expect(message(record(UNSURE, decision))).toMatch(/rules, unsure; no LLM is configured\)$/);
    }
  });

  it("keeps unsure rules when the enabled LLM has no API key", async () => {
    const d = deps({ apiKey: async () => undefined });
    const decision = await decideClassification(UNSURE, d);
    expect(decision.fallback?.reason).toBe("LLMUnavailable");
    expect(d.classifyWithLLM).not.toHaveBeenCalled();
    expect(message(record(UNSURE, decision))).toMatch(/LLM fallback: the LLM was unavailable \(.*no API key/);
  });

  it("asks the LLM when the rules are unsure and takes its valid answer", async () => {
    const d = deps({}, { classification: LLM_ANSWER, llm: usage({ used: true, model: "m" }) });
    const decision = await decideClassification(UNSURE, d);
    expect(decision.classification).toEqual(LLM_ANSWER);
    expect(decision.fallback).toBeUndefined();
    const [t, settings, opts] = vi.mocked(d.classifyWithLLM!).mock.calls[0]!;
    expect(t).toBe(UNSURE);
    expect(settings).toMatchObject({ baseURL: "http://127.0.0.1:9/v1", model: "m", apiKey: KEY });
    expect(opts?.rules).toMatchObject({ method: "Rules", unsure: true });
    const status = record(UNSURE, decision);
    expect(status.classification).toEqual({
      type: "HealthCheck",
      target: { kind: "Deployment", namespace: "shop", name: "checkout" },
      confidence: 0.85,
      method: "LLM",
      rationale: "a general check",
    });
    expect(message(status)).toBe(
      "HealthCheck about Deployment shop/checkout (confidence 0.85, LLM; the rules were unsure)",
    );
  });

  it("keeps the rules on an LLM failure, with the reason and a detail scrubbed of the key", async () => {
    const failed = usage({ fallbackReason: "LLMUnavailable", fallbackDetail: `HTTP 429: slow down ${KEY}` });
    const d = deps({}, { classification: { ...LLM_ANSWER, method: "Rules" }, llm: failed });
    const decision = await decideClassification(UNSURE, d);
    expect(decision.classification).toMatchObject({ method: "Rules", type: "Diagnose", unsure: true });
    const status = record(UNSURE, decision);
    expect(status.classification?.method).toBe("Rules");
    expect(message(status)).toMatch(
      /rules, unsure; LLM fallback: the LLM was unavailable \(HTTP 429: slow down/,
    );
    expect(JSON.stringify({ decision, status })).not.toContain(KEY);
  });

  it("names a timeout, an invalid answer and a model no surer than the rules", async () => {
    const cases: [Partial<LLMUsage>, RegExp][] = [
      [{ fallbackReason: "LLMTimedOut" }, /LLM fallback: the LLM timed out\)$/],
      [{ fallbackReason: "LLMInvalidAnswer" }, /LLM fallback: the LLM's answer was invalid\)$/],
      [{}, /LLM fallback: the LLM was no surer than the rules\)$/],
    ];
    for (const [u, expected] of cases) {
      const rules = { type: "Diagnose", confidence: 0.3, method: "Rules", unsure: true } as const;
      const decision = await decideClassification(UNSURE, deps({}, { classification: rules, llm: usage(u) }));
      expect(message(record(UNSURE, decision))).toMatch(expected);
    }
  });

  it("keeps the rules when the lookup or the LLM call throws", async () => {
    const boom = new Error(`secrets "llm" is forbidden`);
    const lookup = await decideClassification(UNSURE, deps({ apiKey: () => Promise.reject(boom) }));
    expect(lookup.fallback).toEqual({
      reason: "LLMUnavailable",
      detail: `could not read its API key Secret: secrets "llm" is forbidden`,
    });
    const thrown = await decideClassification(
      UNSURE,
      deps({ classifyWithLLM: () => Promise.reject(new Error(`bad ${KEY}`)) }),
    );
    expect(thrown).toMatchObject({
      classification: { method: "Rules" },
      fallback: { reason: "LLMUnavailable" },
    });
    expect(JSON.stringify(thrown)).not.toContain(KEY);
  });

  it("records nothing when the reconcile was aborted (shutdown), so the next leader asks again", async () => {
    const abort = new AbortController();
    const fake = vi.fn<Fake>(async (_t, _s, opts) => {
      abort.abort();
      return { classification: opts!.rules!, llm: usage({ fallbackReason: "LLMTimedOut" }) };
    });
    await expect(
      decideClassification(UNSURE, deps({ classifyWithLLM: fake, signal: abort.signal })),
    ).rejects.toThrow();
  });
});

describe("recordClassification", () => {
  it("records once: an existing classification is never replaced", async () => {
    const first = await decideClassification(UNSURE, deps({ agentConfig: async () => undefined }));
    const status = record(UNSURE, first);
    const before = structuredClone(status);
    recordClassification(status, UNSURE, { classification: LLM_ANSWER }, 1);
    expect(status).toEqual(before);
  });
});
