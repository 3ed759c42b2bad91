/** Which workloads and pods a Service-style selector reaches. */
import type { K8sObject, LabelSelector, Labels, Pod, Workload } from "./k8s.ts";
import { asSelector, isEmptySelector, matches } from "./selectors.ts";
import type { ClusterView } from "./view.ts";

const TEMPLATED = ["Deployment", "StatefulSet", "DaemonSet"];

/** Workloads of a namespace whose pod template the selector matches. */
export function workloadsSelectedBy(
  view: ClusterView,
  namespace: string,
  selector: LabelSelector | Labels | undefined,
): Workload[] {
  const sel = asSelector(selector);
  if (isEmptySelector(sel)) return [];
  return TEMPLATED.flatMap((kind) =>
    view.list<Workload>(kind, namespace).filter((w) => matches(sel, w.spec?.template?.metadata?.labels)),
  );
}

/** Jobs and CronJobs whose pod template the selector matches (their pods come and go). */
export function jobsSelectedBy(view: ClusterView, namespace: string, selector: Labels): K8sObject[] {
  const sel = asSelector(selector);
  if (isEmptySelector(sel)) return [];
  const jobs = view
    .list<Workload>("Job", namespace)
    .filter((j) => matches(sel, j.spec?.template?.metadata?.labels));
  const crons = view
    .list<
      K8sObject & { spec?: { jobTemplate?: { spec?: { template?: { metadata?: { labels?: Labels } } } } } }
    >("CronJob", namespace)
    .filter((c) => matches(sel, c.spec?.jobTemplate?.spec?.template?.metadata?.labels));
  return [...jobs, ...crons];
}

/** The workload or pod whose labels come closest to a selector that matches nothing (for evidence). */
export function nearestLabels(view: ClusterView, namespace: string, selector: Labels): string | undefined {
  const want = Object.entries(selector);
  let best: { text: string; score: number } | undefined;
  const consider = (what: string, labels: Labels | undefined) => {
    const l = labels ?? {};
    const score = want.filter(([k]) => k in l).length + want.filter(([k, v]) => l[k] === v).length;
    if (score > 0 && (!best || score > best.score)) {
      const shown = want.map(([k]) => `${k}=${l[k] ?? "<none>"}`).join(",");
      best = { text: `${what} has ${shown}`, score };
    }
  };
  for (const kind of TEMPLATED) {
    for (const w of view.list<Workload>(kind, namespace))
      consider(`${kind} ${w.metadata?.name} template`, w.spec?.template?.metadata?.labels);
  }
  if (!best)
    for (const p of view.list<Pod>("Pod", namespace).slice(0, 500))
      consider(`pod ${p.metadata?.name}`, p.metadata?.labels);
  return best?.text;
}
