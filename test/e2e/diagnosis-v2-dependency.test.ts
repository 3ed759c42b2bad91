// A dependency chain live (docs/diagnosis.md §3.1): the API crash-loops on "connection
// refused" to orders-db:5432, and orders-db-0 is Pending because its claim cannot bind (the
// real PV controller and scheduler say so). The deepest failure, the claim, is the root cause.
import { AppsV1Api } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import { servePodLogs } from "../support/kwok-logs.ts";
import { diagnoseDeployment, useDiagnosisOperator } from "../support/diagnosis-e2e.ts";
import { eventually } from "../support/operator-process.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("a dependency chain on the real control plane: API → Service orders-db → unbound PVC", () => {
  const ns = useNamespace(cluster, "chain");
  useDiagnosisOperator(cluster, ns);

  it("walks from the crashing API into the database and names the Pending claim", async () => {
    const apps = cluster!.kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedStatefulSet({
      namespace: ns.name,
      body: {
        metadata: { name: "orders-db" },
        spec: {
          serviceName: "orders-db",
          replicas: 1,
          selector: { matchLabels: { app: "orders-db" } },
          template: {
            metadata: { labels: { app: "orders-db" } },
            spec: {
              containers: [
                {
                  name: "postgres",
                  image: "postgres:17",
                  ports: [{ name: "pg", containerPort: 5432 }],
                  volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data" },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: "fast-ssd-missing",
                resources: { requests: { storage: "10Gi" } },
              },
            },
          ],
        },
      },
    });
    const svc = await cluster!.core.createNamespacedService({
      namespace: ns.name,
      body: {
        metadata: { name: "orders-db" },
        spec: { selector: { app: "orders-db" }, ports: [{ port: 5432, targetPort: "pg" }] },
      },
    });
    await eventually(async () => {
      const pod = await cluster!.core.readNamespacedPod({ name: "orders-db-0", namespace: ns.name });
      return pod.status?.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "Unschedulable");
    }, 60_000);

    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: kwokDeployment("orders-api", { replicas: 1, simulate: "CrashLoopBackOff" }),
    });
    const api = await eventually(async () => {
      const pods = (
        await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=orders-api" })
      ).items;
      return pods.find(
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff",
      );
    }, 60_000);
    await servePodLogs(cluster!, ns.name, api.metadata!.name!, {
      app: {
        previous: [
          "2026-12-06T10:00:00Z INFO orders-api 3.2.0 starting",
          `2026-12-06T10:00:01Z ERROR failed to connect to \`host=orders-db user=orders database=orders\`: dial error (dial tcp ${svc.spec!.clusterIP}:5432: connect: connection refused)`,
          "2026-12-06T10:00:01Z FATAL connection refused orders-db:5432, giving up",
        ].join("\n"),
      },
    });

    const run = await diagnoseDeployment(cluster!, ns.name, "why-orders-api", "orders-api");
    expect(run.status?.rootCause).toMatchObject({
      category: "PVCPending",
      resource: { kind: "PersistentVolumeClaim", namespace: ns.name, name: "data-orders-db-0" },
    });
    const evidence = run.status!.findings!.flatMap((f) => f.evidence).join("\n");
    expect(evidence).toMatch(/fast-ssd-missing/);
  });
});
