/**
 * The dashboard search tool against the stand-in of Grafana's search and dashboard APIs
 * (notify/grafana/testing.ts), loaded with the dashboards we ship (deploy/dashboards) and a
 * team dashboard about one workload.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGrafana } from "../../notify/grafana/testing.ts";
import type { GrafanaStandIn, StandInDashboard } from "../../notify/grafana/testing.ts";
import { findWorkloadDashboards } from "../../tools/grafana-search.ts";

const TOKEN = "glsa_viewer_token";
let grafana: GrafanaStandIn;

/** A shipped dashboard as the stand-in serves it (uid, title, panels with their first query). */
function shipped(name: string): StandInDashboard {
  const d = JSON.parse(readFileSync(`deploy/dashboards/${name}.json`, "utf8")) as {
    uid: string;
    title: string;
    panels: { id: number; title: string; targets: { expr?: string; rawSql?: string }[] }[];
  };
  return {
    uid: d.uid,
    title: d.title,
    panels: d.panels.map((p) => ({
      id: p.id,
      title: p.title,
      expr: p.targets[0]?.expr ?? p.targets[0]?.rawSql,
    })),
  };
}

beforeAll(async () => {
  grafana = await startGrafana(TOKEN, [
    shipped("aisre-operator"),
    shipped("aisre-incidents"),
    {
      uid: "shop-checkout",
      title: "Shop checkout",
      tags: ["shop"],
      panels: [
        {
          id: 1,
          title: "checkout 5xx",
          expr: 'sum(rate(http_requests_total{app="checkout",code=~"5.."}[5m]))',
        },
        {
          id: 2,
          title: "cart latency",
          expr: 'histogram_quantile(0.99, rate(http_duration_bucket{app="cart"}[5m]))',
        },
        { id: 3, title: "Pods", expr: 'kube_pod_status_ready{namespace="shop", pod=~"checkout-.*"}' },
      ],
    },
  ]);
});
afterAll(() => grafana.close());

describe("findWorkloadDashboards against Grafana's search and dashboard APIs", () => {
  it("returns the dashboards and only the panels that name the workload, with view links and the namespace variable", async () => {
    const found = await findWorkloadDashboards(
      { url: `${grafana.url}/`, token: TOKEN },
      { namespace: "shop", name: "checkout" },
    );
    expect(found).toEqual([
      {
        uid: "shop-checkout",
        title: "Shop checkout",
        url: `${grafana.url}/d/shop-checkout/shop-checkout?var-namespace=shop`,
        panels: [
          {
            id: 1,
            title: "checkout 5xx",
            url: `${grafana.url}/d/shop-checkout/shop-checkout?var-namespace=shop&viewPanel=1`,
          },
          {
            id: 3,
            title: "Pods",
            url: `${grafana.url}/d/shop-checkout/shop-checkout?var-namespace=shop&viewPanel=3`,
          },
        ],
      },
    ]);
  });

  it("finds nothing for a workload no dashboard names, and a wrong token fails naming the status only", async () => {
    expect(await findWorkloadDashboards({ url: grafana.url, token: TOKEN }, { name: "payments" })).toEqual(
      [],
    );
    await expect(
      findWorkloadDashboards({ url: grafana.url, token: "wrong-token" }, { name: "checkout" }),
    ).rejects.toThrow("Grafana GET /api/search answered 401");
  });
});
