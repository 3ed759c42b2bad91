import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentConfig, RemediationPlan, SreTask } from "../../crds/index.ts";
import { GrafanaAnnotator } from "./annotator.ts";
import { startGrafana } from "./testing.ts";
import type { GrafanaStandIn } from "./testing.ts";

const TOKEN = "glsa_testtoken_0123456789";
const silent = pino({ level: "silent" });
let grafana: GrafanaStandIn;
beforeAll(async () => void (grafana = await startGrafana(TOKEN)));
afterAll(() => grafana.close());

const config = (extra: Record<string, unknown> = {}): AgentConfig =>
  ({
    metadata: { name: "default", namespace: "shop" },
    spec: { grafana: { url: grafana.url, tokenSecretRef: { name: "grafana", key: "token" }, ...extra } },
  }) as AgentConfig;
const annotator = (over: { token?: string; attempts?: number } = {}) =>
  new GrafanaAnnotator({
    secrets: async (ns, ref) => (ns === "shop" && ref.name === "grafana" ? (over.token ?? TOKEN) : undefined),
    logger: silent,
    attempts: over.attempts ?? 4,
    baseDelayMs: 20,
  });
let n = 0;
const task = (phase: string, extra: Partial<SreTask["status"]> = {}): SreTask =>
  ({
    metadata: { name: "checkout-down", namespace: "shop", uid: `uid-${++n}` },
    spec: {
      description: "checkout 5xx, password=hunter2",
      target: { kind: "Deployment", namespace: "shop", name: "checkout" },
    },
    status: {
      phase,
      episode: 1,
      startTime: "2026-12-06T10:00:00Z",
      rootCause: {
        category: "CrashLoop",
        summary: "checkout crash-loops: token=abc123secret",
        confidence: 0.9,
      },
      ...extra,
    },
  }) as unknown as SreTask;

describe("GrafanaAnnotator against a stand-in of Grafana's annotations API", () => {
  it("posts opened, diagnosed and resolved with the documented body, Bearer token and tags, once each, text redacted", async () => {
    const a = annotator();
    const t = task("Accepted");
    a.incident({ kind: "IncidentOpened", task: t }, config({ dashboardUID: "aisre-incidents" }));
    a.incident({ kind: "IncidentOpened", task: t }, config({ dashboardUID: "aisre-incidents" }));
    a.incident({ kind: "Diagnosed", task: t }, config());
    const resolved = { ...t, status: { ...t.status, phase: "Resolved", resolvedAt: "2026-12-06T10:30:00Z" } };
    a.incident({ kind: "Remediated", task: resolved as SreTask }, config());
    a.incident({ kind: "AwaitingApproval", task: t }, config());
    await a.idle();
    const mine = grafana.posts.slice(-3);
    expect(mine.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(mine.every((p) => p.auth === `Bearer ${TOKEN}`)).toBe(true);
    const [opened, diagnosed, done] = mine.map((p) => p.body as Record<string, unknown>);
    expect(opened).toEqual({
      dashboardUID: "aisre-incidents",
      time: Date.parse("2026-12-06T10:00:00Z"),
      tags: [
        "aisre",
        "event:IncidentOpened",
        "namespace:shop",
        "workload:Deployment/checkout",
        "category:CrashLoop",
      ],
      text: expect.stringMatching(/^IncidentOpened shop\/checkout-down: checkout 5xx/),
    });
    expect(diagnosed).toMatchObject({ text: expect.stringContaining("checkout crash-loops") });
    expect(done).toMatchObject({
      time: Date.parse("2026-12-06T10:00:00Z"),
      timeEnd: Date.parse("2026-12-06T10:30:00Z"),
      tags: expect.arrayContaining(["event:Resolved", "category:CrashLoop"]),
    });
    expect(JSON.stringify(mine)).not.toMatch(/hunter2|abc123secret/);
    expect(a.stats).toMatchObject({ posted: 3, failed: 0 });
  });

  it("annotates an executed step as a region, and skips steps that never executed and events not enabled", async () => {
    const a = annotator();
    const plan = {
      metadata: { name: "fix", namespace: "shop", uid: "plan-1" },
      spec: {
        steps: [
          {
            name: "s1",
            action: "RolloutRestart",
            target: { kind: "Deployment", namespace: "shop", name: "checkout" },
          },
        ],
      },
      status: {
        steps: [
          {
            name: "s1",
            phase: "Succeeded",
            startedAt: "2026-12-06T10:05:00Z",
            executedAt: "2026-12-06T10:05:01Z",
          },
        ],
      },
    } as unknown as RemediationPlan;
    const before = grafana.posts.length;
    a.step(
      { plan, stepIndex: 0, phase: "Succeeded", message: "rolled out", at: "2026-12-06T10:06:00Z" },
      async () => config(),
    );
    a.step(
      { plan, stepIndex: 0, phase: "DryRun", message: "dry run", at: "2026-12-06T10:04:00Z" },
      async () => config(),
    );
    a.incident({ kind: "Failed", task: task("Failed") }, config());
    a.step(
      {
        plan: { ...plan, metadata: { ...plan.metadata, uid: "plan-2" } },
        stepIndex: 0,
        phase: "Succeeded",
        message: "",
        at: "2026-12-06T10:06:00Z",
      },
      async () => config({ events: ["IncidentOpened"] }),
    );
    await a.idle();
    expect(grafana.posts.length).toBe(before + 1);
    expect(grafana.posts.at(-1)!.body).toMatchObject({
      time: Date.parse("2026-12-06T10:05:00Z"),
      timeEnd: Date.parse("2026-12-06T10:06:00Z"),
      tags: expect.arrayContaining([
        "event:RemediationStep",
        "workload:Deployment/checkout",
        "action:RolloutRestart",
        "outcome:Succeeded",
      ]),
      text: "RolloutRestart Deployment/checkout Succeeded (plan shop/fix): rolled out",
    });
  });

  it("a Grafana that is down: the call returns at once, retries with backoff, and the annotation lands when it is back", async () => {
    grafana.down = true;
    const a = annotator({ attempts: 6 });
    const started = performance.now();
    a.incident({ kind: "IncidentOpened", task: task("Accepted") }, config());
    expect(performance.now() - started).toBeLessThan(50);
    setTimeout(() => (grafana.down = false), 150);
    await a.idle();
    expect(a.stats.attempts).toBeGreaterThan(1);
    expect(a.stats).toMatchObject({ posted: 1, failed: 0 });
  });

  it("gives up after its attempts; a wrong token is not retried; a full queue drops and counts", async () => {
    grafana.down = true;
    const down = annotator({ attempts: 3 });
    down.incident({ kind: "IncidentOpened", task: task("Accepted") }, config());
    await down.idle();
    expect(down.stats).toMatchObject({ attempts: 3, failed: 1, posted: 0 });
    grafana.down = false;
    const wrong = annotator({ token: "wrong" });
    wrong.incident({ kind: "IncidentOpened", task: task("Accepted") }, config());
    await wrong.idle();
    expect(wrong.stats).toMatchObject({ attempts: 1, failed: 1 });
    expect(grafana.posts.at(-1)).toMatchObject({ status: 401 });
    const small = new GrafanaAnnotator({
      secrets: async () => TOKEN,
      logger: silent,
      maxQueue: 2,
      baseDelayMs: 1,
    });
    for (let i = 0; i < 5; i++) small.incident({ kind: "IncidentOpened", task: task("Accepted") }, config());
    await small.idle();
    expect(small.stats.dropped + small.stats.posted).toBe(5);
    expect(small.stats.dropped).toBeGreaterThan(0);
  });
});
