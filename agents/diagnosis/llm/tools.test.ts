import { describe, expect, it } from "vitest";
import type { K8sObject } from "../k8s.ts";
import { MemoryView } from "../view.ts";
import { FENCE_CLOSE, FENCE_OPEN } from "./fence.ts";
import { makeSanitizer } from "./sanitize.ts";
import { readOnlyTools } from "./tools.ts";

const objects: K8sObject[] = [
  { kind: "Secret", metadata: { name: "db", namespace: "web" }, data: { password: "aHVudGVyMg==" } },
  {
    kind: "Pod",
    metadata: { name: "api-1", namespace: "web" },
    spec: { containers: [{ name: "app", env: [{ name: "TOKEN", value: "t0ps3cr3t" }] }] },
    status: {
      phase: "Running",
      containerStatuses: [
        { name: "app", ready: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    },
  },
  {
    kind: "Deployment",
    metadata: { name: "api", namespace: "web" },
    spec: { replicas: 2 },
    status: { replicas: 2, readyReplicas: 1 },
  },
  {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "e1", namespace: "web" },
    involvedObject: { kind: "Pod", namespace: "web", name: "api-1" },
    reason: "BackOff",
    type: "Warning",
    message: "Back-off restarting failed container",
    count: 5,
    lastTimestamp: "2026-11-20T09:59:00Z",
  },
  {
    apiVersion: "aisre.io/v1alpha1",
    kind: "Runbook",
    metadata: { name: "crash", namespace: "ops" },
    spec: {
      title: "Crash after deploy",
      matches: { categories: ["CrashLoop"] },
      steps: [{ title: "Read the previous log" }],
    },
  },
];
const logs = {
  "web/api-1/app": Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n") + "\napi_key=abc123xyz",
};
const limits = { maxCalls: 10, maxChars: 4000, maxTotalChars: 20_000 };
const scope = { namespace: "web", runbookNamespaces: ["ops"] };
const tools = () => readOnlyTools(new MemoryView(objects, { logs }), makeSanitizer(), limits, scope);

describe("read-only tools", () => {
  it("never return Secret data, only its key names", async () => {
    const out = await tools().run("get_object", { kind: "secret", namespace: "web", name: "db" });
    expect(out).not.toContain("aHVudGVyMg==");
    expect(out).toContain('"dataKeys":["password"]');
  });

  it("return objects redacted and fenced", async () => {
    const out = await tools().run("get_object", { kind: "Pod", namespace: "web", name: "api-1" });
    expect(out.startsWith(`${FENCE_OPEN} (tool get_object Pod web api-1`)).toBe(true);
    expect(out.endsWith(FENCE_CLOSE)).toBe(true);
    expect(out).not.toContain("t0ps3cr3t");
  });

  it("list objects with a one-line status", async () => {
    expect(await tools().run("list_objects", { kind: "pods", namespace: "web" })).toContain(
      "web api-1 CrashLoopBackOff ready=0/1 restarts=3",
    );
    expect(await tools().run("list_objects", { kind: "deploy" })).toContain("web api ready=1/2");
  });

  it("read events and log tails, redacted", async () => {
    expect(await tools().run("get_events", { kind: "Pod", namespace: "web", name: "api-1" })).toContain(
      "Warning BackOff x5 last=2026-11-20T09:59:00.000Z: Back-off restarting failed container",
    );
    const log = await tools().run("get_logs", { namespace: "web", pod: "api-1", tailLines: 3 });
    expect(log).toContain("line 98\nline 99\napi_key=***");
    expect(log).not.toContain("line 97");
    expect(await tools().run("get_logs", { namespace: "web", pod: "api-1", previous: true })).toContain(
      "no previous log",
    );
  });

  it("search runbooks by category", async () => {
    expect(await tools().run("search_runbooks", { category: "CrashLoop" })).toContain("Crash after deploy");
    expect(await tools().run("search_runbooks", { query: "nothing matches" })).toContain(
      "no matching runbook",
    );
  });

  it("answer faults as text instead of throwing", async () => {
    expect(await tools().run("get_object", { kind: "Pod" })).toBe("error: name is required");
    expect(await tools().run("get_object", { kind: "Pod", name: "../../etc" })).toMatch(
      /not a Kubernetes name/,
    );
    expect(await tools().run("delete_pod", { name: "x" })).toMatch(/unknown tool delete_pod/);
    expect(await tools().run("query_prometheus", { promql: "up" })).toMatch(/unknown tool/);
  });

  it("hold a budget of calls and characters", async () => {
    const t = readOnlyTools(
      new MemoryView(objects, { logs }),
      makeSanitizer(),
      { maxCalls: 2, maxChars: 300, maxTotalChars: 10_000 },
      scope,
    );
    expect(
      (await t.run("get_logs", { namespace: "web", pod: "api-1", tailLines: 200 })).length,
    ).toBeLessThanOrEqual(300);
    await t.run("list_objects", { kind: "Pod" });
    expect(await t.run("list_objects", { kind: "Pod" })).toMatch(/budget is spent/);
    expect(t.calls).toBe(3);
  });

  it("offer PromQL only when the view can query, and bound the samples", async () => {
    const prometheus = async (q: string) =>
      Array.from({ length: 50 }, (_, i) => ({ labels: { q, i: String(i) }, value: i }));
    const t = readOnlyTools(new MemoryView(objects, { prometheus }), makeSanitizer(), limits, scope);
    expect(t.definitions.map((d) => d.function.name)).toContain("query_prometheus");
    const out = await t.run("query_prometheus", { promql: 'up{namespace="web"}' });
    expect(out.split("\n").filter((l) => l.startsWith("{"))).toHaveLength(30);
  });
});

describe("read-only tools stay in the task's namespace", () => {
  const cluster: K8sObject[] = [
    ...objects,
    {
      kind: "Pod",
      metadata: { name: "web-on-a", namespace: "web" },
      spec: { nodeName: "node-a", containers: [{ name: "app" }] },
    },
    {
      kind: "Pod",
      metadata: { name: "ledger-0", namespace: "bank" },
      spec: { nodeName: "node-b", containers: [{ name: "app" }] },
    },
    { kind: "Secret", metadata: { name: "ledger-db", namespace: "bank" }, data: { password: "eA==" } },
    {
      kind: "Node",
      metadata: { name: "node-a" },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    },
    {
      kind: "Node",
      metadata: { name: "node-b" },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    },
    {
      apiVersion: "aisre.io/v1alpha1",
      kind: "Runbook",
      metadata: { name: "bank-only", namespace: "bank" },
      spec: { title: "Bank crash guide", matches: { categories: ["CrashLoop"] } },
    },
  ];
  const bankLogs = { ...logs, "bank/ledger-0/app": "ledger secret log line" };
  const prometheus = async () => [{ labels: { namespace: "web" }, value: 1 }];
  const t = () =>
    readOnlyTools(new MemoryView(cluster, { logs: bankLogs, prometheus }), makeSanitizer(), limits, scope);

  it("refuse objects, events and logs of another namespace, naming the refusal", async () => {
    const refusal =
      "error: refused: namespace bank is outside this diagnosis; only namespace web may be read";
    expect(await t().run("get_object", { kind: "Secret", namespace: "bank", name: "ledger-db" })).toBe(
      refusal,
    );
    expect(await t().run("get_object", { kind: "Pod", namespace: "bank", name: "ledger-0" })).toBe(refusal);
    expect(await t().run("get_events", { kind: "Pod", namespace: "bank", name: "ledger-0" })).toBe(refusal);
    expect(await t().run("get_logs", { namespace: "bank", pod: "ledger-0" })).toBe(refusal);
    expect(await t().run("list_objects", { kind: "Pod", namespace: "bank" })).toBe(refusal);
  });

  it("list only the task's namespace and the nodes its pods run on", async () => {
    const pods = await t().run("list_objects", { kind: "Pod" });
    expect(pods).toContain("web web-on-a");
    expect(pods).not.toContain("ledger-0");
    const nodes = await t().run("list_objects", { kind: "Node" });
    expect(nodes).toContain("node-a");
    expect(nodes).not.toContain("node-b");
    expect(await t().run("get_object", { kind: "Node", name: "node-a" })).toContain('"name":"node-a"');
    expect(await t().run("get_object", { kind: "Node", name: "node-b" })).toBe(
      "error: refused: Node node-b is not used by namespace web; only that namespace and the cluster objects it uses may be read",
    );
    // A namespaced kind without a namespace is read in the task's namespace.
    expect(await t().run("get_object", { kind: "Pod", name: "web-on-a" })).toContain('"namespace":"web"');
  });

  it("search only the task's and the operator's runbooks", async () => {
    const hits = await t().run("search_runbooks", { category: "CrashLoop" });
    expect(hits).toContain("Crash after deploy");
    expect(hits).not.toContain("Bank crash guide");
  });

  it("run PromQL only when every selector is held to the task's namespace", async () => {
    expect(
      await t().run("query_prometheus", { promql: 'sum by (pod) (rate(x{namespace="web"}[5m]))' }),
    ).toContain('{"namespace":"web"} 1');
    for (const promql of [
      'histogram_quantile(0.99, sum by (le) (rate(x_bucket{namespace="web"}[5m])))',
      'sum(x{namespace="web", pod=~"api-.*"}) by (pod) / on(pod) group_left y{namespace="web"} offset 5m',
      'count_values("v", x{namespace="web"}) # comment up',
    ])
      expect(await t().run("query_prometheus", { promql })).toContain('{"namespace":"web"} 1');
    for (const promql of [
      "up",
      "sum by (namespace) (up)",
      'label_replace(up, "namespace", "web", "", "")',
      'up{namespace="bank"}',
      'up{namespace=~"web|bank"}',
      'x{namespace="web"} / on(pod) y',
      'sum(rate(x{namespace="web"}[5m])) or sum(rate(x[5m]))',
    ])
      expect(await t().run("query_prometheus", { promql })).toMatch(
        /^error: refused: .*every selector must match namespace="web" exactly/,
      );
  });
});
