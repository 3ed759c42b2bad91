// CertificateExpired live, with a minimal CRD of cert-manager's Certificate shape installed
// after the operator started: the operator must not loop on the absent kind, must pick the
// kind up once discovery finds it served, and must name the expired Certificate.
import { AppsV1Api } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { servePodLogs } from "../support/kwok-logs.ts";
import { diagnoseDeployment, useDiagnosisOperator } from "../support/diagnosis-e2e.ts";
import { eventually } from "../support/operator-process.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

// cert-manager.io/v1 Certificate as its published CRD shapes it (spec and status kept open here).
const CERTIFICATE_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "certificates.cert-manager.io" },
  spec: {
    group: "cert-manager.io",
    names: {
      kind: "Certificate",
      listKind: "CertificateList",
      plural: "certificates",
      singular: "certificate",
    },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          },
        },
      },
    ],
  },
};

// The discovery re-check interval of controllers/diagnosisrun/live-cache.ts, plus a margin.
const DISCOVERY_WAIT_MS = 11_000;

describe("CertificateExpired with cert-manager's Certificate installed after the operator started", () => {
  const ns = useNamespace(cluster, "cert");
  const operator = useDiagnosisOperator(cluster, ns, {
    beforeStart: async (c) => {
      await kubectl(c, ["delete", "crd", CERTIFICATE_CRD.metadata.name, "--ignore-not-found", "--wait"]);
    },
    afterStop: async (c) => {
      await kubectl(c, ["delete", "crd", CERTIFICATE_CRD.metadata.name, "--ignore-not-found"]);
    },
  });
  const diagnose = (name: string, target: string) => diagnoseDeployment(cluster!, ns.name, name, target);

  it("diagnoses without the kind, then watches it once served and names the expired Certificate", async () => {
    const apps = cluster!.kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: kwokDeployment("healthy", { replicas: 1 }),
    });
    const before = await diagnose("before-crd", "healthy");
    const discoveredAt = Date.now();
    expect(before.status?.rootCause ?? null).toBeNull();
    // The absent kind is not watched, so nothing lists it in a retry loop.
    const loops = operator.current!.logs.filter((l) => /List or watch failed/.test(String(l.msg)));
    expect(loops.filter((l) => /Certificate/i.test(JSON.stringify(l)))).toEqual([]);

    const crd = await kubectl(cluster!, ["apply", "-f", "-"], JSON.stringify(CERTIFICATE_CRD));
    expect(crd.stderr).toBe("");
    await kubectl(cluster!, ["wait", "--for=condition=Established", "crd/certificates.cert-manager.io"]);
    const expired = new Date(Date.now() - 26 * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
    const cert = {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "web-tls", namespace: ns.name },
      spec: {
        secretName: "web-tls",
        dnsNames: ["web.example.com"],
        issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" },
      },
    };
    await eventually(
      async () => (await kubectl(cluster!, ["apply", "-f", "-"], JSON.stringify(cert))).code === 0,
    );
    const status = {
      status: {
        notAfter: expired,
        conditions: [
          {
            type: "Ready",
            status: "False",
            reason: "Expired",
            message: `Certificate expired on ${expired}`,
            lastTransitionTime: expired,
          },
        ],
      },
    };
    const patched = await kubectl(cluster!, [
      "-n",
      ns.name,
      "patch",
      "certificate",
      "web-tls",
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify(status),
    ]);
    expect(patched.stderr).toBe("");

    const web = kwokDeployment("web", { replicas: 1, simulate: "CrashLoopBackOff" });
    const tpl = web.spec!.template.spec!;
    tpl.volumes = [{ name: "tls", secret: { secretName: "web-tls" } }];
    tpl.containers[0]!.volumeMounts = [{ name: "tls", mountPath: "/tls" }];
    await apps.createNamespacedDeployment({ namespace: ns.name, body: web });
    const pod = await eventually(async () => {
      const pods = (await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=web" }))
        .items;
      return pods.find(
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff",
      );
    }, 60_000);
    await servePodLogs(cluster!, ns.name, pod.metadata!.name!, {
      app: {
        previous: `2026/12/06 10:00:01 http: TLS handshake error from 10.244.0.9:41522: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-12-06T10:00:01Z is after ${expired}\nfatal: serving certificate /tls/tls.crt expired`,
      },
    });
    await new Promise((r) => setTimeout(r, Math.max(0, discoveredAt + DISCOVERY_WAIT_MS - Date.now())));

    const run = await diagnose("why-web", "web");
    expect(run.status?.rootCause).toMatchObject({
      category: "CertificateExpired",
      resource: { kind: "Certificate", namespace: ns.name, name: "web-tls" },
    });
    await operator.current!.waitForLog(/Started watching an optional kind/, 1000);
  });
});
