/**
 * Runbook matching: Runbook custom resources (aisre.io/v1alpha1) whose
 * spec.matches names the alert, the root-cause category, or labels the alert carries.
 */
import type { K8sObject } from "./k8s.ts";
import type { AlertInfo, Category, RunbookMatch } from "./types.ts";
import type { ClusterView } from "./view.ts";

interface Runbook extends K8sObject {
  spec?: {
    title?: string;
    matches?: { alertnames?: string[]; categories?: string[]; labels?: Record<string, string> };
  };
}

function matchReasons(rb: Runbook, category: Category | undefined, alert: AlertInfo | undefined): string[] {
  const m = rb.spec?.matches;
  if (!m) return [];
  const why: string[] = [];
  const alertname = alert?.labels?.alertname;
  if (alertname && m.alertnames?.includes(alertname)) why.push(`alertname=${alertname}`);
  if (category && m.categories?.includes(category)) why.push(`category=${category}`);
  const labels = Object.entries(m.labels ?? {});
  if (alert && labels.length > 0 && labels.every(([k, v]) => alert.labels?.[k] === v))
    why.push(...labels.map(([k, v]) => `${k}=${v}`));
  return why;
}

/** The Runbooks matching this incident, most specific (most reasons) first. */
export function matchRunbooks(
  view: ClusterView,
  category: Category | undefined,
  alert?: AlertInfo,
): RunbookMatch[] {
  const out: RunbookMatch[] = [];
  for (const rb of view.list<Runbook>("Runbook")) {
    if (rb.apiVersion && !rb.apiVersion.startsWith("aisre.io/")) continue;
    const matchedOn = matchReasons(rb, category, alert);
    if (matchedOn.length === 0) continue;
    const m: RunbookMatch = {
      namespace: rb.metadata?.namespace ?? "",
      name: rb.metadata?.name ?? "",
      matchedOn,
    };
    if (rb.spec?.title) m.title = rb.spec.title;
    out.push(m);
  }
  return out.sort((a, b) => b.matchedOn.length - a.matchedOn.length);
}
