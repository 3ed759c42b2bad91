import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AutomationPlatformClient } from "../../../tools/automation-platform.ts";
import type { Step } from "../action.ts";
import { fakeContext } from "../fake-context.ts";
import {
  allowedScript,
  configureExternalAutomation,
  externalAutomation,
  idempotencyKey,
} from "./external-automation.ts";
import type { AutomationPolicy } from "./external-automation.ts";
import { startPlatform } from "./external-automation.testing.ts";
import type { PlatformStandIn } from "./external-automation.testing.ts";

const TOKEN = "platform-token-123";
let platform: PlatformStandIn;
const policy = (extra: Partial<AutomationPolicy> = {}): AutomationPolicy => ({
  baseURL: platform.url,
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
    { id: "stuck", risk: "medium" },
    { id: "reindex", risk: "high" },
  ],
  ...extra,
});
const use = (p: AutomationPolicy, token = TOKEN) =>
  configureExternalAutomation(async () => ({
    policy: p,
    client: new AutomationPlatformClient({ baseURL: p.baseURL, token, timeoutMs: 1000 }),
  }));
const ctx = { ...fakeContext({}), clock: { now: () => Date.now() } };
const step = (script: string, parameters?: Record<string, string>, risk?: string): Step =>
  ({
    name: "run",
    action: "ExternalAutomation",
    target: { kind: "AutomationScript", namespace: "shop", name: script },
    params: parameters ? { parameters } : {},
    ...(risk ? { risk } : {}),
  }) as Step;

beforeAll(async () => {
  platform = await startPlatform(TOKEN, {
    "flush-cache": "succeed",
    "warm-cache": "succeed",
    broken: "fail",
    stuck: "hang",
    slow: "slow",
    reindex: "succeed",
  });
});
afterAll(async () => {
  configureExternalAutomation(undefined);
  await platform.close();
});

describe("ExternalAutomation against a loopback stand-in platform", () => {
  it("refuses, before any request, a script the policy does not list, a parameter or value it does not allow, and a risk below the policy's", async () => {
    use(policy());
    const before = platform.calls.length;
    expect(await externalAutomation.preconditions(ctx, step("rm-rf"))).toEqual([
      "script rm-rf is not in the cluster policy's externalAutomation.scripts",
    ]);
    expect(
      await externalAutomation.preconditions(ctx, step("flush-cache", { region: "eu-1", x: "1" })),
    ).toEqual(["parameter x is not allowed for script flush-cache"]);
    expect(await externalAutomation.preconditions(ctx, step("flush-cache", { region: "eu-1; rm" }))).toEqual([
      "parameter region does not match the policy's pattern [a-z]+-[0-9]",
    ]);
    expect(await externalAutomation.preconditions(ctx, step("flush-cache"))).toEqual([
      "parameter region is required",
    ]);
    expect(await externalAutomation.preconditions(ctx, step("reindex"))).toEqual([
      "script reindex is rated high by the cluster policy; the step declares risk medium",
    ]);
    expect(await externalAutomation.preconditions(ctx, step("reindex", undefined, "high"))).toEqual([]);
    expect((await externalAutomation.dryRun(ctx, step("rm-rf"))).passed).toBe(false);
    await expect(externalAutomation.execute(ctx, step("rm-rf"))).rejects.toThrow(/not in the cluster policy/);
    expect(platform.calls.length).toBe(before);
  });

  it("dry run sends dry_run: true; execute sends the documented body with an Idempotency-Key and verify follows the status", async () => {
    use(policy());
    const s = step("flush-cache", { region: "eu-1" });
    expect(await externalAutomation.dryRun(ctx, s)).toMatchObject({ passed: true });
    const dry = platform.calls.find((c) => c.body?.dry_run === true)!;
    expect(dry).toMatchObject({ method: "POST", path: "/api/automation/execute", auth: `Bearer ${TOKEN}` });
    expect(dry.body).toEqual({
      script_id: "flush-cache",
      parameters: { region: "eu-1" },
      initiated_by: "aisre-operator:shop/run",
      dry_run: true,
    });
    expect(platform.started()).not.toContain("flush-cache");

    const done = await externalAutomation.execute(ctx, s);
    const post = platform.calls.at(-1)!;
    expect(post.body).toMatchObject({ script_id: "flush-cache", dry_run: false });
    expect(post.idempotencyKey).toBe(idempotencyKey(s));
    expect(done.undoState).toMatchObject({ scriptId: "flush-cache", idempotencyKey: idempotencyKey(s) });
    let v = await externalAutomation.verify(ctx, s, done.undoState);
    while (!v.done) v = await externalAutomation.verify(ctx, s, done.undoState);
    expect(v).toMatchObject({ ok: true, message: expect.stringContaining("succeeded") });

    // A rerun after a crash attaches to the same execution: the script ran once.
    const again = await externalAutomation.execute(ctx, s);
    expect(again.undoState.executionId).toBe(done.undoState.executionId);
    expect(platform.started().filter((x) => x === "flush-cache")).toHaveLength(1);

    expect((await externalAutomation.undo(ctx, s, done.undoState)).message).toMatch(/warm-cache succeeded/);
    expect(platform.calls.at(-1)).toMatchObject({ path: expect.stringMatching(/executions/) });
    expect(platform.started()).toContain("warm-cache");
  });

  it("a failed script fails verification; a hanging one stays pending; a slow platform times out; no undo script means nothing to undo", async () => {
    use(policy({ scripts: [...policy().scripts, { id: "slow", risk: "low" }] }));
    const broken = await externalAutomation.execute(ctx, step("broken"));
    let v = await externalAutomation.verify(ctx, step("broken"), broken.undoState);
    while (!v.done) v = await externalAutomation.verify(ctx, step("broken"), broken.undoState);
    expect(v).toMatchObject({ ok: false, message: expect.stringContaining("failed") });
    const stuck = await externalAutomation.execute(ctx, step("stuck"));
    for (let i = 0; i < 3; i++)
      expect(await externalAutomation.verify(ctx, step("stuck"), stuck.undoState)).toMatchObject({
        done: false,
      });
    await expect(externalAutomation.execute(ctx, step("slow"))).rejects.toThrow(/no answer within 1000 ms/);
    expect((await externalAutomation.undo(ctx, step("broken"), broken.undoState)).message).toBe(
      "nothing to undo: the cluster policy names no undo script for broken",
    );
  });

  it("a wrong token is a clear failure that names the status, never the token", async () => {
    use(policy({ supportsDryRun: true }), "wrong-token");
    const r = await externalAutomation.dryRun(ctx, step("broken"));
    expect(r).toMatchObject({ passed: false, message: expect.stringContaining("answered 401") });
    expect(r.message).not.toContain("wrong-token");
  });

  it("without supportsDryRun the dry run is the policy check alone, and the body carries no dry_run", async () => {
    use(policy({ supportsDryRun: false }));
    const before = platform.calls.length;
    expect(await externalAutomation.dryRun(ctx, step("broken"))).toMatchObject({
      passed: true,
      message: expect.stringContaining("has no dry run"),
    });
    expect(platform.calls.length).toBe(before);
    await externalAutomation.execute(ctx, { ...step("broken"), name: "other" });
    expect(platform.calls.at(-1)!.body).not.toHaveProperty("dry_run");
    expect(() =>
      allowedScript(policy(), { ...step("broken"), target: { kind: "Deployment", name: "x" } }),
    ).toThrow(/needs target.kind AutomationScript/);
  });
});
