import { describe, expect, it } from "vitest";
import { UsageError } from "../command.ts";
import { parseKubeArgs } from "./flags.ts";
import type { ArgSpec } from "./flags.ts";

const tasks: ArgSpec = { command: "tasks", outputs: ["wide", "json", "yaml", "name"], allNamespaces: true };
const reject: ArgSpec = {
  command: "reject",
  outputs: ["json"],
  positionals: ["PLAN"],
  strings: { reason: "r" },
};

describe("parseKubeArgs", () => {
  it("reads kubectl's flags in their long, short, attached and = forms", () => {
    expect(parseKubeArgs(["-n", "shop", "-o", "json"], tasks).kube).toEqual({
      allNamespaces: false,
      namespace: "shop",
      output: "json",
    });
    expect(parseKubeArgs(["--namespace=shop", "-owide"], tasks).kube).toMatchObject({
      namespace: "shop",
      output: "wide",
    });
    expect(parseKubeArgs(["-o=yaml", "-nshop"], tasks).kube).toMatchObject({
      namespace: "shop",
      output: "yaml",
    });
    expect(parseKubeArgs(["-A", "--kubeconfig", "/k", "--context=prod"], tasks).kube).toEqual({
      allNamespaces: true,
      kubeconfig: "/k",
      context: "prod",
    });
  });

  it("takes positionals and the command's own flags, before or after", () => {
    const a = parseKubeArgs(["web", "-r", "not now", "-n", "shop"], reject);
    expect(a.positionals).toEqual(["web"]);
    expect(a.values).toEqual({ reason: "not now" });
    expect(parseKubeArgs(["--reason=x", "--", "web"], reject).positionals).toEqual(["web"]);
  });

  it.each([
    [["-o", "xml"], tasks, "--output must be one of wide, json, yaml, name, not 'xml'"],
    [["--watch"], tasks, "unknown flag '--watch'"],
    [["-n"], tasks, "-n needs a value"],
    [["-A", "-n", "shop"], tasks, "--namespace and --all-namespaces cannot be used together"],
    [["--all-namespaces=true"], tasks, "--all-namespaces takes no value"],
    [["-A"], reject, "-A is not supported by reject"],
    [[], reject, "PLAN is required"],
    [["a", "b"], reject, "unexpected argument 'b'"],
    [["web", "--reason"], reject, "--reason needs a value"],
  ] as const)("refuses %j with a UsageError naming the flag", (argv, spec, message) => {
    expect(() => parseKubeArgs([...argv], spec)).toThrow(UsageError);
    expect(() => parseKubeArgs([...argv], spec)).toThrow(message);
  });
});
