import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { findDrift } from "./drift.ts";
import { renderManifests } from "./render.ts";
import { ACTION_NAMES } from "../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../crds/action-targets.ts";
import { customResourceDefinition } from "../crds/crd.ts";
import { ConditionType, REASON_PATTERN, Reason } from "../crds/reasons.ts";
import { typeMeta } from "../crds/index.ts";
import type { RemediationPlan, SreTask } from "../crds/index.ts";
import { KINDS } from "../crds/registry.ts";
import { specErrors } from "../crds/validate.ts";

type Node = Record<string, unknown>;
const root = join(import.meta.dirname, "..");
const crds = KINDS.map((def) => ({ def, crd: customResourceDefinition(def) }));
const schemaOf = (crd: ReturnType<typeof customResourceDefinition>): Node =>
  crd.spec.versions[0]!.schema.openAPIV3Schema;

// Keys apiextensions.k8s.io/v1 accepts that this API uses; anything else is a mistake
// (anyOf, $ref, $id, uniqueItems, patternProperties... make a schema non-structural or invalid).
const ALLOWED_KEYS = new Set([
  "description",
  "type",
  "format",
  "default",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "enum",
  "maxProperties",
  "required",
  "items",
  "properties",
  "additionalProperties",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-validations",
]);

/** Visits every schema node with its path. */
function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const [key, child] of Object.entries((node.properties as Record<string, Node>) ?? {})) {
    walk(child, `${path}.${key}`, visit);
  }
  if (node.items) walk(node.items as Node, `${path}[]`, visit);
  if (typeof node.additionalProperties === "object")
    walk(node.additionalProperties as Node, `${path}{}`, visit);
}

/** Structural-schema and boundedness faults of one node. */
function faults(node: Node, path: string): string[] {
  const found: string[] = [];
  const bounded = path.includes(".spec") || path.includes(".status");
  for (const key of Object.keys(node)) if (!ALLOWED_KEYS.has(key)) found.push(`${path}: key ${key}`);
  if (typeof node.type !== "string") found.push(`${path}: no type`);
  if (node.properties && node.additionalProperties)
    found.push(`${path}: properties with additionalProperties`);
  if (node.additionalProperties === false) found.push(`${path}: additionalProperties false`);
  const free = node["x-kubernetes-preserve-unknown-fields"] === true;
  if (
    node.type === "object" &&
    !node.properties &&
    !node.additionalProperties &&
    !free &&
    path !== "$.metadata"
  ) {
    found.push(`${path}: object without properties`);
  }
  if (bounded && node.type === "string" && typeof node.maxLength !== "number")
    found.push(`${path}: no maxLength`);
  if (node.type === "array" && typeof node.maxItems !== "number") found.push(`${path}: no maxItems`);
  if (node.type === "array" && !node["x-kubernetes-list-type"]) found.push(`${path}: no list-type`);
  for (const req of (node.required as string[]) ?? []) {
    if (!(node.properties as Node)?.[req]) found.push(`${path}: required ${req} is not a property`);
  }
  if (node["x-kubernetes-list-type"] === "map") {
    const itemRequired = ((node.items as Node).required as string[]) ?? [];
    for (const key of node["x-kubernetes-list-map-keys"] as string[]) {
      if (!itemRequired.includes(key)) found.push(`${path}: list-map key ${key} not required`);
    }
  }
  if (node.enum && node.default !== undefined && !(node.enum as unknown[]).includes(node.default)) {
    found.push(`${path}: default outside enum`);
  }
  for (const r of (node["x-kubernetes-validations"] as Node[]) ?? []) {
    if (typeof r.rule !== "string" || typeof r.message !== "string")
      found.push(`${path}: rule without message`);
  }
  return found;
}

/** The schema node a printer column's JSONPath points at, or undefined. */
function resolveColumn(schema: Node, jsonPath: string): Node | undefined {
  let node: Node | undefined = schema;
  for (const part of jsonPath.split(".").slice(1)) node = (node?.properties as Record<string, Node>)?.[part];
  return node;
}

