/**
 * The model's answer: parsed into the diagnosis schema and validated. Schema faults make
 * the whole answer invalid (the deterministic result stands); recommendations outside the
 * catalog or on targets not in the view are dropped one by one and noted.
 */
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ACTION_RISKS, isActionName } from "../../../crds/actions.ts";
import { actionFitsKind } from "../../../crds/action-targets.ts";
import { LIMITS } from "../../../crds/limits.ts";
import { canonicalKind } from "../focus.ts";
import { publicRef, ref, refKey } from "../refs.ts";
import type { DiagnosisResult, ObjectRef, Recommendation, RootCause } from "../types.ts";
import { CATEGORIES } from "../types.ts";
import type { ClusterView } from "../view.ts";
import { LLMAnswerError } from "./client.ts";
import type { Sanitizer } from "./sanitize.ts";

const Ref = Type.Object({
  kind: Type.String({ minLength: 1, maxLength: 63 }),
  namespace: Type.Optional(Type.Union([Type.String({ maxLength: 63 }), Type.Null()])),
  name: Type.String({ minLength: 1, maxLength: 253 }),
});

const ModelAnswer = Type.Object({
  rootCause: Type.Union([
    Type.Null(),
    Type.Object({
      category: Type.Union(CATEGORIES.map((c) => Type.Literal(c))),
      resource: Ref,
      summary: Type.String({ minLength: 1 }),
      confidence: Type.Number({ minimum: 0, maximum: 1 }),
    }),
  ]),
  explanation: Type.Optional(Type.String()),
  recommendations: Type.Optional(
    Type.Array(
      Type.Object({
        action: Type.String(),
        target: Ref,
        params: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
        rationale: Type.Optional(Type.String()),
      }),
      { maxItems: 50 },
    ),
  ),
});
export type ModelAnswer = Static<typeof ModelAnswer>;

/** A diagnosis the LLM helped with: the contract plus its explanation and what was dropped. */
export type ExplainedDiagnosis = DiagnosisResult & { explanation?: string; llmNotes?: string[] };

/** Parses the model's final text into a ModelAnswer, or throws LLMAnswerError. */
export function parseAnswer(text: string): ModelAnswer {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) throw new LLMAnswerError("the answer holds no JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch (err) {
    throw new LLMAnswerError(`the answer is not valid JSON: ${(err as Error).message}`);
  }
  const fault = Value.Errors(ModelAnswer, value).First();
  if (fault)
    throw new LLMAnswerError(`the answer does not fit the schema at ${fault.path || "/"}: ${fault.message}`);
  return value as ModelAnswer;
}

const bound = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

function realRef(r: Static<typeof Ref>, s: Sanitizer): ObjectRef {
  return publicRef(
    ref(canonicalKind(s.real(r.kind)), r.namespace ? s.real(r.namespace) : "", s.real(r.name)),
  );
}

function exists(view: ClusterView, r: ObjectRef): boolean {
  return view.get(r.kind, r.namespace ?? "", r.name) !== undefined;
}

const keyOf = (r: ObjectRef) => refKey({ kind: r.kind, namespace: r.namespace ?? "", name: r.name });

function mergeRootCause(
  view: ClusterView,
  det: DiagnosisResult,
  a: ModelAnswer,
  s: Sanitizer,
  notes: string[],
) {
  if (!a.rootCause) {
    if (det.rootCause) notes.push("the model named no root cause; the engine's stands");
    return det.rootCause;
  }
  const resource = realRef(a.rootCause.resource, s);
  if (!exists(view, resource)) {
    notes.push(
      `the model's root cause names ${resource.kind} ${resource.name}, which is not in the cluster; the engine's stands`,
    );
    return det.rootCause;
  }
  const backed = [det.rootCause, ...det.findings].some(
    (f) => f && f.category === a.rootCause!.category && keyOf(f.resource) === keyOf(resource),
  );
  let confidence = Math.round(Math.min(0.98, a.rootCause.confidence) * 100) / 100;
  if (!backed) {
    confidence = Math.min(confidence, 0.6);
    notes.push(
      `the model's root cause ${a.rootCause.category} on ${resource.kind} ${resource.name} is not backed by an engine finding; confidence capped`,
    );
  }
  const rc: RootCause = {
    category: a.rootCause.category,
    resource,
    summary: bound(s.restore(a.rootCause.summary), LIMITS.message),
    confidence,
  };
  return rc;
}

function params(raw: Record<string, unknown> | null | undefined, s: Sanitizer): Recommendation["params"] {
  const out: Recommendation["params"] = {};
  for (const [k, v] of Object.entries(raw ?? {}).slice(0, LIMITS.params)) {
    if (typeof v === "string") out[k] = bound(s.restore(v), 256);
    else if (typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

type ModelRec = NonNullable<ModelAnswer["recommendations"]>[number];

function checkRec(
  view: ClusterView,
  det: DiagnosisResult,
  r: ModelRec,
  s: Sanitizer,
): Recommendation | string {
  const action = s.restore(r.action).slice(0, 64);
  if (!isActionName(r.action)) return `dropped ${action}: not in the action catalog`;
  const target = realRef(r.target, s);
  if (!actionFitsKind(r.action, target.kind)) return `dropped ${action}: it cannot act on a ${target.kind}`;
  const known = det.recommendations.some((d) => keyOf(d.target) === keyOf(target));
  if (!known && !exists(view, target))
    return `dropped ${action} on ${target.kind} ${target.name}: not in the cluster view`;
  return {
    action: r.action,
    target,
    params: params(r.params, s),
    risk: ACTION_RISKS[r.action],
    rationale: bound(s.restore(r.rationale || "proposed by the LLM"), LIMITS.message),
  };
}

function mergeRecommendations(
  view: ClusterView,
  det: DiagnosisResult,
  a: ModelAnswer,
  s: Sanitizer,
  notes: string[],
) {
  if (!a.recommendations) return det.recommendations;
  const kept: Recommendation[] = [];
  const seen = new Set<string>();
  for (const r of a.recommendations) {
    const checked = checkRec(view, det, r, s);
    if (typeof checked === "string") {
      notes.push(checked);
      continue;
    }
    const k = `${checked.action}/${keyOf(checked.target)}`;
    if (!seen.has(k) && kept.length < LIMITS.recommendations) kept.push(checked);
    seen.add(k);
  }
  if (kept.length === 0 && a.recommendations.length > 0 && det.recommendations.length > 0) {
    notes.push("every recommendation of the model was dropped; the engine's stand");
    return det.recommendations;
  }
  return kept;
}

/** The deterministic diagnosis refined by a validated answer; findings and runbooks stay the engine's. */
export function mergeAnswer(
  view: ClusterView,
  det: DiagnosisResult,
  answer: ModelAnswer,
  s: Sanitizer,
): ExplainedDiagnosis {
  const notes: string[] = [];
  const out: ExplainedDiagnosis = {
    ...det,
    rootCause: mergeRootCause(view, det, answer, s, notes),
    recommendations: mergeRecommendations(view, det, answer, s, notes),
  };
  if (answer.explanation) out.explanation = bound(s.restore(answer.explanation), LIMITS.text);
  if (notes.length > 0) out.llmNotes = notes;
  return out;
}
