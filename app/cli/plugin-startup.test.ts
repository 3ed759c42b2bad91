// `kubectl aisre` start-up (docs/adr/0007-cli-startup.md): the plugin's help and version load no
// package and no command they do not run, like `aisre`'s. Each case runs bin/kubectl-aisre.mjs as
// a child process that logs every module it resolves.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const TRACE = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from "node:module";
registerHooks({ resolve(s, c, next) { const r = next(s, c); process.stderr.write("LOADED " + r.url + "\\n"); return r; } });
`)}`;

function loaded(...args: string[]): { urls: string[]; stdout: string } {
  const r = spawnSync(process.execPath, ["--import", TRACE, "bin/kubectl-aisre.mjs", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "1" },
  });
  expect(r.status, r.stderr).toBe(0);
  const urls = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("LOADED "))
    .map((l) => l.slice("LOADED ".length));
  return { urls, stdout: r.stdout };
}

describe("kubectl aisre start-up", { timeout: 60_000 }, () => {
  it("--help lists the plugin's commands without loading any command or package", () => {
    const { urls, stdout } = loaded("--help");
    expect(stdout).toMatch(/^ {2}tasks\s+List SreTasks/m);
    expect(urls.filter((u) => u.includes("/node_modules/"))).toEqual([]);
    expect(urls.filter((u) => u.includes("/commands/") && !u.endsWith("/index.ts"))).toEqual([]);
  });

  it("version loads no package and no cluster command", () => {
    const { urls, stdout } = loaded("version");
    expect(stdout).toMatch(/^aisre \d+\.\d+\.\d+/);
    expect(urls.filter((u) => u.includes("/node_modules/"))).toEqual([]);
    expect(urls.filter((u) => /commands\/(tasks|incident|approve|reject|diagnose)\.ts$/.test(u))).toEqual([]);
    expect(urls.filter((u) => u.includes("/app/cli/kube/"))).toEqual([]);
  });
});
