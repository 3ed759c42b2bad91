// NetworkPolicyBlocked live: real NetworkPolicies isolate a server whose pods are ready, and a
// client pod (kwok) logs Go's i/o timeout to the server Service's host:port.
import { AppsV1Api, NetworkingV1Api } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { servePodLogs } from "../support/kwok-logs.ts";
import { diagnoseDeployment, useDiagnosisOperator } from "../support/diagnosis-e2e.ts";
import { eventually } from "../support/operator-process.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("NetworkPolicyBlocked on the real control plane", () => {
  const ns = useNamespace(cluster, "netpol");
  useDiagnosisOperator(cluster, ns);

  it("names the policy that isolates the server the client times out on", async () => {
    const apps = cluster!.kc.makeApiClient(AppsV1Api);
    const net = cluster!.kc.makeApiClient(NetworkingV1Api);
    const server = kwokDeployment("payments", { replicas: 2 });
    server.spec!.template.spec!.containers[0]!.ports = [{ name: "http", containerPort: 8080 }];
    await apps.createNamespacedDeployment({ namespace: ns.name, body: server });
    const svc = await cluster!.core.createNamespacedService({
      namespace: ns.name,
      body: {
        metadata: { name: "payments" },
        spec: { selector: { app: "payments" }, ports: [{ port: 8080, targetPort: "http" }] },
      },
    });
    // Ingress to payments only from pods labelled role=frontend; checkout is not one.
    // Through kubectl as JSON: client-node's model spells the peer list `_from` and drops `from`.
    const policy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "payments-from-frontend", namespace: ns.name },
      spec: {
        podSelector: { matchLabels: { app: "payments" } },
        policyTypes: ["Ingress"],
        ingress: [
          { from: [{ podSelector: { matchLabels: { role: "frontend" } } }], ports: [{ port: 8080 }] },
        ],
      },
    };
    expect((await kubectl(cluster!, ["apply", "-f", "-"], JSON.stringify(policy))).stderr).toBe("");
    // An unrelated policy the evaluator must leave out of the verdict.
    await net.createNamespacedNetworkPolicy({
      namespace: ns.name,
      body: {
        metadata: { name: "allow-dns-egress" },
        spec: {
          podSelector: { matchLabels: { app: "batch" } },
          policyTypes: ["Egress"],
          egress: [{ ports: [{ port: 53, protocol: "UDP" }] }],
        },
      },
    });
    await eventually(async () => {
      const pods = (
        await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=payments" })
      ).items;
      return pods.length === 2 && pods.every((p) => p.status?.containerStatuses?.[0]?.ready === true);
    }, 60_000);

    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: kwokDeployment("checkout", { replicas: 1, simulate: "CrashLoopBackOff" }),
    });
    const client = await eventually(async () => {
      const pods = (
        await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=checkout" })
      ).items;
      return pods.find(
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff",
      );
    }, 60_000);
    const ip = svc.spec!.clusterIP!;
    await servePodLogs(cluster!, ns.name, client.metadata!.name!, {
      app: {
        previous: [
          'level=info msg="starting checkout" version=2.4.1',
          `level=fatal msg="payment provider unreachable" err="Post \\"http://payments.${ns.name}.svc.cluster.local:8080/v1/charges\\": dial tcp ${ip}:8080: i/o timeout"`,
        ].join("\n"),
      },
    });

    const run = await diagnoseDeployment(cluster!, ns.name, "why-checkout", "checkout");
    expect(run.status?.rootCause).toMatchObject({
      category: "NetworkPolicyBlocked",
      resource: { kind: "NetworkPolicy", namespace: ns.name, name: "payments-from-frontend" },
    });
    const evidence = run.status!.findings!.flatMap((f) => f.evidence).join("\n");
    expect(evidence).toContain(`${ip}:8080`);
    expect(evidence).not.toContain("allow-dns-egress");
  });
});
