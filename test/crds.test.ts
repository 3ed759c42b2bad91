import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect } from "vitest";
import { KINDS } from "../crds/registry.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "./support/cluster.ts";
import type { TestCluster } from "./support/cluster.ts";
import { kubectlUser } from "./remediation/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "crds");
const root = join(import.meta.dirname, "..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".yaml"));

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** kubectl in the test namespace against the shared control plane. */
const k = (args: string[], input?: string) =>
  kubectl(cluster as TestCluster, ["-n", ns.name, ...args], input);

/** Creates an object from JSON; returns kubectl's result (stderr holds the API server's message). */
const create = (object: Obj) => k(["create", "-f", "-"], JSON.stringify(object));

/** Gets one object as JSON. */
async function get(resource: string, name: string): Promise<Obj> {
  const r = await k(["get", resource, name, "-o", "json"]);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as Obj;
}

/** Merge-patches an object (or its status); returns kubectl's result. */
const patch = (resource: string, name: string, body: Obj, subresource?: "status") =>
  k([
    "patch",
    resource,
    name,
    "--type=merge",
    "-p",
    JSON.stringify(body),
    ...(subresource ? ["--subresource=status"] : []),
  ]);

const meta = (kind: string, name: string) => ({ apiVersion: "aisre.io/v1alpha1", kind, metadata: { name } });
const deployment = { kind: "Deployment", namespace: "shop", name: "checkout" };
const plan = (name: string, step: Obj) => ({
  ...meta("RemediationPlan", name),
  spec: { steps: [{ name: "s1", target: deployment, ...step }] },
});

describe("aisre.io CRDs on a real API server", () => {
  beforeAll(async () => {
    if (cluster) await installCrds(cluster);
  });

  it("are Established and served with their short names and category", async () => {
    for (const def of KINDS) {
      const crd = JSON.parse(
        (await kubectl(cluster!, ["get", "crd", `${def.plural}.aisre.io`, "-o", "json"])).stdout,
      );
      const established = crd.status.conditions.find((c: Obj) => c.type === "Established");
      expect(established?.status, def.kind).toBe("True");
    }
    const resources = await kubectl(cluster!, ["api-resources", "--api-group=aisre.io", "--no-headers"]);
    for (const def of KINDS)
      expect(resources.stdout).toMatch(new RegExp(`^${def.plural}\\s+${def.shortNames[0]}\\s`, "m"));
  });

  it("creates every example and lists it with `kubectl get aisre`", async () => {
    for (const file of examples) {
      const created = await k(["create", "-f", join(root, "examples", file)]);
      expect(created.stderr, file).toBe("");
    }
    const listed = await k(["get", "aisre", "-o", "name"]);
    for (const file of examples) {
      const object = parse(readFileSync(join(root, "examples", file), "utf8")) as Obj;
      const def = KINDS.find((d) => d.kind === object.kind)!;
      expect(listed.stdout).toContain(`${def.singular}.aisre.io/${object.metadata.name}`);
    }
  });

  it("fills defaults a person can read back", async () => {
    expect((await create({ ...meta("AgentConfig", "defaults"), spec: {} })).stderr).toBe("");
    const spec = (await get("agentconfig", "defaults")).spec;
    expect(spec.policy).toMatchObject({
      autoRemediation: false,
      approvalRequiredAtRisk: "low",
      maxConcurrentPlans: 1,
    });
    expect(spec.policy.enabledActions).not.toContain("Ec2RebootInstance");
    expect(spec.llm.enabled).toBe(false);
    expect(spec.agents.automation.enabled).toBe(true);
    expect(spec.agents.classifier).toBeUndefined();
    expect(
      (await create({ ...meta("SreTask", "defaults"), spec: { description: "检查 checkout" } })).stderr,
    ).toBe("");
    const task = (await get("sretask", "defaults")).spec;
    expect(task).toMatchObject({ type: "Auto", source: "Manual", remediation: { mode: "Approval" } });
    expect(task.agentConfigRef).toEqual({ name: "default" });
  });

  const rejected: [string, Obj, string][] = [
    [
      "an enabled LLM without a key",
      {
        ...meta("AgentConfig", "bad-llm"),
        spec: { llm: { enabled: true, baseURL: "https://llm.example", model: "m" } },
      },
      "llm.apiKeySecretRef is required when llm.enabled is true",
    ],
    [
      "EC2 actions without an allow tag",
      { ...meta("AgentConfig", "bad-ec2"), spec: { policy: { enabledActions: ["Ec2StopInstance"] } } },
      "EC2 actions in policy.enabledActions need tools.aws.allowTag",
    ],
    [
      "a WeCom robot without its webhook",
      { ...meta("AgentConfig", "bad-wecom"), spec: { notifications: { wecom: { mode: "robot" } } } },
      "wecom robot mode needs robotWebhookSecretRef",
    ],
    [
      "a step action outside the catalog",
      plan("bad-action", { action: "Reboot" }),
      'Unsupported value: "Reboot"',
    ],
    [
      "an EC2 action on a Deployment",
      plan("bad-ec2-target", { action: "Ec2RebootInstance" }),
      "Ec2RebootInstance, Ec2StartInstance and Ec2StopInstance need target.kind Ec2Instance",
    ],
    [
      "a step that lowers the catalog risk",
      plan("bad-risk", { action: "DrainNode", risk: "low", target: { kind: "Node", name: "kwok-node-0" } }),
      "risk low is below the catalog risk of DrainNode",
    ],
    [
      "two steps with one name",
      {
        ...meta("RemediationPlan", "bad-dup"),
        spec: { steps: [1, 2].map(() => ({ name: "s1", action: "RolloutRestart", target: deployment })) },
      },
      "Duplicate value",
    ],
    [
      "a target without a name",
      { ...meta("SreTask", "bad-target"), spec: { target: { kind: "Deployment", namespace: "shop" } } },
      "spec.target.name: Required value",
    ],
    [
      "a task about nothing",
      { ...meta("SreTask", "bad-empty"), spec: {} },
      "an SreTask needs a description, an alert or a target",
    ],
    [
      "an Alertmanager task without its alert",
      { ...meta("SreTask", "bad-source"), spec: { source: "Alertmanager", description: "x" } },
      "spec.alert is required when source is Alertmanager",
    ],
    [
      "an alert without alertname",
      { ...meta("SreTask", "bad-alert"), spec: { alert: { labels: { severity: "critical" } } } },
      "alert.labels.alertname is required",
    ],
    [
      "a runbook that matches everything",
      { ...meta("Runbook", "bad-matches"), spec: { title: "t", matches: {} } },
      "matches needs alertnames, categories or labels",
    ],
  ];

  it.each(rejected)("rejects %s with a readable message", async (_what, object, message) => {
    const r = await create(object);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it("keeps approved steps and decisions from changing", async () => {
    expect(
      (await create(plan("immutable", { action: "RolloutUndo", params: { toRevision: 4 } }))).stderr,
    ).toBe("");
    const changed = await k([
      "patch",
      "rp",
      "immutable",
      "--type=json",
      "-p",
      JSON.stringify([{ op: "replace", path: "/spec/steps/0/params/toRevision", value: 3 }]),
    ]);
    expect(changed.stderr).toContain("steps are immutable once created");
    // The approver names themselves (the aisre-remediationplan-approval policy checks it).
    const decidedBy = await kubectlUser(cluster!);
    expect(
      (await patch("rp", "immutable", { spec: { approval: { decision: "Approved", decidedBy } } })).code,
    ).toBe(0);
    const flipped = await patch("rp", "immutable", {
      spec: { approval: { decision: "Rejected", decidedBy } },
    });
    expect(flipped.stderr).toContain("approval.decision is final once set");
    const removed = await k([
      "patch",
      "rp",
      "immutable",
      "--type=json",
      "-p",
      JSON.stringify([{ op: "remove", path: "/spec/approval" }]),
    ]);
    expect(removed.stderr).toContain("approval.decision is final once set");
  });

  it("keeps a task's target and a run's spec fixed", async () => {
    expect((await create({ ...meta("SreTask", "fixed"), spec: { target: deployment } })).stderr).toBe("");
    const retarget = await patch("st", "fixed", { spec: { target: { name: "cart" } } });
    expect(retarget.stderr).toContain("target is immutable");
    expect((await create({ ...meta("DiagnosisRun", "fixed"), spec: { target: deployment } })).stderr).toBe(
      "",
    );
    const rerun = await patch("diag", "fixed", { spec: { timeoutSeconds: 60 } });
    expect(rerun.stderr).toContain("a DiagnosisRun's spec is immutable");
  });

  it("writes status only through /status, bounded by the schema", async () => {
    expect((await create({ ...meta("SreTask", "status"), spec: { target: deployment } })).stderr).toBe("");
    const status = {
      phase: "Diagnosed",
      observedGeneration: 1,
      classification: { type: "Diagnose", target: deployment, confidence: 0.9, method: "Rules" },
      rootCause: { category: "CrashLoop", resource: deployment, summary: "exit 127", confidence: 0.92 },
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "AwaitingApproval",
          message: "plan waits",
          lastTransitionTime: "2026-11-20T10:00:00Z",
        },
      ],
    };
    expect((await patch("st", "status", { status }, "status")).stderr).toBe("");
    const before = await get("st", "status");
    expect(before.status).toMatchObject(status);

    expect(
      (await patch("st", "status", { spec: { description: "更多信息" }, status: { phase: "Failed" } })).code,
    ).toBe(0);
    const after = await get("st", "status");
    expect(after.spec.description).toBe("更多信息");
    expect(after.status.phase).toBe("Diagnosed");
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);

    const table = await k(["get", "st", "status"]);
    expect(table.stdout).toMatch(/NAME\s+TYPE\s+TARGET\s+PHASE\s+ROOT CAUSE\s+AGE/);
    expect(table.stdout).toMatch(/status\s+Diagnose\s+checkout\s+Diagnosed\s+CrashLoop\s/);

    const badPhase = await patch("st", "status", { status: { phase: "Exploded" } }, "status");
    expect(badPhase.stderr).toContain('Unsupported value: "Exploded"');
  });

  it("bounds a diagnosis status", async () => {
    expect((await create({ ...meta("DiagnosisRun", "bounded"), spec: {} })).stderr).toBe("");
    const finding = { category: "CrashLoop", severity: "critical", resource: deployment, message: "m" };
    const tooMany = await patch(
      "diag",
      "bounded",
      { status: { findings: Array(51).fill(finding) } },
      "status",
    );
    expect(tooMany.stderr).toMatch(/must have at most 50 items/);
    const ok = await patch(
      "diag",
      "bounded",
      { status: { phase: "Completed", findings: [finding] } },
      "status",
    );
    expect(ok.stderr).toBe("");
  });
});
