// Expired-certificate wordings and reading notAfter from a kubernetes.io/tls Secret.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { certHost, EXPIRED_CERT, pemNotAfter } from "./certs.ts";

describe("expired certificate wordings", () => {
  it.each([
    "x509: certificate has expired or is not yet valid: current time 2026-11-20T09:58:31Z is after 2026-11-20T09:20:00Z",
    "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed",
    "Caused by: java.security.cert.CertificateExpiredException: NotAfter: Thu Nov 19 23:59:59 UTC 2026",
    "Error: certificate has expired { code: 'CERT_HAS_EXPIRED' }",
    "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)",
    "curl: (60) SSL certificate problem: certificate has expired",
    "http: TLS handshake error from 10.0.1.5:51234: remote error: tls: expired certificate",
  ])("matches %s", (line) => {
    expect(EXPIRED_CERT.test(line)).toBe(true);
  });

  it("does not match other TLS errors", () => {
    expect(EXPIRED_CERT.test("x509: certificate signed by unknown authority")).toBe(false);
    expect(EXPIRED_CERT.test("x509: certificate is valid for ingress.local, not api.example")).toBe(false);
  });

  it("finds the host an error names", () => {
    expect(certHost('Get "https://ledger.payments.svc:8443/v1": x509: certificate has expired')).toEqual({
      host: "ledger.payments.svc",
      port: 8443,
    });
  });
});

describe("pemNotAfter", () => {
  it("reads notAfter of a real certificate and refuses what is not one", () => {
    const gen = readFileSync(
      new URL("../../test/fixtures/scenarios/_gen/v2-lib.mjs", import.meta.url),
      "utf8",
    );
    const b64 = /EXPIRED_GRAFANA_CRT = "([^"]+)"/.exec(gen)![1]!;
    const want = Date.parse(new X509Certificate(Buffer.from(b64, "base64").toString()).validTo);
    expect(pemNotAfter(b64)).toBe(want);
    expect(new Date(want).toISOString()).toBe("2026-11-18T00:00:00.000Z");
    expect(pemNotAfter("UkVEQUNURUQ=")).toBeUndefined();
    expect(pemNotAfter(undefined)).toBeUndefined();
  });
});
