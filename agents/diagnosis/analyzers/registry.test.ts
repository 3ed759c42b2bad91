// The registry is the one place categories are wired: every category is raised by some
// analyzer, owned by exactly one, and every table built from it covers every category.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Fault } from "../fault.ts";
import { METRIC_CATEGORY_FACTS } from "../metrics/categories.ts";
import { recommend } from "../recommend.ts";
import { LAYER } from "../rootcause.ts";
import { parseSnapshot, snapshotView } from "../snapshot.ts";
import { summarize } from "../summary.ts";
import type { Category } from "../types.ts";
import { CATEGORIES, METRIC_CATEGORIES, SNAPSHOT_CATEGORIES } from "../types.ts";
import type { Analyzer, CategoryFacts } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { ANALYZERS, CATEGORY_FACTS, categoryTable, factsOf, runAnalyzers } from "./registry.ts";

/** Everything wrong with a registry and the metric facts beside it; [] when sound. */
function registryProblems(analyzers: readonly Analyzer[], metricFacts: readonly CategoryFacts[]): string[] {
  const out: string[] = [];
  const names = analyzers.map((a) => a.name);
  for (const n of new Set(names)) if (names.filter((x) => x === n).length > 1) out.push(`name ${n} twice`);
  const metric = new Set<Category>(METRIC_CATEGORIES);
  for (const c of SNAPSHOT_CATEGORIES)
    if (!analyzers.some((a) => a.categories.includes(c))) out.push(`nobody raises ${c}`);
  for (const a of analyzers) {
    for (const c of a.categories) if (metric.has(c)) out.push(`${a.name} raises metric category ${c}`);
    for (const f of a.owns)
      if (!a.categories.includes(f.category)) out.push(`${a.name} owns ${f.category} but never raises it`);
    for (const n of [...(a.needs ?? []), ...(a.folds ? [a.folds] : [])])
      if (n === a.name || !names.includes(n)) out.push(`${a.name} refers to ${n}`);
  }
  const owners = [...analyzers.flatMap((a) => a.owns), ...metricFacts].map((f) => f.category);
  for (const c of CATEGORIES) {
    const n = owners.filter((x) => x === c).length;
    if (n !== 1) out.push(`${c} has ${n} owners`);
  }
  return out;
}

const without = (name: string) => ANALYZERS.filter((a) => a.name !== name);

function faultOf(category: Category): Fault {
  const subject = { kind: "Deployment", namespace: "ns", name: "web" };
  return {
    category,
    severity: "critical",
    resource: subject,
    subject,
    message: `web: ${category}`,
    evidence: [],
    pods: [],
    facts: {},
    strength: 1,
  };
}

describe("analyzer registry", () => {
  it("raises every snapshot category, owns every category once, and names analyzers uniquely", () => {
    expect(registryProblems(ANALYZERS, METRIC_CATEGORY_FACTS)).toEqual([]);
  });

  it("reports a registry that lost an analyzer, a duplicate name or a second owner", () => {
    expect(registryProblems(without("pdbs"), METRIC_CATEGORY_FACTS)).toEqual([
      "nobody raises PDBBlocking",
      "PDBBlocking has 0 owners",
    ]);
    expect(registryProblems([...ANALYZERS, ANALYZERS[0]!], METRIC_CATEGORY_FACTS)).toContain(
      "name rollouts twice",
    );
    expect(registryProblems(without("pods"), METRIC_CATEGORY_FACTS)).toContain("rollouts refers to pods");
    expect(registryProblems(ANALYZERS, [])).toContain("HighLatency has 0 owners");
    expect(() => categoryTable([...METRIC_CATEGORY_FACTS, METRIC_CATEGORY_FACTS[0]!])).toThrow(/two owners/);
  });

  it("builds a table entry for every category", () => {
    expect([...CATEGORY_FACTS.keys()].sort()).toEqual([...CATEGORIES].sort());
    const depths: number[] = Object.values(DEPTH);
    for (const c of CATEGORIES) expect(depths, c).toContain(LAYER[c]);
  });

  it.each(CATEGORIES)("recommends and summarizes %s", (c) => {
    const f = faultOf(c);
    const recs = recommend(f, undefined);
    expect(recs.at(-1)).toMatchObject({ action: "RunbookOnly", rationale: factsOf(c).runbook });
    expect(factsOf(c).runbook.length).toBeGreaterThan(10);
    expect(summarize(f, undefined)).not.toBe("");
  });

  // The fixtures plus the smallest scenario of each corpus folder: parsing all 13 MB of the
  // corpus takes ~15 s, and test/scenarios.test.ts runs it whole anyway.
  it(
    "returns only the categories each analyzer declares, on the fixtures and a scenario per folder",
    { timeout: 60_000 },
    () => {
      const root = fileURLToPath(new URL("../../../", import.meta.url));
      const corpus = join(root, "test/fixtures/scenarios");
      const folders = readdirSync(corpus).filter((e) => statSync(join(corpus, e)).isDirectory());
      const files = [
        ...yamlFiles(join(root, "agents/diagnosis/fixtures")),
        ...folders.filter((d) => !d.startsWith("_")).map((d) => smallest(yamlFiles(join(corpus, d)))),
      ];
      const seen = new Set<Category>();
      const undeclared: string[] = [];
      const watched = ANALYZERS.map((a): Analyzer => ({
        ...a,
        analyze: (input) => {
          const faults = a.analyze(input);
          for (const f of faults) {
            seen.add(f.category);
            if (!a.categories.includes(f.category)) undeclared.push(`${a.name}: ${f.category}`);
          }
          return faults;
        },
      }));
      for (const file of files)
        runAnalyzers(snapshotView(parseSnapshot(readFileSync(file, "utf8"))), watched);
      expect(undeclared).toEqual([]);
      // The corpus exercises every snapshot category, so the check above covered them all.
      expect([...seen].sort()).toEqual([...SNAPSHOT_CATEGORIES].sort());
    },
  );
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((e) => /\.ya?ml$/.test(e))
    .map((e) => join(dir, e));
}

function smallest(files: string[]): string {
  return files.sort((a, b) => statSync(a).size - statSync(b).size)[0]!;
}