/** Every CEL rule of a schema, with its message. */
function celRules(schema: Node): { rule: string; message: string }[] {
  const rules: { rule: string; message: string }[] = [];
  walk(schema, "$", (node) => rules.push(...((node["x-kubernetes-validations"] as never[]) ?? [])));
  return rules;
}

/**
 * Fields of `value` the operator would not act upon: fields the schema does not declare (the
 * API server prunes them) and fields under a schema node described as "not yet acted upon".
 */
function unheededFields(value: unknown, schema: Node, path: string): string[] {
  if (/not yet acted upon/i.test(String(schema.description ?? ""))) return [`${path}: not yet acted upon`];
  if (schema["x-kubernetes-preserve-unknown-fields"] === true) return [];
  if (Array.isArray(value))
    return schema.items
      ? value.flatMap((v, i) => unheededFields(v, schema.items as Node, `${path}[${i}]`))
      : [];
  if (value === null || typeof value !== "object") return [];
  const props = schema.properties as Record<string, Node> | undefined;
  const extra =
    typeof schema.additionalProperties === "object" ? (schema.additionalProperties as Node) : undefined;
  return Object.entries(value as Node).flatMap(([key, v]) => {
    const child = props?.[key] ?? extra;
    return child ? unheededFields(v, child, `${path}.${key}`) : [`${path}.${key}: not in the schema`];
  });
}

