// CLI start-up (docs/adr/0007-cli-startup.md): a command loads only what it uses. Each case
// runs `aisre` as a child process that logs every module it resolves.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { commands } from "./commands/index.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SNAPSHOT = "test/fixtures/scenarios/healthy/eks-shop-steady-state.yaml";

// Prints each resolved module URL on stderr (module.registerHooks runs in the loading thread).
const TRACE = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from "node:module";
registerHooks({ resolve(s, c, next) { const r = next(s, c); process.stderr.write("LOADED " + r.url + "\\n"); return r; } });
`)}`;

function loaded(...args: string[]): string[] {
  const r = spawnSync(process.execPath, ["--import", TRACE, "bin/aisre.mjs", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "1" },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr
    .split("\n")
    .filter((l) => l.startsWith("LOADED "))
    .map((l) => l.slice("LOADED ".length));
}

const HEAVY = [
  "@kubernetes/client-node",
  "@langchain/",
  "@aws-sdk/",
  "@electric-sql/pglite",
  "/fastify/",
  "/pg/",
  "/pino/",
  "/prom-client/",
  "@sinclair/typebox",
];
const heavyIn = (urls: string[]) => HEAVY.filter((h) => urls.some((u) => u.includes(h)));

describe("aisre start-up", { timeout: 60_000 }, () => {
  it("version loads no dependency and no other command", () => {
    const urls = loaded("version");
    expect(urls.filter((u) => u.includes("/node_modules/"))).toEqual([]);
    expect(urls.filter((u) => /commands\/(diagnose|operator|sidecar)\.ts$/.test(u))).toEqual([]);
  });

  it("diagnose --snapshot loads the engine and the YAML parser, not the clients of the live path", () => {
    const urls = loaded("diagnose", "--snapshot", SNAPSHOT, "--output", "json");
    expect(urls.some((u) => u.endsWith("agents/diagnosis/diagnose.ts"))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
    expect(urls.filter((u) => u.includes("/tools/") || u.includes("/kube/"))).toEqual([]);
  });

  it("--help lists every command without loading any", () => {
    const urls = loaded("--help");
    expect(urls.filter((u) => u.includes("/commands/") && !u.endsWith("/index.ts"))).toEqual([]);
  });

  it("each lazily loaded command has the name and summary the help lists", async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({
        name: entry.name,
        summary: entry.summary,
      });
    }
  });
});
