/**
 * CertificateExpired: a certificate that a workload or Ingress serves or trusts has expired
 * or is not ready. Read from cert-manager Certificates (status.notAfter past, or Ready=False
 * long enough to be more than an issuance in progress), from kubernetes.io/tls Secrets an
 * Ingress serves when their tls.crt is in the snapshot, and from "certificate has expired"
 * errors in application logs, traced to the Certificate behind the host they name when one
 * is visible. An admission webhook whose serving certificate expired is AdmissionWebhookFailure
 * (creation analyzer): its Certificate is only a warning here, so the blocked creations win.
 */
import { rec } from "../catalog.ts";
import type { Certificate } from "../certs.ts";
import {
  certHost,
  EXPIRED_CERT,
  failedRequest,
  isCertManager,
  issuerOf,
  pemNotAfter,
  podsMountingSecret,
} from "../certs.ts";
import { serviceOfHost } from "../dns.ts";
import type { Fault } from "../fault.ts";
import { worse } from "../fault.ts";
import type { Condition, Ingress, K8sObject, Pod } from "../k8s.ts";
import { condition, humanDuration, toMs } from "../k8s.ts";
import { workloadOf } from "../owners.ts";
import { ref, refKey, refOf } from "../refs.ts";
import type { Recommendation } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { excerpt, isFailing, matchingLines } from "./pod-logs.ts";
import { webhookHealth } from "./webhook.ts";

/** A Ready=False shorter than this is an issuance in progress, not a failure. */
const ISSUING_GRACE_MS = 30 * 60 * 1000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function ingressesUsing(view: ClusterView, ns: string, secret: string): Ingress[] {
  return view
    .list<Ingress>("Ingress", ns)
    .filter((i) =>
      ((i.spec as { tls?: { secretName?: string }[] } | undefined)?.tls ?? []).some(
        (t) => t.secretName === secret,
      ),
    );
}

function expiry(view: ClusterView, c: Certificate): { expired: boolean; text: string } | undefined {
  const notAfter = toMs(c.status?.notAfter);
  if (notAfter === undefined || notAfter > view.now) return undefined;
  const ago = humanDuration(view.now - notAfter);
  return { expired: true, text: `status.notAfter=${c.status?.notAfter} (expired ${ago} ago)` };
}

function certProblem(view: ClusterView, c: Certificate): { expired: boolean; text: string } | undefined {
  const expired = expiry(view, c);
  if (expired) return expired;
  const status = c.status ?? {};
  const ready = condition(status.conditions, "Ready");
  if (ready?.status !== "False") return undefined;
  const since = toMs(ready.lastTransitionTime);
  const failed = !!status.lastFailureTime || (status.failedIssuanceAttempts ?? 0) > 0;
  if (!failed && (since === undefined || view.now - since < ISSUING_GRACE_MS)) return undefined;
  const message = (ready.message ?? "").slice(0, 200);
  return { expired: false, text: `condition Ready=False reason=${ready.reason ?? "?"}: ${message}` };
}

function conditionText(o: K8sObject | undefined, label: string): string | undefined {
  const r = condition(
    (o as { status?: { conditions?: Condition[] } } | undefined)?.status?.conditions,
    "Ready",
  );
  if (!o || !r || r.status === "True") return undefined;
  return `${label} ${o.metadata?.name} Ready=${r.status}${r.reason ? ` reason=${r.reason}` : ""}: ${(r.message ?? "").slice(0, 200)}`;
}

/** Secrets that back an admission webhook's Service (its serving certificate). */
function webhookSecrets(view: ClusterView): Set<string> {
  const out = new Set<string>();
  for (const h of webhookHealth(view))
    for (const p of h.pods)
      for (const v of p.spec?.volumes ?? [])
        if (v.secret) out.add(`${p.metadata?.namespace}/${v.secret.secretName}`);
  return out;
}