describe("aisre.io CRDs", () => {
  it.each(crds.map((c) => [c.def.kind, c.crd] as const))(
    "%s has a structural, bounded schema",
    (_kind, crd) => {
      const found: string[] = [];
      walk(schemaOf(crd), "$", (node, path) => found.push(...faults(node, path)));
      expect(found).toEqual([]);
    },
  );

  it.each(crds.map((c) => [c.def.kind, c.crd] as const))(
    "%s has status, names, category, columns",
    (_kind, crd) => {
      const version = crd.spec.versions[0]!;
      expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.aisre.io`);
      expect(crd.spec.group).toBe("aisre.io");
      expect(version.name).toBe("v1alpha1");
      expect(version.subresources).toEqual({ status: {} });
      expect(crd.spec.names.categories).toEqual(["aisre"]);
      expect(crd.spec.names.shortNames.length).toBeGreaterThan(0);
      const columns = version.additionalPrinterColumns.map((c) => c.name);
      expect(columns).toContain("Phase");
      expect(columns.at(-1)).toBe("Age");
      for (const column of version.additionalPrinterColumns.filter(
        (c) => !c.jsonPath.startsWith(".metadata"),
      )) {
        expect(resolveColumn(schemaOf(crd), column.jsonPath), column.jsonPath).toBeDefined();
      }
      const status = (schemaOf(crd).properties as Record<string, Node>).status!;
      expect(Object.keys(status.properties as Node)).toEqual(
        expect.arrayContaining(["phase", "observedGeneration", "conditions", "message"]),
      );
    },
  );

  it("the structural check catches what the API server would refuse", () => {
    const bad: Node = { type: "object", properties: { a: { anyOf: [] }, b: { type: "array" } } };
    const found: string[] = [];
    walk(bad, "$.spec", (node, path) => found.push(...faults(node, path)));
    expect(found).toEqual(
      expect.arrayContaining(["$.spec.a: key anyOf", "$.spec.a: no type", "$.spec.b: no maxItems"]),
    );
  });

  it("short names are unique", () => {
    const names = KINDS.flatMap((k) => k.shortNames);
    expect(new Set(names).size).toBe(names.length);
  });

  it("the committed YAML equals a fresh synth", () => {
    expect(findDrift(root, renderManifests())).toEqual([]);
  });

  it("carries the CEL rules that reject bad specs", () => {
    const messages = crds.flatMap(({ crd }) => celRules(schemaOf(crd)).map((r) => r.message));
    expect(messages).toEqual(
      expect.arrayContaining([
        "llm.apiKeySecretRef is required when llm.enabled is true",
        "an SreTask needs a description, an alert or a target",
        "spec.alert is required when source is Alertmanager",
        "alert.labels.alertname is required",
        "Ec2RebootInstance, Ec2StartInstance and Ec2StopInstance need target.kind Ec2Instance",
        "CordonNode, DrainNode and UncordonNode need target.kind Node",
        "steps are immutable once created; create a new RemediationPlan",
        "approval.decision is final once set, and so is approval.decidedBy; create a new RemediationPlan to decide again",
        "wecom robot mode needs robotWebhookSecretRef",
        "matches needs alertnames, categories or labels; a runbook that matches everything is noise",
      ]),
    );
  });

  it("names target kinds for every catalog action but RunbookOnly", () => {
    const missing = ACTION_NAMES.filter((a) => a !== "RunbookOnly" && !ACTION_TARGET_KINDS[a]);
    expect(missing).toEqual([]);
  });

  it("uses valid metav1.Condition reasons and types", () => {
    for (const reason of Object.values(Reason)) expect(reason).toMatch(REASON_PATTERN);
    for (const [key, type] of Object.entries(ConditionType)) expect(type).toBe(key);
  });
});

describe("TypeScript types", () => {
  it("follow the schemas (checked by tsc)", () => {
    const task: SreTask = {
      ...typeMeta("SreTask"),
      metadata: { name: "t" },
      spec: { type: "Diagnose", target: { kind: "Deployment", namespace: "shop", name: "checkout" } },
      status: { phase: "Diagnosing", rootCause: undefined },
    };
    const plan: RemediationPlan = {
      ...typeMeta("RemediationPlan"),
      metadata: { name: "p" },
      // @ts-expect-error: Reboot is not a catalog action
      spec: { steps: [{ name: "s", action: "Reboot", target: { kind: "Node", name: "n" } }] },
    };
    // @ts-expect-error: Exploded is not a phase
    const phase: NonNullable<SreTask["status"]>["phase"] = "Exploded";
    expect([task.kind, plan.kind, phase]).toEqual(["SreTask", "RemediationPlan", "Exploded"]);
  });
});

describe("examples/", () => {
  const files = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".yaml"));

  it("hold one object of every kind", () => {
    const kinds = files.map((f) => (parse(readFileSync(join(root, "examples", f), "utf8")) as Node).kind);
    expect([...new Set(kinds)].sort()).toEqual(KINDS.map((k) => k.kind).sort());
  });

  it.each(files)("%s matches its schema and names no namespace", (file) => {
    const object = parse(readFileSync(join(root, "examples", file), "utf8")) as Node;
    expect(object.apiVersion).toBe("aisre.io/v1alpha1");
    expect((object.metadata as Node).namespace).toBeUndefined();
    expect(specErrors(object.kind as string, object.spec)).toEqual([]);
  });

  it.each(files)("%s sets only fields the operator acts upon", (file) => {
    const object = parse(readFileSync(join(root, "examples", file), "utf8")) as Node;
    const { crd } = crds.find((c) => c.def.kind === object.kind)!;
    const spec = (schemaOf(crd).properties as Record<string, Node>).spec!;
    expect(unheededFields(object.spec, spec, "spec")).toEqual([]);
  });

  it("flags fields the operator ignores", () => {
    const { crd } = crds.find((c) => c.def.kind === "AgentConfig")!;
    const spec = (schemaOf(crd).properties as Record<string, Node>).spec!;
    const ignored = {
      agents: { automation: { enabled: true }, classifier: { enabled: true } },
      tools: { grafana: { url: "http://grafana:3000" } },
      monitoring: { intervalSeconds: 60 },
    };
    expect(unheededFields(ignored, spec, "spec")).toEqual([
      "spec.agents.classifier: not in the schema",
      "spec.tools.grafana: not in the schema",
    ]);
  });

  it("specErrors names the faulty field", () => {
    const errors = specErrors("RemediationPlan", {
      steps: [{ name: "a", action: "Reboot", target: { kind: "Pod" } }],
    });
    expect(errors.join("\n")).toMatch(/spec\.steps\.0\.action/);
    expect(errors.join("\n")).toMatch(/spec\.steps\.0\.target/);
  });
});
