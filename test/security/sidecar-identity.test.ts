// Finding 6 of the trust-boundaries review: the sidecar ran as the operator's ServiceAccount
// (cluster-wide write), served plain HTTP and reviewed tokens without an audience. Now the
// generated deploy/rbac.yaml gives it its own ServiceAccount; this suite applies the generated
// files to the real API server and shows, with a token of that ServiceAccount, that it can
// create SreTasks but not patch Deployments, delete Pods, read Secrets or impersonate anyone
// but the users the impersonation role names (deploy/chat-impersonation.yaml); that REST
// callers' tokens are accepted only when minted for the sidecar's audience; and that the
// sidecar serves HTTPS with a certificate made here with openssl.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { pino } from "pino";
import { beforeAll, describe, expect } from "vitest";
import { tlsFromEnv } from "../../app/cli/commands/sidecar.ts";
import { IMPERSONATOR_ROLE, impersonationRules } from "../../cdk8s/admission.ts";
import { KubeClient, statusCode } from "../../kube/kube-api.ts";
import type { HttpMethod } from "@kubernetes/client-node";
import { DEFAULT_TOKEN_AUDIENCE } from "../../webhooks/config.ts";
import { sidecarKube } from "../../webhooks/kube.ts";
import { buildSidecar } from "../../webhooks/server.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import type { TestCluster } from "../support/cluster.ts";
import { WEBHOOK_TOKEN } from "../sidecar/support.ts";

const run = promisify(execFile);
const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "sc-ident");
const SYSTEM = "aisre-system";
const SIDECAR_SA = "aisre-sidecar";
/** The API server's audience: its --service-account-issuer (hack/control-plane.sh), as in most clusters. */
const API_AUDIENCE = "https://kubernetes.default.svc";
const c = () => cluster as TestCluster;

/** A token of a ServiceAccount, minted by the TokenRequest API for these audiences ([]: the API server's). */
async function tokenFor(namespace: string, name: string, audiences: string[] = []): Promise<string> {
  const review = await c().core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences, expirationSeconds: 3600 } },
  });
  const token = review.status?.token;
  if (!token) throw new Error(`no token for ${namespace}/${name}`);
  return token;
}

/** The admin's cluster with a bearer token instead of the admin certificate. */
function tokenKubeConfig(token: string): k8s.KubeConfig {
  const cl = c().kc.getCurrentCluster()!;
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: cl.name, server: cl.server, caFile: cl.caFile, caData: cl.caData }],
    users: [{ name: "sa", token }],
    contexts: [{ name: "sa", cluster: cl.name, user: "sa" }],
    currentContext: "sa",
  });
  return kc;
}

/** What the API server says this identity may do (SelfSubjectAccessReview). */
async function may(kc: k8s.KubeConfig, attrs: k8s.V1ResourceAttributes): Promise<boolean> {
  const review = await kc.makeApiClient(k8s.AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: attrs } },
  });
  return review.status?.allowed === true;
}

/** The HTTP status of a real request as this identity (403: the API server refused it). */
async function statusOf(
  kc: k8s.KubeConfig,
  method: HttpMethod,
  path: string,
  body?: unknown,
): Promise<number> {
  try {
    await KubeClient.fromKubeConfig(kc).request(method, path, {
      body,
      contentType: "application/merge-patch+json",
    });
    return 200;
  } catch (err) {
    return statusCode(err) ?? 0;
  }
}

