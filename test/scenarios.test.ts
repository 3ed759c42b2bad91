// Scenario corpus: runs `aisre diagnose` exactly as users and the evaluation do (a child
// process, `node bin/aisre.mjs diagnose --snapshot FILE --output json`, from the repo root)
// on every snapshot in test/fixtures/scenarios/ and compares the root cause with the
// scenario's `expected` key. One test per scenario so misses are visible, then a summary
// with the accuracy table. Run alone with: npx vitest run --project scenarios
// (AISRE_SCENARIOS=substring limits the run to matching files).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ACTION_NAMES } from "../crds/actions.ts";
import { SNAPSHOT_CATEGORIES } from "../crds/categories.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CORPUS = join(ROOT, "test", "fixtures", "scenarios");
const MIN_ACCURACY = 0.95;
/** The named change must be right in this share of the cases that state one (issue 12). */
const MIN_CHANGE_ACCURACY = 0.8;
/** `rootCause.change.at` may differ from the expected time by this much (clock skew, rounding). */
const CHANGE_AT_TOLERANCE_MS = 120_000;

// The 20 snapshot categories of docs/diagnosis.md §3, as the API declares them.
const CATEGORIES = SNAPSHOT_CATEGORIES;

interface Ref {
  kind: string;
  namespace?: string | null;
  name: string;
}
/** `change`: absent = not scored; null = the engine must name none; an object = the change to name. */
interface ExpectedChange extends Ref {
  at: string;
}
interface Expected {
  category: string;
  resource: Ref;
  change?: ExpectedChange | null;
}
interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; ownerReferences?: { kind: string; name: string }[] };
}
interface Scenario {
  file: string;
  rel: string;
  doc: Record<string, unknown>;
  expected: Expected | null;
}
interface Outcome {
  code: number | null;
  stderr: string;
  out: Record<string, unknown> | null;
  parseError?: string;
}

function listYaml(dir: string): string[] {
  const files: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith("_") || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...listYaml(p));
    else if (e.name.endsWith(".yaml") || e.name.endsWith(".yml")) files.push(p);
  }
  return files.sort();
}

function loadScenarios(): Scenario[] {
  const filter = process.env.AISRE_SCENARIOS;
  return listYaml(CORPUS)
    .map((file) => {
      const doc = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      return { file, rel: relative(CORPUS, file), doc, expected: (doc.expected ?? null) as Expected | null };
    })
    .filter((s) => !filter || s.rel.includes(filter));
}

const scenarios = loadScenarios();

const runs = new Map<string, Promise<Outcome>>();
/** Runs the CLI once per scenario (memoized: the summary reuses the per-scenario runs). */
function diagnose(s: Scenario): Promise<Outcome> {
  let p = runs.get(s.file);
  if (!p) {
    p = new Promise<Outcome>((resolve) => {
      const args = ["bin/aisre.mjs", "diagnose", "--snapshot", s.file, "--output", "json"];
      execFile(
        process.execPath,
        args,
        { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 55_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
          try {
            resolve({ code, stderr, out: JSON.parse(stdout) as Record<string, unknown> });
          } catch (e) {
            resolve({
              code,
              stderr,
              out: null,
              parseError: `${(e as Error).message}; stdout=${stdout.slice(0, 300)}`,
            });
          }
        },
      );
    });
    runs.set(s.file, p);
  }
  return p;
}

const ns = (v: unknown): string => (typeof v === "string" ? v : "");
const refText = (r: Ref | undefined | null): string =>
  r ? `${r.kind}/${ns(r.namespace) ? `${ns(r.namespace)}/` : ""}${r.name}` : "-";

function rootCauseOf(o: Outcome): { category: string; resource: Ref } | null {
  const rc = o.out?.rootCause as { category?: string; resource?: Ref } | null | undefined;
  if (!rc) return null;
  return { category: String(rc.category), resource: rc.resource ?? { kind: "?", name: "?" } };
}

function sameRef(a: Ref, b: Ref): boolean {
  return a.kind === b.kind && a.name === b.name && ns(a.namespace) === ns(b.namespace);
}

function changeOf(o: Outcome): ExpectedChange | undefined {
  const rc = o.out?.rootCause as { change?: ExpectedChange } | null | undefined;
  return rc?.change;
}

/** Whether the named change matches: same object, `at` within the tolerance; none when null is expected. */
function changeRight(want: ExpectedChange | null, got: ExpectedChange | undefined): boolean {
  if (want === null) return got === undefined;
  if (!got || !sameRef(got, want)) return false;
  return Math.abs(Date.parse(got.at) - Date.parse(want.at)) <= CHANGE_AT_TOLERANCE_MS;
}

