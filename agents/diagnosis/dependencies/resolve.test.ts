// Cluster names, IPs and outside hosts to what they designate.
import { describe, expect, it } from "vitest";
import type { K8sObject } from "../k8s.ts";
import { MemoryView } from "../view.ts";
import { resolveEndpoint, showTarget } from "./resolve.ts";

const svc = (
  ns: string,
  name: string,
  ip: string,
  port = 5432,
  selector: Record<string, string> = { app: name },
) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: ns },
  spec: { clusterIP: ip, selector, ports: [{ port, targetPort: port }] },
});
const pod = (ns: string, name: string, labels: Record<string, string>, ip: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: "c" }] },
  status: { podIP: ip, conditions: [{ type: "Ready", status: "True" }] },
});

const view = new MemoryView([
  svc("data", "orders-db", "172.20.1.1"),
  svc("data", "kafka-headless", "None", 9092, { app: "kafka" }),
  pod("data", "orders-db-0", { app: "orders-db" }, "10.0.0.5"),
  pod("data", "kafka-0", { app: "kafka" }, "10.0.0.7"),
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "warehouse" } },
] as K8sObject[]);

const at = (host: string, port?: number, fromNs = "data", loose = false) => {
  const t = resolveEndpoint(view, { host, ...(port ? { port } : {}), ...(loose ? { loose } : {}) }, fromNs);
  return t && showTarget(t);
};

describe("resolveEndpoint", () => {
  it.each([
    ["orders-db", "data", "Service data/orders-db"],
    ["orders-db.data", "shop", "Service data/orders-db"],
    ["orders-db.data.svc", "shop", "Service data/orders-db"],
    ["orders-db.data.svc.cluster.local", "shop", "Service data/orders-db"],
    ["orders-db.data.svc.corp.internal", "shop", "Service data/orders-db"],
    ["kafka-0.kafka-headless.data.svc.cluster.local", "shop", "pod data/kafka-0 (Service kafka-headless)"],
    ["kafka-0.kafka-headless", "data", "pod data/kafka-0 (Service kafka-headless)"],
    ["172.20.1.1", "shop", "Service data/orders-db"],
    ["10.0.0.5", "shop", "pod data/orders-db-0"],
    ["users-db", "shop", "Service shop/users-db"],
    ["analytics-db.warehouse.svc.cluster.local", "shop", "Service warehouse/analytics-db"],
    ["analytics-db.warehouse", "shop", "Service warehouse/analytics-db"],
    ["api.partner.example", "shop", "external host api.partner.example:5432"],
    ["203.0.113.9", "shop", "external host 203.0.113.9:5432"],
    ["localhost", "shop", "the pod itself"],
    ["10.9.9.9", "shop", undefined],
  ])("%s from %s is %s", (host, ns, shown) => {
    expect(at(host, 5432, ns)).toBe(shown);
  });

  it("tells a Service that lacks the port called, and drops loose words that name nothing", () => {
    const t = resolveEndpoint(view, { host: "orders-db", port: 5433 }, "data");
    expect(t).toMatchObject({ kind: "service", portKnown: false });
    expect(at("attempt", 12, "data", true)).toBeUndefined();
    expect(at("main.go", 42, "data", true)).toBeUndefined();
    expect(at("cache", 6379, "data", true)).toBe("Service data/cache");
  });
});
