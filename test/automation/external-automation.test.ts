/**
 * ExternalAutomation through the normal RemediationPlan path on the real control plane: the
 * operator process reads the cluster policy and the token Secret, a person approves with
 * kubectl, the step is dry-run, executed and verified against a loopback stand-in of the
 * operations platform's automation API (the platform is the operations team's own service and
 * cannot run here).
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import { startPlatform } from "../../agents/automation/actions/external-automation.testing.ts";
import type { PlatformStandIn } from "../../agents/automation/actions/external-automation.testing.ts";
import type { RemediationPlan } from "../../crds/index.ts";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import {
  agentConfig,
  approveWithKubectl,
  handPlan,
  kubectlApply,
  useOperator,
  waitForPlan,
} from "../remediation/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const TOKEN = "platform-token-for-tests";
const FINAL = ["Succeeded", "Failed", "RolledBack", "Rejected"];

describe("ExternalAutomation through approved RemediationPlans, on the real control plane", () => {
  const ns = useNamespace(cluster, "ext-auto");
  const { start } = useOperator(cluster, ns);
  let platform: PlatformStandIn;

  beforeAll(async () => {
    platform = await startPlatform(TOKEN, {
      "flush-cache": "succeed",
      "warm-cache": "succeed",
      broken: "fail",
      "refuses-dry-run": "fail-dry-run",
      slow: "slow",
    });
    if (!cluster) return;
    await cluster.core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "automation-token" }, stringData: { token: TOKEN } },
    });
    // The operator's namespace is the suite's: its AgentConfig default is the cluster policy.
    await kubectlApply(
      cluster,
      agentConfig(ns.name, {
        enabledActions: ["ExternalAutomation"],
        externalAutomation: {
          baseURL: platform.url,
          tokenSecretRef: { name: "automation-token", key: "token" },
          supportsDryRun: true,
          timeoutSeconds: 2,
          scripts: [
            {
              id: "flush-cache",
              risk: "medium",
              parameters: [{ name: "region", pattern: "[a-z]+-[0-9]", required: true }],
              undoScriptId: "warm-cache",
            },
            { id: "broken", risk: "medium" },
            { id: "refuses-dry-run", risk: "medium" },
            { id: "slow", risk: "medium" },
          ],
        },
      }),
    );
    await start();
  }, 120_000);
  afterAll(() => platform?.close());

  const target = (script: string) => ({ kind: "AutomationScript", namespace: ns.name, name: script });
  const stepOf = (name: string, script: string, parameters: Record<string, string> = {}) => ({
    name,
    action: "ExternalAutomation" as const,
    target: target(script),
    params: { parameters },
  });
  /** Applies a hand-written plan, approves it as the kubectl user and waits for its end. */
  const run = async (name: string, steps: RemediationPlan["spec"]["steps"], undoOnFailure = false) => {
    await kubectlApply(
      cluster!,
      handPlan(ns.name, name, steps, { undoOnFailure, verification: { timeoutSeconds: 20 } }),
    );
    await waitForPlan(cluster!, ns.name, name, ["AwaitingApproval", ...FINAL]);
    await approveWithKubectl(cluster!, ns.name, name);
    return waitForPlan(cluster!, ns.name, name, FINAL, 120_000);
  };
  const posts = (script: string) =>
    platform.calls.filter((c) => c.path === "/api/automation/execute" && c.body?.script_id === script);

  it("runs an allowed script: platform dry run, execute with the token and an Idempotency-Key, verified by its status", async () => {
    const done = await run("flush", [stepOf("flush", "flush-cache", { region: "eu-1" })]);
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("Succeeded");
    expect(done.status?.steps?.[0]).toMatchObject({
      phase: "Succeeded",
      dryRun: { passed: true },
      message: expect.stringContaining("succeeded"),
    });
    const [dry, real] = posts("flush-cache");
    expect(dry).toMatchObject({
      auth: `Bearer ${TOKEN}`,
      body: { dry_run: true, parameters: { region: "eu-1" } },
    });
    expect(real).toMatchObject({
      auth: `Bearer ${TOKEN}`,
      idempotencyKey: expect.stringMatching(/^aisre-[0-9a-f]{32}$/),
      body: { script_id: "flush-cache", dry_run: false, initiated_by: `aisre-operator:${ns.name}/flush` },
    });
    expect(platform.started().filter((s) => s === "flush-cache")).toHaveLength(1);
    expect(JSON.stringify(done.status)).not.toContain(TOKEN);
  });

  it("refuses a script the policy does not list, and a disallowed parameter, before any call to the platform", async () => {
    const before = platform.calls.length;
    const notListed = await run("rogue", [stepOf("rogue", "drop-database")]);
    expect(notListed.status?.phase).toBe("Failed");
    expect(notListed.status?.steps?.[0]?.message).toMatch(/drop-database is not in the cluster policy/);
    const badParam = await run("inject", [stepOf("inject", "flush-cache", { region: "eu-1; rm -rf /" })]);
    expect(badParam.status?.phase).toBe("Failed");
    expect(badParam.status?.steps?.[0]?.message).toMatch(/does not match the policy's pattern/);
    expect(platform.calls.length).toBe(before);
  });

  it("a script the platform's dry run refuses never runs", async () => {
    const done = await run("dry-refused", [stepOf("dry-refused", "refuses-dry-run")]);
    expect(done.status?.phase).toBe("Failed");
    expect(done.status?.steps?.[0]?.message).toMatch(/dry run: platform dry run of refuses-dry-run: failed/);
    expect(posts("refuses-dry-run").map((c) => c.body?.dry_run)).toEqual([true]);
    expect(platform.started()).not.toContain("refuses-dry-run");
  });

  it("a platform that does not answer in time fails the step with the timeout", async () => {
    const done = await run("timeout", [stepOf("timeout", "slow")]);
    expect(done.status?.phase).toBe("Failed");
    expect(done.status?.steps?.[0]?.message).toMatch(/execute failed: .*no answer within 2000 ms/);
  });

  it("a failed script fails verification, and undoOnFailure runs the policy's undo script of the earlier step", async () => {
    const done = await run(
      "undo",
      [stepOf("flush-2", "flush-cache", { region: "us-2" }), stepOf("then-broken", "broken")],
      true,
    );
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("RolledBack");
    expect(done.status?.steps?.[1]).toMatchObject({ message: expect.stringContaining("failed") });
    expect(done.status?.steps?.[0]).toMatchObject({
      phase: "Undone",
      message: expect.stringContaining("undo script warm-cache succeeded"),
    });
    expect(posts("warm-cache").at(-1)?.body).toMatchObject({ parameters: { region: "us-2" } });
  });
});
