/**
 * TLS certificates as the snapshot shows them: cert-manager Certificates (status.notAfter,
 * the Ready condition), their Issuers and CertificateRequests, kubernetes.io/tls Secrets when
 * their tls.crt is present, and the wordings of an expired certificate in application logs
 * (Go x509, Java PKIX, Node CERT_HAS_EXPIRED, Python ssl, OpenSSL/curl). Pure: no I/O.
 */
import { X509Certificate } from "node:crypto";
import type { Condition, K8sObject, Pod } from "./k8s.ts";
import { condition, toMs } from "./k8s.ts";
import type { ClusterView } from "./view.ts";

/** An expired (or not yet valid) certificate, in the common wordings. */
export const EXPIRED_CERT =
  /(x509: certificate has expired|certificate has expired|CERT_HAS_EXPIRED|CertificateExpiredException|tls: expired certificate|certificate expired|PKIX path validation failed.*validity check failed|validity check failed)/i;

/** The host a TLS error names (https://host[:port], "for host", a Go dial target), if any. */
export function certHost(line: string): { host: string; port?: number } | undefined {
  const m =
    /https:\/\/([a-z0-9.-]+)(?::(\d+))?/i.exec(line) ??
    /(?:dial tcp|connect to|host[:=] ?'?)\s*([a-z][a-z0-9.-]*)(?::(\d+))?/i.exec(line);
  if (!m?.[1]) return undefined;
  return { host: m[1].toLowerCase(), ...(m[2] ? { port: Number(m[2]) } : {}) };
}

export interface Certificate extends K8sObject {
  spec?: {
    secretName?: string;
    dnsNames?: string[];
    issuerRef?: { name: string; kind?: string; group?: string };
  };
  status?: {
    conditions?: Condition[];
    notAfter?: string;
    notBefore?: string;
    renewalTime?: string;
    lastFailureTime?: string;
    failedIssuanceAttempts?: number;
  };
}

/** True for cert-manager's kinds (apiVersion cert-manager.io/...). */
export function isCertManager(o: K8sObject): boolean {
  return !o.apiVersion || o.apiVersion.startsWith("cert-manager.io/");
}

/** The Issuer or ClusterIssuer a Certificate names, with its Ready condition. */
export function issuerOf(view: ClusterView, c: Certificate): K8sObject | undefined {
  const ref = c.spec?.issuerRef;
  if (!ref) return undefined;
  if (ref.kind === "ClusterIssuer") return view.get("ClusterIssuer", "", ref.name);
  return view.get("Issuer", c.metadata?.namespace ?? "", ref.name);
}

/** The newest CertificateRequest of a Certificate that did not succeed, if any. */
export function failedRequest(view: ClusterView, c: Certificate): K8sObject | undefined {
  const reqs = view
    .ownedBy(c)
    .filter((o) => o.kind === "CertificateRequest")
    .sort((a, b) => (toMs(b.metadata?.creationTimestamp) ?? 0) - (toMs(a.metadata?.creationTimestamp) ?? 0));
  const newest = reqs[0] as { status?: { conditions?: Condition[] } } | undefined;
  const ready = condition(newest?.status?.conditions, "Ready");
  return ready && ready.status !== "True" ? (newest as K8sObject) : undefined;
}

/** notAfter of a PEM certificate (base64 data of a kubernetes.io/tls Secret's tls.crt), if readable. */
export function pemNotAfter(b64: string | undefined): number | undefined {
  if (!b64) return undefined;
  try {
    const pem = Buffer.from(b64, "base64").toString("utf8");
    if (!pem.includes("BEGIN CERTIFICATE")) return undefined;
    return Date.parse(new X509Certificate(pem).validTo);
  } catch {
    return undefined;
  }
}

/** Pods in the namespace that mount the Secret as a volume. */
export function podsMountingSecret(view: ClusterView, ns: string, secret: string): Pod[] {
  return view
    .list<Pod>("Pod", ns)
    .filter((p) =>
      (p.spec?.volumes ?? []).some(
        (v) =>
          v.secret?.secretName === secret ||
          (v.projected?.sources ?? []).some((s) => s.secret?.name === secret),
      ),
    );
}