function certEvidence(view: ClusterView, c: Certificate, text: string, users: string[]): string[] {
  const ns = c.metadata?.namespace ?? "";
  const spec = c.spec ?? {};
  const issuer = conditionText(issuerOf(view, c), spec.issuerRef?.kind ?? "Issuer");
  const request = conditionText(failedRequest(view, c), "CertificateRequest");
  const out = [text, `secret ${ns}/${spec.secretName}${users.length ? ` used by ${users.join(", ")}` : ""}`];
  for (const x of [issuer, request]) if (x) out.push(x);
  if (c.status?.renewalTime) out.push(`status.renewalTime=${c.status.renewalTime}`);
  return out;
}

function certificateFault(view: ClusterView, c: Certificate, hooks: Set<string>): Fault | undefined {
  const problem = certProblem(view, c);
  if (!problem) return undefined;
  const ns = c.metadata?.namespace ?? "";
  const secret = c.spec?.secretName ?? "";
  const pods = podsMountingSecret(view, ns, secret);
  const ings = ingressesUsing(view, ns, secret);
  const users = [
    ...ings.map((i) => `Ingress ${ns}/${i.metadata?.name}`),
    ...pods.slice(0, 3).map((p) => `pod ${p.metadata?.name}`),
  ];
  const evidence = certEvidence(view, c, problem.text, users);
  const servesWebhook = hooks.has(`${ns}/${secret}`);
  if (servesWebhook)
    evidence.push("the secret serves an admission webhook: blocked creations are AdmissionWebhookFailure");
  const used = problem.expired || users.length > 0;
  return {
    category: "CertificateExpired",
    severity: !servesWebhook && used ? "critical" : "warning",
    resource: refOf(c),
    subject: refOf(c),
    message: `Certificate ${ns}/${c.metadata?.name} ${problem.expired ? "has expired" : "is not ready"}: ${problem.text}`,
    evidence,
    pods: pods.map((p) => refKey(refOf(p))),
    facts: { detail: problem.text, object: secret },
    strength: problem.expired ? 0.95 : 0.8,
  };
}

function certificateFaults(view: ClusterView): Map<string, Fault> {
  const out = new Map<string, Fault>();
  const certs = view.list<Certificate>("Certificate").filter(isCertManager);
  if (certs.length === 0) return out;
  const hooks = webhookSecrets(view);
  for (const c of certs) {
    const f = certificateFault(view, c, hooks);
    if (f) out.set(refKey(f.subject), f);
  }
  return out;
}

/** Ingress TLS Secrets whose tls.crt is in the snapshot and expired, when no Certificate manages them. */
function ingressSecretFaults(view: ClusterView, known: Map<string, Fault>): void {
  const managed = new Set([...known.values()].map((f) => `${f.subject.namespace}/${f.facts.object}`));
  for (const ing of view.list<Ingress>("Ingress")) {
    const ns = ing.metadata?.namespace ?? "";
    for (const t of (ing.spec as { tls?: { secretName?: string }[] } | undefined)?.tls ?? []) {
      if (!t.secretName || managed.has(`${ns}/${t.secretName}`)) continue;
      const secret = view.get<{ data?: Record<string, string> } & K8sObject>("Secret", ns, t.secretName);
      const notAfter = pemNotAfter(secret?.data?.["tls.crt"]);
      if (notAfter === undefined || notAfter > view.now) continue;
      const text = `secret ${ns}/${t.secretName} tls.crt notAfter=${iso(notAfter)} (expired ${humanDuration(view.now - notAfter)} ago)`;
      known.set(refKey(refOf(ing)), {
        category: "CertificateExpired",
        severity: "critical",
        resource: refOf(ing),
        subject: refOf(ing),
        message: `Ingress ${ns}/${ing.metadata?.name} serves an expired certificate: ${text}`,
        evidence: [text],
        pods: [],
        facts: { detail: text, object: t.secretName },
        strength: 0.9,
      });
    }
  }
}

function servesHost(view: ClusterView, f: Fault, host: string): boolean {
  if (f.subject.kind !== "Ingress") return false;
  const ing = view.get<Ingress>("Ingress", f.subject.namespace, f.subject.name);
  return (ing?.spec?.rules ?? []).some((r) => r.host === host);
}

