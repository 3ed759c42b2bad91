// runAnalyzers with made-up analyzers: registry order, needs run once and first, folding.
import { describe, expect, it } from "vitest";
import type { Fault } from "../fault.ts";
import { viewOf } from "../fixtures/builders.ts";
import type { Category, ResourceRef } from "../types.ts";
import type { Analyzer, AnalyzerInput } from "./analyzer.ts";
import { runAnalyzers } from "./registry.ts";

const node: ResourceRef = { kind: "Node", namespace: "", name: "n1" };
const web: ResourceRef = { kind: "Deployment", namespace: "ns", name: "web" };

function fault(category: Category, subject: ResourceRef, message: string, pods: string[]): Fault {
  return {
    category,
    severity: "critical",
    resource: subject,
    subject,
    message,
    evidence: [],
    pods,
    facts: {},
    strength: 1,
  };
}

function analyzer(
  name: string,
  analyze: (input: AnalyzerInput) => Fault[],
  extra: Partial<Analyzer> = {},
): Analyzer {
  return { name, categories: [], owns: [], analyze, ...extra };
}

describe("runAnalyzers", () => {
  it("lists faults in registry order, runs a needed analyzer once and first", () => {
    const calls: string[] = [];
    const podFaults = [fault("CrashLoop", web, "web crashes", ["Pod/ns/web-1"])];
    const pods = analyzer("pods", () => {
      calls.push("pods");
      return podFaults;
    });
    const rollouts = analyzer(
      "rollouts",
      ({ faultsOf }) => {
        calls.push("rollouts");
        for (const f of faultsOf("pods")) f.absorbedBy = "BadRollout";
        return [fault("BadRollout", web, "revision 2 fails", [])];
      },
      { needs: ["pods"] },
    );
    const out = runAnalyzers(viewOf([]), [rollouts, pods]);
    expect(calls).toEqual(["pods", "rollouts"]);
    expect(out.map((f) => f.category)).toEqual(["BadRollout", "CrashLoop"]);
    expect(out[1]?.absorbedBy).toBe("BadRollout");
  });

  it("folds faults with the owner's category and subject into the owner's fault, once per cause", () => {
    const onNode = fault("NodeNotReady", node, "pod runs on node n1, which is NotReady", [
      "Pod/ns/a",
      "Pod/ns/b",
    ]);
    const crash = fault("CrashLoop", web, "web crashes", ["Pod/ns/c"]);
    const seen: Fault[][] = [];
    const pods = analyzer("pods", () => [onNode, crash]);
    const reader = analyzer(
      "reader",
      ({ faultsOf }) => {
        seen.push([...faultsOf("pods")]);
        return [];
      },
      {
        needs: ["pods"],
      },
    );
    const own = fault("NodeNotReady", node, "node n1 is NotReady", ["Pod/ns/a"]);
    const nodes = analyzer("nodes", () => [own], { folds: "pods" });
    const out = runAnalyzers(viewOf([]), [pods, reader, nodes]);
    expect(out).toEqual([crash, own]);
    expect(own.pods).toEqual(["Pod/ns/a", "Pod/ns/b"]);
    expect(own.evidence).toEqual(["affected: pod runs on node n1, which is NotReady"]);
    // Folding happens in the result only: analyzers that need the pods still see every fault.
    expect(seen).toEqual([[onNode, crash]]);
  });

  it("refuses undeclared reads, unknown names and cycles", () => {
    const pods = analyzer("pods", () => []);
    const sneaky = analyzer("sneaky", ({ faultsOf }) => faultsOf("pods"));
    expect(() => runAnalyzers(viewOf([]), [pods, sneaky])).toThrow(/reads pods without needing it/);
    const lost = analyzer("lost", () => [], { needs: ["nowhere"] });
    expect(() => runAnalyzers(viewOf([]), [lost])).toThrow(/not registered/);
    const a = analyzer("a", () => [], { needs: ["b"] });
    const b = analyzer("b", () => [], { needs: ["a"] });
    expect(() => runAnalyzers(viewOf([]), [a, b])).toThrow(/cycle of needs/);
  });
});
