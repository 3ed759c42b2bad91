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
const API_KEY = "sk-e2e-secret-key-123456";

describe("DiagnosisRun with the optional LLM layer (OpenAI-protocol test server)", () => {
  const ns = useNamespace(cluster, "llm");
  let llm: OpenAITestServer | undefined;
  let operator: OperatorProcess | undefined;

  const run = async (name: string) =>
    (await cluster!.objects.read({
      apiVersion: "aisre.io/v1alpha1",
      kind: "DiagnosisRun",
      metadata: { name, namespace: ns.name },
    })) as DiagnosisRun;
  const diagnose = async (name: string) => {
    await createTask(cluster!, {
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name, namespace: ns.name },
      spec: { type: "Diagnose", target: { kind: "Deployment", namespace: ns.name, name: "checkout" } },
    });
    return eventually(async () => {
      const r = await run(name).catch(() => undefined);
      return r?.status?.phase === "Completed" && r;
    }, 60_000);
  };

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    llm = await startOpenAIServer();
    await cluster.core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "llm-key" }, stringData: { apiKey: API_KEY } },
    });
    await cluster.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
      metadata: { name: "default", namespace: ns.name },
      spec: {
        llm: {
          enabled: true,
          baseURL: llm.baseURL,
          model: "test-model",
          timeoutSeconds: 10,
          maxSteps: 3,
          apiKeySecretRef: { name: "llm-key", key: "apiKey" },
        },
      },
    } as never);
    const apps = cluster.kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
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
            spec: {
              containers: [
                {
                  name: "app",
                  image: "registry.example.com/checkout:v2",
                  env: [{ name: "DB_PASSWORD", value: "hunter2-db-pass" }],
                },
              ],
            },
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
    operator = await startNamespaceOperator(cluster!, ns.name);
  });
  afterAll(async () => {
    await stopOperator(operator);
    await llm?.close();
  });

  it("adds the model's explanation, records tokens, and never shows it a secret", async () => {
    llm!.script(
      {
        toolCalls: [
          { name: "get_events", arguments: { kind: "Deployment", namespace: ns.name, name: "checkout" } },
        ],
      },
      {
        content: JSON.stringify({
          rootCause: {
            category: "CrashLoop",
            resource: { kind: "Deployment", namespace: ns.name, name: "checkout" },
            summary: "checkout v2 exits 1 at start-up",
            confidence: 0.9,
          },
          explanation:
            "The container exits with code 1 right after start; roll back to the last healthy image.",
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
    const r = await diagnose("with-llm");
    expect(r.status?.llm).toMatchObject({ used: true, model: "test-model" });
    expect(r.status?.llm?.promptTokens).toBeGreaterThan(0);
    expect(r.status?.explanation).toMatch(/exits with code 1/);
    expect(r.status?.rootCause?.category).toBe("CrashLoop");
    expect(r.status?.conditions?.find((c) => c.type === "LLMAssisted")?.status).toBe("True");
    expect((r.status?.recommendations ?? []).map((x) => x.action)).not.toContain("DeleteNamespace");
    expect(llm!.authorizations.every((a) => a === `Bearer ${API_KEY}`)).toBe(true);
    const seen = llm!.seenText();
    expect(seen).not.toContain(API_KEY);
    expect(seen).not.toContain("hunter2-db-pass");
    expect(JSON.stringify(r.status)).not.toContain(API_KEY);
  });

  it("marks the AgentConfig Ready when its Secret exists and Invalid when it does not", async () => {
    const read = async (name: string) =>
      (await cluster!.objects.read({
        apiVersion: "aisre.io/v1alpha1",
        kind: "AgentConfig",
        metadata: { name, namespace: ns.name },
      })) as { status?: { phase?: string; message?: string } };
    await eventually(async () => (await read("default")).status?.phase === "Ready");
    await cluster!.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
      metadata: { name: "broken", namespace: ns.name },
      spec: {
        llm: {
          enabled: true,
          baseURL: "http://127.0.0.1:9/v1",
          model: "m",
          apiKeySecretRef: { name: "absent", key: "apiKey" },
        },
      },
    } as never);
    const broken = await eventually(async () => {
      const c = await read("broken");
      return c.status?.phase === "Invalid" && c;
    });
    expect(broken.status?.message).toMatch(/Secret absent not found/);
  });

  it("falls back to the deterministic result with a condition when the endpoint answers 429", async () => {
    llm!.reset();
    llm!.script({ status: 429 });
    const r = await diagnose("llm-429");
    expect(r.status?.rootCause?.category).toBe("CrashLoop");
    expect(r.status?.llm).toMatchObject({ used: false, fallbackReason: "LLMUnavailable" });
    const cond = r.status?.conditions?.find((c) => c.type === "LLMAssisted");
    expect(cond).toMatchObject({ status: "False", reason: "LLMUnavailable" });
  });
});