/** True when the diagnosis matches the scenario's expectation. */
function correct(s: Scenario, o: Outcome): boolean {
  if (o.code !== 0 || !o.out) return false;
  const rc = rootCauseOf(o);
  if (s.expected === null) return rc === null;
  return rc !== null && rc.category === s.expected.category && sameRef(rc.resource, s.expected.resource);
}

const V2 = new Set([
  "DependencyUnavailable",
  "NetworkPolicyBlocked",
  "DNSFailure",
  "CertificateExpired",
  "RBACForbidden",
]);

/** The group a scenario reports under: healthy, change correlation, dependency chains, v2 or v1 categories. */
function groupOf(s: Scenario): string {
  const file = s.rel.split("/").at(-1) ?? "";
  if (s.expected === null) return "healthy";
  if (file.startsWith("change-")) return "change correlation";
  if (file.startsWith("chain-")) return "dependency chains";
  return V2.has(s.expected.category) ? "v2 categories" : "v1 categories";
}

function objectsOf(doc: Record<string, unknown>): K8sObject[] {
  const o = doc.objects as K8sObject[] | { items: K8sObject[] };
  return Array.isArray(o) ? o : o.items;
}

describe("scenario corpus integrity", () => {
  it("has at least two scenarios per snapshot category and four healthy clusters", () => {
    const count = new Map<string, number>();
    for (const s of scenarios) {
      const key = s.expected?.category ?? "healthy";
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    if (process.env.AISRE_SCENARIOS) return;
    for (const c of CATEGORIES) expect(count.get(c) ?? 0, c).toBeGreaterThanOrEqual(2);
    expect(count.get("healthy") ?? 0).toBeGreaterThanOrEqual(4);
  });

  it.each(scenarios.map((s) => [s.rel, s] as const))("%s is a well-formed snapshot", (_rel, s) => {
    expect(s.doc.apiVersion).toBe("aisre.io/v1alpha1");
    expect(s.doc.kind).toBe("ClusterSnapshot");
    expect(typeof s.doc.description).toBe("string");
    expect(Number.isNaN(Date.parse(String(s.doc.capturedAt)))).toBe(false);
    expect(Object.hasOwn(s.doc, "expected")).toBe(true);
    const objs = objectsOf(s.doc);
    const has = (r: Ref): boolean =>
      objs.some(
        (o) =>
          o.kind === r.kind && o.metadata.name === r.name && ns(o.metadata.namespace) === ns(r.namespace),
      );
    // A pods-and-events snapshot may lack the workload: its pods' owners still name it.
    const owned = (r: Ref): boolean =>
      objs.some((o) =>
        (o.metadata.ownerReferences ?? []).some(
          (ow) =>
            ns(o.metadata.namespace) === ns(r.namespace) &&
            ((ow.kind === r.kind && ow.name === r.name) ||
              (r.kind === "Deployment" && ow.kind === "ReplicaSet" && ow.name.startsWith(`${r.name}-`))),
        ),
      );
    if (s.expected) {
      expect(CATEGORIES).toContain(s.expected.category);
      expect(
        has(s.expected.resource) || owned(s.expected.resource),
        `expected resource ${refText(s.expected.resource)} is in the snapshot`,
      ).toBe(true);
    }
    if (s.doc.target) expect(has(s.doc.target as Ref), "target is in the snapshot").toBe(true);
  });
});

describe("aisre diagnose on the scenario corpus", () => {
  it.concurrent.each(scenarios.map((s) => [s.rel, s] as const))("%s", async (_rel, s) => {
    const o = await diagnose(s);
    expect(o.code, `exit code (stderr: ${o.stderr.slice(0, 500)})`).toBe(0);
    expect(o.parseError, "stdout is JSON").toBeUndefined();
    const recs = (o.out?.recommendations ?? []) as { action?: string }[];
    for (const r of recs)
      expect(ACTION_NAMES as readonly string[], `recommended action ${r.action}`).toContain(r.action);
    const rc = rootCauseOf(o);
    if (s.expected === null) {
      expect(rc, "healthy cluster: rootCause must be null").toBeNull();
      return;
    }
    expect(rc, "rootCause must not be null").not.toBeNull();
    expect({ category: rc?.category, resource: refText(rc?.resource) }).toEqual({
      category: s.expected.category,
      resource: refText(s.expected.resource),
    });
    const want = s.expected.change;
    if (want === undefined) return;
    const got = changeOf(o);
    expect(
      changeRight(want, got),
      `rootCause.change: expected ${want ? `${refText(want)} at ${want.at}` : "none"}, got ${got ? `${refText(got)} at ${got.at} (${(got as { what?: string }).what})` : "none"}`,
    ).toBe(true);
  });

  it("ignores the corpus's own top-level keys (expected, description)", async () => {
    const sample = scenarios
      .filter((_, i) => i % Math.max(1, Math.floor(scenarios.length / 6)) === 0)
      .slice(0, 6);
    const dir = mkdtempSync(join(tmpdir(), "aisre-scenarios-"));
    try {
      for (const s of sample) {
        const stripped = { ...s.doc };
        delete stripped.expected;
        delete stripped.description;
        const copy = join(dir, s.rel.replaceAll("/", "__"));
        writeFileSync(copy, stringify(stripped));
        const [a, b] = await Promise.all([diagnose(s), diagnose({ ...s, file: copy })]);
        expect(JSON.stringify(rootCauseOf(b)), s.rel).toBe(JSON.stringify(rootCauseOf(a)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("summary: accuracy and false alarms", async () => {
    const outcomes = await Promise.all(scenarios.map(async (s) => ({ s, o: await diagnose(s) })));
    const misses = outcomes.filter(({ s, o }) => !correct(s, o));
    const rows = misses.map(({ s, o }) => {
      const rc = rootCauseOf(o);
      const got =
        o.code !== 0 || !o.out
          ? `exit ${o.code}${o.parseError ? " (no JSON)" : ""}`
          : rc
            ? `${rc.category} ${refText(rc.resource)}`
            : "null";
      const want = s.expected ? `${s.expected.category} ${refText(s.expected.resource)}` : "null";
      return { scenario: s.rel, expected: want, got };
    });
    if (rows.length) {
      const w = [
        Math.max(8, ...rows.map((r) => r.scenario.length)),
        Math.max(8, ...rows.map((r) => r.expected.length)),
      ];
      const line = (a: string, b: string, c: string): string =>
        `${a.padEnd(w[0] ?? 8)}  ${b.padEnd(w[1] ?? 8)}  ${c}`;
      console.log(
        [
          "scenario misses:",
          line("scenario", "expected", "got"),
          ...rows.map((r) => line(r.scenario, r.expected, r.got)),
        ].join("\n"),
      );
    }
    const n = outcomes.length - misses.length;
    const m = outcomes.length;
    const pct = m ? (100 * n) / m : 0;
    console.log(`scenario accuracy: ${n}/${m} (${pct.toFixed(1)}%)`);
    const byGroup = new Map<string, { right: number; all: number }>();
    for (const { s, o } of outcomes) {
      const g = byGroup.get(groupOf(s)) ?? { right: 0, all: 0 };
      g.all++;
      if (correct(s, o)) g.right++;
      byGroup.set(groupOf(s), g);
    }
    console.log(`per group: ${[...byGroup].map(([name, g]) => `${name} ${g.right}/${g.all}`).join(", ")}`);
    const falseAlarms = outcomes
      .filter(({ s, o }) => s.expected === null && o.out && rootCauseOf(o) !== null)
      .map(({ s }) => s.rel);
    console.log(
      `false alarms on healthy clusters: ${falseAlarms.length}${falseAlarms.length ? ` (${falseAlarms.join(", ")})` : ""}`,
    );
    const scored = outcomes.filter(({ s }) => s.expected?.change);
    const changesRight = scored.filter(({ s, o }) => changeRight(s.expected!.change!, changeOf(o))).length;
    const invented = outcomes
      .filter(({ s, o }) => s.expected?.change === null && changeOf(o) !== undefined)
      .map(({ s }) => s.rel);
    console.log(
      `change accuracy: ${changesRight}/${scored.length}` +
        (scored.length ? ` (${((100 * changesRight) / scored.length).toFixed(1)}%)` : "") +
        `; changes named where none explains the onset: ${invented.length}${invented.length ? ` (${invented.join(", ")})` : ""}`,
    );
    expect(falseAlarms, "no root cause on a healthy cluster").toEqual([]);
    expect(invented, "no change named on a case that states none").toEqual([]);
    if (scored.length)
      expect(
        changesRight / scored.length,
        `change accuracy ${changesRight}/${scored.length}`,
      ).toBeGreaterThanOrEqual(MIN_CHANGE_ACCURACY);
    expect(n / Math.max(m, 1), `accuracy ${n}/${m}`).toBeGreaterThanOrEqual(MIN_ACCURACY);
  });
});
