/**
 * Helpers for the automation integration suites: the least-privilege automation identity
 * (a ServiceAccount bound to exactly the rules the catalog declares), contexts, polling, and
 * the workload objects the suites create.
 */
import { randomBytes } from "node:crypto";
import * as k8s from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { ACTION_NAMES } from "../../crds/actions.ts";
import { kwokDeployment } from "../support/workloads.ts";
import type { ActionName } from "../../crds/actions.ts";
import type { ObjectReference } from "../../crds/common.ts";
import type { Action, ActionContext, Step, UndoState, VerifyResult } from "../../agents/automation/action.ts";
import { createActionContext } from "../../agents/automation/context.ts";
import type { ActionContextOptions } from "../../agents/automation/context.ts";
import { automationNamespacedRules, automationRules } from "../../agents/automation/rbac.ts";
import type { TestCluster } from "../support/cluster.ts";

export const silent = pino({ level: "silent" });

/** A plan step. */
export const step = (
  action: ActionName,
  target: ObjectReference,
  params: Record<string, unknown> = {},
): Step => ({
  name: "s1",
  action,
  target,
  params,
});

/** Resolves when check() returns a truthy value; throws with the last value after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** Polls verify until done (as the controller would) and returns the final result. */
export async function verifyUntilDone(
  action: Action,
  ctx: ActionContext,
  s: Step,
  state: UndoState,
  timeoutMs = 60_000,
): Promise<VerifyResult> {
  let last: VerifyResult | undefined;
  await waitFor(
    `${action.name} verification`,
    async () => {
      last = await action.verify(ctx, s, state);
      return last.done;
    },
    timeoutMs,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; verify said: ${last?.message}`);
  });
  return last!;
}

/**
 * Gives the suite an ActionContext authenticated as a fresh ServiceAccount bound only to
 * automationRules(every action), or to `rules()` when given (the generated executor role):
 * the suites thereby prove those rules suffice.
 */
export function useAutomationIdentity(
  cluster: TestCluster | undefined,
  opts: ActionContextOptions & { roleNamespace?: string; rules?: () => k8s.V1PolicyRule[] } = {},
): { ctx: ActionContext; kc: k8s.KubeConfig } {
  const { rules, ...options } = opts;
  const holder = {} as { ctx: ActionContext; kc: k8s.KubeConfig };
  const id = `aisre-automation-${randomBytes(3).toString("hex")}`;
  const namespace = id;
  const rbac = () => cluster!.kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  beforeAll(async () => {
    if (!cluster) return;
    const { core } = cluster;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: id } } });
    await rbac().createClusterRole({
      body: { metadata: { name: id }, rules: rules?.() ?? automationRules(ACTION_NAMES) },
    });
    await rbac().createClusterRoleBinding({
      body: {
        metadata: { name: id },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: id },
        subjects: [{ kind: "ServiceAccount", name: id, namespace }],
      },
    });
    if (options.roleNamespace) await bindNamespacedRules(cluster, id, namespace, options.roleNamespace);
    const token = await core.createNamespacedServiceAccountToken({
      name: id,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const kc = tokenKubeConfig(cluster.kc, token.status?.token ?? "");
    holder.kc = kc;
    holder.ctx = createActionContext(kc, { log: silent, ...options });
    await waitForAccess(kc);
  });
  afterAll(async () => {
    if (!cluster) return;
    await rbac()
      .deleteClusterRoleBinding({ name: id })
      .catch(() => undefined);
    await rbac()
      .deleteClusterRole({ name: id })
      .catch(() => undefined);
    await cluster.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });
  return holder;
}

/** A Role with automationNamespacedRules (the AWS Secret) in the AgentConfig's namespace, bound to the identity. */
async function bindNamespacedRules(cluster: TestCluster, id: string, saNamespace: string, namespace: string) {
  const rbac = cluster.kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({
    namespace,
    body: { metadata: { name: id }, rules: automationNamespacedRules(ACTION_NAMES) },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: id },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: id },
      subjects: [{ kind: "ServiceAccount", name: id, namespace: saNamespace }],
    },
  });
}

/** A kubeconfig for the admin's cluster with a bearer token instead of the admin certificate. */
function tokenKubeConfig(admin: k8s.KubeConfig, token: string): k8s.KubeConfig {
  const c = admin.getCurrentCluster()!;
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: c.name, server: c.server, caFile: c.caFile, caData: c.caData, skipTLSVerify: c.skipTLSVerify },
    ],
    users: [{ name: "automation", token }],
    contexts: [{ name: "automation", cluster: c.name, user: "automation" }],
    currentContext: "automation",
  });
  return kc;
}

/** Waits until the RBAC authorizer's cache knows the new binding. */
async function waitForAccess(kc: k8s.KubeConfig): Promise<void> {
  const authz = kc.makeApiClient(k8s.AuthorizationV1Api);
  await waitFor("RBAC binding", async () => {
    const r = await authz.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb: "patch", group: "apps", resource: "deployments" } } },
    });
    return r.status?.allowed;
  });
}

/** A Deployment of kwok-run pods; extra pod annotations (aisre.io/simulate) and node pinning on demand. */
export function deployment(
  name: string,
  opts: { replicas?: number; image?: string; annotations?: Record<string, string>; node?: string } = {},
): k8s.V1Deployment {
  return kwokDeployment(name, { image: "example.com/app:v1", ...opts });
}

/** Creates a Deployment and waits until all its replicas are available. */
export async function createReadyDeployment(
  cluster: TestCluster,
  namespace: string,
  d: k8s.V1Deployment,
): Promise<k8s.V1Deployment> {
  const apps = cluster.kc.makeApiClient(k8s.AppsV1Api);
  await apps.createNamespacedDeployment({ namespace, body: d });
  const name = d.metadata!.name!;
  return waitFor(`deployment ${name} available`, async () => {
    const now = await apps.readNamespacedDeployment({ name, namespace });
    const want = now.spec?.replicas ?? 1;
    return (now.status?.availableReplicas ?? 0) === want && now.status?.updatedReplicas === want
      ? now
      : undefined;
  });
}

/** Creates an extra kwok node (the shape of hack/kwok/node.yaml) for tests that cordon or drain. */
export async function createKwokNode(cluster: TestCluster, name: string): Promise<void> {
  await cluster.core.createNode({
    body: {
      metadata: {
        name,
        annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
        labels: {
          "kubernetes.io/hostname": name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          type: "kwok",
        },
      },
      status: {
        allocatable: { cpu: "8", memory: "32Gi", pods: "110" },
        capacity: { cpu: "8", memory: "32Gi", pods: "110" },
      },
    },
  });
  await waitFor(`node ${name} Ready`, async () => {
    const node = await cluster.core.readNode({ name });
    return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
  });
}

/** Creates a one-replica StatefulSet `app=name` of kwok pods and waits until it is ready at one revision. */
export async function createReadyStatefulSet(cluster: TestCluster, namespace: string, name: string) {
  const apps = cluster.kc.makeApiClient(k8s.AppsV1Api);
  const labels = { app: name };
  const template = {
    metadata: { labels },
    spec: { containers: [{ name: "app", image: "example.com/app:v1" }] },
  };
  await apps.createNamespacedStatefulSet({
    namespace,
    body: {
      metadata: { name },
      spec: {
        replicas: 1,
        serviceName: name,
        podManagementPolicy: "Parallel",
        selector: { matchLabels: labels },
        template,
      },
    },
  });
  await waitFor(`StatefulSet ${name} ready`, async () => {
    const s = await apps.readNamespacedStatefulSet({ name, namespace });
    return s.status?.readyReplicas === 1 && s.status.currentRevision === s.status.updateRevision;
  });
}
