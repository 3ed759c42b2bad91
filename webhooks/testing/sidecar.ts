/** Builds a sidecar on the fake API server for unit tests. */
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import type { Queryable } from "../../store/index.ts";
import type { WebhookAlert, WebhookPayload } from "../alertmanager/schema.ts";
import { buildSidecar } from "../server.ts";
import type { SidecarDeps, SidecarSettings } from "../server.ts";
import { createMetrics } from "../metrics.ts";
import type { SidecarMetrics } from "../metrics.ts";
import type { SidecarKube } from "../kube.ts";
import { startFakeKube } from "./fake-kube.ts";
import type { FakeKube } from "./fake-kube.ts";

export const TEST_TOKEN = "test-webhook-token-0123456789";

export const TEST_SETTINGS: SidecarSettings = {
  namespace: "aisre-system",
  webhookToken: TEST_TOKEN,
  webhookBodyLimit: 64 * 1024,
  rateLimitPerMinute: 1000,
  authCacheSeconds: 10,
  agentConfigCacheSeconds: 30,
  alertCacheSize: 1000,
};

export interface TestSidecar {
  app: FastifyInstance;
  fake: FakeKube;
  metrics: SidecarMetrics;
  close(): Promise<void>;
}

/** A sidecar on a fresh fake API server. */
export async function testSidecar(
  overrides: Partial<SidecarSettings> = {},
  extra: { store?: Queryable; watch?: SidecarKube["watch"] } & Partial<SidecarDeps> = {},
): Promise<TestSidecar> {
  const fake = await startFakeKube();
  if (extra.watch) fake.kube.watch = extra.watch;
  const metrics = createMetrics();
  const app = await buildSidecar({
    kube: fake.kube,
    config: { ...TEST_SETTINGS, ...overrides },
    logger: pino({ level: process.env.AISRE_TEST_LOG ?? "silent" }),
    metrics,
    ...extra,
  });
  await app.ready();
  return {
    app,
    fake,
    metrics,
    close: async () => {
      await app.close();
      await fake.close();
    },
  };
}

/** An alert as Alertmanager sends it. */
export function alert(
  overrides: Partial<WebhookAlert> = {},
  labels: Record<string, string> = {},
): WebhookAlert {
  return {
    status: "firing",
    labels: { alertname: "KubePodCrashLooping", severity: "critical", namespace: "shop", ...labels },
    annotations: { summary: "Pod is crash looping" },
    startsAt: "2026-11-20T10:00:00Z",
    endsAt: "0001-01-01T00:00:00Z",
    generatorURL: "http://prometheus/graph?g0.expr=up",
    fingerprint: "0123456789abcdef",
    ...overrides,
  };
}

/** A webhook notification of these alerts. */
export function payload(alerts: WebhookAlert[]): WebhookPayload {
  return {
    version: "4",
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    receiver: "aisre",
    groupLabels: { alertname: "KubePodCrashLooping" },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "http://alertmanager:9093",
    alerts,
  };
}

/** POSTs a notification with the test token. */
export function deliver(app: FastifyInstance, body: unknown, token = TEST_TOKEN) {
  return app.inject({
    method: "POST",
    url: "/alerts/alertmanager",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
}
