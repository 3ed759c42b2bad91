// The MCP find_dashboards tool over stdio (the SDK's client spawning `aisre mcp`) against the
// real control plane for access checks and the Grafana stand-in (notify/grafana/testing.ts),
// which serves /api/search and /api/dashboards/uid/:uid as Grafana documents them.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { GrafanaStandIn } from "../../notify/grafana/testing.ts";
import { startGrafana } from "../../notify/grafana/testing.ts";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import { accountToken, stdioClient, textOf, tokenKubeconfig } from "./support.ts";

const TOKEN = "glsa_Gr4fanaT0kenThatMustNotLeak_0123456789";
const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "mcp-dash");
const other = useNamespace(cluster, "mcp-dash-other");

const tokenFile = (token: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), "aisre-grafana-")), "token");
  writeFileSync(file, `${token}\n`);
  return file;
};

describe("the find_dashboards MCP tool over stdio", () => {
  let grafana: GrafanaStandIn;
  let admin: Client;
  let wrongToken: Client;
  let outsider: Client;
  let unconfigured: Client;

  beforeAll(async () => {
    if (!cluster) return;
    grafana = await startGrafana(TOKEN, [
      {
        uid: "checkout-svc",
        title: "Checkout service",
        panels: [
          { id: 1, title: "Requests", expr: `sum(rate(http_requests_total{pod=~"checkout-.*"}[5m]))` },
          { id: 2, title: "Cart latency", expr: `histogram_quantile(0.99, cart_latency_bucket)` },
        ],
      },
      {
        uid: "ns-overview",
        title: `Namespace ${ns.name}`,
        panels: [
          { id: 7, title: "checkout memory", expr: "container_memory_working_set_bytes" },
          { id: 8, title: "Nodes", expr: "up" },
        ],
      },
      { uid: "unrelated", title: "Billing", panels: [{ id: 1, title: "Invoices", expr: "invoices_total" }] },
    ]);
    const env = {
      KUBECONFIG: cluster.kubeconfigPath,
      AISRE_GRAFANA_URL: grafana.url,
      AISRE_GRAFANA_TOKEN_FILE: tokenFile(TOKEN),
    };
    const token = await accountToken(cluster, other.name, "outsider", [
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
    ]);
    admin = await stdioClient([], env);
    wrongToken = await stdioClient([], { ...env, AISRE_GRAFANA_TOKEN_FILE: tokenFile("glsa_wrong") });
    outsider = await stdioClient([], { ...env, KUBECONFIG: tokenKubeconfig(cluster, token) });
    unconfigured = await stdioClient([], { KUBECONFIG: cluster.kubeconfigPath });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([admin?.close(), wrongToken?.close(), outsider?.close(), unconfigured?.close()]);
    await grafana?.close();
  });

  it("is listed only where Grafana is configured", async () => {
    const names = async (c: Client) => (await c.listTools()).tools.map((t) => t.name);
    expect(await names(admin)).toContain("find_dashboards");
    expect(await names(unconfigured)).not.toContain("find_dashboards");
    const tool = (await admin.listTools()).tools.find((t) => t.name === "find_dashboards")!;
    expect(tool.inputSchema.required).toEqual(["namespace", "workload"]);
    expect(tool.annotations?.readOnlyHint).toBe(true);
  });

  it("returns the dashboards and the panels that name the workload, with links", async () => {
    const result = await admin.callTool({
      name: "find_dashboards",
      arguments: { namespace: ns.name, workload: "checkout" },
    });
    expect(result.isError).toBeFalsy();
    const [summary, raw] = (result.content as { text: string }[]).map((c) => c.text);
    const found = JSON.parse(raw!) as { uid: string; url: string; panels: { id: number; url: string }[] }[];
    expect(found.map((d) => d.uid).sort()).toEqual(["checkout-svc", "ns-overview"]);
    const svc = found.find((d) => d.uid === "checkout-svc")!;
    expect(svc.url).toBe(`${grafana.url}/d/checkout-svc/checkout-service?var-namespace=${ns.name}`);
    expect(svc.panels.map((p) => p.id)).toEqual([1]);
    expect(svc.panels[0]!.url).toBe(`${svc.url}&viewPanel=1`);
    expect(found.find((d) => d.uid === "ns-overview")!.panels.map((p) => p.id)).toEqual([7]);
    expect(summary).toContain(`Grafana dashboards about ${ns.name}/checkout:`);
    expect(textOf(result)).not.toContain(TOKEN);
    // Read-only: nothing was posted to Grafana.
    expect(grafana.posts).toEqual([]);
  });

  it("says when nothing matches", async () => {
    const result = await admin.callTool({
      name: "find_dashboards",
      arguments: { namespace: ns.name, workload: "payments" },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/^No Grafana dashboard or panel names payments/);
  });

  it("refuses a caller without access, and reports Grafana's refusal and outage without the token", async () => {
    const args = { namespace: ns.name, workload: "checkout" };
    const refused = await outsider.callTool({ name: "find_dashboards", arguments: args });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^forbidden: \S+ may not list pods in namespace mcp-dash-/);
    const unauthorized = await wrongToken.callTool({ name: "find_dashboards", arguments: args });
    expect(unauthorized.isError).toBe(true);
    expect(textOf(unauthorized)).toBe("error: Grafana GET /api/search answered 401");
    grafana.down = true;
    try {
      const down = await admin.callTool({ name: "find_dashboards", arguments: args });
      expect(down.isError).toBe(true);
      expect(textOf(down)).toMatch(/answered 503/);
      expect(textOf(down)).not.toContain(TOKEN);
    } finally {
      grafana.down = false;
    }
    await expect(
      admin.callTool({ name: "find_dashboards", arguments: { namespace: ns.name, workload: "Bad_Name" } }),
    ).rejects.toThrow(/workload must match pattern/);
  });
});
