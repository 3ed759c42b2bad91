// RBACForbidden live: a kwok pod logs the API server's own forbidden message (read from the
// real API server by acting as the pod's ServiceAccount), its real Role lacks the verb, and the
// operator confirms the refusal with a real SubjectAccessReview.
import type { V1Pod } from "@kubernetes/client-node";
import { AppsV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { kwokLogsServed, readPodLog, servePodLogs } from "../support/kwok-logs.ts";
import { diagnoseDeployment, useDiagnosisOperator } from "../support/diagnosis-e2e.ts";
import { eventually } from "../support/operator-process.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("RBACForbidden on the real control plane, confirmed by SubjectAccessReview", () => {
  const ns = useNamespace(cluster, "rbac");
  useDiagnosisOperator(cluster, ns, {
    beforeStart: async (c) => {
      if (!(await kwokLogsServed(c)))
        throw new Error(
          "kwok does not serve Logs objects: restart the control plane (hack/control-plane.sh)",
        );
    },
  });

  it("names the missing verb, the ServiceAccount's binding and the API server's answer", async () => {
    const rbac = cluster!.kc.makeApiClient(RbacAuthorizationV1Api);
    await cluster!.core.createNamespacedServiceAccount({
      namespace: ns.name,
      body: { metadata: { name: "api" } },
    });
    // The Role grants get on secrets; the application lists them.
    await rbac.createNamespacedRole({
      namespace: ns.name,
      body: {
        metadata: { name: "secret-reader" },
        rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns.name,
      body: {
        metadata: { name: "api-secret-reader" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "secret-reader" },
        subjects: [{ kind: "ServiceAccount", name: "api", namespace: ns.name }],
      },
    });
    const refused = await eventually(async () => {
      const r = await kubectl(cluster!, [
        "-n",
        ns.name,
        "get",
        "secrets",
        `--as=system:serviceaccount:${ns.name}:api`,
      ]);
      return r.code !== 0 && /forbidden/.test(r.stderr) && r.stderr;
    });
    const message = refused.replace(/^Error from server \(Forbidden\): /, "").trim();
    expect(message).toContain(`User "system:serviceaccount:${ns.name}:api" cannot list resource "secrets"`);

    const d = kwokDeployment("api", { replicas: 1, simulate: "CrashLoopBackOff" });
    d.spec!.template.spec!.serviceAccountName = "api";
    await cluster!.kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: ns.name, body: d });
    const pod = await eventually(async () => {
      const pods = (await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=api" }))
        .items;
      return pods[0];
    }, 60_000);
    const podName = pod.metadata!.name!;
    await servePodLogs(cluster!, ns.name, podName, {
      app: {
        previous: [
          "starting api v1.4.2",
          `E1206 10:00:01.000000       1 reflector.go:166] "Unhandled Error" err="failed to list *v1.Secret: ${message.replace(/"/g, '\\"')}"`,
          "fatal: cannot load credentials, exiting",
        ].join("\n"),
      },
    });
    await eventually(async () => {
      const p = (await cluster!.core.readNamespacedPod({ name: podName, namespace: ns.name })) as V1Pod;
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff";
    }, 60_000);
    // kwok serves the file through the kubelet API, as a node would.
    expect(await eventually(() => readPodLog(cluster!, ns.name, podName, "app", true))).toContain(
      "cannot list resource",
    );

    const run = await diagnoseDeployment(cluster!, ns.name, "why-api", "api");
    const status = run.status!;
    expect(status.rootCause).toMatchObject({
      category: "RBACForbidden",
      resource: { kind: "Deployment", namespace: ns.name, name: "api" },
    });
    const evidence = status
      .findings!.filter((f) => f.category === "RBACForbidden")
      .flatMap((f) => f.evidence);
    expect(evidence).toContain(
      `SubjectAccessReview: system:serviceaccount:${ns.name}:api cannot list secrets in ${ns.name} (allowed=false)`,
    );
    expect(evidence.join("\n")).toContain(
      `bound by RoleBinding ${ns.name}/api-secret-reader -> Role secret-reader`,
    );
    expect(status.rootCause!.confidence).toBeGreaterThanOrEqual(0.5);
  });
});
