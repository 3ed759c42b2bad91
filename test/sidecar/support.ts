/** Helpers of the sidecar integration tests: a listening sidecar, ServiceAccount tokens, a fault proxy. */
import { connect, createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { RbacAuthorizationV1Api } from "@kubernetes/client-node";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import type { Queryable } from "../../store/index.ts";
import { sidecarKube } from "../../webhooks/kube.ts";
import { createMetrics } from "../../webhooks/metrics.ts";
import type { SidecarMetrics } from "../../webhooks/metrics.ts";
import { buildSidecar } from "../../webhooks/server.ts";
import type { SidecarSettings } from "../../webhooks/server.ts";
import type { TestCluster } from "../support/cluster.ts";

export const WEBHOOK_TOKEN = "integration-webhook-token-0123456789";

export interface RunningSidecar {
  url: string;
  port: number;
  app: FastifyInstance;
  metrics: SidecarMetrics;
  close(): Promise<void>;
}

/** Builds and starts a sidecar on 127.0.0.1 (a free port) against kc. */
export async function startSidecar(
  kc: KubeConfig,
  settings: Partial<SidecarSettings> & { namespace: string },
  store?: Queryable,
): Promise<RunningSidecar> {
  const metrics = createMetrics();
  const app = await buildSidecar({
    kube: sidecarKube(kc),
    config: {
      webhookToken: WEBHOOK_TOKEN,
      webhookBodyLimit: 4 << 20,
      rateLimitPerMinute: 10_000,
      authCacheSeconds: 10,
      agentConfigCacheSeconds: 30,
      alertCacheSize: 20_000,
      ...settings,
    },
    logger: pino({ level: process.env.AISRE_TEST_LOG ?? "warn" }),
    metrics,
    store,
    sse: { heartbeatMs: 1000 },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, app, metrics, close: () => app.close() };
}

/**
 * Creates a ServiceAccount bound to a Role of these rules (on aisre.io) and returns a token for
 * it, minted for `audiences` ([]: the API server's own; a sidecar started by the CLI wants
 * aisre-sidecar, its AISRE_TOKEN_AUDIENCE default).
 */
export async function serviceAccountToken(
  cluster: TestCluster,
  namespace: string,
  name: string,
  rules: { resources: string[]; verbs: string[] }[],
  audiences: string[] = [],
): Promise<string> {
  const rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api);
  await cluster.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  await rbac.createNamespacedRole({
    namespace,
    body: { metadata: { name }, rules: rules.map((r) => ({ apiGroups: ["aisre.io"], ...r })) },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
  });
  const review = await cluster.core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences, expirationSeconds: 3600 } },
  });
  const token = review.status?.token;
  if (!token) throw new Error(`no token issued for ServiceAccount ${namespace}/${name}`);
  return token;
}

/** Polls fn until it returns a truthy value or the time is up. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** A TCP proxy in front of the API server that can cut every connection (an outage on demand). */
export interface FaultProxy {
  /** A copy of kc whose cluster points at the proxy. */
  kc: KubeConfig;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

/** Starts a fault proxy for kc's current cluster. */
export async function startFaultProxy(kc: KubeConfig): Promise<FaultProxy> {
  const target = new URL(kc.getCurrentCluster()!.server);
  const sockets = new Set<Socket>();
  let isDown = false;
  const server = createServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 443), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const proxied = new (kc.constructor as new () => KubeConfig)();
  proxied.loadFromString(kc.exportConfig());
  const cluster = proxied.getCurrentCluster()!;
  proxied.clusters = proxied.clusters.map((c) =>
    c.name === cluster.name ? { ...c, server: `${target.protocol}//127.0.0.1:${port}` } : c,
  );
  return {
    kc: proxied,
    down: () => {
      isDown = true;
      for (const s of sockets) s.destroy();
    },
    up: () => {
      isDown = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
