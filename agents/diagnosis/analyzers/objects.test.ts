import { describe, expect, it } from "vitest";
import type { K8sObject } from "../k8s.ts";
import { ago, event, pod, viewOf } from "../fixtures/builders.ts";
import { creationCategory } from "./creation.ts";
import { analyzeHPAs } from "./hpa.ts";
import { analyzeIngresses } from "./ingress.ts";
import { analyzeJobs } from "./job.ts";
import { analyzeNodes } from "./node.ts";
import { analyzePDBs } from "./pdb.ts";
import { analyzeServices } from "./service.ts";

const svc = (
  name: string,
  selector: Record<string, string>,
  targetPort: number | string = 8080,
): K8sObject => ({
  kind: "Service",
  metadata: { name, namespace: "ns" },
  spec: { selector, ports: [{ name: "http", port: 80, targetPort }] },
});

describe("object analyzers", () => {
  it("finds a Service whose selector matches nothing, naming the nearest labels", () => {
    const p = pod("ns", "web", { state: { running: {} } }, { ready: true });
    p.metadata!.labels = { app: "web-v2" };
    const [f] = analyzeServices(viewOf([p, svc("web", { app: "web" })]));
    expect(f?.category).toBe("ServiceSelectorMismatch");
    expect(f?.evidence.join(" ")).toContain("app=web-v2");
  });

  it("finds a targetPort no container exposes", () => {
    const p = pod(
      "ns",
      "web",
      { state: { running: {} } },
      { ready: true, spec: { containers: [{ name: "app", ports: [{ containerPort: 80, name: "web" }] }] } },
    );
    expect(analyzeServices(viewOf([p, svc("web", { app: "web" }, 8080)]))[0]?.category).toBe(
      "ServiceSelectorMismatch",
    );
    expect(analyzeServices(viewOf([p, svc("web", { app: "web" }, "http")]))[0]?.category).toBe(
      "ServiceSelectorMismatch",
    );
    expect(analyzeServices(viewOf([p, svc("web", { app: "web" }, 80)]))).toEqual([]);
  });

  it("reports ServiceNoEndpoints when matching pods are all unready", () => {
    const p = pod("ns", "web", { state: { running: {} } });
    expect(analyzeServices(viewOf([p, svc("web", { app: "web" })]))[0]?.category).toBe("ServiceNoEndpoints");
  });

  it("finds Ingress backends, ports and classes that do not exist", () => {
    const ing: K8sObject = {
      kind: "Ingress",
      metadata: { name: "shop", namespace: "ns" },
      spec: {
        ingressClassName: "nginx-internal",
        rules: [
          {
            http: {
              paths: [
                { backend: { service: { name: "web", port: { number: 8080 } } } },
                { backend: { service: { name: "gone", port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
    };
    const cls: K8sObject = { kind: "IngressClass", metadata: { name: "nginx" } };
    const [f] = analyzeIngresses(viewOf([ing, cls, svc("web", { app: "web" })]));
    expect(f?.category).toBe("IngressMisconfigured");
    expect(f?.evidence).toEqual([
      'backend service "web" has no port 8080 (ports: http/80)',
      'backend service "gone" not found in namespace ns',
      'ingressClassName "nginx-internal" matches no IngressClass (have: nginx)',
    ]);
  });

  it("flags an HPA at max above target, not one at max below target", () => {
    const hpa = (cur: number): K8sObject => ({
      kind: "HorizontalPodAutoscaler",
      metadata: { name: `h${cur}`, namespace: "ns" },
      spec: {
        maxReplicas: 5,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
      },
      status: {
        currentReplicas: 5,
        currentMetrics: [
          { type: "Resource", resource: { name: "cpu", current: { averageUtilization: cur } } },
        ],
      },
    });
    const faults = analyzeHPAs(viewOf([hpa(140), hpa(40)]));
    expect(faults.map((f) => f.resource.name)).toEqual(["h140"]);
    expect(faults[0]?.facts.proposedMaxReplicas).toBe(10);
  });

  it("reports a budget at zero as info unless an eviction is blocked", () => {
    const pdb: K8sObject = {
      kind: "PodDisruptionBudget",
      metadata: { name: "zk", namespace: "ns" },
      spec: { selector: { matchLabels: { app: "zk" } } },
      status: { disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3 },
    };
    const p = pod("ns", "zk", { state: { running: {} } }, { ready: true });
    expect(analyzePDBs(viewOf([pdb, p]))[0]?.severity).toBe("info");
    const blocked = analyzePDBs(
      viewOf([
        pdb,
        p,
        event(p, "EvictionBlocked", "Cannot evict pod as it would violate the pod's disruption budget."),
      ]),
    );
    expect(blocked[0]?.severity).toBe("critical");
  });

  it("ignores a CronJob failure superseded by a later success", () => {
    const owner = [{ kind: "CronJob", name: "report", controller: true }];
    const failed: K8sObject = {
      kind: "Job",
      metadata: { name: "report-1", namespace: "ns", ownerReferences: owner },
      status: {
        conditions: [
          { type: "Failed", status: "True", reason: "BackoffLimitExceeded", lastTransitionTime: ago(120) },
        ],
      },
    };
    const ok: K8sObject = {
      kind: "Job",
      metadata: { name: "report-2", namespace: "ns", ownerReferences: owner },
      status: { conditions: [{ type: "Complete", status: "True", lastTransitionTime: ago(60) }] },
    };
    expect(analyzeJobs(viewOf([failed, ok]), [])).toEqual([]);
    expect(analyzeJobs(viewOf([failed]), [])[0]?.category).toBe("JobFailed");
  });

  it("classifies creation failures", () => {
    expect(
      creationCategory(
        'pods "a" is forbidden: exceeded quota: compute-quota, requested: limits.cpu=2, used: limits.cpu=7, limited: limits.cpu=8',
      ),
    ).toBe("QuotaExceeded");
    expect(
      creationCategory('pods "a" is forbidden: maximum cpu usage per Container is 1, but limit is 2'),
    ).toBe("QuotaExceeded");
    expect(
      creationCategory(
        'Internal error occurred: failed calling webhook "v.example.com": no endpoints available for service "w"',
      ),
    ).toBe("AdmissionWebhookFailure");
    expect(
      creationCategory(
        'pods "a" is forbidden: error looking up service account ns/sa: serviceaccount "sa" not found',
      ),
    ).toBe("MissingConfig");
    expect(creationCategory("something else")).toBeUndefined();
  });

  it("reports NotReady and pressured nodes", () => {
    const down: K8sObject = {
      kind: "Node",
      metadata: { name: "n2" },
      status: { conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady" }] },
    };
    const full: K8sObject = {
      kind: "Node",
      metadata: { name: "n3" },
      status: {
        conditions: [
          { type: "Ready", status: "True" },
          { type: "DiskPressure", status: "True" },
        ],
      },
    };
    expect(analyzeNodes(viewOf([down, full])).map((f) => `${f.category}/${f.subject.name}`)).toEqual([
      "NodeNotReady/n2",
      "NodePressure/n3",
    ]);
  });
});
