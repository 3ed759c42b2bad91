/** Helpers of the MCP integration tests: a crash-looping namespace, kubeconfigs for a token, SDK clients. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { AppsV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { TestCluster } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import { kwokDeployment } from "../support/workloads.ts";

/** The secret an event message quotes; no MCP answer may carry it. */
export const SECRET = "Sup3rS3cretPassw0rd";
export const DB_URL = `postgres://app:${SECRET}@db.shop:5432/orders`;

/** A Deployment checkout whose pod kwok crash-loops, and a Warning event on it quoting DB_URL. */
export async function crashLoopingCheckout(cluster: TestCluster, namespace: string): Promise<string> {
  await cluster.kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: kwokDeployment("checkout", { replicas: 1, simulate: "CrashLoopBackOff" }),
  });
  const pod = await eventually(async () => {
    const list = await cluster.core.listNamespacedPod({ namespace, labelSelector: "app=checkout" });
    return list.items.find(
      (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff",
    );
  }, 90_000);
  const name = pod.metadata!.name!;
  const now = new Date();
  const event: CoreV1Event = {
    // Listed (by name) before the simulator's own BackOff event, `<pod>.<unix nanos in hex>`,
    // so it is the one the engine quotes as evidence.
    metadata: { name: `${name}.0000-secret`, namespace },
    involvedObject: { kind: "Pod", namespace, name, uid: pod.metadata!.uid, apiVersion: "v1" },
    reason: "BackOff",
    type: "Warning",
    message: `Back-off restarting failed container app: cannot connect to ${DB_URL}`,
    count: 7,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: "kubelet" },
  };
  await cluster.core.createNamespacedEvent({ namespace, body: event });
  return name;
}

/** A ServiceAccount with a Role of these rules (any API group) and a token for it (API server audience). */
export async function accountToken(
  cluster: TestCluster,
  namespace: string,
  name: string,
  rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[],
  audiences: string[] = [],
): Promise<string> {
  const rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api);
  await cluster.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  if (rules.length > 0) {
    await rbac.createNamespacedRole({ namespace, body: { metadata: { name }, rules } });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
        subjects: [{ kind: "ServiceAccount", name, namespace }],
      },
    });
  }
  const review = await cluster.core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences, expirationSeconds: 3600 } },
  });
  return review.status!.token!;
}

/** A kubeconfig file for the test cluster that authenticates with token. */
export function tokenKubeconfig(cluster: TestCluster, token: string): string {
  const c = cluster.kc.getCurrentCluster()!;
  const dir = mkdtempSync(join(tmpdir(), "aisre-mcp-kc-"));
  const file = join(dir, "kubeconfig");
  const cfg = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "t",
        cluster: {
          server: c.server,
          ...(c.caData ? { "certificate-authority-data": c.caData } : {}),
          ...(c.caFile ? { "certificate-authority": c.caFile } : {}),
          ...(c.skipTLSVerify ? { "insecure-skip-tls-verify": true } : {}),
        },
      },
    ],
    users: [{ name: "t", user: { token } }],
    contexts: [{ name: "t", context: { cluster: "t", user: "t" } }],
    "current-context": "t",
  };
  writeFileSync(file, JSON.stringify(cfg));
  return file;
}

/** An SDK client connected over stdio to `node bin/aisre.mjs mcp ...args` with env. */
export async function stdioClient(args: string[], env: Record<string, string>): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["bin/aisre.mjs", "mcp", ...args],
    env: { PATH: process.env.PATH ?? "", AISRE_LOG_LEVEL: "warn", ...env },
    stderr: "inherit",
  });
  const client = new Client({ name: "aisre-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** The text parts of a tool result, joined. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}
