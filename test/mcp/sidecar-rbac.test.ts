// Can an installed sidecar serve the MCP tools? Over HTTP the tools read and write as the
// sidecar's ServiceAccount after the caller's SubjectAccessReview, so this suite gives an
// identity exactly the generated ClusterRole aisre-sidecar of deploy/rbac.yaml and drives
// `aisre mcp` (SDK stdio client) as that identity against the real control plane: diagnose must
// see the crash loop, search_runbooks must list, propose_plan must create. The same identity
// without the MCP rules (cdk8s/rbac.ts sidecarMcpRules) shows the gap they close.
import { readFileSync } from "node:fs";
import type { V1PolicyRule } from "@kubernetes/client-node";
import { RbacAuthorizationV1Api } from "@kubernetes/client-node";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { parseAllDocuments } from "yaml";
import { sidecarMcpRules } from "../../cdk8s/rbac.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import { accountToken, crashLoopingCheckout, stdioClient, textOf, tokenKubeconfig } from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "mcp-sarbac");

/** The generated sidecar ClusterRole's rules, as `kubectl apply -f deploy/rbac.yaml` installs them. */
function generatedSidecarRules(): V1PolicyRule[] {
  const docs = parseAllDocuments(readFileSync("deploy/rbac.yaml", "utf8")).map(
    (d) => d.toJS() as { kind: string; metadata: { name: string }; rules?: V1PolicyRule[] },
  );
  const role = docs.find((d) => d.kind === "ClusterRole" && d.metadata.name === "aisre-sidecar");
  if (!role?.rules) throw new Error("no ClusterRole aisre-sidecar in deploy/rbac.yaml");
  return role.rules;
}

describe("the generated sidecar RBAC serves every MCP tool", () => {
  const roles: string[] = [];
  let sidecar: Client;
  let before: Client;

  /** A ServiceAccount of ns bound to a ClusterRole of these rules; a stdio client as it. */
  async function clientWith(name: string, rules: V1PolicyRule[]): Promise<Client> {
    const rbac = cluster!.kc.makeApiClient(RbacAuthorizationV1Api);
    const role = `${ns.name}-${name}`;
    roles.push(role);
    await rbac.createClusterRole({ body: { metadata: { name: role }, rules } });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: role },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
        subjects: [{ kind: "ServiceAccount", name, namespace: ns.name }],
      },
    });
    const token = await accountToken(cluster!, ns.name, name, []);
    return stdioClient([], { KUBECONFIG: tokenKubeconfig(cluster!, token) });
  }

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await crashLoopingCheckout(cluster, ns.name);
    const rules = generatedSidecarRules();
    const mcp = sidecarMcpRules();
    sidecar = await clientWith("sidecar", rules);
    before = await clientWith(
      "before",
      rules.filter((r) => !mcp.some((m) => isDeepStrictEqual(m, r))),
    );
  }, 180_000);
  afterAll(async () => {
    await Promise.all([sidecar?.close(), before?.close()]);
    const rbac = cluster?.kc.makeApiClient(RbacAuthorizationV1Api);
    for (const name of roles) {
      await rbac?.deleteClusterRoleBinding({ name }).catch(() => undefined);
      await rbac?.deleteClusterRole({ name }).catch(() => undefined);
    }
  });

  it("diagnoses the crash loop as the sidecar; without the MCP rules the engine saw nothing", async () => {
    // A new binding reaches the authorizer's cache within seconds.
    const report = await eventually(async () => {
      const r = await sidecar.callTool({ name: "diagnose", arguments: { namespace: ns.name } });
      return !r.isError && /CrashLoop/.test(textOf(r)) && textOf(r);
    }, 60_000);
    expect(report).toMatch(/checkout/);
    const blind = await before.callTool({ name: "diagnose", arguments: { namespace: ns.name } });
    expect(textOf(blind)).not.toMatch(/CrashLoop/);
  });

  it("lists runbooks and proposes a plan as the sidecar; the plan is not approved", async () => {
    const runbooks = await sidecar.callTool({ name: "search_runbooks", arguments: { namespace: ns.name } });
    expect(runbooks.isError).toBeFalsy();
    const step = {
      name: "restart",
      action: "RolloutRestart",
      target: { kind: "Deployment", name: "checkout" },
    };
    const plan = await sidecar.callTool({
      name: "propose_plan",
      arguments: { namespace: ns.name, description: "restart checkout", steps: [step] },
    });
    expect(plan.isError, textOf(plan)).toBeFalsy();
    expect(textOf(plan)).toMatch(/Created RemediationPlan/);
    expect(textOf(plan)).not.toMatch(/"approval"/);
    const refused = await before.callTool({
      name: "propose_plan",
      arguments: { namespace: ns.name, description: "restart checkout", steps: [step] },
    });
    expect(refused.isError).toBe(true);
  });
});
