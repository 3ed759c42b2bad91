import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testSidecar } from "./testing/sidecar.ts";
import type { TestSidecar } from "./testing/sidecar.ts";

let t: TestSidecar;
beforeEach(async () => {
  t = await testSidecar();
});
afterEach(async () => t.close());

describe("sidecar server", () => {
  it("serves an OpenAPI 3 document generated from the route schemas", async () => {
    const res = await t.app.inject("/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe("3.0.3");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/alerts/alertmanager",
        "/api/v1/tasks",
        "/api/v1/tasks/{namespace}/{name}",
        "/api/v1/tasks/{namespace}/{name}/events",
        "/api/v1/plans/{namespace}/{name}/approve",
        "/api/v1/plans/{namespace}/{name}/reject",
        "/api/v1/incidents",
        "/api/v1/incidents/{id}",
        "/api/v1/agents",
        "/healthz",
        "/readyz",
      ]),
    );
    expect(doc.paths["/metrics"]).toBeUndefined();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const create = doc.paths["/api/v1/tasks"].post;
    expect(create.requestBody.content["application/json"].schema.required).toEqual(["description"]);
    expect(create.responses["201"]).toBeDefined();
  });

  it("answers /healthz always and /readyz by the API server", async () => {
    expect((await t.app.inject("/healthz")).json()).toEqual({ status: "ok" });
    expect((await t.app.inject("/readyz")).json()).toEqual({
      status: "ok",
      checks: { kubernetes: "ok", store: "not configured" },
    });
    t.fake.down = 500;
    const down = await t.app.inject("/readyz");
    expect(down.statusCode).toBe(503);
    expect(down.json().status).toBe("unavailable");
  });

  it("exports its metrics in the Prometheus format", async () => {
    await t.app.inject("/healthz");
    const res = await t.app.inject("/metrics");
    expect(res.headers["content-type"]).toContain("text/plain");
    for (const name of [
      "aisre_sidecar_alerts_received_total",
      "aisre_sidecar_alerts_deduplicated_total",
      "aisre_sidecar_alerts_rejected_total",
      'aisre_sidecar_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz",status_code="200"}',
      "aisre_sidecar_process_cpu_seconds_total",
    ])
      expect(res.body).toContain(name);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await t.app.inject("/nope?x=1");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: "NotFound", message: "no route GET /nope" });
  });

  it("503s when the API server cannot be reached at all", async () => {
    await t.fake.close();
    t.fake.users.set("x", { username: "x", allow: [] });
    const res = await t.app.inject({ url: "/api/v1/tasks", headers: { authorization: "Bearer x" } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toBe("ServiceUnavailable");
  });

  it("registers extra plugins in their own context with the shared parts", async () => {
    const extra = await testSidecar(
      {},
      {
        plugins: [
          async (app, ctx) => {
            app.addContentTypeParser("text/xml", { parseAs: "string" }, (_r, body, done) => done(null, body));
            app.post("/wecom/callback", async (request) => ({
              echo: request.body,
              ns: ctx.config.namespace,
              gateway: typeof ctx.gateway.createTask,
            }));
          },
        ],
      },
    );
    try {
      const res = await extra.app.inject({
        method: "POST",
        url: "/wecom/callback",
        headers: { "content-type": "text/xml" },
        payload: "<xml/>",
      });
      expect(res.json()).toEqual({ echo: "<xml/>", ns: "aisre-system", gateway: "function" });
      // The XML parser stayed inside the plugin's context.
      const outside = await extra.app.inject({
        method: "POST",
        url: "/alerts/alertmanager",
        headers: { "content-type": "text/xml", authorization: "Bearer test-webhook-token-0123456789" },
        payload: "<xml/>",
      });
      expect(outside.statusCode).toBe(415);
      expect(outside.json().error).toBe("UnsupportedMediaType");
    } finally {
      await extra.close();
    }
  });
});
