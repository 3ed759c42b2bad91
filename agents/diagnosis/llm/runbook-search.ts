/** Runbook search for the model: Runbook CRs matching a category or words, trimmed to what helps. */
import type { K8sObject } from "../k8s.ts";
import type { ClusterView } from "../view.ts";

interface Runbook extends K8sObject {
  spec?: {
    title?: string;
    description?: string;
    matches?: { alertnames?: string[]; categories?: string[] };
    steps?: { title?: string; description?: string; command?: string }[];
    suggestedActions?: { action?: string; params?: Record<string, unknown> }[];
  };
}

function score(rb: Runbook, category: string | undefined, words: string[]): number {
  const spec = rb.spec ?? {};
  let n = category && spec.matches?.categories?.includes(category) ? 10 : 0;
  const text = `${spec.title ?? ""} ${spec.description ?? ""} ${(spec.matches?.alertnames ?? []).join(" ")}`;
  for (const w of words) if (text.toLowerCase().includes(w)) n++;
  return n;
}

/** The five best-matching runbooks (most specific first) among the visible ones, as plain data. */
export function runbookHits(
  view: ClusterView,
  category?: string,
  query?: string,
  visible: (rb: K8sObject) => boolean = () => true,
): unknown {
  const words = (query ?? "")
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 2);
  const hits = view
    .list<Runbook>("Runbook")
    .filter((rb) => (!rb.apiVersion || rb.apiVersion.startsWith("aisre.io/")) && visible(rb))
    .map((rb) => ({ rb, n: score(rb, category, words) }))
    .filter((h) => h.n > 0)
    .sort((a, b) => b.n - a.n)
    .slice(0, 5);
  if (hits.length === 0) return "no matching runbook";
  return hits.map(({ rb }) => ({
    name: `${rb.metadata?.namespace ?? ""}/${rb.metadata?.name ?? ""}`,
    title: rb.spec?.title,
    description: rb.spec?.description,
    categories: rb.spec?.matches?.categories,
    steps: rb.spec?.steps?.slice(0, 20),
    suggestedActions: rb.spec?.suggestedActions,
  }));
}
