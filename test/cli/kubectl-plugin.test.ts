// `kubectl aisre` on the real control plane with the real kubectl: kubectl finds kubectl-aisre on
// PATH and runs it as the kubeconfig's user. Tasks and incidents are the operator's real work
// (a Diagnose task on a Deployment kwok keeps in ImagePullBackOff); approve and reject go through
// the API server's aisre-remediationplan-approval policy, which refuses a user without approve.
import type { V1Pod } from "@kubernetes/client-node";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { openStore, upsertIncident } from "../../store/index.ts";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import { createTask, readTask } from "../support/tasks.ts";
import {
  agentConfig,
  deployment,
  handPlan,
  kubectlApply,
  readPlan,
  useOperator,
  waitForPlan,
} from "../remediation/support.ts";
import { serviceAccountToken } from "../sidecar/support.ts";
import { adminKubeconfig, kubectlAisre, pluginDir, tokenKubeconfig } from "./plugin-support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const READ = ["get", "list", "watch"];

describe("kubectl aisre", () => {
  const ns = useNamespace(cluster, "plugin");
  const { state, start } = useOperator(cluster, ns);
  const dir = pluginDir();
  const sa = (name: string) => `system:serviceaccount:${ns.name}:${name}`;
  const cfg: { editor?: string; approver?: string } = {};
  let task: SreTask;
  const aisre = (args: string[], opts: { kubeconfig?: string; env?: Record<string, string> } = {}) =>
    kubectlAisre(cluster!, args, { dir, ...opts });

  const scalePlan = (name: string, target: string) =>
    handPlan(ns.name, name, [
      {
        name: "scale",
        action: "ScaleWorkload",
        target: { kind: "Deployment", namespace: ns.name, name: target },
        params: { replicas: 2 },
      },
    ]);

  beforeAll(async () => {
    if (!cluster) return;
    await kubectlApply(cluster, agentConfig(ns.name, { enabledActions: ["ScaleWorkload"] }));
    const rights = [
      { resources: ["sretasks", "diagnosisruns"], verbs: READ },
      { resources: ["remediationplans"], verbs: [...READ, "create", "patch"] },
    ];
    const editorToken = await serviceAccountToken(cluster, ns.name, "editor", rights);
    const approverToken = await serviceAccountToken(cluster, ns.name, "approver", [
      ...rights.slice(0, 1),
      { resources: ["remediationplans"], verbs: [...READ, "create", "patch", "approve"] },
    ]);
    // The editor's context names the namespace: the plugin then needs no -n, as kubectl.
    cfg.editor = tokenKubeconfig(cluster, editorToken, ns.name);
    cfg.approver = tokenKubeconfig(cluster, approverToken);
    for (const [name, opts] of [
      ["web", { replicas: 1 }],
      ["web-rejected", { replicas: 1 }],
      ["broken", { replicas: 1, simulate: "ImagePullBackOff" }],
    ] as const)
      await state.apps!.createNamespacedDeployment({ namespace: ns.name, body: deployment(name, opts) });
    await eventually(async () => {
      const pods = await cluster.core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=broken" });
      const waiting = (p: V1Pod) =>
        (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === "ImagePullBackOff");
      return pods.items.length > 0 && pods.items.every(waiting);
    }, 60_000);
    await start();
    await createTask(cluster, {
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name: "why-broken", namespace: ns.name },
      spec: {
        type: "Diagnose",
        source: "Manual",
        target: { kind: "Deployment", namespace: ns.name, name: "broken" },
      },
    });
    task = await eventually(async () => {
      const t = await readTask(cluster, ns.name, "why-broken");
      return t.status?.phase === "Diagnosed" && t;
    }, 90_000);
  }, 240_000);

  it("tasks -n NS -o json lists the SreTasks as a List, as the API server has them", async () => {
    const r = await aisre(["tasks", "-n", ns.name, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: SreTask[] };
    expect(list.kind).toBe("List");
    const item = list.items.find((i) => i.metadata.name === "why-broken");
    expect(item).toMatchObject({ apiVersion: "aisre.io/v1alpha1", kind: "SreTask" });
    expect(item?.status?.phase).toBe(task.status?.phase);
    expect(item?.status?.rootCause).toEqual(task.status?.rootCause);
    expect(item?.metadata.managedFields).toBeUndefined();
  });

  it("tasks prints kubectl's table: the context namespace without -n, NAMESPACE with -A, more with -o wide", async () => {
    const own = await aisre(["tasks"], { kubeconfig: cfg.editor! });
    expect(own.code, own.stderr).toBe(0);
    const [header, ...rows] = own.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^NAME\s+PHASE\s+CATEGORY\s+TARGET\s+AGE$/);
    expect(rows.join("\n")).toMatch(/^why-broken\s+Diagnosed\s+ImagePull\s+Deployment\/broken\s+\d+[smhd]/m);

    const all = await aisre(["tasks", "-A"]);
    expect(all.stdout.split("\n")[0]).toMatch(/^NAMESPACE\s+NAME\s+PHASE/);
    expect(all.stdout).toMatch(new RegExp(`^${ns.name}\\s+why-broken\\s+Diagnosed`, "m"));

    const wide = await aisre(["tasks", "-n", ns.name, "-o", "wide"]);
    expect(wide.stdout.split("\n")[0]).toMatch(/AGE\s+TYPE\s+SOURCE\s+PLAN\s+EPISODE$/);
    expect(wide.stdout).toMatch(/why-broken\s.*\sDiagnose\s+Manual\s+<none>\s+1/);

    // --kubeconfig and --context pick the file and context; the context's namespace applies.
    const named = await aisre(
      ["tasks", "--kubeconfig", adminKubeconfig(cluster!, ns.name), "--context", "t", "-o", "name"],
      {
        kubeconfig: "/nonexistent",
      },
    );
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout.trim()).toBe("sretask.aisre.io/why-broken");

    const yaml = await aisre(["tasks", "-n", ns.name, "-o", "yaml"]);
    expect(yaml.stdout).toMatch(/^kind: List$/m);
    expect(yaml.stdout).toContain("name: why-broken");
  });

  it("incident shows the root cause, evidence and plan from CR status", async () => {
    const text = await aisre(["incident", "why-broken", "-n", ns.name]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^Task:\\s+${ns.name}/why-broken \\(Diagnose, Diagnosed\\)$`, "m"),
    );
    expect(text.stdout).toMatch(/^Root cause:\s+ImagePull: /m);
    expect(text.stdout).toMatch(/^Evidence:$/m);
    expect(text.stdout).toMatch(/^Plan:\s+none$/m);

    const json = await aisre(["incident", "why-broken", "-n", ns.name, "-o", "json"]);
    const view = JSON.parse(json.stdout);
    expect(view.rootCause).toEqual(task.status?.rootCause);
    expect(view.diagnosis.name).toBe(task.status?.diagnosisRunRef?.name);
    expect(view.diagnosis.phase).toBe("Completed");
    expect(view.diagnosis.findings.length).toBeGreaterThan(0);
    expect(view.incident).toBeUndefined();
  });

  it("incident adds the incident store's record when AISRE_DATA_DIR names one (PGlite)", async () => {
    // PGlite opens slowly on a loaded machine (WASM start-up): once here, twice in the CLI.
    const dataDir = join(mkdtempSync(join(tmpdir(), "aisre-store-")), "pgdata");
    const db = await openStore({ dataDir });
    await upsertIncident(db, {
      taskUid: task.metadata.uid!,
      taskName: "why-broken",
      taskNamespace: ns.name,
      resourceVersion: task.metadata.resourceVersion!,
      status: "diagnosed",
      openedAt: task.metadata.creationTimestamp as unknown as string,
      alertname: "KubePodImagePullBackOff",
      severity: "warning",
      rootCause: task.status?.rootCause?.summary,
      category: "ImagePull",
    });
    await db.close();
    const r = await aisre(["incident", "why-broken", "-n", ns.name, "-o", "json"], {
      env: { AISRE_DATA_DIR: dataDir },
    });
    expect(r.code, r.stderr).toBe(0);
    const incident = JSON.parse(r.stdout).incident.incident;
    expect(incident).toMatchObject({
      taskName: "why-broken",
      status: "diagnosed",
      alertname: "KubePodImagePullBackOff",
    });
    const text = await aisre(["incident", "why-broken", "-n", ns.name], { env: { AISRE_DATA_DIR: dataDir } });
    expect(text.stdout).toMatch(
      /^Incident:\s+\S+ diagnosed, opened .*, KubePodImagePullBackOff \(warning\)$/m,
    );
  }, 300_000);

  it("approve: refused by the API server without the verb approve; as an approver, recorded as them and executed", async () => {
    await kubectlApply(cluster!, scalePlan("scale-web", "web"));
    await waitForPlan(cluster!, ns.name, "scale-web", ["AwaitingApproval"]);

    const denied = await aisre(["approve", "scale-web"], { kubeconfig: cfg.editor! });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("Error from server (Forbidden)");
    expect(denied.stderr).toContain(
      `user ${sa("editor")} may not decide RemediationPlan ${ns.name}/scale-web`,
    );
    expect((await readPlan(cluster!, ns.name, "scale-web")).spec.approval).toBeUndefined();

    const ok = await aisre(["approve", "scale-web", "-n", ns.name, "--comment", "looks right"], {
      kubeconfig: cfg.approver!,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe("remediationplan.aisre.io/scale-web approved");
    const done = await waitForPlan(cluster!, ns.name, "scale-web", ["Succeeded", "Failed", "Rejected"]);
    expect(done.status?.phase, JSON.stringify(done.status)).toBe("Succeeded");
    expect(done.spec.approval).toEqual({
      decision: "Approved",
      decidedBy: sa("approver"),
      comment: "looks right",
    });
    expect(done.status?.approval).toMatchObject({
      decision: "Approved",
      decidedBy: sa("approver"),
      via: "Kubernetes",
    });
    const web = await state.apps!.readNamespacedDeployment({ name: "web", namespace: ns.name });
    expect(web.spec?.replicas).toBe(2);

    const again = await aisre(["approve", "scale-web", "-n", ns.name], { kubeconfig: cfg.approver! });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`was already approved by ${sa("approver")}`);
  });

  it("reject --reason records the approver's rejection, and the plan never runs", async () => {
    await kubectlApply(cluster!, scalePlan("scale-rejected", "web-rejected"));
    await waitForPlan(cluster!, ns.name, "scale-rejected", ["AwaitingApproval"]);
    const r = await aisre(
      ["reject", "scale-rejected", "-n", ns.name, "--reason", "not during the sale", "-o", "json"],
      {
        kubeconfig: cfg.approver!,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).spec.approval).toEqual({
      decision: "Rejected",
      decidedBy: sa("approver"),
      comment: "not during the sale",
    });
    const done = await waitForPlan(cluster!, ns.name, "scale-rejected", ["Rejected", "Succeeded", "Failed"]);
    expect(done.status?.phase).toBe("Rejected");
    expect(done.status?.approval).toMatchObject({ decision: "Rejected", decidedBy: sa("approver") });
    const web = await state.apps!.readNamespacedDeployment({ name: "web-rejected", namespace: ns.name });
    expect(web.spec?.replicas).toBe(1);
  });

  it("diagnose reads the live namespace of the context (or -n) and finds the root cause", async () => {
    const viaContext = await aisre(
      ["diagnose", "--kubeconfig", adminKubeconfig(cluster!, ns.name), "-o", "json"],
      {
        kubeconfig: "/nonexistent",
      },
    );
    expect(viaContext.code, viaContext.stderr).toBe(0);
    const a = JSON.parse(viaContext.stdout);
    const b = JSON.parse(
      (await aisre(["diagnose", "-n", ns.name, "--target", "Deployment/broken", "-o", "json"])).stdout,
    );
    for (const result of [a, b]) expect(result.rootCause).toMatchObject({ category: "ImagePull" });
    expect(b.rootCause.resource).toMatchObject({ kind: "Deployment", name: "broken", namespace: ns.name });
  });

  it("errors the kubectl way: NotFound from the server (1), bad usage (2), all on stderr", async () => {
    const missing = await aisre(["incident", "no-such-task", "-n", ns.name]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr.trim()).toBe(
      'Error from server (NotFound): sretasks.aisre.io "no-such-task" not found',
    );
    const usage = await aisre(["tasks", "-o", "xml"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--output must be one of wide, json, yaml, name, not 'xml'");
    const context = await aisre(["tasks", "--context", "no-such-context"]);
    expect(context.code).toBe(2);
    expect(context.stderr).toContain('context "no-such-context" does not exist');
    const noPlan = await aisre(["approve"]);
    expect(noPlan.code).toBe(2);
    expect(noPlan.stderr).toContain("PLAN is required");
  });

  it("the same commands run as `aisre` (npx aisre tasks ...)", async () => {
    const { execFile } = await import("node:child_process");
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(import.meta.dirname, "..", "..", "bin", "aisre.mjs"), "tasks", "-n", ns.name, "-o", "name"],
        { env: { ...process.env, KUBECONFIG: cluster!.kubeconfigPath } },
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    expect(out.split("\n")).toContain("sretask.aisre.io/why-broken");
  });
});
