import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { UsageError } from "./command.ts";
import { diagnoseArgs, pluginMain } from "./plugin.ts";

/** A kubeconfig file whose current context has this namespace. */
function kubeconfig(namespace?: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "kc-")), "config");
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }],
      users: [{ name: "u", user: { token: "t" } }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u", ...(namespace ? { namespace } : {}) } }],
      "current-context": "x",
    }),
  );
  return file;
}

// Loading @kubernetes/client-node alone takes seconds on a loaded machine.
describe("diagnoseArgs", { timeout: 60_000 }, () => {
  it("passes --kubeconfig as $KUBECONFIG and diagnoses the context's namespace when none is given", async () => {
    const env: NodeJS.ProcessEnv = {};
    const file = kubeconfig("shop");
    expect(await diagnoseArgs(["--kubeconfig", file, "-o", "json"], env)).toEqual([
      "-o",
      "json",
      "--namespace",
      "shop",
    ]);
    expect(env.KUBECONFIG).toBe(file);
  });

  it("keeps an explicit namespace or snapshot, and uses default for a context without one", async () => {
    const env: NodeJS.ProcessEnv = {};
    expect(await diagnoseArgs(["-nshop"], env)).toEqual(["-nshop"]);
    expect(await diagnoseArgs(["--snapshot", "f.yaml"], env)).toEqual(["--snapshot", "f.yaml"]);
    expect(await diagnoseArgs([`--kubeconfig=${kubeconfig()}`], env)).toEqual(["--namespace", "default"]);
  });

  it("refuses --context and an empty --kubeconfig", async () => {
    await expect(diagnoseArgs(["--context", "prod"], {})).rejects.toThrow(UsageError);
    await expect(diagnoseArgs(["--kubeconfig"], {})).rejects.toThrow("--kubeconfig needs a value");
  });
});

describe("pluginMain", { timeout: 60_000 }, () => {
  it("exits 2 for a command the plugin does not offer, 0 for help", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    expect(await pluginMain(["operator"])).toBe(2);
    expect(err.mock.calls[0]?.[0]).toContain('unknown command "operator" for "kubectl aisre"');
    expect(await pluginMain([])).toBe(0);
    expect(log.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/approve\s+Approve a RemediationPlan/);
    expect(await pluginMain(["tasks", "-o", "xml"])).toBe(2);
    expect(err.mock.calls.at(-1)?.[0]).toBe(
      "error: kubectl aisre tasks: --output must be one of wide, json, yaml, name, not 'xml'",
    );
    err.mockRestore();
    log.mockRestore();
  });
});
