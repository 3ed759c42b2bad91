/**
 * The shipped Grafana dashboards (deploy/dashboards/*.json) name only what we have: every
 * PromQL expression passes Prometheus' own parser (Debian's promtool) and each metric it names
 * is registered by the operator's or the sidecar's prom-client code; every SQL query, with
 * Grafana's PostgreSQL macros expanded as Grafana documents them, runs on the real migrated
 * incident schema (PGlite) and answers rows.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLLMMetrics } from "../../agents/diagnosis/llm/metrics.ts";
import { createDiagnosisMetrics } from "../../controllers/diagnosisrun/metrics.ts";
import { metricsAuditSink } from "../../controllers/remediationplan/audit.ts";
import { createRuntimeMetrics } from "../../runtime/metrics/runtime-metrics.ts";
import { migrate } from "../../store/migrate.ts";
import { openPglite } from "../../store/pglite.ts";
import type { Database } from "../../store/database.ts";
import { createMetrics } from "../../webhooks/metrics.ts";

interface Target {
  expr?: string;
  rawSql?: string;
}
interface Panel {
  id: number;
  title: string;
  type: string;
  datasource: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
}

const load = (name: string) =>
  JSON.parse(readFileSync(`deploy/dashboards/${name}.json`, "utf8")) as Dashboard;
const operator = load("aisre-operator");
const incidents = load("aisre-incidents");

/** Every series name the operator's and the sidecar's registries export (histograms as _bucket/_sum/_count). */
async function exportedNames(): Promise<Set<string>> {
  const operatorRegistry = createRuntimeMetrics().registry;
  createDiagnosisMetrics(operatorRegistry);
  createLLMMetrics(operatorRegistry);
  metricsAuditSink(operatorRegistry);
  const registries: Registry[] = [operatorRegistry, createMetrics().registry];
  const names = new Set<string>();
  for (const r of registries)
    for (const m of await r.getMetricsAsJSON()) {
      if (String(m.type) === "histogram")
        for (const s of ["_bucket", "_sum", "_count"]) names.add(`${m.name}${s}`);
      else names.add(m.name);
    }
  return names;
}

/** Grafana's variables with values a user could pick. */
function promVariables(expr: string): string {
  return expr
    .replaceAll("$__rate_interval", "1m")
    .replaceAll("$__range", "1h")
    .replaceAll("$prompt_price", "0.0025")
    .replaceAll("$completion_price", "0.01")
    .replaceAll("$job", ".+");
}

const PROMQL_WORDS = new Set(
  (
    "sum avg min max count stddev stdvar topk bottomk quantile count_values group by without on ignoring " +
    "group_left group_right bool and or unless offset inf nan"
  ).split(" "),
);

/** The metric names a (parsed) PromQL expression selects: identifiers that are not functions, keywords or labels. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "")
    .replace(/(?<![\w:])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])*/g, "0");
  const names = [...stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(stripped.slice(m.index + m[0].length)))
    .map((m) => m[0]);
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n.toLowerCase()) && !/^\d/.test(n)))];
}

/** promtool from PATH (Debian's prometheus package), or why not. */
function promtool(): string | undefined {
  try {
    execFileSync("promtool", ["--version"], { stdio: "ignore" });
    return "promtool";
  } catch {
    if (process.env.CI === "true") throw new Error("promtool missing under CI (apt-get install prometheus)");
    console.warn("PromQL parse check skipped: no promtool; run 'apt-get install prometheus'");
    return undefined;
  }
}

const exprs = operator.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr ?? "" })));

describe("deploy/dashboards: shape", () => {
  it.each([operator, incidents])(
    "$uid is a current dashboard model with a data source variable every panel uses",
    (d) => {
      expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
      const ds = d.templating.list.find((v) => v.name === "datasource");
      expect(ds?.type).toBe("datasource");
      expect(ds?.query).toBe(d === operator ? "prometheus" : "grafana-postgresql-datasource");
      expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
      for (const p of d.panels) {
        expect(p.datasource, p.title).toEqual({ type: ds?.query, uid: "${datasource}" });
        expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
        expect(p.targets.length, p.title).toBeGreaterThan(0);
      }
    },
  );
});

