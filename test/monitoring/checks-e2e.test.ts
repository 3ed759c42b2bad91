/**
 * The monitoring agent end to end: the operator (its own process, on the real control plane)
 * evaluates an AgentConfig's checks against a real Prometheus scraping a gauge this test flips.
 * A result opens one SreTask (source Monitor) in the AgentConfig's namespace; a cleared result
 * resolves it; an unparsable check makes the AgentConfig Invalid, naming it, while the valid
 * check in the same AgentConfig still opens its task.
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { AgentConfig, SreTask } from "../../crds/index.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import type { OperatorProcess } from "../support/operator-process.ts";
import { eventually, startNamespaceOperator, stopOperator } from "../support/operator-process.ts";
import type { ScrapedGauge } from "./scraped-gauge.ts";
import { startScrapedGauge } from "./scraped-gauge.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const CHECK = "orders-backlog";

function agentConfig(namespace: string, prometheus: string): AgentConfig {
  return {
    apiVersion: "aisre.io/v1alpha1",
    kind: "AgentConfig",
    metadata: { name: "default", namespace },
    spec: {
      tools: { prometheus: { url: prometheus } },
      monitoring: {
        intervalSeconds: 15,
        checks: [
          {
            name: CHECK,
            // The series names another namespace: the task still opens in the AgentConfig's.
            promql: 'demo_queue_depth{queue="orders"} > 10',
            for: "0s",
            clearFor: "15s",
            severity: "critical",
            description: "Orders are piling up",
            labels: { team: "shop" },
          },
          { name: "broken", promql: "demo_queue_depth >" },
        ],
      },
    },
  } as AgentConfig;
}

async function get<T>(args: string[]): Promise<T> {
  const r = await kubectl(cluster!, [...args, "-o", "json"]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

describe("monitoring checks on the real control plane with a real Prometheus", () => {
  const ns = useNamespace(cluster, "monitor");
  let gauge: ScrapedGauge | undefined;
  let op: OperatorProcess | undefined;
  let missing: string | undefined;

  const tasks = async () =>
    (
      await get<{ items: SreTask[] }>([
        "-n",
        ns.name,
        "get",
        "sretasks",
        "-l",
        `aisre.io/monitor-check=${CHECK}`,
      ])
    ).items;
  const config = () => get<AgentConfig>(["-n", ns.name, "get", "agentconfig", "default"]);

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    try {
      gauge = await startScrapedGauge("demo_queue_depth", { queue: "orders", namespace: "elsewhere" });
    } catch (err) {
      if (process.env.CI === "true") throw err;
      missing = (err as Error).message;
      console.warn(`skipped: ${missing}`);
      return;
    }
    gauge.set(50);
    const applied = await kubectl(
      cluster,
      ["apply", "-f", "-"],
      JSON.stringify(agentConfig(ns.name, gauge.url)),
    );
    if (applied.code !== 0) throw new Error(applied.stderr);
    op = await startNamespaceOperator(cluster, ns.name);
  }, 120_000);
  afterAll(async () => {
    await stopOperator(op);
    await gauge?.stop();
  });

  it("a check whose query returns a result opens one SreTask, source Monitor, in the AgentConfig's namespace", async (ctx) => {
    if (missing) ctx.skip();
    const [task] = await eventually(async () => {
      const items = await tasks();
      return items.length > 0 && items;
    }, 90_000);
    expect(task!.metadata.namespace).toBe(ns.name);
    expect(task!.spec.source).toBe("Monitor");
    expect(task!.spec.alert).toMatchObject({
      status: "firing",
      labels: {
        alertname: CHECK,
        severity: "critical",
        team: "shop",
        queue: "orders",
        namespace: "elsewhere",
      },
      annotations: { value: "50", promql: 'demo_queue_depth{queue="orders"} > 10' },
    });
    // Two more cycles later the same series still has that one task.
    let seen: string | undefined = await eventually(
      async () => (await config()).status?.monitoring?.lastEvaluation,
      60_000,
    );
    let cycles = 0;
    await eventually(async () => {
      const at = (await config()).status?.monitoring?.lastEvaluation;
      if (at !== seen) [seen, cycles] = [at, cycles + 1];
      return cycles >= 2;
    }, 90_000);
    expect((await tasks()).map((t) => t.metadata.name)).toEqual([task!.metadata.name]);
    expect((await config()).status?.monitoring).toMatchObject({ checks: 1, firing: 1, gaps: [] });
  }, 200_000);

  it("an unparsable check makes the AgentConfig Invalid, naming the check and the parser's message", async (ctx) => {
    if (missing) ctx.skip();
    const c = await eventually(async () => {
      const obj = await config();
      return (
        obj.status?.phase === "Invalid" && obj.status.conditions?.some((x) => x.type === "ChecksValid") && obj
      );
    }, 60_000);
    const ready = c.status!.conditions!.find((x) => x.type === "Ready")!;
    expect(ready).toMatchObject({ status: "False", reason: "Invalid" });
    expect(ready.message).toContain(
      "spec.monitoring.checks[broken].promql: parse error at line 1, column 19",
    );
    const valid = c.status!.conditions!.find((x) => x.type === "ChecksValid")!;
    expect(valid).toMatchObject({ status: "False", reason: "CheckInvalid" });
    expect(valid.message).toContain("checks[broken]");
    expect(valid.message).not.toContain(CHECK);
  }, 90_000);

  it("when the data clears the task is resolved, after clearFor, by a leader that restarted meanwhile", async (ctx) => {
    if (missing) ctx.skip();
    gauge!.set(1);
    const cleared = Date.now();
    // The new process knows the series only from its open task: it must still resolve it.
    await stopOperator(op);
    op = await startNamespaceOperator(cluster!, ns.name);
    const task = await eventually(async () => {
      const [t] = await tasks();
      return t?.status?.phase === "Resolved" && t;
    }, 120_000);
    expect(task.spec.alert?.status).toBe("resolved");
    expect(Date.parse(task.spec.alert!.endsAt!)).toBeGreaterThan(Date.parse(task.spec.alert!.startsAt!));
    // Resolved no sooner than clearFor (15 s) after the series cleared.
    expect(Date.now() - cleared).toBeGreaterThanOrEqual(15_000);
    expect(await tasks()).toHaveLength(1);
    const events = await kubectl(cluster!, [
      "-n",
      ns.name,
      "get",
      "events",
      "--field-selector",
      "reason=CheckResolved",
      "-o",
      "name",
    ]);
    expect(events.stdout.trim()).not.toBe("");
  }, 150_000);
  it("removing the checks resolves their open tasks, even after a restart, and clears status.monitoring", async (ctx) => {
    if (missing) ctx.skip();
    const add = JSON.stringify([
      {
        op: "add",
        path: "/spec/monitoring/checks/-",
        value: { name: "always", promql: "vector(1)", for: "0s" },
      },
    ]);
    const patched = await kubectl(cluster!, [
      "-n",
      ns.name,
      "patch",
      "agentconfig",
      "default",
      "--type",
      "json",
      "-p",
      add,
    ]);
    expect(patched.stderr).toBe("");
    const always = async () =>
      (
        await get<{ items: SreTask[] }>([
          "-n",
          ns.name,
          "get",
          "sretasks",
          "-l",
          "aisre.io/monitor-check=always",
        ])
      ).items;
    await eventually(async () => (await always()).length === 1, 90_000);
    await stopOperator(op);
    op = await startNamespaceOperator(cluster!, ns.name);
    const drop = await kubectl(cluster!, [
      "-n",
      ns.name,
      "patch",
      "agentconfig",
      "default",
      "--type",
      "json",
      "-p",
      '[{"op":"remove","path":"/spec/monitoring"}]',
    ]);
    expect(drop.stderr).toBe("");
    const [task] = await eventually(async () => {
      const items = await always();
      return items[0]?.spec.alert?.status === "resolved" && items;
    }, 90_000);
    expect(task!.spec.source).toBe("Monitor");
    const c = await eventually(async () => {
      const obj = await config();
      return !obj.status?.monitoring && obj.status?.phase === "Ready" && obj;
    }, 60_000);
    expect(c.status?.conditions?.some((x) => x.type === "ChecksValid")).toBe(false);
  }, 240_000);
});
