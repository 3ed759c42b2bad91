/**
 * Runbook matching and ranking: Runbook custom resources (aisre.io/v1alpha1) whose spec.matches
 * names the alert, the root-cause category, or labels the alert carries (exact matches, which
 * dominate), ranked together with BM25 over each runbook's symptoms, title and text against the
 * incident's text (alert annotations, root cause and evidence), Chinese and English
 * (runbook-terms.ts). Each match says why: "category=CrashLoop", "text: 连接 拒绝 (bm25 3.2)".
 */
import okapi from "okapibm25";
import type { K8sObject } from "./k8s.ts";
import { identifierWords, terms } from "./runbook-terms.ts";
import type { AlertInfo, Category, RunbookMatch } from "./types.ts";
import type { ClusterView } from "./view.ts";

interface Runbook extends K8sObject {
  spec?: {
    title?: string;
    description?: string;
    matches?: { alertnames?: string[]; categories?: string[]; labels?: Record<string, string> };
    steps?: { title?: string; description?: string; command?: string }[];
  };
}

/** A match with its normalized score: exact matches land in [0.5, 1], text-only ones below 0.5. */
export type RankedRunbook = RunbookMatch & { score: number };

// CommonJS: Node's default import is module.exports ({ default: BM25 }); Vite unwraps it.
type Bm25 = (documents: string[], keywords: string[]) => number[];
const bm25Module = okapi as unknown as Bm25 | { default: Bm25 };
const BM25: Bm25 = typeof bm25Module === "function" ? bm25Module : bm25Module.default;

// Weights of the exact reasons inside the exact band; the text share ranks within it.
const EXACT = { alertname: 0.4, category: 0.4, labels: 0.2 };
const TEXT_SHARE = 0.3;
/** A text-only match needs this many distinct query terms and this share of the best text score. */
const TEXT_ONLY_MIN_TERMS = 2;
const TEXT_ONLY_MIN_SHARE = 0.3;
const CITED_TERMS = 5;

function exactReasons(rb: Runbook, category: Category | undefined, alert: AlertInfo | undefined) {
  const m = rb.spec?.matches;
  const why: string[] = [];
  let weight = 0;
  if (!m) return { why, weight };
  const alertname = alert?.labels?.alertname;
  if (alertname && m.alertnames?.includes(alertname)) {
    why.push(`alertname=${alertname}`);
    weight += EXACT.alertname;
  }
  if (category && m.categories?.includes(category)) {
    why.push(`category=${category}`);
    weight += EXACT.category;
  }
  const labels = Object.entries(m.labels ?? {});
  if (alert && labels.length > 0 && labels.every(([k, v]) => alert.labels?.[k] === v)) {
    why.push(...labels.map(([k, v]) => `${k}=${v}`));
    weight += EXACT.labels;
  }
  return { why, weight };
}

// Segmenting is the dearest part; informer caches hand out the same object until it changes.
const TERMS = new WeakMap<Runbook, string[]>();

/** The terms of a runbook's text, memoized per object. */
function runbookTerms(rb: Runbook): string[] {
  let t = TERMS.get(rb);
  if (!t) TERMS.set(rb, (t = terms(runbookText(rb))));
  return t;
}

/** Symptoms, title and text of a runbook: what BM25 reads. */
function runbookText(rb: Runbook): string {
  const s = rb.spec ?? {};
  const m = s.matches ?? {};
  return [
    s.title,
    s.description,
    ...(m.alertnames ?? []).map(identifierWords),
    ...(m.categories ?? []).map(identifierWords),
    ...Object.values(m.labels ?? {}),
    ...(s.steps ?? []).flatMap((st) => [st.title, st.description, st.command]),
  ]
    .filter((x): x is string => typeof x === "string" && x !== "")
    .join("\n");
}

/** Fixed-width ASCII ids for terms (see textScores). */
function termIds(): (t: string) => string {
  const ids = new Map<string, string>();
  return (t) => {
    let v = ids.get(t);
    if (!v) ids.set(t, (v = `t${String(ids.size).padStart(6, "0")}`));
    return v;
  };
}

