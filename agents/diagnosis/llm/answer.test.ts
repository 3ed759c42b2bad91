import { describe, expect, it } from "vitest";
import type { K8sObject } from "../k8s.ts";
import type { DiagnosisResult } from "../types.ts";
import { MemoryView } from "../view.ts";
import { mergeAnswer, parseAnswer } from "./answer.ts";
import type { ModelAnswer } from "./answer.ts";
import { LLMAnswerError } from "./client.ts";
import { makeSanitizer } from "./sanitize.ts";

const objects: K8sObject[] = [
  { kind: "Deployment", metadata: { name: "api", namespace: "web" } },
  { kind: "Pod", metadata: { name: "api-1", namespace: "web" } },
  { kind: "Node", metadata: { name: "n1" } },
];
const view = new MemoryView(objects);
const s = makeSanitizer();
const api = { kind: "Deployment", namespace: "web", name: "api" };
const det: DiagnosisResult = {
  rootCause: { category: "CrashLoop", resource: api, summary: "api crashes", confidence: 0.8 },
  findings: [
    { category: "CrashLoop", severity: "critical", resource: api, message: "m", evidence: [] },
    {
      category: "NodePressure",
      severity: "warning",
      resource: { kind: "Node", name: "n1" },
      message: "m",
      evidence: [],
    },
  ],
  recommendations: [{ action: "RolloutRestart", target: api, params: {}, risk: "low", rationale: "r" }],
};
const answer = (over: Partial<ModelAnswer> = {}): ModelAnswer => ({
  rootCause: { category: "CrashLoop", resource: api, summary: "better", confidence: 0.9 },
  ...over,
});

describe("parseAnswer", () => {
  it("accepts a bare object, a fenced one, and one with prose around it", () => {
    const json = JSON.stringify(answer());
    for (const text of [json, "```json\n" + json + "\n```", `Here you go:\n${json}\nHope it helps.`])
      expect(parseAnswer(text).rootCause?.summary).toBe("better");
  });

  it("accepts rootCause null and a null namespace", () => {
    expect(parseAnswer('{"rootCause": null}').rootCause).toBeNull();
    const a = parseAnswer(
      JSON.stringify(
        answer({
          rootCause: {
            category: "NodePressure",
            resource: { kind: "Node", namespace: null, name: "n1" },
            summary: "s",
            confidence: 0.5,
          },
        }),
      ),
    );
    expect(a.rootCause?.resource.name).toBe("n1");
  });

  it("rejects prose, broken JSON, a missing rootCause, an unknown category, an out-of-range confidence", () => {
    const bad = [
      "the pod is sad",
      '{"rootCause": {',
      '{"explanation": "x"}',
      JSON.stringify(
        answer({
          rootCause: { category: "Gremlins" as never, resource: api, summary: "s", confidence: 0.5 },
        }),
      ),
      JSON.stringify(
        answer({ rootCause: { category: "CrashLoop", resource: api, summary: "s", confidence: 7 } }),
      ),
      JSON.stringify({ ...answer(), recommendations: "delete everything" }),
    ];
    for (const text of bad) expect(() => parseAnswer(text), text).toThrow(LLMAnswerError);
  });
});

describe("mergeAnswer", () => {
  it("takes the model's summary and confidence for a root cause the engine found, keeps findings", () => {
    const out = mergeAnswer(view, det, answer({ explanation: "why" }), s);
    expect(out.rootCause).toEqual({
      category: "CrashLoop",
      resource: api,
      summary: "better",
      confidence: 0.9,
    });
    expect(out.findings).toBe(det.findings);
    expect(out.recommendations).toBe(det.recommendations);
    expect(out.explanation).toBe("why");
    expect(out.llmNotes).toBeUndefined();
  });

  it("lets the model re-rank to another finding", () => {
    const n1 = { kind: "Node", name: "n1" };
    const out = mergeAnswer(
      view,
      det,
      answer({
        rootCause: { category: "NodePressure", resource: n1, summary: "pressure", confidence: 0.85 },
      }),
      s,
    );
    expect(out.rootCause).toMatchObject({ category: "NodePressure", resource: n1, confidence: 0.85 });
  });

  it("caps the confidence of a root cause no finding backs, and notes it", () => {
    const out = mergeAnswer(
      view,
      det,
      answer({ rootCause: { category: "OOMKilled", resource: api, summary: "oom", confidence: 0.95 } }),
      s,
    );
    expect(out.rootCause?.confidence).toBe(0.6);
    expect(out.llmNotes?.[0]).toMatch(/not backed by an engine finding/);
  });

  it("keeps the engine's root cause when the model names an object that does not exist, or none", () => {
    const ghost = mergeAnswer(
      view,
      det,
      answer({
        rootCause: {
          category: "CrashLoop",
          resource: { kind: "Deployment", namespace: "web", name: "ghost" },
          summary: "x",
          confidence: 0.9,
        },
      }),
      s,
    );
    expect(ghost.rootCause).toBe(det.rootCause);
    expect(ghost.llmNotes?.[0]).toMatch(/not in the cluster/);
    const none = mergeAnswer(view, det, answer({ rootCause: null }), s);
    expect(none.rootCause).toBe(det.rootCause);
  });

  it("validates recommendations: catalog, target kind, target in view; risk from the catalog; dedup", () => {
    const out = mergeAnswer(
      view,
      det,
      answer({
        recommendations: [
          { action: "DeleteNamespace", target: { kind: "Namespace", name: "web" } },
          { action: "ScaleWorkload", target: { kind: "Deployment", namespace: "web", name: "nope" } },
          { action: "CordonNode", target: api },
          {
            action: "ScaleWorkload",
            target: { kind: "deploy", namespace: "web", name: "api" },
            params: { replicas: 3, nested: { a: 1 }, note: "password=x" },
            rationale: "more",
          },
          { action: "ScaleWorkload", target: api, params: { replicas: 4 } },
          { action: "DeletePod", target: { kind: "Pod", namespace: "web", name: "api-1" } },
        ],
      }),
      s,
    );
    expect(out.recommendations).toEqual([
      {
        action: "ScaleWorkload",
        target: api,
        params: { replicas: 3, note: "password=***" },
        risk: "medium",
        rationale: "more",
      },
      {
        action: "DeletePod",
        target: { kind: "Pod", namespace: "web", name: "api-1" },
        params: {},
        risk: "low",
        rationale: "proposed by the LLM",
      },
    ]);
    expect(out.llmNotes).toEqual([
      "dropped DeleteNamespace: not in the action catalog",
      "dropped ScaleWorkload on Deployment nope: not in the cluster view",
      "dropped CordonNode: it cannot act on a Deployment",
    ]);
  });

  it("keeps the engine's recommendations when every one of the model's is dropped", () => {
    const out = mergeAnswer(view, det, answer({ recommendations: [{ action: "rm -rf", target: api }] }), s);
    expect(out.recommendations).toBe(det.recommendations);
    expect(out.llmNotes).toContain("every recommendation of the model was dropped; the engine's stand");
  });

  it("accepts an empty list: the model may say no action helps", () => {
    expect(mergeAnswer(view, det, answer({ recommendations: [] }), s).recommendations).toEqual([]);
  });

  it("redacts secret-shaped text the model produced", () => {
    const out = mergeAnswer(
      view,
      det,
      answer({ explanation: "use password=hunter2 with Bearer abcdefghijklmnop1234" }),
      s,
    );
    expect(out.explanation).toBe("use password=*** with Bearer ***");
  });
});
