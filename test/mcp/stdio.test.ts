// `aisre mcp` as a desktop or IDE client runs it: the SDK's Client spawning `node bin/aisre.mjs
// mcp` over stdio against the real control plane, as the kubeconfig's identity.
import { spawn } from "node:child_process";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import {
  SECRET,
  accountToken,
  crashLoopingCheckout,
  stdioClient,
  textOf,
  tokenKubeconfig,
} from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "mcp-stdio");
const other = useNamespace(cluster, "mcp-other");

const TOOLS = [
  "diagnose",
  "list_incidents",
  "get_incident",
  "similar_incidents",
  "search_runbooks",
  "query_prometheus",
  "propose_plan",
  "get_task",
  "capacity",
];

describe("aisre mcp over stdio", () => {
  let admin: Client;
  let outsider: Client;

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await crashLoopingCheckout(cluster, ns.name);
    // A ServiceAccount that may read pods in its own namespace only.
    const token = await accountToken(cluster, other.name, "outsider", [
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
    ]);
    admin = await stdioClient([], { KUBECONFIG: cluster.kubeconfigPath });
    outsider = await stdioClient([], { KUBECONFIG: tokenKubeconfig(cluster, token) });
  }, 180_000);
  afterAll(async () => {
    await admin?.close();
    await outsider?.close();
  });

  it("lists the tools with strict JSON Schemas, the resources and the prompts", async () => {
    const { tools } = await admin.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.inputSchema).toMatchObject({ type: "object", additionalProperties: false });
      expect(t.description?.length).toBeGreaterThan(20);
    }
    const diagnose = tools.find((t) => t.name === "diagnose")!;
    expect(diagnose.inputSchema.required).toEqual(["namespace"]);
    expect(tools.find((t) => t.name === "propose_plan")!.annotations?.readOnlyHint).toBe(false);
    const { resourceTemplates } = await admin.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate)).toEqual([
      "aisre://incidents/{id}",
      "aisre://runbooks/{namespace}/{name}",
    ]);
    const { prompts } = await admin.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["troubleshoot_workload", "review_plan"]);
  });

  it("diagnoses a real namespace: the text report and the contract JSON, the secret masked", async () => {
    const result = await admin.callTool({ name: "diagnose", arguments: { namespace: ns.name } });
    expect(result.isError).toBeFalsy();
    const [report, contract] = (result.content as { text: string }[]).map((c) => c.text);
    expect(report).toMatch(/CrashLoop/);
    expect(JSON.parse(contract!).rootCause).toMatchObject({
      category: "CrashLoop",
      resource: { kind: "Deployment", namespace: ns.name, name: "checkout" },
    });
    // The event quoting the database URL is evidence; its password is masked.
    expect(textOf(result)).toContain("postgres://app:***@db.shop");
    expect(textOf(result)).not.toContain(SECRET);
  });

  it("answers a bad argument with an MCP InvalidParams error naming the field", async () => {
    const bad = admin.callTool({ name: "diagnose", arguments: { namespace: "Not_A_Namespace" } });
    await expect(bad).rejects.toBeInstanceOf(McpError);
    await expect(bad).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/namespace must match pattern/),
    });
    const step = { name: "s1", action: "DeleteEverything", target: { kind: "Deployment", name: "checkout" } };
    await expect(
      admin.callTool({
        name: "propose_plan",
        arguments: { namespace: ns.name, description: "x", steps: [step] },
      }),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/steps\/0\/action/) });
    await expect(
      admin.callTool({ name: "get_task", arguments: { namespace: ns.name, name: "t", extra: 1 } }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/must NOT have additional properties/) });
  });

  it("refuses a caller whose identity may not read the namespace, and the refusal names it", async () => {
    const result = await outsider.callTool({ name: "diagnose", arguments: { namespace: ns.name } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(new RegExp(`forbidden: .* may not list pods in namespace ${ns.name}`));
    // Its own namespace it may diagnose.
    const own = await outsider.callTool({ name: "diagnose", arguments: { namespace: other.name } });
    expect(own.isError).toBeFalsy();
  });

  it("refuses a kubeconfig whose token the API server does not accept", async () => {
    const stranger = await stdioClient([], { KUBECONFIG: tokenKubeconfig(cluster!, "not-a-token") });
    try {
      const result = await stranger.callTool({ name: "diagnose", arguments: { namespace: ns.name } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^unauthorized: /);
    } finally {
      await stranger.close();
    }
  });

  it("bounds every answer to --max-output-chars", async () => {
    const small = await stdioClient(["--max-output-chars", "400"], { KUBECONFIG: cluster!.kubeconfigPath });
    try {
      const result = await small.callTool({ name: "diagnose", arguments: { namespace: ns.name } });
      const text = (result.content as { text: string }[]).map((c) => c.text).join("");
      expect(text.length).toBeLessThanOrEqual(400);
      expect(text).toMatch(/more characters cut\]$/);
    } finally {
      await small.close();
    }
  });

  it("exits 0 when the client closes its stdin", async () => {
    const child = spawn(process.execPath, ["bin/aisre.mjs", "mcp"], {
      env: { PATH: process.env.PATH ?? "", KUBECONFIG: cluster!.kubeconfigPath, AISRE_LOG_LEVEL: "warn" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    };
    child.stdout.once("data", () => child.stdin.end());
    child.stdin.write(`${JSON.stringify(init)}\n`);
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });

  it("propose_plan creates a RemediationPlan that waits for a person's approval", async () => {
    const result = await admin.callTool({
      name: "propose_plan",
      arguments: {
        namespace: ns.name,
        description: "restart the crash-looping checkout",
        steps: [
          { name: "restart", action: "RolloutRestart", target: { kind: "Deployment", name: "checkout" } },
        ],
      },
    });
    expect(result.isError).toBeFalsy();
    const name = /RemediationPlan [^/]+\/(\S+)\./.exec(textOf(result))![1]!;
    const plan = (await cluster!.objects.read({
      apiVersion: "aisre.io/v1alpha1",
      kind: "RemediationPlan",
      metadata: { namespace: ns.name, name },
    })) as {
      spec: { approval?: unknown; steps: unknown[] };
      metadata: { annotations?: Record<string, string> };
    };
    expect(plan.spec.approval).toBeUndefined();
    expect(plan.spec.steps).toHaveLength(1);
    expect(plan.metadata.annotations?.["aisre.io/requested-by"]).toBeTruthy();
    // The outsider may not propose in a namespace it cannot write to.
    const denied = await outsider.callTool({
      name: "propose_plan",
      arguments: {
        namespace: ns.name,
        description: "x",
        steps: [
          { name: "restart", action: "RolloutRestart", target: { kind: "Deployment", name: "checkout" } },
        ],
      },
    });
    expect(textOf(denied)).toMatch(/forbidden: .* may not create aisre.io remediationplans/);
  });
});