interface TextScore {
  score: number;
  cited: string[];
  matchedTerms: number;
}
const NO_TEXT: TextScore = { score: 0, cited: [], matchedTerms: 0 };

/**
 * BM25 (okapibm25, one call) of the query over the runbooks, and the matched terms to cite,
 * rarest first. Terms go to the package as fixed-width ASCII ids, because it counts words with
 * /\w+/ (no Chinese) and matches terms as regular expressions and substrings ("port" in
 * "report"); fixed-width ids make both exact.
 */
function textScores(docs: string[][], query: string[]): TextScore[] {
  const sets = docs.map((d) => new Set(d));
  const distinct = [...new Set(query)].filter((t) => sets.some((s) => s.has(t)));
  if (distinct.length === 0) return docs.map(() => NO_TEXT);
  const id = termIds();
  const totals = BM25(
    docs.map((d) => d.map(id).join(" ")),
    distinct.map(id),
  );
  const df = new Map(distinct.map((t) => [t, sets.filter((s) => s.has(t)).length]));
  const tf = (i: number, t: string) => docs[i]!.filter((x) => x === t).length;
  return docs.map((_, i) => {
    const matched = distinct
      .filter((t) => sets[i]!.has(t))
      .sort((a, b) => df.get(a)! - df.get(b)! || tf(i, b) - tf(i, a) || a.localeCompare(b));
    return { score: totals[i] ?? 0, cited: matched.slice(0, CITED_TERMS), matchedTerms: matched.length };
  });
}

/** The incident's text BM25 compares with: alert annotations plus what the caller adds. */
function queryText(alert: AlertInfo | undefined, text: readonly string[]): string {
  const a = alert?.annotations ?? {};
  return [a.summary, a.description, a.message, ...text].filter(Boolean).join("\n");
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** One runbook's match (exact reasons, text), or undefined when it does not match. */
function rank(
  rb: Runbook,
  exact: { why: string[]; weight: number },
  t: TextScore,
  relative: number,
): RankedRunbook | undefined {
  const exactHit = exact.why.length > 0;
  const textOnly = t.matchedTerms >= TEXT_ONLY_MIN_TERMS && relative >= TEXT_ONLY_MIN_SHARE;
  if (!exactHit && !textOnly) return undefined;
  const matchedOn = [...exact.why];
  if (t.score > 0) matchedOn.push(`text: ${t.cited.join(" ")} (bm25 ${round(t.score, 1)})`);
  const score = exactHit
    ? 0.5 + 0.5 * ((1 - TEXT_SHARE) * Math.min(1, exact.weight) + TEXT_SHARE * relative)
    : 0.49 * relative;
  const m: RankedRunbook = {
    namespace: rb.metadata?.namespace ?? "",
    name: rb.metadata?.name ?? "",
    matchedOn,
    score: round(score, 2),
  };
  if (rb.spec?.title) m.title = rb.spec.title;
  return m;
}

/**
 * The Runbooks for this incident, best first: every exact match (alertname, category, all
 * labels), ranked within by BM25 text relevance, then runbooks that only share enough text.
 * `text` is the incident's own words (root-cause summary, evidence, log lines).
 */
export function matchRunbooks(
  view: ClusterView,
  category: Category | undefined,
  alert?: AlertInfo,
  text: readonly string[] = [],
): RankedRunbook[] {
  const runbooks = view
    .list<Runbook>("Runbook")
    .filter((rb) => !rb.apiVersion || rb.apiVersion.startsWith("aisre.io/"));
  if (runbooks.length === 0) return [];
  const query = terms(queryText(alert, text));
  const docs = query.length ? runbooks.map(runbookTerms) : [];
  const scored = query.length ? textScores(docs, query) : [];
  const best = Math.max(0, ...scored.map((s) => s.score));
  const out: RankedRunbook[] = [];
  runbooks.forEach((rb, i) => {
    const t = scored[i] ?? NO_TEXT;
    const m = rank(rb, exactReasons(rb, category, alert), t, best > 0 ? t.score / best : 0);
    if (m) out.push(m);
  });
  return out.sort((a, b) => b.score - a.score || b.matchedOn.length - a.matchedOn.length);
}
