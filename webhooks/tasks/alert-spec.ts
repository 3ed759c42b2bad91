/** The SreTask an alert becomes: its spec.alert fitted to the CRD's limits, name and labels. */
import type { Alert, SreTask } from "../../crds/index.ts";
import { LIMITS, typeMeta } from "../../crds/index.ts";
import type { WebhookAlert } from "../alertmanager/schema.ts";
import { alertTaskLabels } from "../alertmanager/naming.ts";

const MAX_ANNOTATIONS = 32;
// Kept first when an alert has more annotations than the CRD holds.
const KEY_ANNOTATIONS = ["summary", "description", "message", "runbook_url"];

/** Annotations fitted to the CRD: the key ones first, at most 32, values cut to LIMITS.text. */
export function fitAnnotations(annotations: Record<string, string>): Record<string, string> {
  const keys = Object.keys(annotations);
  const ordered = [
    ...KEY_ANNOTATIONS.filter((k) => k in annotations),
    ...keys.filter((k) => !KEY_ANNOTATIONS.includes(k)).sort(),
  ];
  const out: Record<string, string> = {};
  for (const key of ordered.slice(0, MAX_ANNOTATIONS)) {
    const v = annotations[key]!;
    out[key] = v.length > LIMITS.text ? `${v.slice(0, LIMITS.text - 1)}…` : v;
  }
  return out;
}

/** A real timestamp (Alertmanager sends 0001-01-01T00:00:00Z for "unset"). */
const realTime = (t: string | undefined): string | undefined =>
  t !== undefined && Date.parse(t) > 0 ? t : undefined;

/** spec.alert of an alert's task. endsAt is kept only once resolved: while firing it is a guess. */
export function specAlert(alert: WebhookAlert): Alert {
  const out: Alert = { fingerprint: alert.fingerprint, status: alert.status, labels: { ...alert.labels } };
  if (alert.annotations && Object.keys(alert.annotations).length)
    out.annotations = fitAnnotations(alert.annotations);
  const startsAt = realTime(alert.startsAt);
  if (startsAt) out.startsAt = startsAt;
  const endsAt = alert.status === "resolved" ? realTime(alert.endsAt) : undefined;
  if (endsAt) out.endsAt = endsAt;
  if (alert.generatorURL && alert.generatorURL.length <= LIMITS.url) out.generatorURL = alert.generatorURL;
  return out;
}

/** The SreTask to create for a firing alert. */
export function alertTask(namespace: string, name: string, alert: WebhookAlert): SreTask {
  return {
    ...typeMeta("SreTask"),
    metadata: { name, namespace, labels: alertTaskLabels(alert.labels, alert.fingerprint) },
    spec: { source: "Alertmanager", alert: specAlert(alert) },
  };
}

/** True when alert b started strictly after alert a (a new firing episode of the same fingerprint). */
export function startedAfter(b: string | undefined, a: string | undefined): boolean {
  const tb = b ? Date.parse(b) : NaN;
  const ta = a ? Date.parse(a) : NaN;
  return Number.isFinite(tb) && Number.isFinite(ta) && tb > ta;
}