/** kc acting as `user` (header Impersonate-User). */
function impersonating(kc: k8s.KubeConfig, user: string): k8s.KubeConfig {
  const copy = new k8s.KubeConfig();
  copy.loadFromOptions({
    clusters: kc.clusters,
    users: kc.users.map((u) => ({ ...u, impersonateUser: user })),
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return copy;
}

/** Polls until check() resolves true (RBAC changes reach the authorizer's cache within seconds). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the RBAC change");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** GET over HTTPS trusting only `ca`; resolves status and body. */
function httpsGet(url: string, ca: Buffer, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the sidecar's own least-privilege identity (finding 6)", () => {
  let sidecar: k8s.KubeConfig;

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    // The generated identities, as a plain-manifest install applies them.
    for (const file of ["deploy/namespace.yaml", "deploy/rbac.yaml", "deploy/chat-impersonation.yaml"]) {
      const applied = await kubectl(cluster, ["apply", "--server-side", "--force-conflicts", "-f", file]);
      if (applied.code !== 0) throw new Error(`kubectl apply ${file} failed: ${applied.stderr}`);
    }
    sidecar = tokenKubeConfig(await tokenFor(SYSTEM, SIDECAR_SA));
    await c().objects.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: ns.name },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "example.com/web:1" }] },
        },
      },
    } as k8s.KubernetesObject);
    await c().core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "db" }, stringData: { password: "s3cret" } },
    });
  });

  it("may create, watch and patch SreTasks, read plans and AgentConfigs, and review tokens and access", async () => {
    const yes: k8s.V1ResourceAttributes[] = [
      { group: "aisre.io", resource: "sretasks", verb: "create", namespace: ns.name },
      { group: "aisre.io", resource: "sretasks", verb: "patch", namespace: ns.name },
      { group: "aisre.io", resource: "sretasks", verb: "watch" },
      { group: "aisre.io", resource: "remediationplans", verb: "get", namespace: ns.name },
      { group: "aisre.io", resource: "agentconfigs", verb: "list" },
      { group: "authentication.k8s.io", resource: "tokenreviews", verb: "create" },
      { group: "authorization.k8s.io", resource: "subjectaccessreviews", verb: "create" },
    ];
    for (const attrs of yes) expect(await may(sidecar, attrs), JSON.stringify(attrs)).toBe(true);
    // A real write: an SreTask as the sidecar.
    const created = await KubeClient.fromKubeConfig(sidecar).request<{ metadata: { name: string } }>(
      "POST",
      `/apis/aisre.io/v1alpha1/namespaces/${ns.name}/sretasks`,
      {
        body: {
          apiVersion: "aisre.io/v1alpha1",
          kind: "SreTask",
          metadata: { name: "from-sidecar", namespace: ns.name },
          spec: { source: "Manual", description: "created by the sidecar's ServiceAccount" },
        },
      },
    );
    expect(created.metadata.name).toBe("from-sidecar");
  });

  it("may not patch Deployments, delete Pods, read Secrets, decide plans or impersonate arbitrary users", async () => {
    const no: k8s.V1ResourceAttributes[] = [
      { group: "apps", resource: "deployments", verb: "patch", namespace: ns.name },
      { group: "apps", resource: "deployments", subresource: "scale", verb: "update", namespace: ns.name },
      { group: "", resource: "pods", verb: "delete", namespace: ns.name },
      { group: "", resource: "secrets", verb: "get", namespace: ns.name },
      { group: "", resource: "secrets", verb: "list" },
      { group: "", resource: "secrets", verb: "get", namespace: SYSTEM },
      { group: "aisre.io", resource: "remediationplans", verb: "patch", namespace: ns.name },
      { group: "aisre.io", resource: "remediationplans", verb: "approve", namespace: ns.name },
      { group: "aisre.io", resource: "sretasks", verb: "delete", namespace: ns.name },
      { group: "", resource: "users", verb: "impersonate", name: "system:admin" },
      { group: "", resource: "users", verb: "impersonate", name: "alice" },
      { group: "", resource: "groups", verb: "impersonate", name: "system:masters" },
      {
        group: "",
        resource: "serviceaccounts",
        verb: "impersonate",
        namespace: SYSTEM,
        name: "aisre-operator",
      },
    ];
    for (const attrs of no) expect(await may(sidecar, attrs), JSON.stringify(attrs)).toBe(false);
    // And real requests, refused by the API server.
    expect(
      await statusOf(sidecar, "PATCH", `/apis/apps/v1/namespaces/${ns.name}/deployments/web`, {
        spec: { replicas: 1 },
      }),
    ).toBe(403);
    expect(await statusOf(sidecar, "DELETE", `/api/v1/namespaces/${ns.name}/pods/anything`)).toBe(403);
    expect(await statusOf(sidecar, "GET", `/api/v1/namespaces/${ns.name}/secrets/db`)).toBe(403);
    expect(await statusOf(sidecar, "GET", "/api/v1/secrets")).toBe(403);
    for (const user of ["system:admin", "alice", "system:serviceaccount:aisre-system:aisre-operator"])
      expect(await statusOf(impersonating(sidecar, user), "GET", `/api/v1/namespaces/${ns.name}`), user).toBe(
        403,
      );
  });

  it("impersonates exactly the users cluster policy names in the impersonation role, no one else", async () => {
    // What a cluster admin does for AgentConfig spec.policy.chatIdentities (or the chart's
    // sidecar.impersonation.users): fill the generated role with resourceNames.
    const rbac = c().kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    const role = await rbac.readClusterRole({ name: IMPERSONATOR_ROLE });
    const rules = impersonationRules([{ kubernetesUser: "wecom:alice" }]) as k8s.V1PolicyRule[];
    await rbac.replaceClusterRole({ name: IMPERSONATOR_ROLE, body: { ...role, rules } });
    try {
      const allowed = (name: string) =>
        may(sidecar, { group: "", resource: "users", verb: "impersonate", name });
      await waitUntil(() => allowed("wecom:alice"));
      expect(await allowed("wecom:bob")).toBe(false);
      expect(await allowed("system:admin")).toBe(false);
      expect(await may(sidecar, { group: "", resource: "users", verb: "impersonate" })).toBe(false);
      const alice = impersonating(sidecar, "wecom:alice");
      // Impersonation works, and alice has no rights of her own here.
      expect(await statusOf(alice, "GET", `/api/v1/namespaces/${ns.name}/secrets/db`)).toBe(403);
      expect(await statusOf(impersonating(sidecar, "wecom:bob"), "GET", "/version")).toBe(403);
    } finally {
      const now = await rbac.readClusterRole({ name: IMPERSONATOR_ROLE });
      await rbac.replaceClusterRole({ name: IMPERSONATOR_ROLE, body: { ...now, rules: [] } });
    }
  });

  it("the operator's account reads no Secrets cluster-wide and impersonates no one", async () => {
    const operator = tokenKubeConfig(await tokenFor(SYSTEM, "aisre-operator"));
    expect(await may(operator, { group: "", resource: "secrets", verb: "list" })).toBe(false);
    expect(await may(operator, { group: "", resource: "secrets", verb: "get", namespace: ns.name })).toBe(
      false,
    );
    expect(await may(operator, { group: "", resource: "users", verb: "impersonate", name: "alice" })).toBe(
      false,
    );
    // The diagnosis reader and the executor are bound to it: it reads pods and may patch Deployments.
    expect(await may(operator, { group: "", resource: "pods", verb: "watch" })).toBe(true);
    expect(
      await may(operator, { group: "apps", resource: "deployments", verb: "patch", namespace: ns.name }),
    ).toBe(true);
  });

  it("a TokenReview with the sidecar's audience rejects tokens minted for another audience", async () => {
    const authn = sidecar.makeApiClient(k8s.AuthenticationV1Api);
    const review = async (token: string) =>
      (
        await authn.createTokenReview({
          body: { spec: { token, audiences: [DEFAULT_TOKEN_AUDIENCE] } },
        })
      ).status;
    await c().core.createNamespacedServiceAccount({
      namespace: ns.name,
      body: { metadata: { name: "caller" } },
    });
    const forSidecar = await review(await tokenFor(ns.name, "caller", [DEFAULT_TOKEN_AUDIENCE]));
    expect(forSidecar?.authenticated).toBe(true);
    expect(forSidecar?.audiences).toEqual([DEFAULT_TOKEN_AUDIENCE]);
    expect(forSidecar?.user?.username).toBe(`system:serviceaccount:${ns.name}:caller`);
    // REST approve/reject forwards the caller's token to the API server (webhooks/acting.ts): a
    // token minted for both audiences passes the sidecar's review and the API server's.
    const both = await tokenFor(ns.name, "caller", [DEFAULT_TOKEN_AUDIENCE, API_AUDIENCE]);
    expect((await review(both))?.authenticated).toBe(true);
    const whoami = await tokenKubeConfig(both)
      .makeApiClient(k8s.AuthenticationV1Api)
      .createSelfSubjectReview({ body: {} });
    expect(whoami.status?.userInfo?.username).toBe(`system:serviceaccount:${ns.name}:caller`);
    // The API server's own audience is another audience too.
    for (const audiences of [["another-service"], []]) {
      const other = await review(await tokenFor(ns.name, "caller", audiences));
      expect(other?.authenticated ?? false, JSON.stringify(audiences)).toBe(false);
      expect(other?.error, JSON.stringify(audiences)).toMatch(/audience/i);
    }
  });

  it("serves HTTPS with a certificate from files and accepts REST tokens only for its audience", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aisre-tls-"));
    try {
      await run("openssl", [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=aisre-sidecar",
        "-addext",
        "subjectAltName=DNS:aisre-sidecar,IP:127.0.0.1",
        "-keyout",
        join(dir, "tls.key"),
        "-out",
        join(dir, "tls.crt"),
      ]);
      const https = tlsFromEnv({
        AISRE_TLS_CERT_FILE: join(dir, "tls.crt"),
        AISRE_TLS_KEY_FILE: join(dir, "tls.key"),
      });
      expect(https).toBeDefined();
      // The sidecar as deployed: its own ServiceAccount's token, the default audience.
      const app = await buildSidecar({
        kube: sidecarKube(sidecar),
        config: {
          namespace: ns.name,
          webhookToken: WEBHOOK_TOKEN,
          webhookBodyLimit: 1 << 20,
          rateLimitPerMinute: 10_000,
          authCacheSeconds: 0,
          agentConfigCacheSeconds: 30,
          alertCacheSize: 100,
          tokenAudience: DEFAULT_TOKEN_AUDIENCE,
        },
        logger: pino({ level: process.env.AISRE_TEST_LOG ?? "silent" }),
        https,
      });
      const address = await app.listen({ port: 0, host: "127.0.0.1" });
      try {
        expect(address.startsWith("https://")).toBe(true);
        const ca = readFileSync(join(dir, "tls.crt"));
        expect((await httpsGet(`${address}/healthz`, ca)).status).toBe(200);
        // Plain HTTP on the same port gets no answer.
        await expect(fetch(address.replace("https://", "http://") + "/healthz")).rejects.toThrow();

        const rbac = c().kc.makeApiClient(k8s.RbacAuthorizationV1Api);
        await c().core.createNamespacedServiceAccount({
          namespace: ns.name,
          body: { metadata: { name: "reader" } },
        });
        await rbac.createNamespacedRole({
          namespace: ns.name,
          body: {
            metadata: { name: "reader" },
            rules: [{ apiGroups: ["aisre.io"], resources: ["sretasks"], verbs: ["get", "list", "watch"] }],
          },
        });
        await rbac.createNamespacedRoleBinding({
          namespace: ns.name,
          body: {
            metadata: { name: "reader" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
            subjects: [{ kind: "ServiceAccount", name: "reader", namespace: ns.name }],
          },
        });
        const tasks = `${address}/api/v1/tasks?namespace=${ns.name}`;
        const good = await httpsGet(tasks, ca, await tokenFor(ns.name, "reader", [DEFAULT_TOKEN_AUDIENCE]));
        expect(good.status, good.body).toBe(200);
        expect(good.body).toContain("from-sidecar");
        for (const audiences of [[], ["another-service"]]) {
          const bad = await httpsGet(tasks, ca, await tokenFor(ns.name, "reader", audiences));
          expect(bad.status, `audiences ${JSON.stringify(audiences)}: ${bad.body}`).toBe(401);
        }
      } finally {
        await app.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
