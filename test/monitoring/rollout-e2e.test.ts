/**
 * Rollout verification end to end: the operator (its own process, on the real control plane with
 * kwok pods) verifies two Deployments rolled from revision 1 to 2 against a real VictoriaMetrics
 * this test feeds like a scraper (current samples every 2 s for the pods that exist). checkout's
 * revision 2 serves 30 % 5xx: one Remediate SreTask opens, its diagnosis answers BadRollout with
 * the deltas, and its RemediationPlan proposes RolloutUndo and waits for approval. catalog's
 * revision 2 is as healthy as revision 1: nothing opens, the Deployment gets RolloutVerified.
 * The window is shortened with AISRE_ROLLOUT_WINDOW_SECONDS (docs/rollout-verification.md).
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { RemediationPlan, SreTask } from "../../crds/index.ts";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { eventually, stopOperator } from "../support/operator-process.ts";
import type { TestVictoriaMetrics } from "../support/victoria-metrics.ts";
import { startVictoriaMetrics } from "../support/victoria-metrics.ts";
import { agentConfig, deployment, useOperator, waitForPlan } from "../remediation/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const WINDOW_SECONDS = 20;

async function get<T>(args: string[]): Promise<T> {
  const r = await kubectl(cluster!, [...args, "-o", "json"]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

interface Meta {
  metadata: { name: string; annotations?: Record<string, string>; ownerReferences?: { name: string }[] };
}

/** A scraper stand-in: every 2 s, current counter samples for the pods it is told about. */
class Scraper {
  private readonly totals = new Map<string, number>();
  private pods = new Map<string, { rate: number; errorShare: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly url: string;
  private readonly ns: string;
  constructor(url: string, ns: string) {
    this.url = url;
    this.ns = ns;
  }
  set(pods: string[], rate: number, errorShare: number, keep: (pod: string) => boolean) {
    const next = new Map([...this.pods].filter(([p]) => keep(p)));
    for (const p of pods) next.set(p, { rate, errorShare });
    this.pods = next;
  }
  start() {
    this.timer = setInterval(() => void this.push().catch(() => undefined), 2000);
  }
  stop() {
    clearInterval(this.timer);
  }
  private add(series: string, by: number): string {
    const v = (this.totals.get(series) ?? 0) + by;
    this.totals.set(series, v);
    return `${series} ${v} ${Date.now()}`;
  }
  private async push() {
    const lines: string[] = [];
    for (const [pod, { rate, errorShare }] of this.pods) {
      const sel = (code: string) => `http_requests_total{namespace="${this.ns}",pod="${pod}",code="${code}"}`;
      lines.push(
        this.add(sel("200"), rate * 2 * (1 - errorShare)),
        this.add(sel("500"), rate * 2 * errorShare),
      );
    }
    if (!lines.length) return;
    await fetch(`${this.url}/api/v1/import/prometheus`, { method: "POST", body: `${lines.join("\n")}\n` });
  }
}

describe("rollout verification on the real control plane with a real VictoriaMetrics", () => {
  const ns = useNamespace(cluster, "rollout");
  const { state, start } = useOperator(cluster, ns);
  let vm: TestVictoriaMetrics | undefined;
  let scraper: Scraper | undefined;
  let missing: string | undefined;

  const replicaSet = (app: string, revision: string) =>
    eventually(async () => {
      const list = await get<{ items: Meta[] }>(["-n", ns.name, "get", "replicasets", "-l", `app=${app}`]);
      return list.items.find(
        (r) => r.metadata.annotations?.["deployment.kubernetes.io/revision"] === revision,
      );
    }, 60_000);
  const podsOf = (rs: string) =>
    eventually(async () => {
      const list = await get<{ items: Meta[] }>(["-n", ns.name, "get", "pods"]);
      const names = list.items
        .filter((p) => p.metadata.ownerReferences?.some((o) => o.name === rs))
        .map((p) => p.metadata.name);
      return names.length >= 2 && names;
    }, 60_000);
  const rolloutTasks = async (workload: string) =>
    (
      await get<{ items: SreTask[] }>([
        "-n",
        ns.name,
        "get",
        "sretasks",
        "-l",
        `aisre.io/rollout-workload=${workload}`,
      ])
    ).items;

  /** The first operator's regression task exists (the earlier test saw it). */
  const rolloutTasksSettled = () =>
    eventually(async () => (await rolloutTasks("checkout")).length === 1, 120_000);

  beforeAll(async () => {
    if (!cluster) return;
    try {
      vm = await startVictoriaMetrics();
    } catch (err) {
      if (process.env.CI === "true") throw err;
      missing = (err as Error).message;
      console.warn(`skipped: ${missing}`);
      return;
    }
    const config = agentConfig(ns.name);
    config.spec.tools = { prometheus: { url: vm.url } };
    config.spec.monitoring = { rollouts: { enabled: true, windowMinutes: 1 } };
    const applied = await kubectl(cluster, ["apply", "-f", "-"], JSON.stringify(config));
    if (applied.code !== 0) throw new Error(applied.stderr);
    await start({ AISRE_ROLLOUT_WINDOW_SECONDS: String(WINDOW_SECONDS) });
    scraper = new Scraper(vm.url, ns.name);
    scraper.start();
    for (const app of ["checkout", "catalog"]) {
      const made = await kubectl(
        cluster,
        ["-n", ns.name, "apply", "-f", "-"],
        JSON.stringify(deployment(app)),
      );
      if (made.code !== 0) throw new Error(made.stderr);
      const rs1 = await replicaSet(app, "1");
      scraper.set(await podsOf(rs1.metadata.name), 10, 0.001, () => true);
    }
    // Revision 1 serves alone for longer than the window, so its window before the rollout is full.
    await new Promise((r) => setTimeout(r, (WINDOW_SECONDS + 5) * 1000));
    for (const [app, errors] of [
      ["checkout", 0.3],
      ["catalog", 0.001],
    ] as const) {
      const set = await kubectl(cluster, [
        "-n",
        ns.name,
        "set",
        "image",
        `deployment/${app}`,
        `app=registry.example.com/shop/${app}:v2`,
      ]);
      if (set.code !== 0) throw new Error(set.stderr);
      const rs2 = await replicaSet(app, "2");
      const fresh = await podsOf(rs2.metadata.name);
      // The old pods stop reporting once the new revision takes over, as scraped pods do.
      scraper.set(fresh, 10, errors, (p) => !p.startsWith(app));
    }
  }, 240_000);
  afterAll(async () => {
    scraper?.stop();
    await vm?.stop();
  });

  it("a regressed rollout opens one BadRollout task whose plan proposes RolloutUndo and waits for approval", async (ctx) => {
    if (missing) ctx.skip();
    const [task] = await eventually(async () => {
      const items = await rolloutTasks("checkout");
      return items.length > 0 && items;
    }, 120_000);
    expect(task!.spec).toMatchObject({
      type: "Remediate",
      source: "Monitor",
      remediation: { mode: "Approval" },
      alert: {
        labels: {
          alertname: "RolloutRegression",
          revision: "2",
          workload: "checkout",
          deployment: "checkout",
        },
      },
    });
    const deltas = task!.spec.alert!.annotations!.deltas!;
    expect(deltas).toMatch(/^5xx (29|30|31)\.\d% on revision 2 vs 0\.\d% on revision 1/);
    expect(task!.spec.alert!.annotations!.changes).toBe("image checkout:v1 → checkout:v2");
    const diagnosed = await eventually(async () => {
      const t = await get<SreTask>(["-n", ns.name, "get", "sretask", task!.metadata.name!]);
      return t.status?.rootCause && t.status.remediationPlanRef && t;
    }, 120_000);
    expect(diagnosed.status!.rootCause).toMatchObject({
      category: "BadRollout",
      resource: { kind: "Deployment", name: "checkout" },
    });
    expect(diagnosed.status!.rootCause!.summary).toMatch(/5xx (29|30|31)\.\d% on revision 2/);
    const plan: RemediationPlan = await waitForPlan(
      cluster!,
      ns.name,
      diagnosed.status!.remediationPlanRef!.name,
      ["AwaitingApproval"],
    );
    expect(plan.spec.steps.map((s) => s.action)).toContain("RolloutUndo");
    // A second look by the loop (or a restarted leader) opens nothing more.
    expect((await rolloutTasks("checkout")).length).toBe(1);
    const status = await get<{ status?: { monitoring?: { rollouts?: { lastEvaluation?: string } } } }>([
      "-n",
      ns.name,
      "get",
      "agentconfig",
      "default",
    ]);
    expect(status.status?.monitoring?.rollouts?.lastEvaluation).toBeDefined();
  }, 300_000);

  it("a healthy rollout opens nothing and the Deployment says it was verified", async (ctx) => {
    if (missing) ctx.skip();
    const event = await eventually(async () => {
      const list = await get<{
        items: { reason: string; message: string; involvedObject: { name: string } }[];
      }>(["-n", ns.name, "get", "events", "--field-selector", "reason=RolloutVerified"]);
      return list.items.find((e) => e.involvedObject.name === "catalog");
    }, 120_000);
    expect(event.message).toMatch(
      /^revision 2 verified \(healthy\): 5xx 0\.\d% on revision 2 vs 0\.\d% on revision 1/,
    );
    expect(await rolloutTasks("catalog")).toEqual([]);
  }, 200_000);

  it("a restarted leader judges the regressed rollout again from the objects and opens nothing new", async (ctx) => {
    if (missing) ctx.skip();
    await rolloutTasksSettled();
    await stopOperator(state.op);
    const op = await start({ AISRE_ROLLOUT_WINDOW_SECONDS: String(WINDOW_SECONDS) });
    const line = await op.waitForLog(/Opened rollout SreTask/, 90_000);
    expect(line).toMatchObject({ outcome: "existing" });
    expect((await rolloutTasks("checkout")).length).toBe(1);
    const warnings = await get<{
      items: { count?: number; involvedObject: { kind: string; name: string } }[];
    }>(["-n", ns.name, "get", "events", "--field-selector", "reason=RolloutRegression"]);
    const onCheckout = warnings.items.filter((e) => e.involvedObject.kind === "Deployment");
    expect(onCheckout.map((e) => [e.involvedObject.name, e.count ?? 1])).toEqual([["checkout", 1]]);
  }, 200_000);
});