describe("aisre-operator: every PromQL expression parses and names exported metrics", () => {
  it("passes Prometheus' parser (promtool check rules)", (t) => {
    const tool = promtool();
    if (!tool) return t.skip();
    const dir = mkdtempSync(join(tmpdir(), "aisre-dash-"));
    try {
      const rules = exprs.map(
        (e, i) =>
          `      - record: aisre:dashboard_check_${i}\n        expr: ${JSON.stringify(promVariables(e.expr))}`,
      );
      writeFileSync(
        join(dir, "rules.yaml"),
        `groups:\n  - name: dashboard\n    rules:\n${rules.join("\n")}\n`,
      );
      const out = execFileSync(tool, ["check", "rules", join(dir, "rules.yaml")], { encoding: "utf8" });
      expect(out).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names only metrics the operator and sidecar registries export", async () => {
    const exported = await exportedNames();
    const used = new Set<string>();
    for (const { panel, expr } of exprs) {
      const names = metricNames(promVariables(expr));
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const n of names) {
        expect(exported.has(n), `${panel}: ${n} is not exported`).toBe(true);
        used.add(n);
      }
    }
    // The issue's list: reconciles, queue depth and latency, diagnosis, webhooks, LLM tokens, actions.
    for (const must of [
      "controller_runtime_reconcile_total",
      "workqueue_depth",
      "workqueue_queue_duration_seconds_bucket",
      "aisre_diagnosis_duration_seconds_bucket",
      "aisre_sidecar_alerts_received_total",
      "aisre_sidecar_alerts_rejected_total",
      "aisre_llm_tokens_total",
      "aisre_remediation_steps_total",
    ])
      expect(used.has(must), must).toBe(true);
  });

  it("the extractor sees through labels, ranges, grouping and functions, and catches a name we do not export", async () => {
    expect(
      metricNames('sum by (le, x) (rate(a_b_bucket{x="y{z}"}[5m])) / ignoring(x) c_total offset 5m'),
    ).toEqual(["a_b_bucket", "c_total"]);
    expect((await exportedNames()).has("aisre_made_up_total")).toBe(false);
  });
});

describe("aisre-incidents: every SQL query runs on the migrated incident schema", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    const row = (uid: string, ns: string, status: string, opened: string, extra: string) =>
      db.query(
        `INSERT INTO incidents (task_uid, task_name, task_namespace, status, namespace, target, category, root_cause,
           opened_at, diagnosed_at, resolved_at, cr_resource_version)
         VALUES ($1, $1, $2, $3, $2, '{"kind":"Deployment","name":"checkout"}', 'CrashLoop', 'bad image',
           $4::timestamptz, $4::timestamptz + interval '2 minutes', ${extra}, 1)`,
        [uid, ns, status, opened],
      );
    await row("t1", "shop", "resolved", "2026-12-01T10:00:00Z", "'2026-12-01T10:30:00Z'::timestamptz");
    await row("t2", "shop", "diagnosed", "2026-12-02T10:00:00Z", "NULL");
    await db.query(
      `INSERT INTO remediation_actions (plan_uid, plan_name, plan_namespace, task_uid, step_index, phase, action,
         outcome, occurred_at, cr_resource_version)
       VALUES ('p1', 'fix', 'shop', 't1', 0, 'Succeeded', 'RolloutRestart', 'Succeeded', '2026-12-01T10:10:00Z', 1)`,
    );
  });
  afterAll(() => db?.close());

  /** Grafana's PostgreSQL macros and our variables, expanded as Grafana does for the range 2026-11-30..2026-12-03. */
  function expand(sql: string): string {
    return sql
      .replace(/\$__timeFilter\((\w+)\)/g, "$1 BETWEEN '2026-11-30T00:00:00Z' AND '2026-12-03T00:00:00Z'")
      .replace(
        /\$__timeGroupAlias\((\w+),\s*\$interval\)/g,
        'floor(extract(epoch from $1)/86400)*86400 AS "time"',
      )
      .replaceAll("${namespace:sqlstring}", "'shop','payments'");
  }

  const queries = incidents.panels.flatMap((p) =>
    p.targets.map((t) => ({ panel: p.title, sql: t.rawSql ?? "" })),
  );
  const variable = incidents.templating.list.find((v) => v.name === "namespace")!;

  it.each(queries)("$panel", async ({ sql }) => {
    expect(sql).not.toBe("");
    const rows = await db.query(expand(sql));
    expect(rows.length).toBeGreaterThan(0);
    expect(expand(sql)).not.toMatch(/\$\w/);
  });

  it("the stat panels answer the figures of the rows: 1 open, MTTD 120 s, MTTR 1800 s; the namespace variable lists shop", async () => {
    const value = async (title: string) =>
      Object.values((await db.query(expand(queries.find((q) => q.panel.startsWith(title))!.sql)))[0]!)[0];
    expect(Number(await value("Open incidents"))).toBe(1);
    expect(Number(await value("MTTD"))).toBe(120);
    expect(Number(await value("MTTR"))).toBe(1800);
    expect(await db.query(String(variable.query))).toEqual([{ namespace: "shop" }]);
  });
});
