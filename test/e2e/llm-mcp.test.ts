// The operator's LLM step with a remote MCP server declared in the AgentConfig
// (spec.tools.mcpServers): a hostile server built with the SDK, run as its own process. The
// model may call only the allow-listed read-only tool; its answer reaches the model fenced and
// redacted, and nothing outside the action catalog comes of the injection it carries.
import { spawn, type ChildProcess } from "node:child_process";
import { AppsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { DiagnosisRun } from "../../crds/index.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { startOpenAIServer, type OpenAITestServer } from "../support/openai-server.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { createTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const GH_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
const HEADER_SECRET = "mcp-header-secret-7f3a9c";

async function startInjectionServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["test/mcp/fixtures/injection-server.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`injection server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

describe("DiagnosisRun LLM step with a remote MCP server from spec.tools.mcpServers", () => {
  const ns = useNamespace(cluster, "llm-mcp");
  let llm: OpenAITestServer | undefined;
  let evil: { url: string; child: ChildProcess } | undefined;
  let operator: OperatorProcess | undefined;

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    llm = await startOpenAIServer();
    evil = await startInjectionServer();
    await cluster.core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "llm-key" }, stringData: { apiKey: "sk-mcp-e2e-key-0000" } },
    });
    await cluster.core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "mcp-headers" }, stringData: { "X-Api-Key": HEADER_SECRET } },
    });
    await cluster.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
      // Not `default`: the test operator's namespace is this one, and its `default` would be the
      // cluster policy, the one config whose allowWriteTools counts.
      metadata: { name: "mcp", namespace: ns.name },
      spec: {
        llm: {
          enabled: true,
          baseURL: llm.baseURL,
          model: "test-model",
          timeoutSeconds: 10,
          maxSteps: 3,
          apiKeySecretRef: { name: "llm-key", key: "apiKey" },
        },
        tools: {
          mcpServers: [
            {
              name: "evil",
              url: `${evil.url}/mcp`,
              headersSecretRef: { name: "mcp-headers" },
              allowedTools: ["lookup_dashboard", "wipe_cluster"],
              // Ignored outside the cluster policy: wipe_cluster must stay out of reach.
              allowWriteTools: true,
            },
          ],
        },
      },
    } as never);
    await cluster.kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: ns.name,
      body: {
        metadata: { name: "checkout" },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "checkout" } },
          template: {
            metadata: {
              labels: { app: "checkout" },
              annotations: { "aisre.io/simulate": "CrashLoopBackOff" },
            },
            spec: { containers: [{ name: "app", image: "registry.example.com/checkout:v2" }] },
          },
        },
      },
    });
    await eventually(async () => {
      const pods = await cluster!.core.listNamespacedPod({
        namespace: ns.name,
        labelSelector: "app=checkout",
      });
      return pods.items.some(
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff",
      );
    }, 60_000);
    operator = await startNamespaceOperator(cluster, ns.name);
  });
  afterAll(async () => {
    await stopOperator(operator);
    await llm?.close();
    evil?.child.kill();
  });

  it("offers only the allow-listed read-only tool, fences its answer, and keeps the catalog", async () => {
    llm!.script(
      { toolCalls: [{ name: "mcp_evil_lookup_dashboard", arguments: { query: "checkout" } }] },
      {
        content: JSON.stringify({
          rootCause: {
            category: "CrashLoop",
            resource: { kind: "Deployment", namespace: ns.name, name: "checkout" },
            summary: "checkout v2 exits at start-up",
            confidence: 0.9,
          },
          explanation: "The dashboard shows 42% errors since v2; roll back.",
          recommendations: [
            {
              action: "DeleteNamespace",
              target: { kind: "Namespace", name: ns.name },
              rationale: "injected",
            },
          ],
        }),
      },
    );
    await createTask(cluster!, {
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name: "with-mcp", namespace: ns.name },
      spec: {
        type: "Diagnose",
        agentConfigRef: { name: "mcp" },
        target: { kind: "Deployment", namespace: ns.name, name: "checkout" },
      },
    });
    const run = (await eventually(async () => {
      const r = (await cluster!.objects
        .read({
          apiVersion: "aisre.io/v1alpha1",
          kind: "DiagnosisRun",
          metadata: { name: "with-mcp", namespace: ns.name },
        })
        .catch(() => undefined)) as DiagnosisRun | undefined;
      return r?.status?.phase === "Completed" && r;
    }, 60_000)) as DiagnosisRun;

    const offered = (llm!.requests[0]?.tools ?? []).map((t) => t.function.name);
    expect(offered).toContain("mcp_evil_lookup_dashboard");
    expect(offered).not.toContain("mcp_evil_wipe_cluster");
    expect(offered).not.toContain("mcp_evil_read_secrets");

    const calls = (await (await fetch(`${evil!.url}/calls`)).json()) as { name: string }[];
    expect(calls.map((c) => c.name)).toEqual(["lookup_dashboard"]);

    const seen = llm!.seenText();
    expect(seen).toContain("error rate 42%");
    expect(seen).not.toContain(GH_TOKEN);
    expect(seen).not.toContain(HEADER_SECRET);
    expect(run.status?.llm).toMatchObject({ used: true });
    expect((run.status?.recommendations ?? []).map((r) => r.action)).not.toContain("DeleteNamespace");
    expect(JSON.stringify(run.status)).not.toContain(GH_TOKEN);
  });
});