/** The Certificate fault behind the host an x509 error names (Service → pods → mounted secret), if any. */
function certBehind(
  view: ClusterView,
  known: Map<string, Fault>,
  host: string,
  fromNs: string,
): Fault | undefined {
  const svc = serviceOfHost(view, host, fromNs);
  if (!svc) return [...known.values()].find((f) => servesHost(view, f, host));
  const ns = svc.metadata?.namespace ?? "";
  const pods = view.podsSelected(ns, svc.spec?.selector).map((p) => refKey(refOf(p)));
  return [...known.values()].find((f) => f.subject.namespace === ns && pods.some((p) => f.pods.includes(p)));
}

function addClient(f: Fault, pod: Pod, line: string): void {
  const key = refKey(refOf(pod));
  if (!f.pods.includes(key)) f.pods.push(key);
  if (f.evidence.length < 10) f.evidence.push(`client error: ${line}`);
  if (isFailing(pod) && f.severity !== "warning") f.severity = worse(f.severity, "critical");
}

/** x509 expiry errors in logs: evidence for a known Certificate, else a fault on the workload that logs them. */
function logFaults(view: ClusterView, known: Map<string, Fault>): void {
  for (const pod of view.list<Pod>("Pod")) {
    const hit = matchingLines(view, pod, EXPIRED_CERT, 1)[0];
    if (!hit) continue;
    const line = `${pod.metadata?.name}/${hit.container}: ${excerpt(hit.line, EXPIRED_CERT)}`;
    const host = certHost(hit.line);
    const behind = host ? certBehind(view, known, host.host, pod.metadata?.namespace ?? "") : undefined;
    if (behind) {
      addClient(behind, pod, line);
      continue;
    }
    // Only a failing workload is named for an error no Certificate explains (an old line is not an outage).
    if (!isFailing(pod)) continue;
    const subject = workloadOf(view, pod);
    const k = `log|${refKey(subject)}`;
    const f = known.get(k);
    if (f) addClient(f, pod, line);
    else known.set(k, clientFault(pod, subject, line, host?.host));
  }
}

function clientFault(pod: Pod, subject: Fault["subject"], line: string, host: string | undefined): Fault {
  return {
    category: "CertificateExpired",
    severity: "critical",
    resource: refOf(pod),
    subject,
    message: `${subject.name} fails TLS: a certificate it ${host ? `trusts on ${host}` : "uses"} has expired`,
    evidence: [
      line,
      host ? `host ${host}: no Certificate or TLS secret for it in the snapshot` : "no host named",
    ],
    pods: [refKey(refOf(pod))],
    facts: { detail: line.slice(0, 200), lastLog: line },
    strength: 0.75,
  };
}

/** Every CertificateExpired fault. */
export function analyzeCertificates(view: ClusterView): Fault[] {
  const known = certificateFaults(view);
  ingressSecretFaults(view, known);
  logFaults(view, known);
  return [...known.values()];
}

function renew(f: Fault): Recommendation[] {
  if (f.subject.kind !== "Certificate") return [];
  const c = ref("Certificate", f.subject.namespace, f.subject.name);
  return [
    rec(
      "RunbookOnly",
      c,
      `fix the issuer error in the evidence, then renew: cmctl renew -n ${f.subject.namespace} ${f.subject.name} (or delete secret ${f.facts.object ?? "?"} so cert-manager reissues it) and restart the pods that mount it`,
    ),
  ];
}

/** Expired or unready TLS certificates. */
export const certificatesAnalyzer: Analyzer = {
  name: "certificates",
  categories: ["CertificateExpired"],
  owns: [
    {
      category: "CertificateExpired",
      depth: DEPTH.infrastructure,
      runbook:
        "renew the certificate (cert-manager: fix the Issuer/CertificateRequest error, then cmctl renew; a manual TLS secret: replace tls.crt/tls.key) and restart or reload the workloads that serve or trust it",
      actions: renew,
    },
  ],
  analyze: ({ view }) => analyzeCertificates(view),
};
