import type { CoreV1Event } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { startOpenAIServer, type ChatRequest, type OpenAITestServer } from "../support/openai-server.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { createTask, readTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const API_KEY = "sk-classify-secret-key-987654";

/** True for the classifier's requests (the DiagnosisRun's LLM step sends others). */
const isClassification = (r: ChatRequest): boolean =>
  String(r.messages[0]?.content ?? "").startsWith("You classify requests");

describe("SreTask classification with the LLM fallback (OpenAI-protocol test server)", () => {
  const ns = useNamespace(cluster, "cls");
  let llm: OpenAITestServer | undefined;
  let operator: OperatorProcess | undefined;

  const classifications = () => llm!.requests.filter(isClassification);
  const condition = (t: SreTask) => t.status?.conditions?.find((c) => c.type === "Classified");
  /** Creates a task and waits until its diagnosis settled, so no LLM call of it is still under way. */
  const classify = async (name: string, spec: SreTask["spec"]): Promise<SreTask> => {
    await createTask(cluster!, {
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name, namespace: ns.name },
      spec,
    });
    return eventually(async () => {
      const t = await readTask(cluster!, ns.name, name);
      return ["Diagnosed", "Failed"].includes(t.status?.phase ?? "") && t;
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
    const agentConfig = (name: string, llmSpec: object) =>
      cluster!.objects.create({
        apiVersion: "aisre.io/v1alpha1",
        kind: "AgentConfig",
        metadata: { name, namespace: ns.name },
        spec: { llm: llmSpec },
      } as never);
    await agentConfig("default", {
      enabled: true,
      baseURL: llm.baseURL,
      model: "test-model",
      timeoutSeconds: 10,
      apiKeySecretRef: { name: "llm-key", key: "apiKey" },
    });
    await agentConfig("no-llm", { enabled: false });
    operator = await startNamespaceOperator(cluster!, ns.name);
  });
  afterAll(async () => {
    await stopOperator(operator);
    await llm?.close();
  });

  it("takes the model's answer when the rules are unsure, asks once, and never shows the key", async () => {
    llm!.reset();
    llm!.script({
      content: JSON.stringify({
        type: "HealthCheck",
        target: { kind: "Deployment", namespace: ns.name, name: "checkout" },
        confidence: 0.85,
        rationale: "asks for a general look at checkout",
      }),
    });
    const t = await classify("by-llm", { description: "结账 checkout 最近怪怪的" });
    expect(t.status?.classification).toEqual({
      type: "HealthCheck",
      target: { kind: "Deployment", namespace: ns.name, name: "checkout" },
      confidence: 0.85,
      method: "LLM",
      rationale: "asks for a general look at checkout",
    });
    expect(condition(t)).toMatchObject({ status: "True", reason: "Classified" });
    expect(condition(t)?.message).toMatch(/\(confidence 0\.85, LLM; the rules were unsure\)$/);
    expect(classifications()).toHaveLength(1);
    expect(llm!.authorizations.every((a) => a === `Bearer ${API_KEY}`)).toBe(true);
    expect(llm!.seenText()).not.toContain(API_KEY);

    const events = await kubectl(cluster!, ["-n", ns.name, "get", "events", "-o", "json"]);
    const items = (JSON.parse(events.stdout) as { items: CoreV1Event[] }).items;
    expect(JSON.stringify(items)).not.toContain(API_KEY);
    expect(JSON.stringify(t.status)).not.toContain(API_KEY);
    expect(JSON.stringify(operator!.logs)).not.toContain(API_KEY);
    const logged = operator!.logs.find(
      (l) => l.msg === "Classified SreTask" && l.task === `${ns.name}/by-llm`,
    );
    expect(logged).toMatchObject({ method: "LLM", model: "test-model" });
  });

  it("keeps the rules' result and says so when the endpoint answers 429", async () => {
    llm!.reset();
    llm!.script({ status: 429 });
    const t = await classify("llm-429", { description: "checkout 有点不对劲" });
    expect(t.status?.classification).toMatchObject({ type: "Diagnose", method: "Rules", confidence: 0.3 });
    expect(condition(t)?.message).toMatch(
      /\(confidence 0\.3, rules, unsure; LLM fallback: the LLM was unavailable \(HTTP 429/,
    );
    expect(classifications()).toHaveLength(1);
  });

  it("keeps the rules' result when the model answers garbage", async () => {
    llm!.reset();
    llm!.script({ content: "Sure! It is probably a diagnose task." });
    const t = await classify("llm-garbage", { description: "payment 有点怪" });
    expect(t.status?.classification).toMatchObject({ type: "Diagnose", method: "Rules" });
    expect(condition(t)?.message).toMatch(/rules, unsure; LLM fallback: the LLM's answer was invalid/);
    expect(classifications()).toHaveLength(1);
  });

  it("does not ask the model when the rules are sure or the task's AgentConfig has no LLM", async () => {
    llm!.reset();
    const sure = await classify("rules-sure", { description: "checkout 服务为什么一直重启" });
    expect(sure.status?.classification).toMatchObject({ type: "Diagnose", method: "Rules" });
    expect(condition(sure)?.message).toMatch(/, rules\)$/);
    const off = await classify("rules-no-llm", {
      description: "checkout 有点不对劲",
      agentConfigRef: { name: "no-llm" },
    });
    expect(off.status?.classification).toMatchObject({ method: "Rules" });
    expect(condition(off)?.message).toMatch(/rules, unsure; no LLM is configured\)$/);
    expect(classifications()).toHaveLength(0);
  });
});
