import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@kubernetes/client-node";
import { LIVE_KINDS } from "./kinds.ts";
import { leanTransform } from "./transforms.ts";

const rt = (kind: string) =>
  LIVE_KINDS.find((k) => k.kind === kind) ?? {
    group: "",
    version: "v1",
    kind,
    plural: "x",
    namespaced: true,
  };
const lean = (kind: string, obj: object) =>
  leanTransform(rt(kind))(obj as KubernetesObject) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const container = {
  name: "app",
  image: "app:1",
  env: [
    { name: "PASSWORD", value: "hunter2" },
    { name: "FROM_CM", valueFrom: { configMapKeyRef: { name: "cm", key: "k" } } },
  ],
  envFrom: [{ secretRef: { name: "s" } }],
  resources: { limits: { memory: "1Gi" } },
};

describe("leanTransform", () => {
  it("gives every object its kind and apiVersion (list items come without)", () => {
    const o = lean("Deployment", { metadata: { name: "d", namespace: "n" } });
    expect(o).toMatchObject({ kind: "Deployment", apiVersion: "apps/v1" });
    expect(lean("Runbook", { metadata: { name: "r" } }).apiVersion).toMatch(/^aisre\.io\//);
  });

  it("keeps no ConfigMap data or keys and no Secret data", () => {
    const cm = lean("ConfigMap", { metadata: { name: "c" }, data: { k: "v" }, binaryData: { b: "AA==" } });
    expect(cm).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
    const s = lean("Secret", {
      metadata: { name: "s" },
      type: "kubernetes.io/tls",
      data: { "tls.key": "x" },
    });
    expect(s).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      type: "kubernetes.io/tls",
    });
  });

  it("drops literal env values of pods and of every pod template, keeping names and references", () => {
    const pod = lean("Pod", {
      metadata: { name: "p" },
      spec: { containers: [container], initContainers: [container] },
    });
    for (const c of [...pod.spec.containers, ...pod.spec.initContainers]) {
      expect(c.env).toEqual([
        { name: "PASSWORD" },
        { name: "FROM_CM", valueFrom: container.env[1]!.valueFrom },
      ]);
      expect(c).toMatchObject({ image: "app:1", envFrom: container.envFrom, resources: container.resources });
    }
    const tpl = { metadata: { labels: { app: "a" } }, spec: { containers: [container] } };
    for (const kind of ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"]) {
      const w = lean(kind, { metadata: { name: "w" }, spec: { replicas: 2, template: tpl } });
      expect(w.spec.replicas).toBe(2);
      expect(w.spec.template.metadata).toEqual(tpl.metadata);
      expect(JSON.stringify(w)).not.toContain("hunter2");
    }
    const cj = lean("CronJob", {
      metadata: { name: "c" },
      spec: { schedule: "* * * * *", jobTemplate: { spec: { template: tpl } } },
    });
    expect(cj.spec.schedule).toBe("* * * * *");
    expect(JSON.stringify(cj)).not.toContain("hunter2");
    expect(container.env[0]!.value).toBe("hunter2");
  });

  it("keeps of env values and ConfigMap data only the endpoints they name, never a credential", () => {
    const env = [
      { name: "DATABASE_URL", value: "postgres://orders:s3cr3t@orders-db:5432/orders?sslmode=disable" },
      { name: "DB_HOST", value: "orders-db" },
      { name: "DB_PORT", value: "5432" },
      { name: "API_TOKEN", value: "ghp_secret" },
    ];
    const pod = lean("Pod", { metadata: { name: "p" }, spec: { containers: [{ name: "app", env }] } });
    expect(pod.spec.containers[0].env).toEqual([
      { name: "DATABASE_URL", value: "postgres://orders-db:5432" },
      { name: "DB_HOST", value: "orders-db" },
      { name: "DB_PORT", value: "5432" },
      { name: "API_TOKEN" },
    ]);
    const cm = lean("ConfigMap", {
      metadata: { name: "c" },
      data: {
        "app.yaml": "db:\n  host: orders-db\n  port: 5432\n  password: hunter2\n",
        REDIS_URL: "redis://:hunter2@redis:6379/0",
        LOG_LEVEL: "debug",
      },
    });
    expect(cm.data).toEqual({ "app.yaml": "orders-db:5432", REDIS_URL: "redis://redis:6379" });
    expect(JSON.stringify([pod, cm])).not.toMatch(/s3cr3t|hunter2|ghp_|sslmode/);
  });

  it("drops Node image lists and nodeInfo, keeping conditions, addresses and allocatable", () => {
    const status = {
      conditions: [{ type: "Ready", status: "True" }],
      addresses: [{ type: "InternalIP", address: "1" }],
      allocatable: { cpu: "4" },
    };
    const n = lean("Node", {
      metadata: { name: "n" },
      spec: { taints: [] },
      status: { ...status, images: [{ names: ["x"] }], nodeInfo: {} },
    });
    expect(n.status).toEqual(status);
    expect(n.spec).toEqual({ taints: [] });
  });

  it("keeps only what normalising an Event reads", () => {
    const e = lean("Event", {
      metadata: { name: "e", namespace: "n", uid: "u", resourceVersion: "1", labels: { x: "y" } },
      involvedObject: { kind: "Pod", name: "p" },
      reason: "BackOff",
      message: "m",
      count: 3,
      lastTimestamp: "2026-01-01T00:00:00Z",
      reportingInstance: "node-1",
    });
    expect(e).toEqual({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "e", namespace: "n", uid: "u", resourceVersion: "1", creationTimestamp: undefined },
      involvedObject: { kind: "Pod", name: "p" },
      reason: "BackOff",
      message: "m",
      count: 3,
      lastTimestamp: "2026-01-01T00:00:00Z",
    });
  });
});
