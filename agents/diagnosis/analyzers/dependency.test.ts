// The dependency walk end to end through diagnose(): the dependency's own failure wins, an
// unavailable dependency is DependencyUnavailable on the caller, and one cause groups many.
import { describe, expect, it } from "vitest";
import { diagnose } from "../diagnose.ts";
import type { K8sObject } from "../k8s.ts";
import { MemoryView } from "../view.ts";

const NOW = Date.parse("2026-11-20T10:00:00Z");
const ago = (m: number) => new Date(NOW - m * 60_000).toISOString();

const ready = (ok: boolean) => ({ type: "Ready", status: ok ? "True" : "False" });
const crashing = {
  phase: "Running",
  conditions: [ready(false)],
  containerStatuses: [
    {
      name: "app",
      ready: false,
      restartCount: 6,
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(1) } },
    },
  ],
};
const running = {
  phase: "Running",
  conditions: [ready(true)],
  containerStatuses: [
    { name: "app", ready: true, restartCount: 0, state: { running: { startedAt: ago(3000) } } },
  ],
};

function deployment(ns: string, name: string, replicas: number, env: object[] = []): K8sObject[] {
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: ns, uid: `d-${name}` },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", env }] } },
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${name}-5d8f`,
        namespace: ns,
        uid: `rs-${name}`,
        ownerReferences: [{ kind: "Deployment", name, uid: `d-${name}`, controller: true }],
      },
    },
  ];
}

function pod(ns: string, name: string, app: string, status: object, extra: object = {}): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: ns,
      labels: { app },
      ownerReferences: [{ kind: "ReplicaSet", name: `${app}-5d8f`, uid: `rs-${app}`, controller: true }],
    },
    spec: { nodeName: "n1", containers: [{ name: "app" }], ...extra },
    status,
  };
}

const service = (ns: string, name: string, app = name): K8sObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: ns },
  spec: { clusterIP: "172.20.9.9", selector: { app }, ports: [{ port: 5432, targetPort: 5432 }] },
});
const node: K8sObject = {
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "n1" },
  status: { conditions: [ready(true)] },
};

function caller(name: string, line: string): { objects: K8sObject[]; logs: Record<string, string> } {
  return {
    objects: [
      ...deployment("shop", name, 1, [
        { name: "DATABASE_URL", value: "postgres://u:pw@orders-db:5432/orders" },
      ]),
      pod("shop", `${name}-5d8f-a1`, name, crashing),
    ],
    logs: { [`shop/${name}-5d8f-a1/app:previous`]: `starting\n${line}\n` },
  };
}

function run(objects: K8sObject[], logs: Record<string, string>, focus: object = {}) {
  return diagnose(new MemoryView([node, ...objects], { now: NOW, logs }), focus);
}

const REFUSED = "panic: dial tcp 172.20.9.9:5432: connect: connection refused";
const apiTarget = { target: { kind: "Deployment", namespace: "shop", name: "api" } };

describe("the dependency walk", () => {
  it("names the dependency's own deeper failure and groups the caller under it", () => {
    const api = caller("api", REFUSED);
    const claim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data-orders-db-0", namespace: "shop", creationTimestamp: ago(30) },
      spec: { storageClassName: "nope" },
      status: { phase: "Pending" },
    };
    const pending = {
      phase: "Pending",
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message: "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
        },
      ],
    };
    const db = [
      ...deployment("shop", "orders-db", 1),
      service("shop", "orders-db"),
      claim,
      {
        ...pod("shop", "orders-db-5d8f-b1", "orders-db", pending, {
          nodeName: undefined,
          volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data-orders-db-0" } }],
        }),
      },
    ];
    const r = run([...api.objects, ...db], api.logs, apiTarget);
    expect(r.rootCause).toMatchObject({
      category: "PVCPending",
      resource: { kind: "PersistentVolumeClaim", name: "data-orders-db-0" },
    });
    expect(r.impact).toMatchObject({
      dependency: { kind: "Service", name: "orders-db" },
      summary: "1 workload fails because orders-db is down",
    });
    expect(r.findings.find((f) => f.category === "PVCPending")!.evidence.join("\n")).toContain(
      "explains Deployment shop/api",
    );
  });

  it("is DependencyUnavailable on the caller when the Service does not exist, with a precise runbook step", () => {
    const api = caller("api", "dial tcp: lookup orders-db on 172.20.0.10:53: no such host");
    const r = run(api.objects, api.logs, apiTarget);
    expect(r.rootCause).toMatchObject({
      category: "DependencyUnavailable",
      resource: { kind: "Deployment", namespace: "shop", name: "api" },
    });
    expect(r.rootCause!.summary).toContain("Service shop/orders-db does not exist");
    expect(r.recommendations[0]).toMatchObject({ action: "RunbookOnly" });
    expect(r.recommendations[0]!.rationale).toContain("create Service shop/orders-db");
    expect(JSON.stringify(r)).not.toContain("u:pw");
  });

  it("proposes scaling back a dependency scaled to zero", () => {
    const api = caller("api", REFUSED);
    const r = run(
      [...api.objects, ...deployment("shop", "orders-db", 0), service("shop", "orders-db")],
      api.logs,
      apiTarget,
    );
    expect(r.rootCause?.category).toBe("DependencyUnavailable");
    expect(r.recommendations[0]).toMatchObject({
      action: "ScaleWorkload",
      target: { kind: "Deployment", name: "orders-db" },
      params: { replicas: 1 },
    });
  });

  it("leaves the caller's own failure when the dependency serves", () => {
    const api = caller("api", REFUSED);
    const db = [
      ...deployment("shop", "orders-db", 1),
      service("shop", "orders-db"),
      pod("shop", "orders-db-5d8f-b1", "orders-db", running),
    ];
    expect(run([...api.objects, ...db], api.logs, apiTarget).rootCause?.category).toBe("CrashLoop");
  });

  it("groups the callers of one missing dependency and leaves DNS outages alone", () => {
    const a = caller("api", "Error: getaddrinfo ENOTFOUND orders-db");
    const b = caller("billing", "Error: getaddrinfo ENOTFOUND orders-db");
    const r = run([...a.objects, ...b.objects], { ...a.logs, ...b.logs });
    expect(r.rootCause?.category).toBe("DependencyUnavailable");
    expect(r.impact?.summary).toBe("2 workloads fail because orders-db does not exist");
    const dns = caller("api", "Error: getaddrinfo EAI_AGAIN orders-db");
    expect(run(dns.objects, dns.logs, apiTarget).rootCause?.category).toBe("CrashLoop");
  });

  it("reads an init container stuck waiting for a dependency, and not a caller killed for its own reason", () => {
    const init = {
      phase: "Pending",
      conditions: [ready(false)],
      initContainerStatuses: [
        { name: "wait-db", ready: false, restartCount: 0, state: { running: { startedAt: ago(20) } } },
      ],
      containerStatuses: [
        { name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } },
      ],
    };
    const objs = [
      ...deployment("shop", "api", 1),
      pod("shop", "api-5d8f-a1", "api", init, { initContainers: [{ name: "wait-db" }] }),
    ];
    const logs = { "shop/api-5d8f-a1/wait-db": "waiting for orders-db:5432\nwaiting for orders-db:5432\n" };
    expect(run(objs, logs, apiTarget).rootCause).toMatchObject({
      category: "DependencyUnavailable",
      summary: expect.stringContaining("orders-db:5432"),
    });
    const oom = structuredClone(crashing);
    oom.containerStatuses[0]!.lastState.terminated = {
      exitCode: 137,
      reason: "OOMKilled",
      finishedAt: ago(1),
    };
    const killed = [...deployment("shop", "api", 1), pod("shop", "api-5d8f-a1", "api", oom)];
    expect(
      run(killed, { "shop/api-5d8f-a1/app:previous": `${REFUSED}\n` }, apiTarget).rootCause?.category,
    ).toBe("OOMKilled");
  });
});
