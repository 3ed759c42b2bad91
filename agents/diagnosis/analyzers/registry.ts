/**
 * The analyzer registry: one line per analyzer, in the order their faults are listed
 * (ranking ties keep that order, so it is part of the output). Adding a category is one
 * analyzer file that owns its facts, its test, and a line here. The category table the
 * walk, the summary and the recommendations read is built from the same list.
 */
import type { Fault } from "../fault.ts";
import { METRIC_CATEGORY_FACTS } from "../metrics/categories.ts";
import { refKey } from "../refs.ts";
import type { Category } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer, CategoryFacts } from "./analyzer.ts";
import { certificatesAnalyzer } from "./certificate.ts";
import { creationAnalyzer } from "./creation.ts";
import { dependencyAnalyzer } from "./dependency.ts";
import { dnsAnalyzer } from "./dns.ts";
import { hpasAnalyzer } from "./hpa.ts";
import { ingressesAnalyzer } from "./ingress.ts";
import { jobsAnalyzer } from "./job.ts";
import { networkPoliciesAnalyzer } from "./netpol.ts";
import { nodesAnalyzer } from "./node.ts";
import { pdbsAnalyzer } from "./pdb.ts";
import { podsAnalyzer } from "./pods.ts";
import { pvcsAnalyzer } from "./pvc.ts";
import { rbacAnalyzer } from "./rbac.ts";
import { rolloutsAnalyzer } from "./rollout.ts";
import { servicesAnalyzer } from "./service.ts";
import { webhooksAnalyzer } from "./webhook.ts";

/** Every snapshot analyzer, in the order their faults are listed. */
export const ANALYZERS: readonly Analyzer[] = [
  rolloutsAnalyzer,
  jobsAnalyzer,
  podsAnalyzer,
  nodesAnalyzer,
  pvcsAnalyzer,
  creationAnalyzer,
  hpasAnalyzer,
  servicesAnalyzer,
  ingressesAnalyzer,
  webhooksAnalyzer,
  pdbsAnalyzer,
  // Contract v2: causes outside the pod (docs/diagnosis.md §3).
  rbacAnalyzer,
  dnsAnalyzer,
  networkPoliciesAnalyzer,
  certificatesAnalyzer,
  dependencyAnalyzer,
];

/** Folds faults naming the same category and subject as an owner's fault into it (pods and evidence). */
function fold(from: Fault[], into: Fault[], folded: Set<Fault>): void {
  if (into.length === 0) return;
  const own = new Map(into.map((f) => [`${f.category}|${refKey(f.subject)}`, f]));
  for (const f of from) {
    const target = folded.has(f) ? undefined : own.get(`${f.category}|${refKey(f.subject)}`);
    if (!target) continue;
    const known = new Set(target.pods);
    target.pods.push(...f.pods.filter((p) => !known.has(p)));
    target.evidence.push(`affected: ${f.message}`);
    folded.add(f);
  }
}

/** Every fault the registry's analyzers find, in registry order; each analyzer runs once. */
export function runAnalyzers(view: ClusterView, registry: readonly Analyzer[] = ANALYZERS): Fault[] {
  const byName = new Map(registry.map((a) => [a.name, a]));
  const results = new Map<string, Fault[]>();
  const running = new Set<string>();
  const folded = new Set<Fault>();
  const named = (name: string, by: Analyzer): Analyzer => {
    const a = byName.get(name);
    if (!a) throw new Error(`analyzer ${by.name} refers to ${name}, which is not registered`);
    return a;
  };
  const run = (a: Analyzer): Fault[] => {
    const done = results.get(a.name);
    if (done) return done;
    if (running.has(a.name)) throw new Error(`analyzer ${a.name} is in a cycle of needs`);
    running.add(a.name);
    // Needs run before analyze() so the execution order does not depend on when it asks.
    for (const n of a.needs ?? []) run(named(n, a));
    const faultsOf = (name: string): Fault[] => {
      if (!a.needs?.includes(name)) throw new Error(`analyzer ${a.name} reads ${name} without needing it`);
      return results.get(name)!;
    };
    const faults = a.analyze({ view, faultsOf });
    if (a.folds) fold(run(named(a.folds, a)), faults, folded);
    results.set(a.name, faults);
    return faults;
  };
  // Every analyzer runs before any is listed: a later one may fold an earlier one's faults.
  for (const a of registry) run(a);
  const out: Fault[] = [];
  for (const a of registry) for (const f of results.get(a.name)!) if (!folded.has(f)) out.push(f);
  return out;
}

/** One entry per category; a category with two owners is a programming error. */
export function categoryTable(facts: readonly CategoryFacts[]): Map<Category, CategoryFacts> {
  const table = new Map<Category, CategoryFacts>();
  for (const f of facts) {
    if (table.has(f.category)) throw new Error(`category ${f.category} has two owners`);
    table.set(f.category, f);
  }
  return table;
}

/** Every category's facts: the registry's owners plus the metric categories. */
export const CATEGORY_FACTS: ReadonlyMap<Category, CategoryFacts> = categoryTable([
  ...ANALYZERS.flatMap((a) => a.owns),
  ...METRIC_CATEGORY_FACTS,
]);

/** The facts of one category; registry.test.ts checks that every category has them. */
export function factsOf(category: Category): CategoryFacts {
  const facts = CATEGORY_FACTS.get(category);
  if (!facts) throw new Error(`no analyzer owns category ${category}`);
  return facts;
}
